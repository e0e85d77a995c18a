// The figures of the 2019 self-evaluation report of 深圳市龙华区政务服务数据管理局
// (transcribed as examples/longhua-2019.json), reproduced under the default
// scheme: the rates the report states, its Q2 spending progress that its own
// amounts contradict, and the identities that hold within rounding.

#include <functional>

#include "absl/strings/str_cat.h"
#include "common/base/files.h"
#include "common/report/decimal.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::engine {
namespace {

v1::Report LoadSeed() {
  absl::StatusOr<std::string> text =
      base::ReadFile(std::string(JIXIAO_SOURCE_DIR) + "/examples/longhua-2019.json");
  EXPECT_TRUE(text.ok()) << text.status();
  v1::Report report;
  auto status = google::protobuf::util::JsonStringToMessage(text.value_or(""), &report);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return report;
}

class SeedGoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<v1::ScoreCard> scored = ScoreReport(LoadSeed(), *DefaultScheme(), {});
    ASSERT_TRUE(scored.ok()) << scored.status();
    card_ = *std::move(scored);
  }

  const v1::MeasureResult& Measure(const std::string& id) {
    for (const auto& m : card_.measures()) {
      if (m.id() == id) return m;
    }
    ADD_FAILURE() << "no measure " << id;
    static v1::MeasureResult none;
    return none;
  }

  std::vector<v1::Finding> FindingsAbout(const std::string& subject) {
    std::vector<v1::Finding> found;
    for (const auto& f : card_.findings()) {
      if (f.subject() == subject) found.push_back(f);
    }
    return found;
  }

  bool HasErrorAbout(const std::string& subject) {
    for (const auto& f : FindingsAbout(subject)) {
      if (f.severity() == v1::SEVERITY_ERROR) return true;
    }
    return false;
  }

  v1::ScoreCard card_;
};

TEST_F(SeedGoldenTest, ProcurementExecutionRate) {
  EXPECT_EQ(Measure("procurement_execution_rate").computed().display(), "88.53");
  EXPECT_EQ(Measure("procurement_execution_rate").status(), v1::MEASURE_STATUS_CONFIRMED);
}

TEST_F(SeedGoldenTest, ThreePublicControlRate) {
  EXPECT_EQ(Measure("three_public_control_rate").computed().display(), "51.65");
}

TEST_F(SeedGoldenTest, DailyPublicControlRate) {
  EXPECT_EQ(Measure("daily_public_control_rate").computed().display(), "99.43");
}

TEST_F(SeedGoldenTest, ProjectExecutionRate) {
  EXPECT_EQ(Measure("project_execution_rate").computed().display(), "99.52");
}

TEST_F(SeedGoldenTest, QuarterlyExecutionRatesAsDeclared) {
  EXPECT_EQ(Measure("q1_execution_rate").declared().display(), "120.08");
  EXPECT_EQ(Measure("q2_execution_rate").declared().display(), "101.80");
  EXPECT_EQ(Measure("q3_execution_rate").declared().display(), "101.33");
  EXPECT_EQ(Measure("q4_execution_rate").declared().display(), "99.53");
}

TEST_F(SeedGoldenTest, BudgetExecutionRateDeclaredAndVerified) {
  const v1::MeasureResult& rate = Measure("budget_execution_rate");
  EXPECT_EQ(rate.declared().display(), "105.69");
  EXPECT_EQ(rate.verified().display(), "98.09");
  EXPECT_EQ(rate.status(), v1::MEASURE_STATUS_CONTRADICTED);
}

TEST_F(SeedGoldenTest, BudgetExecutionRateDeclaredFollowsFromDeclaredQuarters) {
  // Without the declared mean, the declared value is derived from the
  // declared quarterly rates: (120.08 + 101.80 + 101.33 + 99.53) / 4.
  v1::Report report = LoadSeed();
  report.mutable_quarterly()->clear_declared_mean_execution_rate();
  absl::StatusOr<v1::ScoreCard> card = ScoreReport(report, *DefaultScheme(), {});
  ASSERT_TRUE(card.ok()) << card.status();
  for (const auto& m : card->measures()) {
    if (m.id() != "budget_execution_rate") continue;
    EXPECT_TRUE(m.declared_derived());
    EXPECT_EQ(m.declared().display(), "105.69");
    EXPECT_EQ(m.declared().exact(), "21137/200");  // 105.685
    EXPECT_EQ(m.verified().display(), "98.09");
  }
}

TEST_F(SeedGoldenTest, SecondQuarterProgressIsAnError) {
  const v1::MeasureResult& q2 = Measure("q2_progress");
  EXPECT_EQ(q2.status(), v1::MEASURE_STATUS_CONTRADICTED);
  EXPECT_EQ(q2.computed().display(), "35.71");
  EXPECT_EQ(q2.declared().display(), "50.9");
  std::vector<v1::Finding> findings = FindingsAbout("q2_progress");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(findings[0].field_path(), "quarterly.q2.declared_progress");
  EXPECT_EQ(findings[0].declared(), "50.9");
  EXPECT_EQ(findings[0].computed(), "35.71");
  EXPECT_FALSE(findings[0].tolerance().empty());
}

