#include "common/report/decimal.h"

#include <limits>
#include <string>
#include <vector>

#include "common/report/field_violations.h"
#include "common/report/report_test_util.h"
#include "gtest/gtest.h"

namespace jixiao::report {
namespace {

using testing::Q;

TEST(ParseDecimal, KeepsValueAndPrecision) {
  auto d = ParseDecimal("23604.86");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->decimals, 2);
  EXPECT_EQ(d->value, Q(2360486, 100));
  EXPECT_EQ(ParseDecimal("6887")->decimals, 0);
  EXPECT_EQ(ParseDecimal("76.0")->decimals, 1);
  EXPECT_EQ(ParseDecimal("7.261")->decimals, 3);
  EXPECT_EQ(ParseDecimal("-3.5")->value, Q(-7, 2));
  EXPECT_EQ(ParseDecimal("+2")->value, 2);
  EXPECT_EQ(ParseDecimal("0.000")->value, 0);
}

TEST(ParseDecimal, RefusesWhatIsNotAPlainDecimal) {
  for (const char* bad : {"", "-", ".5", "5.", "1e5", "1,000", " 1", "1 ", "0x10", "NaN", "inf",
                          "1.2.3", "--1", "１２"}) {
    auto d = ParseDecimal(bad);
    EXPECT_FALSE(d.ok()) << "\"" << bad << "\" parsed";
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ParseDecimal, NamesNonAsciiCharactersWhole) {
  auto d = ParseDecimal("１２");  // full-width digits
  ASSERT_FALSE(d.ok());
  EXPECT_NE(std::string(d.status().message()).find("a non-ASCII character"), std::string::npos);
}

TEST(ValidUtf8, ReplacesInvalidSequencesOnly) {
  EXPECT_EQ(ValidUtf8("预算 ok"), "预算 ok");
  EXPECT_EQ(ValidUtf8("a\xff b"), "a\xEF\xBF\xBD b");
  EXPECT_EQ(ValidUtf8("\xe9\xa2"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
  EXPECT_EQ(ValidUtf8("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xed\xa0\x80"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  absl::Status status = InvalidArgumentWithViolations("bad \xff", {{"f\xfe", "d\xfd"}});
  EXPECT_EQ(status.message(), "bad \xEF\xBF\xBD");
  EXPECT_EQ(ViolationsOf(status)[0].description, "d\xEF\xBF\xBD");
}

TEST(ParseDecimal, BoundsDigits) {
  EXPECT_TRUE(ParseDecimal("123456789012345678").ok());
  EXPECT_FALSE(ParseDecimal("1234567890123456789").ok());
  EXPECT_TRUE(ParseDecimal("000000000000000000001").ok());  // leading zeros are harmless
  EXPECT_TRUE(ParseDecimal("0.123456789012").ok());
  EXPECT_FALSE(ParseDecimal("0.1234567890123").ok());
}

// ScanDecimal is ParseDecimal without the value: the same texts pass, the
// same errors name the rest, and its sign and bound answers agree with the
// exact value's.
TEST(ScanDecimal, AgreesWithParseDecimal) {
  const std::vector<std::string> texts = {"",
                                          "-",
                                          "+",
                                          ".5",
                                          "5.",
                                          "1e5",
                                          "1,000",
                                          " 1",
                                          "1 ",
                                          "1.2.3",
                                          "--1",
                                          "１２",
                                          "0",
                                          "-0",
                                          "+0",
                                          "0.000",
                                          "-0.000",
                                          "007",
                                          "-3.5",
                                          "+2",
                                          "23604.86",
                                          "999.999",
                                          "1000",
                                          "1000.0",
                                          "1000.000000000001",
                                          "0999.99",
                                          "01000",
                                          "1001",
                                          "-1001",
                                          "100",
                                          "100.5",
                                          "99.99",
                                          "123456789012345678",
                                          "1234567890123456789",
                                          "000000000000000000001",
                                          "0.123456789012",
                                          "0.1234567890123",
                                          "18446744073709551615",
                                          "999999999999999999.999999999999"};
  for (const std::string& text : texts) {
    absl::StatusOr<ReportedDecimal> parsed = ParseDecimal(text);
    absl::StatusOr<DecimalText> scanned = ScanDecimal(text);
    ASSERT_EQ(scanned.ok(), parsed.ok()) << "\"" << text << "\"";
    if (!parsed.ok()) {
      EXPECT_EQ(scanned.status(), parsed.status()) << text;
      continue;
    }
    EXPECT_EQ(scanned->decimals(), parsed->decimals) << text;
    EXPECT_EQ(scanned->IsZero(), parsed->value == 0) << text;
    EXPECT_EQ(scanned->IsNegative(), parsed->value < 0) << text;
    for (uint64_t bound : {0, 1, 99, 100, 999, 1000, 1001}) {
      EXPECT_EQ(scanned->Exceeds(bound), parsed->value > mpq_class(bound))
          << text << " > " << bound;
    }
  }
}

TEST(RoundHalfUp, RoundsHalfAwayFromZero) {
  EXPECT_EQ(FormatFixed(Q(105685, 1000), 2), "105.69");
  EXPECT_EQ(FormatFixed(mpq_class(105684, 1000), 2), "105.68");
  EXPECT_EQ(FormatFixed(mpq_class(-105685, 1000), 2), "-105.69");
  EXPECT_EQ(FormatFixed(mpq_class(5, 1000), 2), "0.01");
  EXPECT_EQ(FormatFixed(mpq_class(4999, 1000000), 2), "0.00");
  EXPECT_EQ(FormatFixed(mpq_class(10442 * 100, 29238), 2), "35.71");
  EXPECT_EQ(FormatFixed(mpq_class(7), 2), "7.00");
  EXPECT_EQ(FormatFixed(mpq_class(7, 2), 0), "4");
  EXPECT_EQ(RoundHalfUp(Q(1, 3), 2), Q(33, 100));
}

TEST(Format, ExactAndShortest) {
  EXPECT_EQ(FormatExact(mpq_class(21137, 200)), "21137/200");
  EXPECT_EQ(FormatExact(Q(4, 2)), "2");
  EXPECT_EQ(FormatShortest(mpq_class(5, 2)), "2.5");
  EXPECT_EQ(FormatShortest(mpq_class(3)), "3");
  EXPECT_EQ(FormatShortest(mpq_class(1147, 1000)), "1.147");
  EXPECT_EQ(FormatShortest(mpq_class(1, 3), 4), "0.3333");
}

// The definitions, written with GMP only: the small-number paths in
// decimal.cc must agree with them everywhere.
mpz_class ReferenceScaledHalfUp(const mpq_class& value, int decimals) {
  mpz_class ten;
  mpz_ui_pow_ui(ten.get_mpz_t(), 10, decimals);
  mpq_class scaled = abs(value) * ten;
  mpz_class result;
  mpz_fdiv_q(result.get_mpz_t(), mpz_class(2 * scaled.get_num() + scaled.get_den()).get_mpz_t(),
             mpz_class(2 * scaled.get_den()).get_mpz_t());
  return sgn(value) < 0 ? mpz_class(-result) : result;
}

std::string ReferenceFormatFixed(const mpq_class& value, int decimals) {
  mpz_class scaled = ReferenceScaledHalfUp(value, decimals);
  std::string digits = mpz_class(abs(scaled)).get_str();
  if (decimals > 0) {
    if (static_cast<int>(digits.size()) <= decimals)
      digits.insert(0, decimals + 1 - digits.size(), '0');
    digits.insert(digits.size() - decimals, ".");
  }
  return sgn(scaled) < 0 ? "-" + digits : digits;
}

TEST(Format, SmallAndLargePathsAgreeWithTheDefinition) {
  // Deterministic pseudo-random fractions on both sides of 64 bits, with
  // exact halves, negatives and zero among them.
  gmp_randclass random(gmp_randinit_default);
  random.seed(20191231);
  std::vector<mpq_class> values = {Q(0),
                                   Q(1, 2),
                                   Q(-1, 2),
                                   Q(5, 1000),
                                   Q(-5, 1000),
                                   Q(105685, 1000),
                                   Q(std::numeric_limits<long>::max()),
                                   Q(std::numeric_limits<long>::min() + 1, 3)};
  for (int i = 0; i < 3000; ++i) {
    int bits = 8 + (i % 9) * 10;  // 8..88 bits
    mpq_class q(random.get_z_bits(bits) - random.get_z_bits(bits),
                random.get_z_bits(bits % 40 + 2) + 1);
    q.canonicalize();
    values.push_back(q);
  }
  for (const mpq_class& q : values) {
    for (int decimals : {0, 1, 2, 4, 12, 18, 19, 25}) {
      ASSERT_EQ(FormatFixed(q, decimals), ReferenceFormatFixed(q, decimals))
          << q << " " << decimals;
      mpz_class ten;
      mpz_ui_pow_ui(ten.get_mpz_t(), 10, decimals);
      mpq_class rounded(ReferenceScaledHalfUp(q, decimals), ten);
      rounded.canonicalize();
      ASSERT_EQ(RoundHalfUp(q, decimals), rounded) << q << " " << decimals;
    }
    ASSERT_EQ(FormatExact(q), q.get_den() == 1 ? q.get_num().get_str() : q.get_str()) << q;
  }
}

mpq_class Canonical(const char* fraction) {
  mpq_class q(fraction);
  q.canonicalize();
  return q;
}

TEST(ParseDecimal, SmallAndLargeNumbersParseAlike) {
  EXPECT_EQ(ParseDecimal("123456789012345678")->value, Canonical("123456789012345678"));
  EXPECT_EQ(ParseDecimal("1234567890123.45678")->value, Canonical("123456789012345678/100000"));
  EXPECT_EQ(ParseDecimal("-999999999999999999.999999999999")->value,
            Canonical("-999999999999999999999999999999/1000000000000"));
  EXPECT_EQ(ParseDecimal("000000000000000000000.5")->value, Q(1, 2));
  EXPECT_EQ(HalfUnit(12), Canonical("1/2000000000000"));
}

TEST(WithUnit, GroupsThousandsExceptInARate) {
  EXPECT_EQ(WithThousands("23604.86"), "23,604.86");
  EXPECT_EQ(WithThousands("6887"), "6,887");
  EXPECT_EQ(WithThousands("-1234.5"), "-1,234.5");
  EXPECT_EQ(WithThousands("+1000000"), "+1,000,000");
  EXPECT_EQ(WithThousands("999.999"), "999.999");
  EXPECT_EQ(WithThousands("12a45"), "12a45");  // not a decimal: as it is
  EXPECT_EQ(WithThousands("-"), "-");
  EXPECT_EQ(WithUnit("23604.86", "万元"), "23,604.86 万元");
  EXPECT_EQ(WithUnit("52310", ""), "52,310");
  EXPECT_EQ(WithUnit("1234.5", "%"), "1234.5%");  // a rate reads as it was computed
  EXPECT_EQ(WithUnit("", "万元"), "");
}

}  // namespace
}  // namespace jixiao::report
