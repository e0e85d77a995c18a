// Figures a scheme declares (Scheme.figures) and a report gives
// (Report.figures): formulas over them, findings for undeclared and missing
// ones, and CheckReport's limits.

#include <string>

#include "common/report/check_report.h"
#include "common/report/field_violations.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/test_util.h"

namespace jixiao::engine {
namespace {

using ::testing::HasSubstr;

// A Hunan-style 预算调整率: how far the full-year budget moved from the
// initial one, scored down from 5 by 0.5 per percentage point.
constexpr char kAdjustmentScheme[] = R"pb(
  id: "adjust"
  version: 1
  name: "预算调整率"
  total_weight: "5"
  score_decimals: 2
  figures { id: "initial_budget" name: "年初预算数" unit: "万元" group: "预算" required: true }
  figures { id: "year_budget" name: "全年预算数" unit: "万元" group: "预算" required: true }
  figures { id: "note_count" name: "说明份数" group: "其他" }
  measures {
    id: "adjustment_rate"
    name: "预算调整率"
    unit: "%"
    decimals: 2
    formula: "(figures.year_budget - figures.initial_budget) / figures.initial_budget * 100"
  }
  indicators {
    id: "adjust"
    name: "预算调整率"
    weight: "5"
    measure: "adjustment_rate"
    rule {
      linear_deduction { direction: DIRECTION_DEDUCT_ABOVE standard: "0" step: "1" points: "0.5" }
    }
  }
)pb";

std::shared_ptr<const CompiledScheme> AdjustmentScheme() {
  auto scheme = LoadSchemeText(kAdjustmentScheme, "adjust");
  EXPECT_TRUE(scheme.ok()) << scheme.status();
  return scheme.ok() ? *scheme : nullptr;
}

v1::Report WithFigures(std::initializer_list<std::pair<const char*, const char*>> figures) {
  v1::Report report = testing::MinimalReport();
  for (const auto& [id, value] : figures) (*report.mutable_figures())[id].set_value(value);
  return report;
}

TEST(Figures, FormulasReadTheFiguresAReportGives) {
  auto scheme = AdjustmentScheme();
  ASSERT_NE(scheme, nullptr);
  auto card = ScoreReport(WithFigures({{"initial_budget", "1922.76"}, {"year_budget", "2018.9"}}),
                          *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  ASSERT_EQ(card->measures_size(), 1);
  // (2018.9 - 1922.76) / 1922.76 * 100 = 5.0001...
  EXPECT_EQ(card->measures(0).computed().display(), "5.00");
  // 5 points over the standard, 0.5 each: 2.5 of 5.
  EXPECT_EQ(card->indicators(0).score(), "2.50");
  EXPECT_EQ(testing::FindingWithCode(*card, "figure_undeclared"), nullptr);
  EXPECT_EQ(testing::FindingWithCode(*card, "figure_missing"), nullptr);
}

TEST(Figures, AFigureTheSchemeDoesNotDeclareIsAnError) {
  auto scheme = AdjustmentScheme();
  ASSERT_NE(scheme, nullptr);
  auto card = ScoreReport(
      WithFigures({{"initial_budget", "100"}, {"year_budget", "100"}, {"year_budgte", "100"}}),
      *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  const v1::Finding* finding = testing::FindingWithCode(*card, "figure_undeclared");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(finding->field_path(), "figures.year_budgte");
  EXPECT_TRUE(HasErrors(*card));
}

TEST(Figures, AMissingRequiredFigureIsAWarningAndItsMeasureIsMissing) {
  auto scheme = AdjustmentScheme();
  ASSERT_NE(scheme, nullptr);
  auto card = ScoreReport(WithFigures({{"initial_budget", "100"}}), *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  const v1::Finding* finding = testing::FindingWithCode(*card, "figure_missing");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity(), v1::SEVERITY_WARNING);
  EXPECT_EQ(finding->field_path(), "figures.year_budget");
  EXPECT_THAT(finding->message(), HasSubstr("全年预算数"));
  // An optional figure left out says nothing.
  for (const v1::Finding& f : card->findings()) EXPECT_NE(f.subject(), "note_count");
  EXPECT_EQ(card->measures(0).status(), v1::MEASURE_STATUS_MISSING);
  EXPECT_EQ(card->indicators(0).score(), "0.00");
}

TEST(Figures, ReportJsonNamesFiguresById) {
  v1::Report report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  R"({"figures": {"initial_budget": {"value": "1922.76"}}})", &report)
                  .ok());
  ASSERT_TRUE(report.figures().contains("initial_budget"));
  EXPECT_EQ(report.figures().at("initial_budget").value(), "1922.76");
}

std::vector<report::FieldViolation> Violations(const v1::Report& report) {
  return report::ViolationsOf(report::CheckReport(report));
}

TEST(Figures, CheckReportNamesEachBadFigure) {
  auto violations = Violations(
      WithFigures({{"ok", "1"}, {"bad value", "1"}, {"neg", "-3"}, {"word", "about 5"}}));
  ASSERT_EQ(violations.size(), 3u);
  // In id order: "bad value" is no code; "neg" and "word" are bad figures.
  EXPECT_EQ(violations[0].field, "figures");
  EXPECT_THAT(violations[0].description, HasSubstr("\"bad value\" is no figure id"));
  EXPECT_EQ(violations[1].field, "figures.neg.value");
  EXPECT_THAT(violations[1].description, HasSubstr("must not be negative"));
  EXPECT_EQ(violations[2].field, "figures.word.value");
}

TEST(Figures, CheckReportBoundsTheirNumberAndIdLength) {
  v1::Report many = testing::MinimalReport();
  for (int i = 0; i <= report::kMaxListItems; ++i) {
    (*many.mutable_figures())[absl::StrCat("f", i)].set_value("1");
  }
  auto violations = Violations(many);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "figures");
  EXPECT_THAT(violations[0].description, HasSubstr("at most 1000"));

  v1::Report long_id = WithFigures({});
  (*long_id.mutable_figures())[std::string(65, 'a')].set_value("1");
  violations = Violations(long_id);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_THAT(violations[0].description, HasSubstr("…\" is no figure id: at most 64"));

  EXPECT_TRUE(report::CheckReport(WithFigures({{std::string(64, 'a').c_str(), "1"}})).ok());
}

}  // namespace
}  // namespace jixiao::engine
