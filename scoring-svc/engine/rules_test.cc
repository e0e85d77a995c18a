// Each rule kind at and around its edges.

#include "common/report/check_report.h"
#include "common/report/field_violations.h"
#include "scoring-svc/engine/compiled_scheme.h"
#include "scoring-svc/engine/test_util.h"

namespace jixiao::engine {
namespace {

using testing::OneRuleScheme;
using testing::ScoreValue;

std::string Score(const CompiledScheme& scheme, const std::string& value) {
  return ScoreValue(scheme, value).score();
}

TEST(ThresholdRule, AtLeast) {
  auto scheme =
      OneRuleScheme("threshold { comparison: COMPARISON_AT_LEAST standard: \"90\" }", "5");
  EXPECT_EQ(Score(*scheme, "90"), "5.0000");
  EXPECT_EQ(Score(*scheme, "90.01"), "5.0000");
  EXPECT_EQ(Score(*scheme, "89.99"), "0.0000");
  EXPECT_EQ(ScoreValue(*scheme, "89.99").deductions_size(), 1);
}

TEST(ThresholdRule, AtMostAndEqual) {
  auto at_most =
      OneRuleScheme("threshold { comparison: COMPARISON_AT_MOST standard: \"100\" }", "1");
  EXPECT_EQ(Score(*at_most, "100"), "1.0000");
  EXPECT_EQ(Score(*at_most, "100.01"), "0.0000");
  auto equal = OneRuleScheme("threshold { comparison: COMPARISON_EQUAL standard: \"0\" }", "3");
  EXPECT_EQ(Score(*equal, "0"), "3.0000");
  EXPECT_EQ(Score(*equal, "0.01"), "0.0000");
}

TEST(ThresholdRule, RuleSeesTheDisplayedValue) {
  // 89.996 displays as 90.00 at 2 decimals, and the reader's table says 90%.
  auto scheme =
      OneRuleScheme("threshold { comparison: COMPARISON_AT_LEAST standard: \"90\" }", "5");
  EXPECT_EQ(Score(*scheme, "89.996"), "5.0000");
  EXPECT_EQ(Score(*scheme, "89.994"), "0.0000");
}

TEST(LinearDeductionRule, BelowProportional) {
  auto scheme = OneRuleScheme(
      "linear_deduction { standard: \"100\" direction: DIRECTION_DEDUCT_BELOW points: \"0.1\" }",
      "3");
  EXPECT_EQ(Score(*scheme, "100"), "3.0000");
  EXPECT_EQ(Score(*scheme, "120"), "3.0000");
  EXPECT_EQ(Score(*scheme, "88.53"), "1.8530");
  EXPECT_EQ(Score(*scheme, "70"), "0.0000");  // exactly used up
  EXPECT_EQ(Score(*scheme, "10"), "0.0000");  // floored at zero
  EXPECT_NE(ScoreValue(*scheme, "10").deductions(0).find("扣完为止"), std::string::npos);
}

TEST(LinearDeductionRule, AboveWithSteps) {
  std::string base =
      "linear_deduction { standard: \"100\" direction: DIRECTION_DEDUCT_ABOVE points: \"2\" step: "
      "\"5\" ";
  auto proportional = OneRuleScheme(base + "steps: STEPS_PROPORTIONAL }", "8");
  auto whole = OneRuleScheme(base + "steps: STEPS_WHOLE }", "8");
  auto started = OneRuleScheme(base + "steps: STEPS_STARTED }", "8");
  EXPECT_EQ(Score(*proportional, "107.5"), "5.0000");  // 1.5 steps
  EXPECT_EQ(Score(*whole, "107.5"), "6.0000");         // 1 whole step
  EXPECT_EQ(Score(*started, "107.5"), "4.0000");       // 2 started steps
  EXPECT_EQ(Score(*whole, "105"), "6.0000");           // exactly one step
  EXPECT_EQ(Score(*started, "105"), "6.0000");
  EXPECT_EQ(Score(*started, "100.01"), "6.0000");
  EXPECT_EQ(Score(*whole, "100"), "8.0000");
}

TEST(ProportionalRule, CappedAndFloored) {
  auto scheme = OneRuleScheme("proportional { standard: \"100\" }", "6");
  EXPECT_EQ(Score(*scheme, "99.52"), "5.9712");
  EXPECT_EQ(Score(*scheme, "100"), "6.0000");
  EXPECT_EQ(Score(*scheme, "150"), "6.0000");
  EXPECT_EQ(Score(*scheme, "0"), "0.0000");
}

TEST(BandsRule, InclusiveAndExclusiveEdges) {
  auto scheme = OneRuleScheme(
      "bands { "
      "bands { upper: \"90\" upper_inclusive: false points: \"3\" } "
      "bands { lower: \"90\" lower_inclusive: true upper: \"100\" upper_inclusive: true points: "
      "\"2\" } }",
      "3");
  EXPECT_EQ(Score(*scheme, "89.99"), "3.0000");
  EXPECT_EQ(Score(*scheme, "90"), "2.0000");      // on the lower edge, inclusive
  EXPECT_EQ(Score(*scheme, "99.43"), "2.0000");   // the seed
  EXPECT_EQ(Score(*scheme, "100"), "2.0000");     // on the upper edge, inclusive
  EXPECT_EQ(Score(*scheme, "100.01"), "0.0000");  // in no band
  EXPECT_NE(ScoreValue(*scheme, "100.01").deductions(0).find("不在任何得分档内"),
            std::string::npos);
}

TEST(BandsRule, ExclusiveLowerEdge) {
  auto scheme = OneRuleScheme(
      "bands { bands { lower: \"0\" lower_inclusive: false upper: \"10\" upper_inclusive: true "
      "points: \"2\" } "
      "bands { lower: \"0\" lower_inclusive: true upper: \"0\" upper_inclusive: true points: \"3\" "
      "} }",
      "3");
  EXPECT_EQ(Score(*scheme, "0"), "3.0000");  // "= 0 earns full marks"
  EXPECT_EQ(Score(*scheme, "0.01"), "2.0000");
  EXPECT_EQ(Score(*scheme, "10"), "2.0000");
  EXPECT_EQ(Score(*scheme, "10.01"), "0.0000");
}

// The rule as the score table's 评分标准 column prints it.
std::string RuleText(const CompiledScheme& scheme) {
  for (const CompiledIndicator& i : PartsOf(scheme).indicators) {
    if (i.rule) return i.rule_text;
  }
  return "";
}

TEST(BandsRule, TheStandardSaysWhatScoresNothingOnlyWhereABandLeavesItOut) {
  auto gaps = OneRuleScheme(
      "bands { bands { lower: \"95\" lower_inclusive: true points: \"2\" } "
      "bands { lower: \"85\" lower_inclusive: true upper: \"95\" points: \"1\" } }",
      "2");
  EXPECT_EQ(RuleText(*gaps), "≥ 95% 得 2 分；≥ 85% 且 < 95% 得 1 分；其余不得分");
  auto whole_line = OneRuleScheme(
      "bands { bands { upper: \"90\" points: \"3\" } "
      "bands { lower: \"90\" lower_inclusive: true upper: \"100\" upper_inclusive: true "
      "points: \"2\" } bands { lower: \"100\" points: \"0\" } }",
      "3");
  EXPECT_EQ(RuleText(*whole_line), "< 90% 得 3 分；≥ 90% 且 ≤ 100% 得 2 分；> 100% 不得分");
  // One point left out where two bands meet, both open there.
  auto a_point_left_out = OneRuleScheme(
      "bands { bands { upper: \"90\" points: \"3\" } bands { lower: \"90\" points: \"1\" } }", "3");
  EXPECT_EQ(RuleText(*a_point_left_out), "< 90% 得 3 分；> 90% 得 1 分；其余不得分");
  EXPECT_EQ(Score(*a_point_left_out, "90"), "0.0000");
}

TEST(MissingValues, MissingInputsScoreZeroWithAFinding) {
  auto scheme = OneRuleScheme("proportional { standard: \"100\" }", "6");
  auto card = ScoreReport(testing::MinimalReport(), *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->indicators(0).score(), "0.0000");
  ASSERT_EQ(card->indicators(0).deductions_size(), 1);
  EXPECT_NE(card->indicators(0).deductions(0).find("procurement.budget"), std::string::npos);
  ASSERT_EQ(card->findings_size(), 1);
  EXPECT_EQ(card->findings(0).code(), "measure_unavailable");
  EXPECT_EQ(card->measures(0).status(), v1::MEASURE_STATUS_MISSING);
}

TEST(MissingValues, ZeroDenominatorIsAFindingNotACrash) {
  auto scheme = OneRuleScheme("proportional { standard: \"100\" }", "6");
  v1::Report report = testing::MinimalReport();
  report.mutable_procurement()->mutable_budget()->set_value("0");
  report.mutable_procurement()->mutable_actual()->set_value("5");
  auto card = ScoreReport(report, *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->indicators(0).score(), "0.0000");
  ASSERT_EQ(card->findings_size(), 1);
  EXPECT_NE(card->findings(0).message().find("为 0"), std::string::npos);
}

TEST(MissingValues, ZeroDenominatorWithDeclaredValueUsesIt) {
  auto scheme = OneRuleScheme("proportional { standard: \"100\" }", "6");
  v1::Report report = testing::MinimalReport();
  report.mutable_procurement()->mutable_budget()->set_value("0");
  report.mutable_procurement()->mutable_actual()->set_value("0");
  report.mutable_procurement()->mutable_declared_execution_rate()->set_value("50");
  auto card = ScoreReport(report, *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->measures(0).status(), v1::MEASURE_STATUS_DECLARED_ONLY);
  EXPECT_EQ(card->indicators(0).score(), "3.0000");
}

// Declared 95%, from an actual of 90 against a budget the department left
// out: with the budget it would be 90%, so taking the 95% would reward
// leaving the budget out.
TEST(MissingValues, PartsGivenInPartDoNotLetTheDeclaredValueStand) {
  auto scheme = OneRuleScheme("proportional { standard: \"100\" }", "6");
  v1::Report report = testing::MinimalReport();
  report.mutable_procurement()->mutable_actual()->set_value("90");
  report.mutable_procurement()->mutable_declared_execution_rate()->set_value("95");
  auto card = ScoreReport(report, *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->measures(0).status(), v1::MEASURE_STATUS_MISSING);
  EXPECT_EQ(card->measures(0).declared().display(), "95");
  EXPECT_FALSE(card->measures(0).has_verified());
  EXPECT_EQ(card->indicators(0).score(), "0.0000");
  ASSERT_EQ(card->findings_size(), 1);
  EXPECT_EQ(card->findings(0).code(), "declared_unverifiable");
  EXPECT_EQ(card->findings(0).severity(), v1::SEVERITY_WARNING);
  EXPECT_NE(card->findings(0).message().find("procurement.budget 缺失"), std::string::npos);
  ASSERT_EQ(card->indicators(0).deductions_size(), 1);
  EXPECT_NE(card->indicators(0).deductions(0).find("申报值 95% 无法核实"), std::string::npos)
      << card->indicators(0).deductions(0);

  // With no part given at all, the bare declared figure stands, as before.
  report.mutable_procurement()->clear_actual();
  card = ScoreReport(report, *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->measures(0).status(), v1::MEASURE_STATUS_DECLARED_ONLY);
  EXPECT_EQ(card->indicators(0).score(), "5.7000");
  EXPECT_EQ(card->findings(0).code(), "declared_unverified");
}

v1::Report WithAnswers(std::initializer_list<std::pair<const char*, bool>> answers) {
  v1::Report report = testing::MinimalReport();
  for (const auto& [id, met] : answers) {
    v1::ChecklistAnswer* answer = report.add_checklist();
    answer->set_item_id(id);
    answer->set_met(met);
  }
  return report;
}

std::shared_ptr<const CompiledScheme> ChecklistScheme(const std::string& rule,
                                                      const std::string& weight) {
  auto scheme = LoadSchemeText(
      absl::StrCat("id: \"t\" version: 1 name: \"t\" total_weight: \"", weight,
                   "\" score_decimals: 2 indicators { id: \"leaf\" name: \"leaf\" weight: \"",
                   weight, "\" rule { ", rule, " } }"),
      "test");
  EXPECT_TRUE(scheme.ok()) << scheme.status();
  return *scheme;
}

TEST(ChecklistRule, EarnCountsMetItemsAndFlagsUnanswered) {
  auto scheme = ChecklistScheme(
      "checklist { items { id: \"a\" text: \"A\" points: \"1\" } items { id: \"b\" text: \"B\" "
      "points: \"1\" } "
      "items { id: \"c\" text: \"C\" points: \"1\" } }",
      "3");
  auto card = ScoreReport(WithAnswers({{"a", true}, {"b", false}}), *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->indicators(0).score(), "1.00");
  EXPECT_EQ(card->indicators(0).deductions_size(), 2);  // b not met, c not answered
  ASSERT_EQ(card->findings_size(), 1);
  EXPECT_EQ(card->findings(0).code(), "checklist_unanswered");
  EXPECT_EQ(card->indicators(0).items(2).answered(), false);
}

TEST(ChecklistRule, TheStandardGivesEachItemsPoints) {
  auto alike = ChecklistScheme(
      "checklist { items { id: \"a\" text: \"A\" points: \"1\" } "
      "items { id: \"b\" text: \"B\" points: \"1\" } }",
      "2");
  EXPECT_EQ(RuleText(*alike), "①A；②B。每项 1 分，未满足的项不得分");
  auto unlike = ChecklistScheme(
      "checklist { items { id: \"a\" text: \"A\" points: \"2\" } "
      "items { id: \"b\" text: \"B\" points: \"0.5\" } "
      "items { id: \"c\" text: \"C\" points: \"0.5\" } }",
      "3");
  EXPECT_EQ(RuleText(*unlike), "①A（2 分）；②B（0.5 分）；③C（0.5 分）。未满足的项不得分");
  auto single =
      ChecklistScheme("checklist { items { id: \"a\" text: \"A\" points: \"1.5\" } }", "1.5");
  EXPECT_EQ(RuleText(*single), "A：满足得 1.5 分，未满足不得分");
  auto deduct = ChecklistScheme(
      "checklist { mode: MODE_DEDUCT deduction: \"2\" items { id: \"a\" text: \"A\" } "
      "items { id: \"b\" text: \"B\" } }",
      "3");
  EXPECT_EQ(RuleText(*deduct), "①A；②B。每少一项扣 2 分，扣完为止");
}

TEST(ChecklistRule, ItemsPastTwentyAreNumberedInBrackets) {
  std::string items;
  for (int i = 1; i <= 21; ++i) {
    items += absl::StrCat("items { id: \"i", i, "\" text: \"项", i, "\" points: \"1\" } ");
  }
  auto scheme = ChecklistScheme("checklist { " + items + "}", "21");
  const std::string text = RuleText(*scheme);
  EXPECT_NE(text.find("⑳项20；(21)项21。每项 1 分"), std::string::npos) << text;
  EXPECT_EQ(text.rfind("①项1；②项2；", 0), 0u) << text;
}

TEST(ChecklistRule, DeductFloorsAtZero) {
  auto scheme = ChecklistScheme(
      "checklist { mode: MODE_DEDUCT deduction: \"2\" items { id: \"a\" text: \"A\" } "
      "items { id: \"b\" text: \"B\" } items { id: \"c\" text: \"C\" } }",
      "3");
  auto all = ScoreReport(WithAnswers({{"a", true}, {"b", true}, {"c", true}}), *scheme, {});
  auto one_missing =
      ScoreReport(WithAnswers({{"a", true}, {"b", true}, {"c", false}}), *scheme, {});
  auto two_missing =
      ScoreReport(WithAnswers({{"a", true}, {"b", false}, {"c", false}}), *scheme, {});
  EXPECT_EQ(all->indicators(0).score(), "3.00");
  EXPECT_EQ(one_missing->indicators(0).score(), "1.00");
  EXPECT_EQ(two_missing->indicators(0).score(), "0.00");
}

TEST(ManualRule, TakesTheScoreWithinTheWeight) {
  auto scheme = ChecklistScheme("manual {}", "5");
  v1::Report report = testing::MinimalReport();
  v1::ManualScore* manual = report.add_manual_scores();
  manual->set_indicator_id("leaf");
  manual->mutable_score()->set_value("3.5");
  manual->set_reason("材料不全");
  auto card = ScoreReport(report, *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->indicators(0).score(), "3.50");
  EXPECT_NE(card->indicators(0).deductions(0).find("材料不全"), std::string::npos);

  manual->mutable_score()->set_value("5.01");
  auto over = ScoreReport(report, *scheme, {});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(report::ViolationsOf(over.status()).size(), 1u);
  EXPECT_EQ(report::ViolationsOf(over.status())[0].field, "manual_scores[0].score.value");
}

TEST(ManualRule, MissingScoreIsZeroWithAFinding) {
  auto scheme = ChecklistScheme("manual {}", "5");
  auto card = ScoreReport(testing::MinimalReport(), *scheme, {});
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->indicators(0).score(), "0.00");
  EXPECT_EQ(card->findings(0).code(), "manual_score_missing");
}

TEST(Grades, BandsAndDefaults) {
  auto scheme = OneRuleScheme("proportional { standard: \"100\" }", "100");
  auto grade = [&](const std::string& value) {
    v1::Report report = testing::MinimalReport();
    report.mutable_procurement()->mutable_declared_execution_rate()->set_value(value);
    return ScoreReport(report, *scheme, {})->grade();
  };
  EXPECT_EQ(grade("90"), "优");
  EXPECT_EQ(grade("89.99"), "良");
  EXPECT_EQ(grade("80"), "良");
  EXPECT_EQ(grade("60"), "中");
  EXPECT_EQ(grade("59.99"), "差");
}

TEST(CheckReport, NamesEveryBadField) {
  v1::Report report;
  report.mutable_procurement()->mutable_budget()->set_value("-5");
  report.mutable_procurement()->mutable_actual()->set_value("1e5");
  auto status = report::CheckReport(report);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : report::ViolationsOf(status)) fields.push_back(v.field);
  EXPECT_THAT(fields,
              ::testing::UnorderedElementsAre(
                  "procurement.budget.value", "procurement.actual.value",
                  "identity.department_code", "identity.department_name", "identity.fiscal_year"));
}

}  // namespace
}  // namespace jixiao::engine
