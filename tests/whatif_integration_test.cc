// `jixiao whatif` through the real CLI and services: a stored year scored
// under a draft that changes one rule, and the movers it prints checked
// against the test's own reckoning from each report scored offline under
// either scheme.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/score_card.pb.h"
#include "jixiao/whatif/v1/whatif.pb.h"
#include "tests/browser.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using testing::CommandResult;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::RunCommand;
using testing::ServerProcess;
using testing::SourcePath;

const std::string kSeed = SourcePath("examples/longhua-2019.json");

// The seed as department CODE with procurement.actual = ACTUAL (its
// execution rate, 政府采购执行率, follows) and no declared rate.
std::string Variant(const std::string& dir, const std::string& code, const std::string& actual) {
  v1::Report report;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(kSeed), &report).ok());
  report.mutable_identity()->set_department_code(code);
  report.mutable_identity()->set_department_name("部门" + code);
  report.mutable_procurement()->mutable_actual()->set_value(actual);
  report.mutable_procurement()->clear_declared_execution_rate();
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(report, &json).ok());
  std::string path = dir + "/" + code + ".json";
  std::ofstream(path) << json;
  return path;
}

// The default scheme with 政府采购执行率 losing 0.5 a point below 100%
// instead of 0.1: the one rule the draft changes.
std::string Draft(const std::string& dir) {
  std::string text = ReadFile(SourcePath("schemes/dept-overall-v1.textproto"));
  const std::string from = "points: \"0.1\"\n          steps: STEPS_PROPORTIONAL";
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos);
  text.replace(at, from.size(), "points: \"0.5\"\n          steps: STEPS_PROPORTIONAL");
  text.replace(text.find("version: 1"), 10, "version: 2");
  std::string path = dir + "/draft.textproto";
  std::ofstream(path) << text;
  return path;
}

class WhatIf : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = testing::MakeTempDir("jixiao-whatif");
    storage_ = std::make_unique<ServerProcess>(
        BinPath("storage-svc"), std::vector<std::string>{"--data-dir", data_ + "/db"});
    scoring_ = std::make_unique<ServerProcess>(BinPath("scoring-svc"), std::vector<std::string>{});
    ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
    ASSERT_FALSE(scoring_->address().empty()) << scoring_->Log();
  }

  CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {BinPath("jixiao"), "--storage", storage_->address(), "--scoring",
                               scoring_->address()});
    return RunCommand(args);
  }

  // The total an offline full score gives FILE under SCHEME ("" default).
  v1::ScoreCard Offline(const std::string& file, const std::string& scheme,
                        const std::string& prior = "") {
    std::vector<std::string> args{BinPath("jixiao"), "--output", "json", "score", file};
    if (!scheme.empty()) args.insert(args.end(), {"--scheme", scheme});
    if (!prior.empty()) args.insert(args.end(), {"--prior", prior});
    CommandResult result = RunCommand(args);
    v1::ScoreCard card;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(result.out, &card).ok())
        << result.out << result.err;
    return card;
  }

  std::string data_;
  std::unique_ptr<ServerProcess> storage_, scoring_;
};

