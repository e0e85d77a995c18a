#include "scoring-svc/engine/interval.h"

#include <functional>
#include <memory>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "common/report/report_test_util.h"
#include "gtest/gtest.h"

namespace jixiao::engine {
namespace {

Interval Reported(const char* text) {
  auto figure = report::ParseDecimal(text);
  EXPECT_TRUE(figure.ok()) << text;
  return Interval::FromReported(*figure);
}

using report::testing::Q;

TEST(IntervalArithmetic, AReportedFigureStandsForItsRounding) {
  Interval whole = Reported("6887");
  EXPECT_EQ(whole.value, 6887);
  EXPECT_EQ(whole.lower, mpq_class(13773, 2));  // 6886.5
  EXPECT_EQ(whole.upper, mpq_class(13775, 2));  // 6887.5
  Interval cents = Reported("23604.86");
  EXPECT_EQ(cents.lower, mpq_class(4720971, 200));  // 23604.855
  EXPECT_EQ(cents.upper, mpq_class(4720973, 200));  // 23604.865
  Interval exact = Interval::Exact(mpq_class(1, 3));
  EXPECT_EQ(exact.lower, exact.upper);
  EXPECT_EQ(exact.Widened(mpq_class(1, 3)).lower, 0);
}

TEST(IntervalArithmetic, ArithmeticBoundsEveryOperation) {
  Interval a = Reported("10"), b = Reported("4");  // [9.5, 10.5], [3.5, 4.5]
  EXPECT_EQ((a + b).lower, 13);
  EXPECT_EQ((a - b).upper, 7);
  EXPECT_EQ((a * b).lower, mpq_class(133, 4));  // 9.5 * 3.5
  EXPECT_EQ((a / b).upper, 3);                  // 10.5 / 3.5
  EXPECT_EQ((-a).lower, mpq_class(-21, 2));
  // A divisor whose range reaches zero leaves nothing known of the quotient.
  Interval small = Reported("0.4");  // [0.35, 0.45]
  EXPECT_TRUE((a / small).bounded);
  Interval around_zero = Reported("0");
  around_zero.value = mpq_class(1, 10);  // written 0.1 would not reach zero; force it
  EXPECT_FALSE((a / around_zero).bounded);
  EXPECT_EQ(DescribeRange(a / around_zero, 2), "unbounded");
}

TEST(IntervalArithmetic, OverlapsOnClosedRanges) {
  EXPECT_TRUE(Overlaps(Reported("1"), Reported("2")));   // meet at 1.5
  EXPECT_FALSE(Overlaps(Reported("1"), Reported("3")));  // 1.5 < 2.5
  Interval unbounded = Reported("1");
  unbounded.bounded = false;
  EXPECT_TRUE(Overlaps(unbounded, Reported("1000")));
  EXPECT_EQ(DescribeRange(Reported("35.71"), 4), "[35.7050, 35.7150]");
}

// The property the checks rest on: whatever the true figures are, within
// the rounding of the figures as written, the true value of any expression
// of them lies in the range computed for it.
TEST(IntervalArithmetic, TheTrueValueLiesInTheComputedRange) {
  std::mt19937 random(20261201);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };

  // An expression over reported figures: its interval, and its exact value
  // for given true values of the figures.
  struct Expression {
    Interval interval;
    std::function<mpq_class(const std::vector<mpq_class>&)> at;
  };
  std::vector<Interval> figures;
  std::function<Expression(int)> build = [&](int depth) -> Expression {
    if (depth == 0 || pick(3) == 0) {
      const int decimals = pick(4);
      std::string text = absl::StrCat(1 + pick(99999));
      if (decimals > 0)
        text.insert(text.size() > static_cast<size_t>(decimals) ? text.size() - decimals : 0, ".");
      if (text[0] == '.') text = "0" + text;
      Interval figure = Reported(text.c_str());
      const size_t index = figures.size();
      figures.push_back(figure);
      return {figure, [index](const std::vector<mpq_class>& values) { return values[index]; }};
    }
    Expression left = build(depth - 1);
    if (pick(6) == 0) {
      return {-left.interval, [l = left.at](const auto& v) { return mpq_class(-l(v)); }};
    }
    Expression right = build(depth - 1);
    // A quotient needs a divisor not written as zero (operator/'s contract).
    int op = pick(4);
    if (op == 3 && right.interval.value == 0) op = 0;
    switch (op) {
      case 0:
        return {left.interval + right.interval,
                [l = left.at, r = right.at](const auto& v) { return mpq_class(l(v) + r(v)); }};
      case 1:
        return {left.interval - right.interval,
                [l = left.at, r = right.at](const auto& v) { return mpq_class(l(v) - r(v)); }};
      case 2:
        return {left.interval * right.interval,
                [l = left.at, r = right.at](const auto& v) { return mpq_class(l(v) * r(v)); }};
      default:
        return {left.interval / right.interval,
                [l = left.at, r = right.at](const auto& v) { return mpq_class(l(v) / r(v)); }};
    }
  };

