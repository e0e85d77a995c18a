#include "decimal.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace jixiao::engine {
namespace {

mpz_class PowerOfTen(int exponent) {
  mpz_class result;
  mpz_ui_pow_ui(result.get_mpz_t(), 10, static_cast<unsigned long>(exponent));
  return result;
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

}  // namespace

absl::StatusOr<ReportedDecimal> ParseDecimal(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty number");
  size_t pos = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    pos = 1;
  }
  std::string digits;
  int integer_digits = 0;
  int decimals = 0;
  bool seen_point = false;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      (seen_point ? decimals : integer_digits)++;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      // Name a byte of a multibyte character as such: never split it.
      std::string what = static_cast<unsigned char>(c) < 0x80
                             ? absl::StrCat("'", std::string(1, c), "'")
                             : std::string("a non-ASCII character");
      return absl::InvalidArgumentError(
          absl::StrCat("\"", text, "\" is not a decimal number (unexpected ", what,
                       "; write digits with an optional point, e.g. 1234.56)"));
    }
  }
  if (integer_digits == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a decimal number (no digit before the point)"));
  }
  if (seen_point && decimals == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a decimal number (no digit after the point)"));
  }
  if (decimals > kMaxDecimals) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" has ", decimals, " decimals; at most ", kMaxDecimals, " are allowed"));
  }
  // Leading zeros do not count towards the magnitude bound.
  size_t first = digits.find_first_not_of('0');
  int significant_integer_digits =
      first == std::string::npos ? 0 : std::max(0, integer_digits - static_cast<int>(first));
  if (significant_integer_digits > kMaxIntegerDigits) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is too large: at most ",
                                                   kMaxIntegerDigits, " digits before the point"));
  }
  ReportedDecimal result;
  result.decimals = decimals;
  mpz_class numerator(digits, 10);
  if (negative) numerator = -numerator;
  result.value = mpq_class(numerator, PowerOfTen(decimals));
  result.value.canonicalize();
  return result;
}

mpq_class HalfUnit(int decimals) {
  mpq_class half(1, 2 * PowerOfTen(decimals));
  half.canonicalize();
  return half;
}

mpq_class RoundHalfUp(const mpq_class& value, int decimals) {
  mpq_class result(ScaledHalfUp(value, decimals), PowerOfTen(decimals));
  result.canonicalize();
  return result;
}

std::string FormatFixed(const mpq_class& value, int decimals) {
  mpz_class scaled = ScaledHalfUp(value, decimals);
  bool negative = sgn(scaled) < 0;
  std::string digits = mpz_class(abs(scaled)).get_str();
  if (decimals > 0) {
    if (static_cast<int>(digits.size()) <= decimals) {
      digits.insert(0, decimals + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - decimals, ".");
  }
  return negative ? "-" + digits : digits;
}

std::string FormatExact(const mpq_class& value) {
  mpq_class reduced = value;
  reduced.canonicalize();
  if (reduced.get_den() == 1) return reduced.get_num().get_str();
  return reduced.get_num().get_str() + "/" + reduced.get_den().get_str();
}

std::string FormatShortest(const mpq_class& value, int fallback_decimals) {
  // A reduced fraction has a finite decimal expansion iff its denominator
  // has no prime factors other than 2 and 5.
  mpz_class den = value.get_den();
  int twos = 0, fives = 0;
  while (den % 2 == 0 && twos <= kMaxDecimals) den /= 2, ++twos;
  while (den % 5 == 0 && fives <= kMaxDecimals) den /= 5, ++fives;
  int decimals = std::max(twos, fives);
  if (den != 1 || decimals > kMaxDecimals) decimals = fallback_decimals;
  std::string text = FormatFixed(value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

std::string WithUnit(const std::string& number, const std::string& unit) {
  if (unit.empty() || number.empty()) return number;
  if (unit == "%") return number + "%";
  return number + " " + unit;
}

}  // namespace jixiao::engine
