// Values that remember the rounding of the figures they came from.
//
// A report writes 6,887 万元 for anything in [6886.5, 6887.5]. An Interval
// carries the value computed from the figures as written together with the
// range the true value must lie in, so that "50.9% does not follow from
// 10,442 / 29,238" can be told apart from "30.02% is 2,068 / 6,887 rounded
// differently". All arithmetic is exact.

#ifndef JIXIAO_SCORING_SVC_ENGINE_INTERVAL_H_
#define JIXIAO_SCORING_SVC_ENGINE_INTERVAL_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/rational.h"

namespace jixiao::engine {

struct Interval {
  Rational value;  // from the figures as written
  Rational lower;  // meaningful only when bounded
  Rational upper;
  // False when the range has no finite bounds (a divisor's range reached
  // zero); such a value can never be shown to contradict another.
  bool bounded = true;

  // A constant known exactly.
  static Interval Exact(const Rational& value);
  // A figure as reported: value ± half a unit in its last decimal.
  static Interval FromReported(const report::ReportedDecimal& figure);
  // The same from the figure's text, read as report::ParseDecimal reads it
  // but without allocating where it fits in 64 bits; nullopt if it is not a
  // decimal. Sets `decimals` (if not null) to the decimals it was written with.
  static std::optional<Interval> FromText(absl::string_view text, int* decimals = nullptr);

  // Widens the range by `margin` on both sides.
  Interval Widened(const Rational& margin) const;
};

Interval operator+(const Interval& a, const Interval& b);
Interval operator-(const Interval& a, const Interval& b);
Interval operator-(const Interval& a);
Interval operator*(const Interval& a, const Interval& b);
// Requires b.value != 0. If b's range contains zero the result is unbounded.
Interval operator/(const Interval& a, const Interval& b);

// True when the two ranges share at least one point (closed ranges); an
// unbounded range overlaps everything.
bool Overlaps(const Interval& a, const Interval& b);

// "[35.7120, 35.7157]" with `decimals` decimals, or "unbounded".
std::string DescribeRange(const Interval& interval, int decimals);

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_INTERVAL_H_
