#include "common/report/decimal.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace jixiao::report {
namespace {

using U128 = unsigned __int128;

mpz_class PowerOfTen(int exponent) {
  if (exponent >= 0 && exponent <= kMaxSmallPowerOfTen) {
    return mpz_class(static_cast<unsigned long>(kSmallPowersOfTen[exponent]));
  }
  mpz_class result;
  mpz_ui_pow_ui(result.get_mpz_t(), 10, static_cast<unsigned long>(exponent));
  return result;
}

// Nearly every figure in a report is a fraction whose numerator and
// denominator fit in 64 bits. For those, rounding and printing are done in
// 128-bit integers, without allocating; anything larger takes GMP's path.
struct SmallFraction {
  bool negative;
  uint64_t magnitude;    // |numerator|
  uint64_t denominator;  // > 0
};

std::optional<SmallFraction> AsSmall(const mpq_class& value) {
  const mpz_srcptr num = value.get_num_mpz_t();
  const mpz_srcptr den = value.get_den_mpz_t();
  if (mpz_sizeinbase(num, 2) > 64 || mpz_sizeinbase(den, 2) > 64 || mpz_sgn(den) <= 0) {
    return std::nullopt;
  }
  return SmallFraction{mpz_sgn(num) < 0, mpz_getlimbn(num, 0), mpz_getlimbn(den, 0)};
}

// numerator / denominator in lowest terms, set directly (no GMP arithmetic).
mpq_class Reduced(int64_t numerator, uint64_t denominator) {
  const uint64_t magnitude =
      numerator < 0 ? 0 - static_cast<uint64_t>(numerator) : static_cast<uint64_t>(numerator);
  const uint64_t common = std::gcd(magnitude, denominator);
  mpq_class result;
  mpq_set_si(result.get_mpq_t(), numerator / static_cast<int64_t>(common), denominator / common);
  return result;
}

void AppendDigits(U128 value, std::string& out) {
  if (value <= std::numeric_limits<uint64_t>::max()) {
    // 64-bit division is many times cheaper than 128-bit.
    absl::StrAppend(&out, static_cast<uint64_t>(value));
    return;
  }
  char buffer[40];
  char* end = buffer + sizeof buffer;
  char* p = end;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  } while (value != 0);
  out.append(p, end);
}

// |value| * 10^decimals rounded half up, when it can be computed in 128 bits.
std::optional<U128> SmallScaledHalfUp(const SmallFraction& f, int decimals) {
  if (decimals < 0 || decimals > kMaxSmallPowerOfTen) return std::nullopt;
  // |num| * 10^d < 2^64 * 2^60; doubling it and adding den stays below 2^128.
  U128 scaled = static_cast<U128>(f.magnitude) * kSmallPowersOfTen[decimals];
  U128 den = f.denominator;
  return (2 * scaled + den) / (2 * den);
}

// Rounds |value| * 10^decimals half up to an integer, keeping the sign.
mpz_class ScaledHalfUp(const mpq_class& value, int decimals) {
  mpq_class scaled = abs(value) * PowerOfTen(decimals);
  // floor(scaled + 1/2) for a non-negative rational.
  mpz_class twice_num = 2 * scaled.get_num() + scaled.get_den();
  mpz_class twice_den = 2 * scaled.get_den();
  mpz_class result;
  mpz_fdiv_q(result.get_mpz_t(), twice_num.get_mpz_t(), twice_den.get_mpz_t());
  return sgn(value) < 0 ? mpz_class(-result) : result;
}

// Writes |digits| with `decimals` of them after a point, and the sign.
std::string PlaceDecimalPoint(bool negative, std::string digits, int decimals) {
  if (decimals > 0) {
    if (static_cast<int>(digits.size()) <= decimals) {
      digits.insert(0, decimals + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - decimals, ".");
  }
  return negative ? "-" + digits : digits;
}

}  // namespace