TEST_F(WhatIf, ADraftThatChangesOneRuleMovesWhomTheTestReckons) {
  // Procurement rates (of a 5273.84 budget) of 100%, 99%, 98%, 97% and 96%:
  // the draft costs 0.4 more a point below 100%.
  const std::map<std::string, std::string> actual{{"W1", "5273.84"},
                                                  {"W2", "5221.10"},
                                                  {"W3", "5168.36"},
                                                  {"W4", "5115.62"},
                                                  {"W5", "5062.89"}};
  std::vector<std::string> files;
  for (const auto& [code, value] : actual) files.push_back(Variant(data_, code, value));
  std::vector<std::string> save{"save"};
  save.insert(save.end(), files.begin(), files.end());
  ASSERT_EQ(Cli(save).exit_code, 0);
  const std::string draft = Draft(data_);

  // The test's own reckoning: each file scored offline, in full, both ways.
  std::map<std::string, std::pair<v1::ScoreCard, v1::ScoreCard>> expected;
  for (const auto& [code, value] : actual) {
    const std::string file = data_ + "/" + code + ".json";
    expected[code] = {Offline(file, ""), Offline(file, draft)};
  }
  int grade_changes = 0;
  std::string largest;
  double largest_drop = 0;
  for (const auto& [code, cards] : expected) {
    grade_changes += cards.first.grade() != cards.second.grade();
    double drop = std::stod(cards.first.total_score()) - std::stod(cards.second.total_score());
    if (drop > largest_drop) largest_drop = drop, largest = code;
  }
  ASSERT_EQ(largest, "W5");  // the lowest rate loses the most

  CommandResult json =
      Cli({"--output", "json", "whatif", "--year", "2019", "--scheme", draft, "--all"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  whatif::v1::WhatIf result;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &result).ok()) << json.out;
  EXPECT_EQ(result.reports(), 5);
  EXPECT_EQ(result.before().id(), "dept-overall");
  EXPECT_EQ(result.after().version(), 2);
  EXPECT_EQ(result.grade_changed(), grade_changes);
  ASSERT_EQ(result.all_size(), 5);
  for (const auto& mover : result.all()) {
    const auto& [before, after] = expected.at(mover.department_code());
    EXPECT_EQ(mover.before_total(), before.total_score()) << mover.department_code();
    EXPECT_EQ(mover.after_total(), after.total_score()) << mover.department_code();
    EXPECT_EQ(mover.before_grade(), before.grade());
    EXPECT_EQ(mover.after_grade(), after.grade());
  }
  ASSERT_GT(result.largest_size(), 0);
  EXPECT_EQ(result.largest(0).department_code(), "W5");
  // W1 is at 100%: unmoved, so not among the largest changes.
  for (const auto& mover : result.largest()) EXPECT_NE(mover.department_code(), "W1");
  // Only 政府采购执行率 and the indicators above it moved; four reports each.
  for (const auto& indicator : result.indicators()) {
    if (indicator.moved() == 0) continue;
    EXPECT_THAT(indicator.id(),
                ::testing::AnyOf("procurement_execution", "fund_management", "management"))
        << indicator.id();
    EXPECT_EQ(indicator.moved(), 4) << indicator.id();
  }

  CommandResult table = Cli({"whatif", "--year", "2019", "--scheme", draft});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("5 reports scored under"));
  EXPECT_THAT(table.out, HasSubstr("政府采购执行率 (procurement_execution)"));
  EXPECT_THAT(table.out, HasSubstr("部门W5"));
  // Nothing was saved: the stored reports have no cards.
  CommandResult card = Cli({"card", "W5/2019"});
  EXPECT_NE(card.exit_code, 0);

  // The whole answer as files for people: CSV, a workbook a spreadsheet
  // reads (openpyxl), one page a browser loads with nothing fetched.
  for (const char* kind : {"csv", "xlsx", "html"}) {
    CommandResult written =
        Cli({"whatif", "--year", "2019", "--scheme", draft, "--out", data_ + "/whatif." + kind});
    EXPECT_EQ(written.exit_code, 0) << written.err;
    EXPECT_THAT(written.err, HasSubstr("wrote " + data_ + "/whatif." + kind));
  }
  const std::string csv = ReadFile(data_ + "/whatif.csv");
  const auto& [w5_before, w5_after] = expected.at("W5");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 6);  // the header and five departments
  EXPECT_THAT(csv, HasSubstr(absl::StrCat("W5,部门W5,1,", w5_before.total_score(), ",",
                                          w5_after.total_score(), ",")));
  const std::string python = "/usr/bin/python3";
  CommandResult book =
      RunCommand({python, "-c",
                  "import openpyxl, sys\n"
                  "book = openpyxl.load_workbook(sys.argv[1])\n"
                  "print('|'.join(book.sheetnames))\n"
                  "for row in book['部门变动'].iter_rows(min_row=3, values_only=True):\n"
                  "    if row[0] == 'W5': print(row[3], row[4])\n",
                  data_ + "/whatif.xlsx"});
  if (book.exit_code == 0) {
    EXPECT_THAT(book.out, HasSubstr("部门变动|等级变化|等级分布|指标影响"));
    EXPECT_THAT(book.out, HasSubstr(absl::StrCat(std::stod(w5_before.total_score()), " ",
                                                 std::stod(w5_after.total_score()))))
        << book.out;
  } else {
    ADD_FAILURE() << "openpyxl could not read the workbook: " << book.err;
  }
  const std::string html = ReadFile(data_ + "/whatif.html");
  EXPECT_THAT(html, HasSubstr("部门W5"));
  EXPECT_THAT(html, HasSubstr("政府采购执行率"));
  EXPECT_THAT(html, HasSubstr("<figcaption>图 1　调整前等级分布（部门数）</figcaption>"));
  EXPECT_THAT(html, HasSubstr("<figcaption>图 2　调整后等级分布（部门数）</figcaption>"));
  const std::string artifacts = std::string(JIXIAO_BIN_DIR) + "/../artifacts";
  std::filesystem::create_directories(artifacts);
  EXPECT_EQ(testing::LoadInChromium(data_ + "/whatif.html", artifacts + "/whatif.png"), "");
  EXPECT_EQ(
      Cli({"whatif", "--year", "2019", "--scheme", draft, "--out", data_ + "/x.txt"}).exit_code,
      2);  // the ending picks the format
}

