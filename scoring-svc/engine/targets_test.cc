// The targets rule: a department's own 绩效目标 rows, at their edges.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/test_util.h"

namespace jixiao::engine {
namespace {

using ::testing::HasSubstr;
using Target = v1::PerformanceTarget;

std::shared_ptr<const CompiledScheme> TargetsScheme() {
  auto scheme = LoadSchemeText(R"pb(
                                 id: "targets"
                                 version: 1
                                 name: "履职成效"
                                 total_weight: "12"
                                 score_decimals: 2
                                 indicators {
                                   id: "results"
                                   name: "履职成效"
                                   weight: "12"
                                   rule { targets {} }
                                 }
                               )pb",
                               "targets");
  EXPECT_TRUE(scheme.ok()) << scheme.status();
  return scheme.ok() ? *scheme : nullptr;
}

struct Row {
  Target::Direction direction;
  const char* target;
  const char* actual;  // null: not given
  const char* weight = nullptr;
};

v1::ScoreCard Score(std::initializer_list<Row> rows, const std::string& indicator = "results") {
  v1::Report report = testing::MinimalReport();
  int n = 0;
  for (const Row& row : rows) {
    Target& target = *report.add_targets();
    target.set_indicator_id(indicator);
    target.set_name(absl::StrCat("目标", ++n));
    target.set_direction(row.direction);
    target.mutable_target()->set_value(row.target);
    if (row.actual) target.mutable_actual()->set_value(row.actual);
    if (row.weight) target.mutable_weight()->set_value(row.weight);
    target.set_unit("件");
  }
  auto scheme = TargetsScheme();
  auto card = ScoreReport(report, *scheme, {});
  EXPECT_TRUE(card.ok()) << card.status();
  return card.ok() ? *card : v1::ScoreCard();
}

TEST(TargetsRule, EqualIsAllOrNothing) {
  v1::ScoreCard card =
      Score({{Target::DIRECTION_EQUAL, "3", "3.0"}, {Target::DIRECTION_EQUAL, "3", "3.01"}});
  ASSERT_EQ(card.indicators(0).targets_size(), 2);
  EXPECT_EQ(card.indicators(0).targets(0).points(), "6");
  EXPECT_EQ(card.indicators(0).targets(1).points(), "0");
  EXPECT_EQ(card.indicators(0).score(), "6.00");
}

TEST(TargetsRule, AtLeastIsCappedAtItsShare) {
  v1::ScoreCard card = Score(
      {{Target::DIRECTION_AT_LEAST, "100", "150"}, {Target::DIRECTION_AT_LEAST, "100", "95"}});
  const v1::IndicatorResult& leaf = card.indicators(0);
  EXPECT_EQ(leaf.targets(0).attained(), "100.00");
  EXPECT_EQ(leaf.targets(0).points(), "6");
  EXPECT_EQ(leaf.targets(1).attained(), "95.00");
  EXPECT_EQ(leaf.targets(1).points(), "5.7");
  EXPECT_EQ(leaf.score(), "11.70");
  // Only the shortfall is a deduction, in words the reader can check.
  ASSERT_EQ(leaf.deductions_size(), 1);
  EXPECT_THAT(leaf.deductions(0), HasSubstr("≥ 100 件，实际 95 件，完成 95.00%，得 5.7 / 6 分"));
}

TEST(TargetsRule, AtMostMirrorsAndAZeroTargetIsMetOnlyByZero) {
  v1::ScoreCard card = Score({{Target::DIRECTION_AT_MOST, "0", "0"},
                              {Target::DIRECTION_AT_MOST, "0", "2"},
                              {Target::DIRECTION_AT_MOST, "10", "8"},
                              {Target::DIRECTION_AT_MOST, "10", "40"}});
  const v1::IndicatorResult& leaf = card.indicators(0);
  EXPECT_EQ(leaf.targets(0).points(), "3");
  EXPECT_EQ(leaf.targets(1).points(), "0");
  EXPECT_EQ(leaf.targets(2).points(), "3");
  EXPECT_EQ(leaf.targets(3).points(), "0.75");  // 10 / 40 of 3
  EXPECT_EQ(leaf.score(), "6.75");
}

TEST(TargetsRule, AMissingActualEarnsNothingWithAFinding) {
  v1::ScoreCard card = Score(
      {{Target::DIRECTION_AT_LEAST, "100", "100"}, {Target::DIRECTION_AT_LEAST, "100", nullptr}});
  const v1::IndicatorResult& leaf = card.indicators(0);
  EXPECT_EQ(leaf.score(), "6.00");
  EXPECT_EQ(leaf.targets(1).actual(), "");
  EXPECT_EQ(leaf.targets(1).points(), "0");
  EXPECT_NE(testing::FindingWithCode(card, "target_incomplete"), nullptr);
  EXPECT_THAT(leaf.deductions(0), HasSubstr("未填实际值"));
}

TEST(TargetsRule, RowWeightsShareTheIndicatorsWeight) {
  v1::ScoreCard card = Score({{Target::DIRECTION_AT_LEAST, "10", "10", "3"},
                              {Target::DIRECTION_AT_LEAST, "10", "5", "1"}});
  const v1::IndicatorResult& leaf = card.indicators(0);
  EXPECT_EQ(leaf.targets(0).share(), "9");
  EXPECT_EQ(leaf.targets(1).share(), "3");
  EXPECT_EQ(leaf.score(), "10.50");  // 9 + 3 * 50%
}

TEST(TargetsRule, NoRowsScoreZeroAndRowsForAnotherIndicatorAreFlagged) {
  v1::ScoreCard card = Score({{Target::DIRECTION_AT_LEAST, "1", "1"}}, "elsewhere");
  EXPECT_EQ(card.indicators(0).score(), "0.00");
  EXPECT_NE(testing::FindingWithCode(card, "targets_missing"), nullptr);
  EXPECT_NE(testing::FindingWithCode(card, "target_unknown_indicator"), nullptr);
}

}  // namespace
}  // namespace jixiao::engine