absl::StatusOr<DecimalText> ScanDecimal(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty number");
  DecimalText result;
  size_t start = 0;
  if (text[0] == '-' || text[0] == '+') {
    result.minus = text[0] == '-';
    start = 1;
  }
  size_t point = absl::string_view::npos;
  for (size_t pos = start; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c >= '0' && c <= '9') continue;
    if (c == '.' && point == absl::string_view::npos) {
      point = pos;
      continue;
    }
    // Name a byte of a multibyte character as such: never split it.
    std::string what = static_cast<unsigned char>(c) < 0x80
                           ? absl::StrCat("'", std::string(1, c), "'")
                           : std::string("a non-ASCII character");
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a decimal number (unexpected ", what,
                     "; write digits with an optional point, e.g. 1234.56)"));
  }
  const bool has_point = point != absl::string_view::npos;
  result.integer = text.substr(start, (has_point ? point : text.size()) - start);
  if (has_point) result.fraction = text.substr(point + 1);
  if (result.integer.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a decimal number (no digit before the point)"));
  }
  if (has_point && result.fraction.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a decimal number (no digit after the point)"));
  }
  if (result.decimals() > kMaxDecimals) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" has ", result.decimals(),
                                                   " decimals; at most ", kMaxDecimals,
                                                   " are allowed"));
  }
  // Leading zeros do not count towards the magnitude bound.
  if (result.SignificantInteger().size() > static_cast<size_t>(kMaxIntegerDigits)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is too large: at most ",
                                                   kMaxIntegerDigits, " digits before the point"));
  }
  return result;
}

absl::string_view DecimalText::SignificantInteger() const {
  size_t first = integer.find_first_not_of('0');
  return first == absl::string_view::npos ? absl::string_view() : integer.substr(first);
}

bool DecimalText::IsZero() const {
  return SignificantInteger().empty() && fraction.find_first_not_of('0') == absl::string_view::npos;
}

bool DecimalText::Exceeds(uint64_t bound) const {
  if (minus || IsZero()) return false;
  // At most kMaxIntegerDigits (18) digits: fits in 64 bits.
  uint64_t whole = 0;
  for (char c : SignificantInteger()) whole = whole * 10 + static_cast<uint64_t>(c - '0');
  if (whole != bound) return whole > bound;
  return fraction.find_first_not_of('0') != absl::string_view::npos;
}

std::optional<int64_t> DecimalText::SmallNumerator() const {
  const absl::string_view integer = SignificantInteger();
  if (integer.size() + fraction.size() > static_cast<size_t>(kMaxSmallPowerOfTen)) {
    return std::nullopt;
  }
  int64_t magnitude = 0;
  for (absl::string_view part : {integer, fraction}) {
    for (char c : part) magnitude = magnitude * 10 + (c - '0');
  }
  return minus ? -magnitude : magnitude;
}

absl::StatusOr<ReportedDecimal> ParseDecimal(absl::string_view text) {
  absl::StatusOr<DecimalText> scanned = ScanDecimal(text);
  if (!scanned.ok()) return scanned.status();
  ReportedDecimal result;
  result.decimals = scanned->decimals();
  if (std::optional<int64_t> numerator = scanned->SmallNumerator()) {
    // The numerator and 10^decimals fit in 64 bits.
    result.value = Reduced(*numerator, kSmallPowersOfTen[result.decimals]);
    return result;
  }
  std::string digits = absl::StrCat(scanned->integer, scanned->fraction);
  mpz_class numerator(digits, 10);
  if (scanned->minus) numerator = -numerator;
  result.value = mpq_class(numerator, PowerOfTen(result.decimals));
  result.value.canonicalize();
  return result;
}

mpq_class HalfUnit(int decimals) {
  if (decimals >= 0 && decimals < kMaxSmallPowerOfTen) {
    mpq_class half;
    mpq_set_ui(half.get_mpq_t(), 1, 2 * kSmallPowersOfTen[decimals]);
    return half;
  }
  mpq_class half(1, 2 * PowerOfTen(decimals));
  half.canonicalize();
  return half;
}

std::pair<mpq_class, mpq_class> RoundingRange(const ReportedDecimal& figure) {
  // value = p/q with q dividing 10^d: the bounds are (2·p·(10^d/q) ± 1) /
  // (2·10^d), in 64 bits for nearly every figure of a report.
  const mpz_srcptr num = figure.value.get_num_mpz_t();
  const mpz_srcptr den = figure.value.get_den_mpz_t();
  if (figure.decimals >= 0 && figure.decimals < kMaxSmallPowerOfTen && mpz_fits_slong_p(num) &&
      mpz_fits_ulong_p(den)) {
    const uint64_t unit = kSmallPowersOfTen[figure.decimals];
    const uint64_t q = mpz_get_ui(den);
    int64_t twice;  // the value in half units
    if (q != 0 && unit % q == 0 &&
        !__builtin_mul_overflow(static_cast<int64_t>(mpz_get_si(num)),
                                static_cast<int64_t>(2 * (unit / q)), &twice) &&
        twice != std::numeric_limits<int64_t>::min() &&
        twice != std::numeric_limits<int64_t>::max()) {
      return {Reduced(twice - 1, 2 * unit), Reduced(twice + 1, 2 * unit)};
    }
  }
  mpq_class half = HalfUnit(figure.decimals);
  return {figure.value - half, figure.value + half};
}

