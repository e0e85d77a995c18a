// The what-if tally against sums the test does itself: totals in
// millionths, ranks with ties, grade changes, the largest moves, each
// indicator's mean change.

#include "tools/jixiao/whatif_tally.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::cli {
namespace {

TEST(Millionths, ReadsEveryScoreExactly) {
  EXPECT_EQ(Millionths("85.72"), 85720000);
  EXPECT_EQ(Millionths("-0.5"), -500000);
  EXPECT_EQ(Millionths("100"), 100000000);
  EXPECT_EQ(Millionths("0.000001"), 1);
  EXPECT_EQ(Millionths("0.0000001"), std::nullopt);  // seven places
  EXPECT_EQ(Millionths(""), std::nullopt);
  EXPECT_EQ(Millionths("1."), std::nullopt);
  EXPECT_EQ(Millionths(".5"), std::nullopt);
  EXPECT_EQ(Millionths("1e3"), std::nullopt);
  EXPECT_EQ(Millionths("99999999999999999999"), std::nullopt);  // past int64
}

v1::ReportRevision Revision(const std::string& code, int64_t revision) {
  v1::ReportRevision r;
  r.mutable_key()->set_department_code(code);
  r.mutable_key()->set_fiscal_year(2020);
  r.set_revision(revision);
  r.mutable_report()->mutable_identity()->set_department_name("部门" + code);
  return r;
}

// A card with `total`, its grade, and its first 一级 indicator's score.
v1::ScoreCard Card(const v1::Scheme& scheme, const std::string& total, const std::string& grade,
                   const std::string& first_level) {
  v1::ScoreCard card;
  card.set_total_score(total);
  card.set_grade(grade);
  v1::IndicatorResult& i = *card.add_indicators();
  i.set_id(scheme.indicators(0).id());
  i.set_score(first_level);
  return card;
}

TEST(WhatIfTally, CountsEveryMoveAsTheTestReckonsIt) {
  const v1::Scheme& scheme = engine::DefaultScheme()->proto();
  WhatIfTally tally(scheme, scheme);
  // A: 91.00 → 85.50 (优 → 良), B: 80.00 → 80.00, C: 85.50 → 91.00
  // (良 → 优); D fails.
  tally.Add(Revision("A", 3), Card(scheme, "91.00", "优", "20.00"),
            Card(scheme, "85.50", "良", "14.50"));
  tally.Add(Revision("B", 1), Card(scheme, "80.00", "良", "10.00"),
            Card(scheme, "80.00", "良", "10.00"));
  tally.Add(Revision("C", 2), Card(scheme, "85.50", "良", "12.00"),
            Card(scheme, "91.00", "优", "17.50"));
  tally.Fail(Revision("D", 1), absl::UnavailableError("replica gone"));
  whatif::v1::WhatIf w = tally.Result(2020, 1, true);
  EXPECT_EQ(w.reports(), 3);
  EXPECT_EQ(w.before_mean(), "85.5000");  // (91 + 80 + 85.5) / 3
  EXPECT_EQ(w.after_mean(), "85.5000");
  EXPECT_EQ(w.grade_changed(), 2);
  EXPECT_EQ(w.rank_changed(), 2);  // A 1 → 2, C 2 → 1
  ASSERT_EQ(w.largest_size(), 1);  // --top 1: A and C tie on 5.50, A's code first
  EXPECT_EQ(w.largest(0).department_code(), "A");
  EXPECT_EQ(w.largest(0).change(), "-5.50");
  EXPECT_EQ(w.largest(0).before_rank(), 1);
  EXPECT_EQ(w.largest(0).after_rank(), 2);
  ASSERT_EQ(w.all_size(), 3);
  EXPECT_EQ(w.all(2).change(), "+5.50");
  EXPECT_EQ(w.all(2).before_total(), "85.50");
  EXPECT_EQ(w.all(1).change(), "0.00");
  EXPECT_EQ(w.all(0).department_name(), "部门A");
  EXPECT_EQ(w.all(0).revision(), 3);
  ASSERT_EQ(w.failures_size(), 1);
  EXPECT_EQ(w.failures(0).report(), "D/2020@1");
  EXPECT_EQ(w.failures(0).code(), 14);
  // The first 一级 indicator: −5.5, 0, +5.5: mean 0, two reports moved.
  EXPECT_EQ(w.indicators(0).id(), scheme.indicators(0).id());
  EXPECT_EQ(w.indicators(0).mean_change(), "0.0000");
  EXPECT_EQ(w.indicators(0).moved(), 2);
  EXPECT_TRUE(w.indicators(0).in_before() && w.indicators(0).in_after());
  int grades = 0;
  for (const auto& c : w.after_grades()) grades += c.count();
  EXPECT_EQ(grades, 3);
}

}  // namespace
}  // namespace jixiao::cli
