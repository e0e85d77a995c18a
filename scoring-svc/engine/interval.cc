#include "scoring-svc/engine/interval.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "common/report/decimal.h"

namespace jixiao::engine {
namespace {

// The range of a product or quotient: the least and greatest of its four
// corners.
void SetHull(Interval& result, mpq_class c1, mpq_class c2, mpq_class c3, mpq_class c4) {
  mpq_class* lowest = &c1;
  mpq_class* highest = &c1;
  for (mpq_class* c : {&c2, &c3, &c4}) {
    if (*c < *lowest) lowest = c;
    if (*c > *highest) highest = c;
  }
  result.lower = std::move(*lowest);
  result.upper = std::move(*highest);
}

}  // namespace

Interval Interval::Exact(const mpq_class& value) { return Interval{value, value, value, true}; }

Interval Interval::FromReported(const report::ReportedDecimal& figure) {
  auto [lower, upper] = report::RoundingRange(figure);
  return Interval{figure.value, std::move(lower), std::move(upper), true};
}

Interval Interval::Widened(const mpq_class& margin) const {
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
  if (sgn(a.lower) >= 0 && sgn(b.lower) >= 0) {
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
  bool divisor_reaches_zero = !b.bounded || (sgn(b.lower) <= 0 && sgn(b.upper) >= 0);
  result.bounded = a.bounded && !divisor_reaches_zero;
  if (!result.bounded) return result;
  if (sgn(a.lower) >= 0 && sgn(b.lower) > 0) {
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
  return "[" + report::FormatFixed(interval.lower, decimals) + ", " +
         report::FormatFixed(interval.upper, decimals) + "]";
}

}  // namespace jixiao::engine
