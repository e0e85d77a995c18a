#include "scoring-svc/engine/rational.h"

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "common/report/decimal.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/interval.h"

namespace jixiao::engine {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

mpq_class Q(int64_t num, int64_t den) {
  mpq_class q;
  mpz_class n, d;
  mpz_set_si(n.get_mpz_t(), num);
  mpz_set_si(d.get_mpz_t(), den);
  q = mpq_class(n, d);
  q.canonicalize();
  return q;
}

// Operands at the edges of the small representation as well as ordinary
// ones, so that results cross into GMP and come back.
std::vector<mpq_class> Operands() {
  std::vector<mpq_class> values = {Q(0, 1),        Q(1, 1),          Q(-1, 1),
                                   Q(8853, 100),   Q(-20675, 68875), Q(kMax, 1),
                                   Q(-kMax, 1),    Q(1, kMax),       Q(kMax, kMax - 1),
                                   Q(kMax - 2, 3), Q(3037000499, 7), Q(-4294967296, 4294967295)};
  mpq_class huge(mpz_class("123456789012345678901234567891"), mpz_class(7));
  huge.canonicalize();
  values.push_back(huge);
  values.push_back(-huge);
  values.push_back(Q(kMax, 1) + 1);  // just past int64
  values.push_back(mpq_class(std::numeric_limits<long>::min()));
  std::mt19937_64 random(20191231);
  for (int i = 0; i < 40; ++i) {
    int64_t num = static_cast<int64_t>(random() >> (random() % 63)) * (i % 2 ? 1 : -1);
    int64_t den = static_cast<int64_t>(random() >> (1 + random() % 62)) + 1;
    values.push_back(Q(num, den));
  }
  return values;
}

TEST(Rational, AgreesWithGmpOnEveryOperationAcrossTheSmallBoundary) {
  const std::vector<mpq_class> values = Operands();
  for (const mpq_class& a : values) {
    const Rational ra(a);
    EXPECT_EQ(ra.mpq(), a);
    EXPECT_EQ(ra.sign(), sgn(a));
    EXPECT_EQ((-ra).mpq(), mpq_class(-a));
    for (const mpq_class& b : values) {
      const Rational rb(b);
      EXPECT_EQ((ra + rb).mpq(), mpq_class(a + b)) << a << " + " << b;
      EXPECT_EQ((ra - rb).mpq(), mpq_class(a - b)) << a << " - " << b;
      EXPECT_EQ((ra * rb).mpq(), mpq_class(a * b)) << a << " * " << b;
      if (sgn(b) != 0) EXPECT_EQ((ra / rb).mpq(), mpq_class(a / b)) << a << " / " << b;
      EXPECT_EQ(Compare(ra, rb) < 0, a < b) << a << " < " << b;
      EXPECT_EQ(ra == rb, a == b) << a << " == " << b;
    }
  }
}

TEST(Rational, RoundsHalfAwayFromZeroAsTheReportDoes) {
  for (const mpq_class& a : Operands()) {
    for (int decimals : {0, 1, 2, 4, 12, 18, 19}) {
      EXPECT_EQ(Rational(a).RoundedHalfUp(decimals).mpq(), report::RoundHalfUp(a, decimals))
          << a << " to " << decimals;
    }
  }
  EXPECT_EQ(Rational::Fraction(105685, 1000).RoundedHalfUp(2), Rational::Fraction(10569, 100));
  EXPECT_EQ(Rational::Fraction(-105685, 1000).RoundedHalfUp(2), Rational::Fraction(-10569, 100));
}

TEST(Rational, CountsTheBitsOfTheLargerTerm) {
  EXPECT_EQ(Rational(0).bits(), 1u);
  EXPECT_EQ(Rational::Fraction(1, 1024).bits(), 11u);
  EXPECT_EQ(Rational(kMax).bits(), 63u);
  EXPECT_EQ((Rational(kMax) * Rational(kMax)).bits(), 126u);
}

TEST(Interval, FromTextMatchesTheParsedFigure) {
  for (const char* text : {"0", "-0", "6887", "23604.86", "-0.005", "0.000000000001",
                           "999999999999999999", "123456789012.123456", "-1234567890123.45678"}) {
    auto parsed = report::ParseDecimal(text);
    ASSERT_TRUE(parsed.ok()) << text;
    const Interval expected = Interval::FromReported(*parsed);
    int decimals = -1;
    std::optional<Interval> got = Interval::FromText(text, &decimals);
    ASSERT_TRUE(got.has_value()) << text;
    EXPECT_EQ(got->value, expected.value) << text;
    EXPECT_EQ(got->lower, expected.lower) << text;
    EXPECT_EQ(got->upper, expected.upper) << text;
    EXPECT_EQ(decimals, parsed->decimals) << text;
  }
  for (const char* text : {"", "1e5", "12,000", "abc", "--1", "1.2.3"}) {
    EXPECT_FALSE(Interval::FromText(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace jixiao::engine
