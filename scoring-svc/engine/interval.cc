#include "scoring-svc/engine/interval.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "common/report/decimal.h"

namespace jixiao::engine {
namespace {

// The range of a product or quotient: the least and greatest of its four
// corners.
void SetHull(Interval& result, Rational c1, Rational c2, Rational c3, Rational c4) {
  Rational* lowest = &c1;
  Rational* highest = &c1;
  for (Rational* c : {&c2, &c3, &c4}) {
    if (*c < *lowest) lowest = c;
    if (*c > *highest) highest = c;
  }
  result.lower = std::move(*lowest);
  result.upper = std::move(*highest);
}

}  // namespace

Interval Interval::Exact(const Rational& value) { return Interval{value, value, value, true}; }

Interval Interval::FromReported(const report::ReportedDecimal& figure) {
  auto [lower, upper] = report::RoundingRange(figure);
  return Interval{figure.value, lower, upper, true};
}

std::optional<Interval> Interval::FromText(absl::string_view text, int* decimals) {
  absl::StatusOr<report::DecimalText> scanned = report::ScanDecimal(text);
  if (!scanned.ok()) return std::nullopt;
  if (decimals != nullptr) *decimals = scanned->decimals();
  std::optional<int64_t> digits = scanned->SmallNumerator();
  if (!digits) {
    absl::StatusOr<report::ReportedDecimal> parsed = report::ParseDecimal(text);
    if (!parsed.ok()) return std::nullopt;
    return FromReported(*parsed);
  }
  // At most 18 digits and 12 decimals: doubled and plus one, both terms stay
  // within int64.
  const auto unit = static_cast<int64_t>(report::kSmallPowersOfTen[scanned->decimals()]);
  // value ± 1 / (2 · 10^decimals)
  return Interval{Rational::Fraction(*digits, unit), Rational::Fraction(2 * *digits - 1, 2 * unit),
                  Rational::Fraction(2 * *digits + 1, 2 * unit), true};
}

Interval Interval::Widened(const Rational& margin) const {
  Interval result = *this;
  result.lower -= margin;
  result.upper += margin;
  return result;
}

Interval operator+(const Interval& a, const Interval& b) {
  return Interval{a.value + b.value, a.lower + b.lower, a.upper + b.upper, a.bounded && b.bounded};
}

Interval operator-(const Interval& a, const Interval& b) {
  return Interval{a.value - b.value, a.lower - b.upper, a.upper - b.lower, a.bounded && b.bounded};
}

Interval operator-(const Interval& a) { return Interval{-a.value, -a.upper, -a.lower, a.bounded}; }

Interval operator*(const Interval& a, const Interval& b) {
  Interval result;
  result.value = a.value * b.value;
  result.bounded = a.bounded && b.bounded;
  if (!result.bounded) return result;
  if (a.lower.sign() >= 0 && b.lower.sign() >= 0) {
    // Both ranges non-negative, as money and rates are: no corner search.
    result.lower = a.lower * b.lower;
    result.upper = a.upper * b.upper;
  } else {
    SetHull(result, a.lower * b.lower, a.lower * b.upper, a.upper * b.lower, a.upper * b.upper);
  }
  return result;
}

Interval operator/(const Interval& a, const Interval& b) {
  Interval result;
  result.value = a.value / b.value;
  bool divisor_reaches_zero = !b.bounded || (b.lower.sign() <= 0 && b.upper.sign() >= 0);
  result.bounded = a.bounded && !divisor_reaches_zero;
  if (!result.bounded) return result;
  if (a.lower.sign() >= 0 && b.lower.sign() > 0) {
    result.lower = a.lower / b.upper;
    result.upper = a.upper / b.lower;
  } else {
    SetHull(result, a.lower / b.lower, a.lower / b.upper, a.upper / b.lower, a.upper / b.upper);
  }
  return result;
}

bool Overlaps(const Interval& a, const Interval& b) {
  if (!a.bounded || !b.bounded) return true;
  return a.lower <= b.upper && b.lower <= a.upper;
}

std::string DescribeRange(const Interval& interval, int decimals) {
  if (!interval.bounded) return "unbounded";
  return "[" + report::FormatFixed(interval.lower.mpq(), decimals) + ", " +
         report::FormatFixed(interval.upper.mpq(), decimals) + "]";
}

}  // namespace jixiao::engine
