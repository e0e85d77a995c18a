// Schemes shipped in schemes/ beside the default, scored on their example
// reports in examples/: the 岳阳 scheme (schemes/yueyang-dept-overall-v1.textproto)
// on an invented department's 2020 report with its 2019 report as last
// year's. Every expected value below was worked out by hand from the
// example's figures; the arithmetic is in the comments.

#include <string>

#include "common/base/files.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/test_util.h"

namespace jixiao::engine {
namespace {

using ::testing::HasSubstr;

const std::string kSourceDir = JIXIAO_SOURCE_DIR;

v1::Report LoadExample(const std::string& name) {
  absl::StatusOr<std::string> text = base::ReadFile(kSourceDir + "/examples/" + name);
  EXPECT_TRUE(text.ok()) << text.status();
  v1::Report report;
  auto status = google::protobuf::util::JsonStringToMessage(text.value_or(""), &report);
  EXPECT_TRUE(status.ok()) << name << ": " << status.ToString();
  return report;
}

const v1::MeasureResult* FindMeasure(const v1::ScoreCard& card, const std::string& id) {
  for (const auto& m : card.measures()) {
    if (m.id() == id) return &m;
  }
  return nullptr;
}

const v1::IndicatorResult* FindIndicator(const v1::ScoreCard& card, const std::string& id) {
  for (const auto& i : card.indicators()) {
    if (i.id() == id) return &i;
  }
  return nullptr;
}

class YueyangSchemeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto scheme = LoadSchemeFile(kSourceDir + "/schemes/yueyang-dept-overall-v1.textproto");
    ASSERT_TRUE(scheme.ok()) << scheme.status();
    scheme_ = *scheme;
    report_ = LoadExample("yueyang-2020.json");
    prior_ = LoadExample("yueyang-2019.json");
  }

  v1::ScoreCard Score(const v1::Report& report, const v1::Report* prior) {
    ScoreOptions options;
    options.prior = prior;
    absl::StatusOr<v1::ScoreCard> card = ScoreReport(report, *scheme_, options);
    EXPECT_TRUE(card.ok()) << card.status();
    return card.ok() ? *std::move(card) : v1::ScoreCard();
  }

  // The verified value as displayed, and the status, of a measure.
  static void ExpectMeasure(const v1::ScoreCard& card, const std::string& id,
                            const std::string& verified, v1::MeasureStatus status) {
    const v1::MeasureResult* m = FindMeasure(card, id);
    ASSERT_NE(m, nullptr) << "no measure " << id;
    EXPECT_EQ(m->verified().display(), verified) << id;
    EXPECT_EQ(m->status(), status) << id;
  }

  // The value computed from the parts, as displayed.
  static std::string ComputedOf(const v1::ScoreCard& card, const std::string& id) {
    const v1::MeasureResult* m = FindMeasure(card, id);
    EXPECT_NE(m, nullptr) << "no measure " << id;
    return m == nullptr ? "" : m->computed().display();
  }

  static std::string ScoreOf(const v1::ScoreCard& card, const std::string& id) {
    const v1::IndicatorResult* i = FindIndicator(card, id);
    EXPECT_NE(i, nullptr) << "no indicator " << id;
    return i == nullptr ? "" : i->score();
  }

  std::shared_ptr<const CompiledScheme> scheme_;
  v1::Report report_;
  v1::Report prior_;
};

TEST_F(YueyangSchemeTest, Loads) {
  EXPECT_EQ(scheme_->id(), "yueyang-dept-overall");
  EXPECT_EQ(scheme_->version(), 1);
  ASSERT_EQ(scheme_->proto().indicators_size(), 4);
  EXPECT_EQ(scheme_->proto().indicators(0).name(), "投入");
  EXPECT_EQ(scheme_->proto().indicators(1).name(), "过程");
  EXPECT_EQ(scheme_->proto().indicators(2).name(), "产出");
  EXPECT_EQ(scheme_->proto().indicators(3).name(), "效果");
  EXPECT_EQ(scheme_->proto().figures_size(), 7);
}

