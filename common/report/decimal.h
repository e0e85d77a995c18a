// Exact decimal numbers for money, rates and scores.
//
// Every figure in Jixiao is an exact rational (GMP's mpq_class): no binary
// float ever takes part in a computation that is rounded or compared. A
// figure read from a report also keeps how many decimals it was written
// with, because that precision says how far its true value may lie from it.

#ifndef JIXIAO_COMMON_REPORT_DECIMAL_H_
#define JIXIAO_COMMON_REPORT_DECIMAL_H_

#include <gmpxx.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jixiao::report {

// A decimal as it was written: its exact value and its number of decimals.
struct ReportedDecimal {
  mpq_class value;
  int decimals = 0;
};

// The most decimals a figure may carry, and the most digits before the point.
// Both bound the work one figure can cause.
inline constexpr int kMaxDecimals = 12;
inline constexpr int kMaxIntegerDigits = 18;

// 10^0 through 10^18: the powers of ten that fit in 64 bits, for paths that
// compute with small numbers in machine integers.
inline constexpr int kMaxSmallPowerOfTen = 18;
inline constexpr uint64_t kSmallPowersOfTen[kMaxSmallPowerOfTen + 1] = {
    1ULL,
    10ULL,
    100ULL,
    1000ULL,
    10000ULL,
    100000ULL,
    1000000ULL,
    10000000ULL,
    100000000ULL,
    1000000000ULL,
    10000000000ULL,
    100000000000ULL,
    1000000000000ULL,
    10000000000000ULL,
    100000000000000ULL,
    1000000000000000ULL,
    10000000000000000ULL,
    100000000000000000ULL,
    1000000000000000000ULL,
};

// Parses "[-]digits[.digits]". Returns INVALID_ARGUMENT naming the problem
// (empty, a stray character, an exponent, too many digits) otherwise.
absl::StatusOr<ReportedDecimal> ParseDecimal(absl::string_view text);

// A decimal's text, checked as ParseDecimal checks it, without computing its
// value: what a check needs of every figure in a report, at no allocation.
// Views into the text scanned.
struct DecimalText {
  bool minus = false;          // written with a '-'
  absl::string_view integer;   // the digits before the point
  absl::string_view fraction;  // the digits after it; empty without a point

  int decimals() const { return static_cast<int>(fraction.size()); }
  // The integer digits without leading zeros (at most kMaxIntegerDigits).
  absl::string_view SignificantInteger() const;
  bool IsZero() const;
  // Below zero: a '-' on a figure that is not zero ("-0" is zero).
  bool IsNegative() const { return minus && !IsZero(); }
  // Whether the value is greater than `bound`.
  bool Exceeds(uint64_t bound) const;
  // The value as this numerator over 10^decimals(), when its significant
  // digits fit in 64 bits (at most kMaxSmallPowerOfTen of them); nullopt
  // otherwise.
  std::optional<int64_t> SmallNumerator() const;
};

// The same grammar, bounds and errors as ParseDecimal.
absl::StatusOr<DecimalText> ScanDecimal(absl::string_view text);

// Half of one unit in the last place of a figure with `decimals` decimals:
// 0.5 for 0 decimals, 0.005 for 2. A figure x stands for [x - h, x + h].
mpq_class HalfUnit(int decimals);

// The range a written figure stands for: its value ± HalfUnit(decimals).
std::pair<mpq_class, mpq_class> RoundingRange(const ReportedDecimal& figure);

// Rounds half away from zero (四舍五入) to `decimals` decimals.
mpq_class RoundHalfUp(const mpq_class& value, int decimals);

// Rounds as RoundHalfUp and writes the result with exactly `decimals`
// decimals: FormatFixed(105.685, 2) == "105.69".
std::string FormatFixed(const mpq_class& value, int decimals);

// Writes an exact value: an integer as itself, anything else as a reduced
// fraction "p/q".
std::string FormatExact(const mpq_class& value);

// Writes a value that is exact in decimals with no trailing zeros, or, if it
// has no finite decimal expansion (or a long one), with `fallback_decimals`
// rounded decimals: FormatShortest(2.5) == "2.5", FormatShortest(3) == "3".
std::string FormatShortest(const mpq_class& value, int fallback_decimals = 6);

// A number already written out, with thousands separators: "23604.86" →
// "23,604.86"; "-1234.5" → "-1,234.5". Text that is not a plain decimal is
// returned unchanged.
std::string WithThousands(const std::string& number);

// A number already written out, with its unit as a report prints it: "%"
// follows the number ("35.71%"); any other unit follows it after a space,
// with thousands separators ("23,604.86 万元", "52,310 件"), as does a
// number with no unit; "" if the number is empty.
std::string WithUnit(const std::string& number, const std::string& unit);

}  // namespace jixiao::report

#endif  // JIXIAO_COMMON_REPORT_DECIMAL_H_
