// A summary card is the full card without its words: scoring thousands of
// generated reports both ways, under both shipped schemes, gives the same
// indicator scores, totals, grades and findings (severity, code, subject,
// in order).

#include <gtest/gtest.h>

#include "scoring-svc/engine/engine.h"
#include "tools/bench/report_generator.h"

namespace jixiao::bench {
namespace {

using engine::ScoreOptions;

// Generated reports, with every fifth losing a group of figures so that the
// missing, unverifiable and skipped paths are taken as well.
v1::Report Varied(const ReportGenerator& generator, uint64_t index) {
  v1::Report report = generator.Report(index);
  switch (index % 10) {
    case 1:
      report.clear_procurement();
      break;
    case 3:
      report.clear_quarterly();
      break;
    case 5:
      report.clear_headcount();
      break;
    case 7:
      report.clear_checklist();
      break;
    case 9:
      report.clear_three_public();
      break;
    default:
      break;
  }
  return report;
}

void ExpectSameResults(const engine::CompiledScheme& scheme, int reports) {
  ReportGenerator generator({.seed = 7, .profiles = 16, .inconsistent_per_mille = 200});
  ScoreOptions summary;
  summary.detail = ScoreOptions::Detail::kSummary;
  int with_errors = 0;
  for (int i = 0; i < reports; ++i) {
    const v1::Report report = Varied(generator, i);
    absl::StatusOr<v1::ScoreCard> full = engine::ScoreReport(report, scheme, {});
    absl::StatusOr<v1::ScoreCard> lean = engine::ScoreReport(report, scheme, summary);
    ASSERT_EQ(full.ok(), lean.ok()) << i;
    if (!full.ok()) continue;
    SCOPED_TRACE(testing::Message() << scheme.id() << " report " << i);
    ASSERT_EQ(lean->indicators_size(), full->indicators_size());
    for (int k = 0; k < full->indicators_size(); ++k) {
      EXPECT_EQ(lean->indicators(k).id(), full->indicators(k).id());
      EXPECT_EQ(lean->indicators(k).level(), full->indicators(k).level());
      EXPECT_EQ(lean->indicators(k).weight(), full->indicators(k).weight());
      EXPECT_EQ(lean->indicators(k).score(), full->indicators(k).score());
      EXPECT_TRUE(lean->indicators(k).deductions().empty());
      EXPECT_TRUE(lean->indicators(k).rule().empty());
    }
    EXPECT_EQ(lean->total_score(), full->total_score());
    EXPECT_EQ(lean->total_weight(), full->total_weight());
    EXPECT_EQ(lean->grade(), full->grade());
    EXPECT_EQ(lean->declared_total(), full->declared_total());
    EXPECT_EQ(lean->scheme_sha256(), full->scheme_sha256());
    EXPECT_TRUE(lean->measures().empty());
    ASSERT_EQ(lean->findings_size(), full->findings_size());
    for (int k = 0; k < full->findings_size(); ++k) {
      EXPECT_EQ(lean->findings(k).severity(), full->findings(k).severity());
      EXPECT_EQ(lean->findings(k).code(), full->findings(k).code());
      EXPECT_EQ(lean->findings(k).subject(), full->findings(k).subject());
      EXPECT_TRUE(lean->findings(k).message().empty());
    }
    if (engine::HasErrors(*full)) ++with_errors;
    EXPECT_LT(lean->ByteSizeLong(), full->ByteSizeLong() / 4);
  }
  // The generated reports did take the paths that matter.
  EXPECT_GT(with_errors, reports / 50) << scheme.id();
}

TEST(SummaryCard, EqualsTheFullCardUnderTheDefaultScheme) {
  ExpectSameResults(*engine::DefaultScheme(), 3000);
}

TEST(SummaryCard, EqualsTheFullCardUnderTheYueyangScheme) {
  auto scheme = engine::LoadSchemeFile(std::string(JIXIAO_SOURCE_DIR) +
                                       "/schemes/yueyang-dept-overall-v1.textproto");
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  ExpectSameResults(**scheme, 3000);
}

}  // namespace
}  // namespace jixiao::bench
