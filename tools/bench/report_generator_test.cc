#include "tools/bench/report_generator.h"

#include <map>
#include <set>

#include "common/report/check_report.h"
#include "common/report/decimal.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::bench {
namespace {

TEST(ReportGenerator, SameOptionsGiveTheSameBytes) {
  GeneratorOptions options;
  options.seed = 7;
  options.profiles = 8;
  ReportGenerator a(options), b(options);
  for (uint64_t i : {0ULL, 1ULL, 999ULL, 123456789ULL}) {
    EXPECT_EQ(a.Report(i).SerializeAsString(), b.Report(i).SerializeAsString()) << i;
  }
  options.seed = 8;
  ReportGenerator c(options);
  EXPECT_NE(a.Report(1).SerializeAsString(), c.Report(1).SerializeAsString());
}

TEST(ReportGenerator, ReportsAreValidVariedAndSomeInconsistent) {
  GeneratorOptions options;
  options.profiles = 16;
  options.inconsistent_per_mille = 100;
  ReportGenerator generator(options);
  auto scheme = engine::DefaultScheme();
  std::set<std::string> codes, names, budgets, totals;
  std::set<int> years;
  std::set<size_t> decimals;
  int inconsistent = 0, with_errors = 0, unmet = 0;
  const int n = 400;
  for (int i = 0; i < n; ++i) {
    v1::Report report = generator.Report(i);
    ASSERT_TRUE(report::CheckReport(report).ok()) << i << ": " << report::CheckReport(report);
    absl::StatusOr<v1::ScoreCard> card = engine::ScoreReport(report, *scheme, {});
    ASSERT_TRUE(card.ok()) << i << ": " << card.status();
    bool errors = engine::HasErrors(*card);
    // A report has an error finding exactly when the generator put one in.
    EXPECT_EQ(errors, generator.IsInconsistent(i)) << "report " << i;
    inconsistent += generator.IsInconsistent(i);
    with_errors += errors;
    codes.insert(report.identity().department_code());
    names.insert(report.identity().department_name());
    years.insert(report.identity().fiscal_year());
    const std::string& budget = report.budget().expenditure().value();
    budgets.insert(budget);
    size_t point = budget.find('.');
    decimals.insert(point == std::string::npos ? 0 : budget.size() - point - 1);
    totals.insert(card->total_score());
    for (const auto& answer : report.checklist()) unmet += !answer.met();
  }
  EXPECT_EQ(codes.size(), static_cast<size_t>(n));  // one department per index
  EXPECT_GE(names.size(), 50u);
  EXPECT_EQ(years.size(), 11u);                         // 2015..2025
  EXPECT_GE(budgets.size(), 12u);                       // amounts vary by profile
  EXPECT_EQ(decimals, (std::set<size_t>{0, 1, 2, 3}));  // and so does precision
  EXPECT_GE(totals.size(), 20u);                        // and so do the scores
  EXPECT_GT(unmet, 0);
  // About a tenth inconsistent, as asked.
  EXPECT_GT(inconsistent, n / 20);
  EXPECT_LT(inconsistent, n / 5);
  EXPECT_EQ(with_errors, inconsistent);
}

TEST(ReportGenerator, ReportsAreAboutTheSizeOfARealOneWithoutItsNarrative) {
  ReportGenerator generator(GeneratorOptions{});
  size_t bytes = generator.Report(0).ByteSizeLong();
  EXPECT_GT(bytes, 2000u);
  EXPECT_LT(bytes, SeedReport().ByteSizeLong());
}

// Properties of every score card, over generated reports: a total is the sum
// of the scores printed beneath it (so the printed table always adds up),
// and every score lies within its weight.
TEST(ScoreCardProperties, TotalsAreSumsOfTheRoundedScoresBeneath) {
  GeneratorOptions options;
  options.seed = 7;
  options.inconsistent_per_mille = 200;
  ReportGenerator generator(options);
  auto exact = [](const std::string& text) {
    auto parsed = report::ParseDecimal(text);
    EXPECT_TRUE(parsed.ok()) << text;
    return parsed.ok() ? parsed->value : mpq_class(-1);
  };
  for (uint64_t index = 0; index < 300; ++index) {
    auto card = engine::ScoreReport(generator.Report(index), *engine::DefaultScheme(), {});
    ASSERT_TRUE(card.ok()) << card.status();
    std::map<std::string, mpq_class> below;  // sum of the children's printed scores
    mpq_class top_levels = 0;
    for (const v1::IndicatorResult& indicator : card->indicators()) {
      const mpq_class score = exact(indicator.score());
      ASSERT_GE(score, 0) << indicator.id();
      ASSERT_LE(score, exact(indicator.weight())) << indicator.id();
      if (indicator.parent_id().empty()) {
        top_levels += score;
      } else {
        below[indicator.parent_id()] += score;
      }
    }
    for (const v1::IndicatorResult& indicator : card->indicators()) {
      if (indicator.leaf()) continue;
      EXPECT_EQ(below[indicator.id()], exact(indicator.score()))
          << "report " << index << ", " << indicator.id();
    }
    EXPECT_EQ(top_levels, exact(card->total_score())) << "report " << index;
  }
}

}  // namespace
}  // namespace jixiao::bench