TEST_F(YueyangSchemeTest, EveryMeasureOf2020WithLastYear) {
  const v1::ScoreCard card = Score(report_, &prior_);
  EXPECT_EQ(card.measures_size(), 15);
  // 53 / 52 = 101.923…%; declared 101.92, which 53 ± 0.5 over 52 ± 0.5 allows.
  ExpectMeasure(card, "fiscal_staff_control_rate", "101.92", v1::MEASURE_STATUS_CONFIRMED);
  // (19.35 − 18.60) / 18.60 = 0.75 / 18.60 = 4.032…%.
  ExpectMeasure(card, "three_public_change_rate", "4.03", v1::MEASURE_STATUS_COMPUTED_ONLY);
  // 1,042.75 / 1,236.40 = 84.337…%.
  ExpectMeasure(card, "key_expenditure_rate", "84.34", v1::MEASURE_STATUS_COMPUTED_ONLY);
  // (236.80 + 40.00) / 2,150.00 = 276.80 / 2,150.00 = 12.874…%.
  ExpectMeasure(card, "budget_adjustment_rate", "12.87", v1::MEASURE_STATUS_COMPUTED_ONLY);
  // 2,251.37 / (2,150.00 + 236.80 − 40.00) = 2,251.37 / 2,346.80 = 95.933…%.
  ExpectMeasure(card, "budget_completion_rate", "95.93", v1::MEASURE_STATUS_COMPUTED_ONLY);
  // The count as given.
  ExpectMeasure(card, "late_special_funds", "2", v1::MEASURE_STATUS_COMPUTED_ONLY);
  // 48.15 / 62.40 (last year's closing) = 77.163…%.
  ExpectMeasure(card, "balance_to_prior_carry_over", "77.16", v1::MEASURE_STATUS_COMPUTED_ONLY);
  // 19.35 / 20.00 = 96.75% exactly; declared 96.75.
  ExpectMeasure(card, "three_public_control_rate", "96.75", v1::MEASURE_STATUS_CONFIRMED);
  // 182.72 / 178.00 = 102.651…%; declared 102.65.
  ExpectMeasure(card, "public_expense_control_rate", "102.65", v1::MEASURE_STATUS_CONFIRMED);
  // 386.50 / 420.00 = 92.023…%, within the rounding of the declared "92.0"
  // ([91.95, 92.05]), so the declared figure is the verified one, shown as
  // written.
  ExpectMeasure(card, "procurement_execution_rate", "92.0", v1::MEASURE_STATUS_CONFIRMED);
  EXPECT_EQ(ComputedOf(card, "procurement_execution_rate"), "92.02");
  // 1,318.40 / 1,372.60 = 96.0513…%, at the low end of the declared "96.1"
  // ([96.05, 96.15]): confirmed, and verified as declared, 96.1.
  ExpectMeasure(card, "fixed_asset_utilisation_rate", "96.1", v1::MEASURE_STATUS_CONFIRMED);
  EXPECT_EQ(ComputedOf(card, "fixed_asset_utilisation_rate"), "96.05");
  // 11 / 12 = 91.666…%; declared 91.67.
  ExpectMeasure(card, "key_task_completion_rate", "91.67", v1::MEASURE_STATUS_CONFIRMED);
  // 10 / 11 = 90.909…%.
  ExpectMeasure(card, "task_timeliness_rate", "90.91", v1::MEASURE_STATUS_COMPUTED_ONLY);
  // 35 / 37 = 94.594…%; declared 94.59.
  ExpectMeasure(card, "petition_response_rate", "94.59", v1::MEASURE_STATUS_CONFIRMED);
  // Declared only: 93.6.
  ExpectMeasure(card, "satisfaction_rate", "93.6", v1::MEASURE_STATUS_DECLARED_ONLY);
}

