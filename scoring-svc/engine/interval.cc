#include "interval.h"

#include <algorithm>
#include <initializer_list>

namespace jixiao::engine {
namespace {

Interval Hull(const mpq_class& value, std::initializer_list<mpq_class> corners, bool bounded) {
  Interval result;
  result.value = value;
  result.bounded = bounded;
  if (bounded) {
    result.lower = *std::min_element(corners.begin(), corners.end());
    result.upper = *std::max_element(corners.begin(), corners.end());
  }
  return result;
}

}  // namespace

Interval Interval::Exact(const mpq_class& value) { return Interval{value, value, value, true}; }

Interval Interval::FromReported(const ReportedDecimal& figure) {
  mpq_class half = HalfUnit(figure.decimals);
  return Interval{figure.value, figure.value - half, figure.value + half, true};
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
  bool bounded = a.bounded && b.bounded;
  if (!bounded) return Hull(a.value * b.value, {}, false);
  return Hull(a.value * b.value,
              {a.lower * b.lower, a.lower * b.upper, a.upper * b.lower, a.upper * b.upper}, true);
}

Interval operator/(const Interval& a, const Interval& b) {
  mpq_class value = a.value / b.value;
  bool divisor_reaches_zero = !b.bounded || (sgn(b.lower) <= 0 && sgn(b.upper) >= 0);
  if (!a.bounded || divisor_reaches_zero) return Hull(value, {}, false);
  return Hull(value, {a.lower / b.lower, a.lower / b.upper, a.upper / b.lower, a.upper / b.upper},
              true);
}

bool Overlaps(const Interval& a, const Interval& b) {
  if (!a.bounded || !b.bounded) return true;
  return a.lower <= b.upper && b.lower <= a.upper;
}

std::string DescribeRange(const Interval& interval, int decimals) {
  if (!interval.bounded) return "unbounded";
  return "[" + FormatFixed(interval.lower, decimals) + ", " +
         FormatFixed(interval.upper, decimals) + "]";
}

}  // namespace jixiao::engine