TEST_F(SeedGoldenTest, ConsequencesOfTheSecondQuarterAreWarnings) {
  // 101.80% and 105.69% follow from the declared 50.9%; the error is upstream.
  for (const char* id : {"q2_execution_rate", "budget_execution_rate"}) {
    std::vector<v1::Finding> findings = FindingsAbout(id);
    ASSERT_EQ(findings.size(), 1u) << id;
    EXPECT_EQ(findings[0].severity(), v1::SEVERITY_WARNING) << id;
  }
}

TEST_F(SeedGoldenTest, OtherQuartersAreWithinRounding) {
  for (const char* id : {"q1_progress", "q3_progress", "q4_progress", "q1_execution_rate",
                         "q3_execution_rate", "q4_execution_rate"}) {
    EXPECT_FALSE(HasErrorAbout(id)) << id;
    EXPECT_EQ(Measure(id).status(), v1::MEASURE_STATUS_CONFIRMED) << id;
  }
  // Q1: 2,068 / 6,887 rounds to 30.03, yet the declared 30.02 is within reach.
  EXPECT_EQ(Measure("q1_progress").computed().display(), "30.03");
  EXPECT_EQ(Measure("q1_progress").verified().display(), "30.02");
}

TEST_F(SeedGoldenTest, IdentitiesHoldWithinRounding) {
  // 1,683.62 + 21,921.23 = 23,604.85 vs 23,604.86; 1.11 + 23,493.53 −
  // 23,491.01 = 3.63 vs 3.64: within the rounding of the inputs.
  EXPECT_TRUE(FindingsAbout("budget_expenditure_split").empty());
  EXPECT_TRUE(FindingsAbout("carry_over").empty());
  EXPECT_TRUE(FindingsAbout("final_expenditure_split").empty());
  EXPECT_TRUE(FindingsAbout("final_basic_split").empty());
}

TEST_F(SeedGoldenTest, ProjectRateOverTheWholeExpenditureIsAWarning) {
  // The sentence on 项目支出执行率 gives 23,491.01, the whole 支出决算数; the
  // final accounts give 项目支出 21,835.93. The gap is the 基本支出 1,655.08.
  std::vector<v1::Finding> findings = FindingsAbout("project_actual_matches_final_accounts");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity(), v1::SEVERITY_WARNING);
  EXPECT_NE(findings[0].message().find("1,655.08"), std::string::npos) << findings[0].message();
  // Scored as the department computed it: a warning, not a change of score.
  EXPECT_EQ(Measure("project_execution_rate").computed().display(), "99.52");
}

TEST_F(SeedGoldenTest, ProjectRateOverTheFinalAccountsProjectsHolds) {
  v1::Report report = LoadSeed();
  report.mutable_project_expenditure()->mutable_actual()->set_value("21835.93");
  absl::StatusOr<v1::ScoreCard> card = ScoreReport(report, *DefaultScheme(), {});
  ASSERT_TRUE(card.ok()) << card.status();
  for (const auto& f : card->findings()) {
    EXPECT_NE(f.subject(), "project_actual_matches_final_accounts") << f.message();
  }
}

TEST_F(SeedGoldenTest, TextUnderAnIndicatorTheSchemeLacksIsAWarning) {
  v1::Report report = LoadSeed();
  v1::IndicatorText& text = *report.mutable_narrative()->add_indicators();
  text.set_indicator_id("no_such_indicator");
  text.add_paragraphs("写错了指标的文字。");
  absl::StatusOr<v1::ScoreCard> card = ScoreReport(report, *DefaultScheme(), {});
  ASSERT_TRUE(card.ok()) << card.status();
  int found = 0;
  for (const auto& f : card->findings()) {
    if (f.code() != "text_unknown_indicator") continue;
    ++found;
    EXPECT_EQ(f.severity(), v1::SEVERITY_WARNING);
    EXPECT_EQ(f.subject(), "no_such_indicator");
    EXPECT_EQ(f.field_path(),
              absl::StrCat("narrative.indicators[", report.narrative().indicators_size() - 1,
                           "].indicator_id"));
  }
  EXPECT_EQ(found, 1);
  // The example's own texts are all under the scheme's indicators.
  for (const auto& f : card_.findings()) EXPECT_NE(f.code(), "text_unknown_indicator");
}

TEST_F(SeedGoldenTest, OnlyTheSecondQuarterIsAnError) {
  std::vector<std::string> errors;
  for (const auto& f : card_.findings()) {
    if (f.severity() == v1::SEVERITY_ERROR) errors.push_back(f.subject());
  }
  EXPECT_EQ(errors, std::vector<std::string>{"q2_progress"});
}