TEST_F(YueyangSchemeTest, EveryIndicatorOf2020WithLastYear) {
  const v1::ScoreCard card = Score(report_, &prior_);
  EXPECT_EQ(card.indicators_size(), 4 + 6 + 21);

  // 投入 / 预算配置.
  // 101.92 is 1.92 points over 100: 5 − 1.92 × 0.5 = 5 − 0.96 = 4.04.
  EXPECT_EQ(ScoreOf(card, "fiscal_staff_control"), "4.04");
  // 4.03 over 0: 5 − 4.03 × 0.5 = 5 − 2.015 = 2.985, rounded half-up 2.99.
  EXPECT_EQ(ScoreOf(card, "three_public_change"), "2.99");
  // 84.34 in [80, 90): 4.
  EXPECT_EQ(ScoreOf(card, "key_expenditure"), "4.00");
  // 4.04 + 2.99 + 4.00 = 11.03.
  EXPECT_EQ(ScoreOf(card, "budget_allocation"), "11.03");
  EXPECT_EQ(ScoreOf(card, "input"), "11.03");

  // 过程 / 预算执行.
  // 12.87 in (10, 20]: 1.
  EXPECT_EQ(ScoreOf(card, "budget_adjustment"), "1.00");
  // 100 − 95.93 = 4.07 short, one started step of 5: 4 − 1 = 3.
  EXPECT_EQ(ScoreOf(card, "budget_completion"), "3.00");
  // 2 funds late: 4 − 2 × 0.5 = 3.
  EXPECT_EQ(ScoreOf(card, "payment_progress"), "3.00");
  // 77.16 in (0, 100]: a balance, not above last year's carry-over: 2.
  EXPECT_EQ(ScoreOf(card, "fund_balance"), "2.00");
  // 96.75 ≤ 100: 6.
  EXPECT_EQ(ScoreOf(card, "three_public_control"), "6.00");
  // 102.65 is 2.65 over: 4 − 2.65 × 0.5 = 4 − 1.325 = 2.675, rounded 2.68.
  EXPECT_EQ(ScoreOf(card, "public_expense_control"), "2.68");
  // 92.0 is 8 short: 3 − 8 × 0.1 = 2.2.
  EXPECT_EQ(ScoreOf(card, "procurement_execution"), "2.20");
  // 1 + 3 + 3 + 2 + 6 + 2.68 + 2.20 = 19.88.
  EXPECT_EQ(ScoreOf(card, "budget_execution"), "19.88");

  // 过程 / 预算管理.
  // Two of three items met (yy.rules.enforced not): 2.
  EXPECT_EQ(ScoreOf(card, "rules_soundness"), "2.00");
  // One condition violated (yy.funds.scope): 3 − 1 = 2.
  EXPECT_EQ(ScoreOf(card, "fund_compliance"), "2.00");
  // All three met: 3.
  EXPECT_EQ(ScoreOf(card, "disclosure"), "3.00");
  // 2 + 2 + 3 = 7.
  EXPECT_EQ(ScoreOf(card, "budget_management"), "7.00");

  // 过程 / 资产管理.
  // Both items met: 2.
  EXPECT_EQ(ScoreOf(card, "asset_safety"), "2.00");
  // 96.1 ≥ 95: 2.
  EXPECT_EQ(ScoreOf(card, "fixed_asset_utilisation"), "2.00");
  EXPECT_EQ(ScoreOf(card, "asset_management"), "4.00");
  // 19.88 + 7 + 4 = 30.88.
  EXPECT_EQ(ScoreOf(card, "process"), "30.88");

  // 产出 / 职责履行.
  // 8 × 91.67 / 100 = 7.3336, rounded 7.33.
  EXPECT_EQ(ScoreOf(card, "key_task_completion"), "7.33");
  // 100 − 90.91 = 9.09 short, one whole step of 5: 5 − 1 = 4.
  EXPECT_EQ(ScoreOf(card, "task_timeliness"), "4.00");
  // Four rows, 12 / 4 = 3 each:
  //   数据到报率 ≥ 95%, 97.8:     met (over-achieved, capped): 3
  //   预警发布次数 ≥ 120, 108:    108 / 120 = 0.9:              2.7
  //   平均发布时长 ≤ 30, 36:      30 / 36 = 5/6:                2.5
  //   新建自动雨量站 = 15, 15:    met:                          3
  //   3 + 2.7 + 2.5 + 3 = 11.2.
  EXPECT_EQ(ScoreOf(card, "performance_targets"), "11.20");
  // 7.33 + 4 + 11.20 = 22.53.
  EXPECT_EQ(ScoreOf(card, "duty_performance"), "22.53");
  EXPECT_EQ(ScoreOf(card, "output"), "22.53");

  // 效果 / 履职效益.
  // Two of three items met (yy.effect.recognition not): 2 + 2 = 4.
  EXPECT_EQ(ScoreOf(card, "social_benefit"), "4.00");
  // 94.59 is 5.41 short: 4 − 5.41 × 0.2 = 4 − 1.082 = 2.918, rounded 2.92.
  EXPECT_EQ(ScoreOf(card, "petition_handling"), "2.92");
  // 93.6 in [90, 95): 8.
  EXPECT_EQ(ScoreOf(card, "satisfaction"), "8.00");
  // 4 + 2.92 + 8 = 14.92.
  EXPECT_EQ(ScoreOf(card, "duty_benefit"), "14.92");
  EXPECT_EQ(ScoreOf(card, "effect"), "14.92");

  // 11.03 + 30.88 + 22.53 + 14.92 = 79.36: 良好 (75 to 90 in this scheme;
  // the usual bands would give 中).
  EXPECT_EQ(card.total_score(), "79.36");
  EXPECT_EQ(card.grade(), "良好");
  EXPECT_EQ(card.declared_total(), "86.5");

  // The targets rows, as the card lists them.
  const v1::IndicatorResult* targets = FindIndicator(card, "performance_targets");
  ASSERT_NE(targets, nullptr);
  ASSERT_EQ(targets->targets_size(), 4);
  EXPECT_EQ(targets->targets(0).attained(), "100.00");
  EXPECT_EQ(targets->targets(1).attained(), "90.00");
  EXPECT_EQ(targets->targets(2).direction(), "≤");
  EXPECT_EQ(targets->targets(2).attained(), "83.33");
  EXPECT_EQ(targets->targets(3).direction(), "=");
}