mpq_class RoundHalfUp(const mpq_class& value, int decimals) {
  if (std::optional<SmallFraction> small = AsSmall(value)) {
    std::optional<U128> scaled = SmallScaledHalfUp(*small, decimals);
    if (scaled && *scaled <= static_cast<U128>(std::numeric_limits<int64_t>::max())) {
      auto magnitude = static_cast<int64_t>(*scaled);
      return Reduced(small->negative ? -magnitude : magnitude, kSmallPowersOfTen[decimals]);
    }
  }
  mpq_class result(ScaledHalfUp(value, decimals), PowerOfTen(decimals));
  result.canonicalize();
  return result;
}

std::string FormatFixed(const mpq_class& value, int decimals) {
  if (std::optional<SmallFraction> small = AsSmall(value)) {
    if (std::optional<U128> scaled = SmallScaledHalfUp(*small, decimals)) {
      std::string digits;
      AppendDigits(*scaled, digits);
      return PlaceDecimalPoint(small->negative && *scaled != 0, std::move(digits), decimals);
    }
  }
  mpz_class scaled = ScaledHalfUp(value, decimals);
  return PlaceDecimalPoint(sgn(scaled) < 0, mpz_class(abs(scaled)).get_str(), decimals);
}

std::string FormatExact(const mpq_class& value) {
  if (std::optional<SmallFraction> small = AsSmall(value)) {
    uint64_t common = std::gcd(small->magnitude, small->denominator);
    std::string text = small->negative && small->magnitude != 0 ? "-" : "";
    AppendDigits(small->magnitude / common, text);
    if (small->denominator / common != 1) {
      text.push_back('/');
      AppendDigits(small->denominator / common, text);
    }
    return text;
  }
  mpq_class reduced = value;
  reduced.canonicalize();
  if (reduced.get_den() == 1) return reduced.get_num().get_str();
  return reduced.get_num().get_str() + "/" + reduced.get_den().get_str();
}

std::string FormatShortest(const mpq_class& value, int fallback_decimals) {
  // A reduced fraction has a finite decimal expansion iff its denominator
  // has no prime factors other than 2 and 5.
  // A denominator beyond 64 bits needs more than kMaxDecimals decimals
  // (2^64 > 10^19), so it takes the fallback without being factored.
  int twos = 0, fives = 0;
  bool terminates = false;
  if (mpz_fits_ulong_p(value.get_den_mpz_t())) {
    unsigned long den = mpz_get_ui(value.get_den_mpz_t());
    while (den % 2 == 0 && twos <= kMaxDecimals) den /= 2, ++twos;
    while (den % 5 == 0 && fives <= kMaxDecimals) den /= 5, ++fives;
    terminates = den == 1;
  }
  int decimals = std::max(twos, fives);
  if (!terminates || decimals > kMaxDecimals) decimals = fallback_decimals;
  std::string text = FormatFixed(value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

std::string WithThousands(const std::string& number) {
  size_t start = number.empty() || (number[0] != '-' && number[0] != '+') ? 0 : 1;
  size_t point = number.find('.');
  size_t end = point == std::string::npos ? number.size() : point;
  if (end <= start) return number;
  for (size_t i = start; i < number.size(); ++i) {
    if (i != point && !std::isdigit(static_cast<unsigned char>(number[i]))) return number;
  }
  std::string grouped = number.substr(0, start);
  for (size_t i = start; i < end; ++i) {
    if (i > start && (end - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(number[i]);
  }
  return grouped + number.substr(end);
}

std::string WithUnit(const std::string& number, const std::string& unit) {
  if (number.empty()) return number;
  if (unit == "%") return number + "%";
  return unit.empty() ? WithThousands(number) : WithThousands(number) + " " + unit;
}

}  // namespace jixiao::report