// The year's stored cards stand for the "before" side where they are of the
// report as it stands and of that scheme, page after page; the answer is
// the same as scoring every report again.
TEST_F(WhatIf, FreshStoredCardsStandForTheBeforeSide) {
  std::vector<std::string> save{"save"};
  for (const auto& [code, value] : std::map<std::string, std::string>{{"W1", "5273.84"},
                                                                      {"W2", "5221.10"},
                                                                      {"W3", "5168.36"},
                                                                      {"W4", "5115.62"},
                                                                      {"W5", "5062.89"}}) {
    save.push_back(Variant(data_, code, value));
  }
  ASSERT_EQ(Cli(save).exit_code, 0);
  for (const char* ref : {"W2/2019", "W4/2019", "W5/2019"}) {
    CommandResult scored = Cli({"score", ref});
    ASSERT_TRUE(scored.exit_code == 0 || scored.exit_code == 3) << scored.err;
  }
  // W4 changes after its card was saved: the card is stale, and not used.
  ASSERT_EQ(Cli({"save", Variant(data_, "W4", "5100.00")}).exit_code, 0);
  const std::string draft = Draft(data_);
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"--output", "json", "whatif",      "--year", "2019",
                                  "--scheme", draft,  "--page-size", "2",      "--all"};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult json = Cli(args);
    EXPECT_EQ(json.exit_code, 0) << json.err;
    whatif::v1::WhatIf result;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &result).ok()) << json.out;
    return result;
  };
  const whatif::v1::WhatIf with_cards = run({}), rescored = run({"--rescore"});
  EXPECT_EQ(with_cards.before_from_cards(), 2);  // W2 and W5
  EXPECT_EQ(rescored.before_from_cards(), 0);
  ASSERT_EQ(with_cards.all_size(), 5);
  ASSERT_EQ(rescored.all_size(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(with_cards.all(i).department_code(), rescored.all(i).department_code());
    EXPECT_EQ(with_cards.all(i).before_total(), rescored.all(i).before_total());
    EXPECT_EQ(with_cards.all(i).after_total(), rescored.all(i).after_total());
    EXPECT_EQ(with_cards.all(i).before_grade(), rescored.all(i).before_grade());
  }
  EXPECT_EQ(with_cards.before_mean(), rescored.before_mean());
  for (int i = 0; i < with_cards.indicators_size(); ++i) {
    EXPECT_EQ(with_cards.indicators(i).mean_change(), rescored.indicators(i).mean_change());
  }
  EXPECT_EQ(Cli({"whatif", "--year", "2019", "--scheme", draft, "--page-size", "0"}).exit_code, 2);
  CommandResult unnamed = Cli({"whatif", "--year", "2019", "--scheme", draft, "--out", ""});
  EXPECT_EQ(unnamed.exit_code, 2);  // not taken for no --out at all
  EXPECT_THAT(unnamed.err, HasSubstr("--out: needs a name"));
}

// A scheme that reads last year's report scores each report with its
// department's report of the year before, as `score --prior` does.
TEST_F(WhatIf, LastYearsReportIsReadForASchemeThatNeedsIt) {
  const std::string scheme = SourcePath("schemes/yueyang-dept-overall-v1.textproto");
  const std::string last = SourcePath("examples/yueyang-2019.json");
  const std::string year = SourcePath("examples/yueyang-2020.json");
  ASSERT_EQ(Cli({"save", last, year}).exit_code, 0);
  const v1::ScoreCard with = Offline(year, scheme, last);
  const v1::ScoreCard without = Offline(year, scheme);
  ASSERT_NE(with.total_score(), without.total_score());  // last year's report counts
  CommandResult json = Cli({"--output", "json", "whatif", "--year", "2020", "--scheme", scheme,
                            "--against", scheme, "--all"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  whatif::v1::WhatIf result;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &result).ok()) << json.out;
  ASSERT_EQ(result.all_size(), 1);
  EXPECT_EQ(result.all(0).before_total(), with.total_score());
  EXPECT_EQ(result.all(0).after_total(), with.total_score());
  EXPECT_EQ(result.grade_changed(), 0);
}

TEST_F(WhatIf, ABrokenDraftIsRefusedWithItsLine) {
  std::ofstream(data_ + "/broken.textproto") << "id: \"x\"\nversion: 1\nnonsense: 3\n";
  CommandResult result = Cli({"whatif", "--year", "2019", "--scheme", data_ + "/broken.textproto"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_THAT(result.err, HasSubstr("broken.textproto:3"));
  EXPECT_EQ(Cli({"whatif", "--scheme", data_ + "/broken.textproto"}).exit_code, 2);  // no --year
  EXPECT_EQ(Cli({"whatif", "--year", "2019", "--scheme", "dept-overall", "--all"}).exit_code,
            2);  // --all is for --output json
}

TEST_F(WhatIf, AnUnreachableScoringSvcIsOneErrorAndNoResult) {
  ASSERT_EQ(Cli({"save", Variant(data_, "U1", "5000")}).exit_code, 0);
  CommandResult result =
      RunCommand({BinPath("jixiao"), "--storage", storage_->address(), "--scoring", "127.0.0.1:1",
                  "--timeout", "2", "whatif", "--year", "2019", "--scheme", "dept-overall"});
  EXPECT_EQ(result.exit_code, 5) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("--scoring"));
}

}  // namespace
}  // namespace jixiao
