// Last year's report: prior. paths in formulas and checks, the finding when
// it is missing, and the check that it is the same department's year before.

#include <string>

#include "common/report/field_violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/test_util.h"

namespace jixiao::engine {
namespace {

using ::testing::HasSubstr;

// A Hunan-style "三公经费"变动率, and the carry-over that must run on from
// last year's closing to this year's opening.
constexpr char kPriorScheme[] = R"pb(
  id: "prior"
  version: 1
  name: "上年对比"
  total_weight: "4"
  score_decimals: 2
  measures {
    id: "three_public_change"
    name: "“三公”经费变动率"
    unit: "%"
    decimals: 2
    formula: "(three_public.total.actual - prior.three_public.total.actual) / prior.three_public.total.actual * 100"
  }
  indicators {
    id: "three_public"
    name: "“三公”经费变动率"
    weight: "4"
    measure: "three_public_change"
    rule { threshold { comparison: COMPARISON_AT_MOST standard: "0" } }
  }
  checks {
    id: "carry_over_runs_on"
    name: "年初结转结余等于上年年末结转结余"
    left: "carry_over.opening"
    right: "prior.carry_over.closing"
  }
)pb";

std::shared_ptr<const CompiledScheme> PriorScheme() {
  auto scheme = LoadSchemeText(kPriorScheme, "prior");
  EXPECT_TRUE(scheme.ok()) << scheme.status();
  return scheme.ok() ? *scheme : nullptr;
}

v1::Report YearReport(int year, const char* three_public, const char* opening,
                      const char* closing) {
  v1::Report report = testing::MinimalReport();
  report.mutable_identity()->set_fiscal_year(year);
  report.mutable_three_public()->mutable_total()->mutable_actual()->set_value(three_public);
  report.mutable_carry_over()->mutable_opening()->set_value(opening);
  report.mutable_carry_over()->mutable_closing()->set_value(closing);
  return report;
}

TEST(PriorReport, FormulasAndChecksReadLastYear) {
  auto scheme = PriorScheme();
  ASSERT_NE(scheme, nullptr);
  const v1::Report prior = YearReport(2018, "50", "10", "12.5");
  ScoreOptions options;
  options.prior = &prior;
  auto card = ScoreReport(YearReport(2019, "45", "12.5", "9"), *scheme, options);
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->measures(0).computed().display(), "-10.00");  // (45 - 50) / 50
  EXPECT_EQ(card->indicators(0).score(), "4.00");
  EXPECT_EQ(testing::FindingWithCode(*card, "prior_missing"), nullptr);
  EXPECT_EQ(testing::FindingWithCode(*card, "check_failed"), nullptr);

  // This year's opening that does not run on from last year's closing.
  card = ScoreReport(YearReport(2019, "45", "20", "9"), *scheme, options);
  ASSERT_TRUE(card.ok()) << card.status();
  const v1::Finding* failed = testing::FindingWithCode(*card, "check_failed");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->subject(), "carry_over_runs_on");
}

TEST(PriorReport, WithoutItTheMeasureIsMissingAndAFindingNamesThePaths) {
  auto scheme = PriorScheme();
  ASSERT_NE(scheme, nullptr);
  auto card = ScoreReport(YearReport(2019, "45", "12.5", "9"), *scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  const v1::Finding* missing = testing::FindingWithCode(*card, "prior_missing");
  ASSERT_NE(missing, nullptr);
  EXPECT_THAT(missing->message(), HasSubstr("上年报告缺失"));
  EXPECT_THAT(missing->message(), HasSubstr("prior.carry_over.closing"));
  EXPECT_THAT(missing->message(), HasSubstr("prior.three_public.total.actual"));
  EXPECT_EQ(card->measures(0).status(), v1::MEASURE_STATUS_MISSING);
  EXPECT_EQ(card->indicators(0).score(), "0.00");
}

TEST(PriorReport, MustBeTheSameDepartmentsYearBefore) {
  auto scheme = PriorScheme();
  ASSERT_NE(scheme, nullptr);
  v1::Report other = YearReport(2017, "50", "10", "12.5");
  other.mutable_identity()->set_department_code("OTHER");
  ScoreOptions options;
  options.prior = &other;
  auto card = ScoreReport(YearReport(2019, "45", "12.5", "9"), *scheme, options);
  ASSERT_EQ(card.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : report::ViolationsOf(card.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::ElementsAre("prior.identity.department_code",
                                             "prior.identity.fiscal_year"));

  v1::Report broken = YearReport(2018, "-1", "10", "12.5");
  options.prior = &broken;
  card = ScoreReport(YearReport(2019, "45", "12.5", "9"), *scheme, options);
  ASSERT_EQ(card.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(report::ViolationsOf(card.status())[0].field, "prior.three_public.total.actual.value");
}

TEST(PriorReport, APriorPathToNoFieldIsRefused) {
  auto scheme = LoadSchemeText(
      R"pb(
        id: "t"
        version: 1
        name: "t"
        total_weight: "1"
        score_decimals: 2
        measures { id: "v" name: "v" decimals: 2 formula: "prior.three_public.totl.actual" }
        indicators {
          id: "a"
          name: "a"
          weight: "1"
          measure: "v"
          rule { proportional { standard: "1" } }
        }
      )pb",
      "t");
  ASSERT_FALSE(scheme.ok());
  EXPECT_THAT(scheme.status().message(), HasSubstr("has no field \"totl\""));
  EXPECT_THAT(scheme.status().message(), HasSubstr("\"prior.three_public.totl.actual\""));
  EXPECT_FALSE(
      LoadSchemeText(
          R"pb(
            id: "t"
            version: 1
            name: "t"
            total_weight: "1"
            score_decimals: 2
            measures { id: "v" name: "v" decimals: 2 formula: "prior.prior.carry_over.closing" }
            indicators {
              id: "a"
              name: "a"
              weight: "1"
              measure: "v"
              rule { proportional { standard: "1" } }
            }
          )pb",
          "t")
          .ok());
}

}  // namespace
}  // namespace jixiao::engine