TEST_F(YueyangSchemeTest, TheYearsHoldTogetherAndNothingIsAnError) {
  const v1::ScoreCard card = Score(report_, &prior_);
  EXPECT_FALSE(HasErrors(card));
  // This year's opening 62.40 is last year's closing 62.40, and every
  // identity holds, so no check fails; the figures are all given.
  EXPECT_EQ(testing::FindingWithCode(card, "check_failed"), nullptr);
  EXPECT_EQ(testing::FindingWithCode(card, "prior_missing"), nullptr);
  EXPECT_EQ(testing::FindingWithCode(card, "figure_missing"), nullptr);
  EXPECT_EQ(testing::FindingWithCode(card, "figure_undeclared"), nullptr);

  ScoreOptions options;
  options.prior = &prior_;
  absl::StatusOr<std::vector<v1::Finding>> findings = ValidateReport(report_, *scheme_, options);
  ASSERT_TRUE(findings.ok()) << findings.status();
  EXPECT_FALSE(HasErrors(*findings));
  findings = ValidateReport(report_, *scheme_);
  ASSERT_TRUE(findings.ok()) << findings.status();
  EXPECT_FALSE(HasErrors(*findings));

  // An opening that does not run on from last year's closing.
  v1::Report moved = report_;
  moved.mutable_carry_over()->mutable_opening()->set_value("70.40");
  moved.mutable_carry_over()->mutable_closing()->set_value("56.15");  // keeps this year's identity
  const v1::ScoreCard broken = Score(moved, &prior_);
  const v1::Finding* failed = testing::FindingWithCode(broken, "check_failed");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->subject(), "carry_over_runs_on");
}

