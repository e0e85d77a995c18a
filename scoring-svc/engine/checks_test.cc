// Checks between figures: equalities, and ≤ / ≥ within the rounding of
// their inputs.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/test_util.h"

namespace jixiao::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A scheme whose one check compares LEFT with RIGHT (procurement.actual
// with procurement.budget unless given) by `comparison`.
std::shared_ptr<const CompiledScheme> SchemeWithCheck(
    const std::string& comparison, const std::string& left = "procurement.actual",
    const std::string& right = "procurement.budget") {
  auto scheme = LoadSchemeText(
      absl::StrCat(R"pb(
                     id: "c"
                     version: 1
                     name: "c"
                     total_weight: "1"
                     score_decimals: 2
                     measures { id: "v" name: "v" decimals: 2 formula: "procurement.actual" }
                     indicators {
                       id: "a"
                       name: "a"
                       weight: "1"
                       measure: "v"
                       rule { proportional { standard: "1" } }
                     }
                     checks { id: "within_budget" name: "实际采购不超过预算")pb",
                   "left: \"", left, "\" right: \"", right, "\" ", comparison, "}"),
      "c");
  EXPECT_TRUE(scheme.ok()) << scheme.status();
  return scheme.ok() ? *scheme : nullptr;
}

// The check_failed finding of scoring actual against budget; null if none.
std::string Failed(const CompiledScheme& scheme, const char* actual, const char* budget) {
  v1::Report report = testing::MinimalReport();
  report.mutable_procurement()->mutable_actual()->set_value(actual);
  report.mutable_procurement()->mutable_budget()->set_value(budget);
  auto card = ScoreReport(report, scheme, {});
  EXPECT_TRUE(card.ok()) << card.status();
  if (!card.ok()) return "";
  const v1::Finding* failed = testing::FindingWithCode(*card, "check_failed");
  return failed == nullptr ? "" : failed->message();
}

TEST(Checks, AtMostHoldsUpToTheRoundingOfItsInputs) {
  auto scheme = SchemeWithCheck("comparison: COMPARISON_AT_MOST");
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(Failed(*scheme, "90", "100"), "");
  EXPECT_EQ(Failed(*scheme, "100", "100"), "");
  EXPECT_EQ(Failed(*scheme, "100.4", "100"), "");  // 100 stands for [99.5, 100.5]
  std::string over = Failed(*scheme, "100.6", "100");
  EXPECT_THAT(over, HasSubstr("核对“实际采购不超过预算”未通过："));
  EXPECT_THAT(over, HasSubstr("不满足 ≤"));
  EXPECT_THAT(Failed(*scheme, "100.02", "100.00"), HasSubstr("不满足 ≤"));
}

TEST(Checks, AtLeastAndEqual) {
  auto at_least = SchemeWithCheck("comparison: COMPARISON_AT_LEAST");
  ASSERT_NE(at_least, nullptr);
  EXPECT_EQ(Failed(*at_least, "120", "100"), "");
  EXPECT_THAT(Failed(*at_least, "98", "100"), HasSubstr("不满足 ≥"));
  auto equal = SchemeWithCheck("");
  ASSERT_NE(equal, nullptr);
  EXPECT_EQ(Failed(*equal, "100.4", "100"), "");
  // Both sides are amounts: the message gives them in 万元.
  EXPECT_THAT(Failed(*equal, "90", "100"),
              HasSubstr("procurement.actual 为 90 万元，procurement.budget 为 100 万元，相差 10 "
                        "万元，不是数字舍入所致"));
}

TEST(Checks, AValueIsGivenWithoutAUnitWhereItsFormulaScalesIt) {
  auto scheme = SchemeWithCheck("", "procurement.actual / procurement.budget * 100", "50");
  ASSERT_NE(scheme, nullptr);
  const std::string failed = Failed(*scheme, "90", "100");
  EXPECT_THAT(failed, HasSubstr(" 为 90（"));
  // The formula's value has no unit; its inputs keep theirs.
  EXPECT_THAT(failed, HasSubstr("procurement.actual = 90 万元，procurement.budget = 100 万元）"));
  EXPECT_THAT(failed, HasSubstr("，相差 40，"));
}

TEST(Checks, AnUnknownComparisonIsRefused) {
  auto scheme = LoadSchemeText(
      R"pb(
        id: "c"
        version: 1
        name: "c"
        total_weight: "1"
        score_decimals: 2
        measures { id: "v" name: "v" decimals: 2 formula: "procurement.actual" }
        indicators {
          id: "a"
          name: "a"
          weight: "1"
          measure: "v"
          rule { proportional { standard: "1" } }
        }
        checks {
          id: "x"
          name: "x"
          left: "procurement.actual"
          right: "procurement.budget"
          comparison: 9
        }
      )pb",
      "c");
  ASSERT_FALSE(scheme.ok());
  EXPECT_THAT(scheme.status().message(), HasSubstr("checks[0].comparison"));
}

}  // namespace
}  // namespace jixiao::engine
