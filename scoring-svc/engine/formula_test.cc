#include "scoring-svc/engine/formula.h"

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jixiao::engine {
namespace {

std::optional<int> NoMeasures(absl::string_view) { return std::nullopt; }

Evaluation Eval(const std::string& text, const v1::Report& report) {
  auto formula = Formula::Parse(text, NoMeasures);
  EXPECT_TRUE(formula.ok()) << formula.status();
  static const Evaluation none;
  return formula->Evaluate(
      report, [](int, std::string*) -> const Evaluation& { return none; }, nullptr);
}

v1::Report Procurement(const char* budget, const char* actual) {
  v1::Report report;
  report.mutable_procurement()->mutable_budget()->set_value(budget);
  report.mutable_procurement()->mutable_actual()->set_value(actual);
  return report;
}

TEST(Formula, Precedence) {
  v1::Report report;
  EXPECT_EQ(Eval("1 + 2 * 3", report).value->value, 7);
  EXPECT_EQ(Eval("(1 + 2) * 3", report).value->value, 9);
  EXPECT_EQ(Eval("10 - 4 - 3", report).value->value, 3);
  EXPECT_EQ(Eval("12 / 3 / 2", report).value->value, 2);
  EXPECT_EQ(Eval("-2 * -3", report).value->value, 6);
  EXPECT_EQ(Eval("mean(1, 2, 3, 4)", report).value->value, mpq_class(5, 2));
  EXPECT_EQ(Eval("sum(1, 2) + max(1, 5) - min(3, 2)", report).value->value, 6);
}

TEST(Formula, ReadsFigures) {
  Evaluation rate =
      Eval("procurement.actual / procurement.budget * 100", Procurement("5273.84", "4668.81"));
  ASSERT_TRUE(rate.ok());
  EXPECT_EQ(report::FormatFixed(rate.value->value.mpq(), 2), "88.53");
  EXPECT_LT(rate.value->lower, rate.value->value);
  EXPECT_GT(rate.value->upper, rate.value->value);
}

TEST(Formula, ListsEveryMissingInput) {
  Evaluation missing = Eval("procurement.actual / procurement.budget", v1::Report());
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.missing, ::testing::ElementsAre("procurement.actual", "procurement.budget"));
}

TEST(Formula, ZeroDivisorIsAProblemNotACrash) {
  Evaluation zero = Eval("procurement.actual / procurement.budget", Procurement("0.00", "1"));
  ASSERT_FALSE(zero.ok());
  EXPECT_THAT(zero.problem, ::testing::HasSubstr("procurement.budget"));
}

TEST(Formula, RefusesBadText) {
  struct Case {
    const char* text;
    const char* reason;
  } cases[] = {
      {"", "empty"},
      {"1 +", "expected a number"},
      {"(1 + 2", "expected ')'"},
      {"1 2", "unexpected text"},
      {"procurement.nope", "has no field \"nope\""},
      {"procurement", "not a figure"},
      {"identity.fiscal_year", "not a figure"},
      {"checklist", "a list"},
      {"@unknown", "no measure \"unknown\""},
      {"avg(1)", "unknown function"},
      {"1 $ 2", "unexpected text"},
      {"1e5", "unexpected text"},
  };
  for (const Case& c : cases) {
    auto formula = Formula::Parse(c.text, NoMeasures);
    ASSERT_FALSE(formula.ok()) << c.text;
    EXPECT_THAT(std::string(formula.status().message()), ::testing::HasSubstr(c.reason)) << c.text;
  }
}

TEST(Formula, BoundsNesting) {
  std::string deep(200, '(');
  deep += "1" + std::string(200, ')');
  auto formula = Formula::Parse(deep, NoMeasures);
  ASSERT_FALSE(formula.ok());
  EXPECT_THAT(std::string(formula.status().message()), ::testing::HasSubstr("nests too deeply"));
}

// Every recursive rule is bounded, not only parentheses: 20,000 unary minus
// signs once overflowed the parser's stack.
TEST(Formula, BoundsUnaryChains) {
  for (const std::string& text : {std::string(20000, '-') + "1", std::string(65, '-') + "1",
                                  "(" + std::string(100, '-') + "1)"}) {
    auto formula = Formula::Parse(text, NoMeasures);
    ASSERT_FALSE(formula.ok()) << text.size();
    EXPECT_THAT(std::string(formula.status().message()), ::testing::HasSubstr("nests too deeply"));
  }
  EXPECT_TRUE(Formula::Parse(std::string(60, '-') + "1", NoMeasures).ok());
  // The error quotes the start of such a formula, not all of it.
  auto refused = Formula::Parse(std::string(20000, '-') + "1", NoMeasures);
  EXPECT_LT(refused.status().message().size(), 400u);
  auto long_name = Formula::Parse(std::string(20000, 'x'), NoMeasures);
  ASSERT_FALSE(long_name.ok());
  EXPECT_LT(long_name.status().message().size(), 400u);
}

// A long flat chain nests nothing but builds a tree as deep as it is long,
// which evaluation walks recursively: its height is bounded too.
TEST(Formula, BoundsLongChains) {
  auto chain = [](int terms, const char* op) {
    std::string text = "1";
    for (int i = 1; i < terms; ++i) absl::StrAppend(&text, op, "1");
    return text;
  };
  for (const char* op : {" + ", " - ", " * ", " / "}) {
    auto formula = Formula::Parse(chain(100000, op), NoMeasures);
    ASSERT_FALSE(formula.ok()) << op;
    EXPECT_THAT(std::string(formula.status().message()), ::testing::HasSubstr("too long")) << op;
    auto fits = Formula::Parse(chain(257, op), NoMeasures);
    EXPECT_TRUE(fits.ok()) << op << fits.status();
  }
  EXPECT_FALSE(Formula::Parse(chain(258, " + "), NoMeasures).ok());
  // A long list belongs in sum(): as wide as it likes, one level deep.
  std::string list = "sum(1";
  for (int i = 1; i < 5000; ++i) list += ", 1";
  list += ")";
  EXPECT_EQ(Eval(list, v1::Report()).value->value, 5000);
}

TEST(Formula, RecordsMeasureReferencesOnce) {
  auto resolve = [](absl::string_view name) -> std::optional<int> {
    if (name == "a") return 0;
    if (name == "b") return 1;
    return std::nullopt;
  };
  auto formula = Formula::Parse("@a + @b * @a", resolve);
  ASSERT_TRUE(formula.ok());
  EXPECT_THAT(formula->measure_refs(), ::testing::ElementsAre(0, 1));
}

}  // namespace
}  // namespace jixiao::engine