TEST_F(YueyangSchemeTest, WithoutLastYearThePriorMeasuresAreMissing) {
  const v1::ScoreCard card = Score(report_, nullptr);
  const v1::Finding* missing = testing::FindingWithCode(card, "prior_missing");
  ASSERT_NE(missing, nullptr);
  EXPECT_THAT(missing->message(), HasSubstr("prior.three_public.total.actual"));
  EXPECT_THAT(missing->message(), HasSubstr("prior.carry_over.closing"));
  ExpectMeasure(card, "three_public_change_rate", "", v1::MEASURE_STATUS_MISSING);
  // The formula names last year's 三公 twice; the reason names it once.
  const v1::IndicatorResult* change = FindIndicator(card, "three_public_change");
  ASSERT_NE(change, nullptr);
  ASSERT_EQ(change->deductions_size(), 1);
  EXPECT_THAT(change->deductions(0), HasSubstr("（prior.three_public.total.actual 缺失）"));
  ExpectMeasure(card, "balance_to_prior_carry_over", "", v1::MEASURE_STATUS_MISSING);
  EXPECT_EQ(ScoreOf(card, "three_public_change"), "0.00");
  EXPECT_EQ(ScoreOf(card, "fund_balance"), "0.00");
  // The rest is unchanged: 79.36 − 2.99 − 2 = 74.37, which is 合格.
  EXPECT_EQ(ScoreOf(card, "fiscal_staff_control"), "4.04");
  EXPECT_EQ(card.total_score(), "74.37");
  EXPECT_EQ(card.grade(), "合格");
}

TEST_F(YueyangSchemeTest, LastYearsReportScoresOnItsOwn) {
  const v1::ScoreCard card = Score(prior_, nullptr);
  EXPECT_FALSE(HasErrors(card));
  EXPECT_NE(testing::FindingWithCode(card, "prior_missing"), nullptr);
  // 投入: 51 / 52 = 98.08% ≤ 100: 5; the 变动率 needs 2018: 0;
  // 1,013.60 / 1,128.20 = 89.84% in [80, 90): 4. 5 + 0 + 4 = 9.
  EXPECT_EQ(ScoreOf(card, "input"), "9.00");
  // 过程: (125.30 + 40.00) / 2,120.00 = 7.80% in (0, 10]: 2;
  // 2,122.05 / 2,205.30 = 96.23%, one started step short: 3; one fund late:
  // 4 − 0.5 = 3.5; 资金结余 needs 2018: 0; 18.60 / 20.00 = 93.00%: 6;
  // 168.10 / 172.00 = 97.73%: 4; 371.20 / 380.00 = 97.68%, 2.32 short:
  // 3 − 0.232 = 2.768, rounded 2.77; checklists 3 + 3 + 3 + 2; 1,190.30 /
  // 1,226.80 = 97.02%: 2. 2 + 3 + 3.5 + 0 + 6 + 4 + 2.77 + 11 + 2 = 34.27.
  EXPECT_EQ(ScoreOf(card, "fund_balance"), "0.00");
  EXPECT_EQ(ScoreOf(card, "procurement_execution"), "2.77");
  EXPECT_EQ(ScoreOf(card, "process"), "34.27");
  // 产出: 10 / 10: 8; 9 / 10 = 90.00%, 10 short, two whole steps: 3; all
  // four targets met: 12. 8 + 3 + 12 = 23.
  EXPECT_EQ(ScoreOf(card, "output"), "23.00");
  // 效果: 4 + (29 / 29 = 100%: 4) + (95.1 ≥ 95: 10) = 18.
  EXPECT_EQ(ScoreOf(card, "effect"), "18.00");
  // 9 + 34.27 + 23 + 18 = 84.27.
  EXPECT_EQ(card.total_score(), "84.27");
  EXPECT_EQ(card.grade(), "良好");
}

}  // namespace
}  // namespace jixiao::engine