  int checked = 0;
  for (int e = 0; e < 1500; ++e) {
    figures.clear();
    Expression expression = build(4);
    std::vector<mpq_class> written;
    for (const Interval& f : figures) written.push_back(f.value.mpq());
    EXPECT_EQ(expression.at(written), expression.interval.value) << "expression " << e;
    if (!expression.interval.bounded) continue;
    for (int sample = 0; sample < 24; ++sample) {
      // True figures anywhere in their ranges, their ends included.
      std::vector<mpq_class> truth;
      for (const Interval& f : figures) {
        const int step = pick(17);
        truth.push_back((f.lower + (f.upper - f.lower) * mpq_class(step, 16)).mpq());
      }
      const mpq_class value = expression.at(truth);
      ASSERT_LE(expression.interval.lower, value) << "expression " << e << ", sample " << sample;
      ASSERT_LE(value, expression.interval.upper) << "expression " << e << ", sample " << sample;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10000);  // most expressions are bounded: the property was exercised
}

TEST(Interval, FromReportedIsTheFigurePlusOrMinusHalfAUnit) {
  for (const char* text :
       {"0", "6887", "23604.86", "-3.5", "7.261", "0.000", "100.00", "999999999999999999",
        "-999999999999999999.999999999999", "123456.123456789012", "0.000000000001"}) {
    absl::StatusOr<report::ReportedDecimal> figure = report::ParseDecimal(text);
    ASSERT_TRUE(figure.ok()) << text;
    Interval interval = Interval::FromReported(*figure);
    EXPECT_EQ(interval.value, figure->value) << text;
    EXPECT_EQ(interval.lower, mpq_class(figure->value - report::HalfUnit(figure->decimals)))
        << text;
    EXPECT_EQ(interval.upper, mpq_class(figure->value + report::HalfUnit(figure->decimals)))
        << text;
    EXPECT_TRUE(interval.bounded);
  }
}

TEST(Interval, CarriesTheRoundingOfItsInputs) {
  Interval spent = Interval::FromReported(*report::ParseDecimal("2068"));
  Interval budget = Interval::FromReported(*report::ParseDecimal("6887"));
  Interval progress = spent / budget * Interval::Exact(100);
  // The true ratio lies between 2,067.5 / 6,887.5 and 2,068.5 / 6,886.5.
  EXPECT_EQ(progress.lower, mpq_class(Q(20675, 68875) * 100));
  EXPECT_EQ(progress.upper, mpq_class(Q(20685, 68865) * 100));
  Interval declared = Interval::FromReported(*report::ParseDecimal("30.02"));
  EXPECT_TRUE(Overlaps(progress, declared));  // Q1 of the seed
  Interval q2 = Interval::FromReported(*report::ParseDecimal("10442")) /
                Interval::FromReported(*report::ParseDecimal("29238")) * Interval::Exact(100);
  EXPECT_FALSE(Overlaps(q2, Interval::FromReported(*report::ParseDecimal("50.9"))));
}

TEST(Interval, DivisorReachingZeroIsUnbounded) {
  Interval small = Interval::FromReported(*report::ParseDecimal("0.4"));  // [0.35, 0.45]
  Interval tiny = Interval::FromReported(*report::ParseDecimal("0"));     // [-0.5, 0.5]
  EXPECT_TRUE((Interval::Exact(1) / small).bounded);
  Interval x = Interval::Exact(1) / Interval{Q(1, 10), Q(-1, 10), Q(3, 10), true};
  EXPECT_FALSE(x.bounded);
  EXPECT_TRUE(Overlaps(x, Interval::Exact(1000000)));
  // "0.4" rounded to 0 decimals would be "0": its range [-0.5, 0.5] holds zero.
  Interval rough = Interval{Q(2, 5), Q(-1, 2), Q(1, 2), true};
  EXPECT_FALSE((Interval::Exact(1) / rough).bounded);
  EXPECT_TRUE(Overlaps(tiny, Interval::Exact(0)));
}

TEST(Interval, SubtractionWidens) {
  // 1.11 + 23,493.53 − 23,491.01 = 3.63, known to ±0.015; 3.64 is ±0.005.
  Interval left = Interval::FromReported(*report::ParseDecimal("1.11")) +
                  Interval::FromReported(*report::ParseDecimal("23493.53")) -
                  Interval::FromReported(*report::ParseDecimal("23491.01"));
  EXPECT_EQ(left.value, Q(363, 100));
  EXPECT_EQ(left.upper - left.lower, Q(3, 100));
  EXPECT_TRUE(Overlaps(left, Interval::FromReported(*report::ParseDecimal("3.64"))));
  EXPECT_FALSE(Overlaps(left, Interval::FromReported(*report::ParseDecimal("3.66"))));
}

}  // namespace
}  // namespace jixiao::engine