TEST_F(SeedGoldenTest, BareDeclaredRatesStandInForMissingParts) {
  const v1::MeasureResult& assets = Measure("fixed_asset_utilisation_rate");
  EXPECT_EQ(assets.status(), v1::MEASURE_STATUS_DECLARED_ONLY);
  EXPECT_EQ(assets.verified().display(), "96.2");
  EXPECT_FALSE(assets.has_computed());
  EXPECT_NE(assets.explanation().find("fixed_assets.in_use"), std::string::npos);
}

TEST_F(SeedGoldenTest, ScoresAndGrade) {
  EXPECT_EQ(card_.scheme_id(), "dept-overall");
  EXPECT_EQ(card_.scheme_version(), 1);
  EXPECT_EQ(card_.total_weight(), "100");
  std::map<std::string, std::string> scores;
  for (const auto& i : card_.indicators()) scores[i.id()] = i.score();
  // 3 − (100 − 88.53) × 0.1 = 1.853
  EXPECT_EQ(scores["procurement_execution"], "1.85");
  // The seed's own rule: 99.43% lies in [90%, 100%], 2 points of 3.
  EXPECT_EQ(scores["daily_public_control"], "2.00");
  // 8 − (100 − 98.09) / 5 × 2 = 7.236, on the verified value.
  EXPECT_EQ(scores["budget_execution"], "7.24");
  // 6 × 99.52 / 100 = 5.9712
  EXPECT_EQ(scores["project_timeliness"], "5.97");
  EXPECT_EQ(scores["decision"], "25.00");
  EXPECT_EQ(scores["management"], "18.85");
  EXPECT_EQ(scores["performance"], "53.21");
  EXPECT_EQ(card_.total_score(), "97.06");
  EXPECT_EQ(card_.grade(), "优");
  EXPECT_EQ(card_.declared_total(), "97.89");
}

// Every figure of the report, as a path of (field, index) steps to it.
using Step = std::pair<const google::protobuf::FieldDescriptor*, int>;
void CollectFigures(const google::protobuf::Message& message, std::vector<Step>& path,
                    std::vector<std::vector<Step>>& figures) {
  if (message.GetDescriptor() == v1::Decimal::descriptor()) {
    figures.push_back(path);
    return;
  }
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) continue;
    int count = field->is_repeated() ? reflection.FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      path.emplace_back(field, field->is_repeated() ? i : -1);
      CollectFigures(field->is_repeated() ? reflection.GetRepeatedMessage(message, field, i)
                                          : reflection.GetMessage(message, field),
                     path, figures);
      path.pop_back();
    }
  }
}

// Deletes the figure at `path` (a repeated element's figure is emptied).
void DeleteFigure(google::protobuf::Message& root, const std::vector<Step>& path) {
  google::protobuf::Message* message = &root;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    const auto& [field, index] = path[i];
    const google::protobuf::Reflection& reflection = *message->GetReflection();
    message = index >= 0 ? reflection.MutableRepeatedMessage(message, field, index)
                         : reflection.MutableMessage(message, field);
  }
  const auto& [field, index] = path.back();
  if (index >= 0) {
    message->GetReflection()->MutableRepeatedMessage(message, field, index)->Clear();
  } else {
    message->GetReflection()->ClearField(message, field);
  }
}

// A department cannot raise its score by leaving a figure out: deleting any
// one of the report's figures, or any quarter's whole block, scores at most
// what the whole report scores.
TEST_F(SeedGoldenTest, NoDeletedFigureRaisesTheScore) {
  const v1::Report seed = LoadSeed();
  const mpq_class full = report::ParseDecimal(card_.total_score())->value;
  std::vector<std::vector<Step>> figures;
  std::vector<Step> path;
  CollectFigures(seed, path, figures);
  ASSERT_GT(figures.size(), 30u);
  auto score_without = [&](const std::function<void(v1::Report&)>& remove) {
    v1::Report report = seed;
    remove(report);
    absl::StatusOr<v1::ScoreCard> card = ScoreReport(report, *DefaultScheme(), {});
    // A figure the report must have (a declared score) is refused, not scored.
    if (!card.ok()) return full;
    return report::ParseDecimal(card->total_score())->value;
  };
  for (const std::vector<Step>& figure : figures) {
    std::string name;
    for (const auto& [field, index] : figure) absl::StrAppend(&name, ".", field->name());
    EXPECT_LE(score_without([&](v1::Report& r) { DeleteFigure(r, figure); }), full) << name;
  }
  EXPECT_LE(score_without([](v1::Report& r) { r.mutable_quarterly()->clear_q3(); }), full);
  EXPECT_LE(score_without([](v1::Report& r) { r.mutable_quarterly()->clear_q2(); }), full);
}

TEST_F(SeedGoldenTest, EveryLostPointHasAReason) {
  for (const auto& i : card_.indicators()) {
    if (!i.leaf() ||
        report::ParseDecimal(i.score())->value == report::ParseDecimal(i.weight())->value)
      continue;
    EXPECT_FALSE(i.deductions().empty()) << i.id();
  }
}

}  // namespace
}  // namespace jixiao::engine
