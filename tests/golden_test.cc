// The outputs a reader of the seed report sees, as golden files
// (tests/golden/, golden.h): its score card as JSON, the CLI's table, and
// the rendered Markdown document, all from examples/longhua-2019.json under
// the built-in scheme, offline.

#include "tests/golden.h"

#include "gtest/gtest.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using testing::SourcePath;

const std::string kSeed = SourcePath("examples/longhua-2019.json");

testing::CommandResult Jixiao(std::vector<std::string> args) {
  args.insert(args.begin(), BinPath("jixiao"));
  return testing::RunCommand(args);
}

TEST(Golden, SeedScoreCardAsJson) {
  testing::CommandResult result = Jixiao({"score", kSeed, "-o", "json"});
  EXPECT_EQ(result.exit_code, 3) << result.err;  // scored, with the Q2 error
  testing::ExpectGolden(result.out, SourcePath("tests/golden/seed_card.json"));
}

TEST(Golden, SeedScoreTable) {
  testing::CommandResult result = Jixiao({"score", kSeed});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  testing::ExpectGolden(result.out, SourcePath("tests/golden/seed_score_table.txt"));
}

TEST(Golden, SeedReportMarkdown) {
  testing::CommandResult result = Jixiao({"render", kSeed, "--date", "2020-04-15"});
  EXPECT_EQ(result.exit_code, 3) << result.err;  // written, and the seed's Q2 error said
  testing::ExpectGolden(result.out, SourcePath("tests/golden/seed_report.md"));
}

}  // namespace
}  // namespace jixiao
