// One fiscal year's review, roster to approvals, through the real services
// with tokens: six rostered departments and one off the roster; fresh and
// stale cards; submitting and approving that need a fresh card, and
// explanations of error findings; reopening; the summary's progress and
// rows apart; bulk scoring; the same over HTTP where it applies; and the
// changes feed, complete, in order, scoped, and resumable across a restart.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/scoring_service.pb.h"
#include "jixiao/v1/storage_service.pb.h"
#include "tests/fixtures.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::RunCommand;
using testing::ServerProcess;
using testing::SourcePath;

const char* const kDepartments[] = {"D1", "D2", "D3", "D4", "D5", "D6"};

class ReviewCycle : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("jixiao-review");
    std::vector<testing::Principal> principals = {{"reviewer-token", "wang reviewer"},
                                                  {"admin-token", "ops admin"},
                                                  {"X9-token", "x9 department X9"}};
    for (const char* d : kDepartments) {
      principals.push_back(
          {std::string(d) + "-token", std::string("dept-") + d + " department " + d});
    }
    testing::WriteTokenFile(dir_ + "/tokens", principals);
    for (const auto& p : principals) {
      std::string who = p.token.substr(0, p.token.size() - 6);
      std::ofstream(dir_ + "/" + who + ".token") << p.token << "\n";
    }
    testing::WriteSigningKeyFile(dir_ + "/keys");
    StartStorage();
    scoring_ = std::make_unique<ServerProcess>(
        BinPath("scoring-svc"),
        std::vector<std::string>{"--tokens", dir_ + "/tokens", "--signing-keys", dir_ + "/keys",
                                 "--storage", storage_->address(), "--http-listen", ":0",
                                 "--http-port-file", dir_ + "/scoring.http"});
    ASSERT_FALSE(scoring_->address().empty()) << scoring_->Log();
    scoring_http_ = testing::ReadAddress(dir_ + "/scoring.http");
  }

  // storage-svc on the test's data directory (again, after a restart).
  void StartStorage() {
    storage_.reset();
    std::filesystem::remove(dir_ + "/storage.http");
    storage_ = std::make_unique<ServerProcess>(
        BinPath("storage-svc"),
        std::vector<std::string>{"--data-dir", dir_ + "/db", "--tokens", dir_ + "/tokens",
                                 "--signing-keys", dir_ + "/keys", "--http-listen", ":0",
                                 "--http-port-file", dir_ + "/storage.http"});
    ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
    storage_http_ = testing::ReadAddress(dir_ + "/storage.http");
  }

  CommandResult As(const std::string& who, std::vector<std::string> args) {
    std::vector<std::string> all = {
        BinPath("jixiao"),   "--storage",    storage_->address(),        "--scoring",
        scoring_->address(), "--token-file", dir_ + "/" + who + ".token"};
    all.insert(all.end(), args.begin(), args.end());
    return RunCommand(all);
  }

  // curl as `who`: the status code and the body.
  std::pair<int, std::string> Http(const std::string& who, const std::string& verb,
                                   const std::string& path, const std::string& body = "",
                                   const std::string& address = "") {
    std::vector<std::string> headers = {"Authorization: Bearer " + who + "-token"};
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    testing::HttpAnswer answer =
        testing::Curl(address.empty() ? storage_http_ : address, verb, path, headers, body);
    return {answer.status, answer.body};
  }

  // The seed's figures as department `code`'s report for 2019; `clean`
  // drops the declared Q2 figures the seed contradicts (its one error) and
  // the mean they feed.
  std::string ReportFile(const std::string& code, bool clean, const std::string& actual = "") {
    v1::Report report;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(
                    ReadFile(SourcePath("examples/longhua-2019.json")), &report)
                    .ok());
    report.mutable_identity()->set_department_code(code);
    report.mutable_identity()->set_department_name("测试部门" + code);
    if (clean) {
      report.mutable_quarterly()->mutable_q2()->clear_declared_progress();
      report.mutable_quarterly()->mutable_q2()->clear_declared_execution_rate();
      report.mutable_quarterly()->clear_declared_mean_execution_rate();
    }
    if (!actual.empty()) report.mutable_procurement()->mutable_actual()->set_value(actual);
    report.mutable_procurement()->clear_declared_execution_rate();
    std::string json;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(report, &json).ok());
    std::string path = dir_ + "/" + code + (clean ? "-clean" : "") + actual + ".json";
    std::ofstream(path) << json;
    return path;
  }

  // Every change the feed gives `who` after `since`, as JSON objects.
  std::vector<v1::Change> Changes(const std::string& who, int64_t since = 0) {
    CommandResult listed = As(who, {"changes", "--since", std::to_string(since), "-o", "json"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    std::vector<v1::Change> changes;
    for (absl::string_view line : absl::StrSplit(listed.out, '\n', absl::SkipEmpty())) {
      v1::Change change;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &change).ok())
          << line;
      changes.push_back(change);
    }
    return changes;
  }

  std::string dir_, storage_http_, scoring_http_;
  std::unique_ptr<ServerProcess> storage_, scoring_;
};

TEST_F(ReviewCycle, RosterToApprovals) {
  // The administrator sets the roster; nobody else may.
  std::ofstream(dir_ + "/roster.csv")
      << "code,name,group\r\n"
         "D1,测试部门D1,行政\r\nD2,测试部门D2,行政\r\n"
         "D3,测试部门D3,事业\r\nD4,测试部门D4,事业\r\n"
         "D5,测试部门D5,行政\r\n\"D6\",\"测试部门D6, 本级\",事业\r\n";
  EXPECT_EQ(As("reviewer", {"admin", "roster", "--year", "2019", dir_ + "/roster.csv"}).exit_code,
            4);
  // A bad file is refused naming its line, and nothing is set.
  std::ofstream(dir_ + "/bad.csv") << "D1,测试部门D1\nD2,\"unclosed\nD3,x\n";
  CommandResult bad = As("admin", {"admin", "roster", "--year", "2019", dir_ + "/bad.csv"});
  EXPECT_EQ(bad.exit_code, 4);
  EXPECT_THAT(bad.err, HasSubstr("bad.csv line 2: a quoted field is not closed"));
  std::ofstream(dir_ + "/twice.csv") << "D1,一\nD2,二\nD1,又一\n";
  CommandResult twice = As("admin", {"admin", "roster", "--year", "2019", dir_ + "/twice.csv"});
  EXPECT_EQ(twice.exit_code, 4);
  EXPECT_THAT(twice.err, HasSubstr("line 3, department_code: repeats line 1's D1"));
  EXPECT_EQ(As("admin", {"admin", "roster", "--year", "2019"}).exit_code, 4);  // none yet
  EXPECT_EQ(As("admin", {"admin", "roster", "--year", "2019", dir_ + "/absent.csv"}).exit_code, 1);
  CommandResult rostered = As("admin", {"admin", "roster", "--year", "2019", dir_ + "/roster.csv"});
  ASSERT_EQ(rostered.exit_code, 0) << rostered.err;
  EXPECT_THAT(rostered.out, HasSubstr("6 departments must report"));
  CommandResult shown = As("reviewer", {"admin", "roster", "--year", "2019"});
  EXPECT_THAT(shown.out, HasSubstr("测试部门D6, 本级"));

  // D1, D2, D4 clean; D3 keeps the seed's error; D5 a draft only; D6
  // nothing; X9 is off the roster.
  for (const char* d : {"D1", "D2", "D4"})
    ASSERT_EQ(As(d, {"save", ReportFile(d, true)}).exit_code, 0);
  ASSERT_EQ(As("D3", {"save", ReportFile("D3", false)}).exit_code, 0);
  ASSERT_EQ(As("D5", {"save", ReportFile("D5", true)}).exit_code, 0);
  ASSERT_EQ(As("X9", {"save", ReportFile("X9", true)}).exit_code, 0);

  // A card, then new figures: the card is stale, shown so, and not ranked.
  ASSERT_EQ(As("D1", {"score", "D1/2019"}).exit_code, 0);
  ASSERT_EQ(As("D1", {"save", ReportFile("D1", true, "3000")}).exit_code, 0);
  CommandResult card = As("D1", {"card", "D1/2019"});
  EXPECT_THAT(card.out + card.err, HasSubstr("需重新评分"));
  auto [card_status, card_body] = Http("D1", "GET", "/v1/reports/D1/2019/card");
  EXPECT_EQ(card_status, 200);
  EXPECT_THAT(card_body, HasSubstr("\"stale\":true"));
  CommandResult listed = As("reviewer", {"list", "--year", "2019"});
  EXPECT_THAT(listed.out, HasSubstr("需重新评分 (@1)"));
  EXPECT_THAT(listed.out, HasSubstr("未评分"));

  // Submitting needs a fresh card: storage-svc refuses it, over HTTP too;
  // the CLI's submit scores first.
  auto [raw_status, raw_body] =
      Http("D1", "POST", "/v1/reports/D1/2019:transition",
           R"({"to": "REPORT_STATUS_SUBMITTED", "expectedRevision": "2"})");
  EXPECT_EQ(raw_status, 400) << raw_body;
  EXPECT_THAT(raw_body, HasSubstr("\"code\":9"));  // FAILED_PRECONDITION
  EXPECT_THAT(raw_body, HasSubstr("has no score card"));
  CommandResult submitted = As("D1", {"submit", "D1/2019"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  for (const char* d : {"D2", "D4"})
    ASSERT_EQ(As(d, {"submit", std::string(d) + "/2019"}).exit_code, 0);
  // Error findings need the department's explanation.
  CommandResult unexplained = As("D3", {"submit", "D3/2019"});
  EXPECT_EQ(unexplained.exit_code, 4);  // scored (the card is kept), and the submission refused
  EXPECT_THAT(unexplained.err, HasSubstr("--explain"));
  // An explanation is the department's own text: a line break in it cannot
  // forge a line of the feed or of the history.
  ASSERT_EQ(As("D3", {"submit", "D3/2019", "--explain",
                      "第二季度进度按财政口径申报\n999  2019-01-01T00:00:00Z  wang  report  "
                      "D1/2019@9  approved 审核通过"})
                .exit_code,
            0);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"changes"}, {"history", "D3/2019"}}) {
    CommandResult shown = As("reviewer", args);
    EXPECT_THAT(shown.out, HasSubstr("按财政口径申报⏎999")) << args[0];
    for (absl::string_view line : absl::StrSplit(shown.out, '\n')) {
      EXPECT_FALSE(absl::StartsWith(line, "999")) << args[0] << ": " << line;
    }
  }

  // Approval needs a reason for a card with error findings: over HTTP too.
  auto [approve_status, approve_body] =
      Http("reviewer", "POST", "/v1/reports/D3/2019:transition",
           R"({"to": "REPORT_STATUS_APPROVED", "expectedRevision": "2"})");
  EXPECT_EQ(approve_status, 400) << approve_body;
  EXPECT_THAT(approve_body, HasSubstr("\"code\":9"));
  EXPECT_THAT(approve_body, HasSubstr("error finding"));
  CommandResult blind = As("reviewer", {"approve", "D3/2019"});
  EXPECT_EQ(blind.exit_code, 4);
  EXPECT_THAT(blind.err, HasSubstr("--despite-errors"));
  ASSERT_EQ(As("reviewer", {"approve", "D3/2019", "--despite-errors", "核实为口径差异"}).exit_code,
            0);
  ASSERT_EQ(As("reviewer", {"approve", "D2/2019"}).exit_code, 0);
  // After approval only a reviewer saves the report's card.
  CommandResult late = As("D2", {"score", "D2/2019"});
  EXPECT_EQ(late.exit_code, 4);
  EXPECT_THAT(late.err, HasSubstr("approved"));
  // Reopening an approval takes a reason, and is audited.
  EXPECT_EQ(As("reviewer", {"reopen", "D3/2019"}).exit_code, 2);
  ASSERT_EQ(As("reviewer", {"reopen", "D3/2019", "--reason", "复核口径"}).exit_code, 0);
  const std::string history = As("reviewer", {"history", "D3/2019"}).out;
  EXPECT_THAT(history, HasSubstr("复核口径"));
  EXPECT_THAT(history, HasSubstr("create 创建"));  // revision 1, as the site's page says
  EXPECT_THAT(history, HasSubstr("status 状态变更"));

  // Over HTTP, one call to scoring-svc scores a stored report with its
  // year's scheme and saves the card, as the caller: storage-svc decides.
  auto [scored_status, scored_body] =
      Http("D5", "POST", "/v1/reports/D5/2019:score", "{}", scoring_http_);
  ASSERT_EQ(scored_status, 200) << scored_body;
  v1::ScoreStoredResponse scored;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(scored_body, &scored).ok());
  EXPECT_EQ(scored.card().report().revision(), 1);
  EXPECT_TRUE(scored.card().has_saved_time());  // the card as stored
  EXPECT_THAT(Http("D5", "GET", "/v1/reports/D5/2019/card").second, Not(HasSubstr("\"stale\"")));
  EXPECT_EQ(Http("D1", "POST", "/v1/reports/D5/2019:score", "{}", scoring_http_).first, 403);
  EXPECT_EQ(Http("D2", "POST", "/v1/reports/D2/2019:score", "{}", scoring_http_).first, 403)
      << "approved: only a reviewer saves its card";
  EXPECT_EQ(Http("reviewer", "POST", "/v1/reports/D2/2019:score", "{}", scoring_http_).first, 200);

  // The summary: progress over the roster, submitted and approved reports
  // ranked, the rest apart; 未提交 for D6, X9 flagged.
  CommandResult summary = As("reviewer", {"summary", "--year", "2019"});
  EXPECT_EQ(summary.exit_code, 3) << summary.err;  // D3's card has an error finding
  EXPECT_THAT(summary.out, HasSubstr("名册 6 个部门：未提交 1，草稿 1，已提交 2，已退回 1，"
                                     "审核通过 1；名册外 1"));
  CommandResult json = As("reviewer", {"summary", "--year", "2019", "-o", "json"});
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &parsed).ok()) << json.out;
  std::map<std::string, google::protobuf::Struct> rows;
  for (const auto& row : parsed.fields().at("rows").list_value().values()) {
    rows[row.struct_value().fields().at("code").string_value()] = row.struct_value();
  }
  ASSERT_EQ(rows.size(), 7u);
  auto field = [&](const std::string& code, const std::string& name) {
    return rows[code].fields().at(name);
  };
  for (const char* ranked : {"D1", "D2", "D4"}) EXPECT_GT(field(ranked, "rank").number_value(), 0);
  EXPECT_EQ(field("D3", "apart").string_value(), "已退回");
  EXPECT_EQ(field("D3", "error_subjects").list_value().values(0).string_value(), "q2_progress");
  EXPECT_EQ(field("D5", "apart").string_value(), "草稿");
  EXPECT_EQ(field("D6", "apart").string_value(), "未提交");
  EXPECT_EQ(field("D6", "group").string_value(), "事业");
  EXPECT_TRUE(field("X9", "off_roster").bool_value());
  EXPECT_EQ(field("D1", "card_revision").number_value(), 2);
  EXPECT_FALSE(field("D1", "card_time").string_value().empty());
  EXPECT_FALSE(parsed.fields().at("average_total").string_value().empty());

  // The bureau's workbook: numbers as numbers, a frozen header with filters,
  // read by an independent reader (openpyxl).
  const std::string book = dir_ + "/summary-2019.xlsx";
  CommandResult xlsx = As("reviewer", {"summary", "--year", "2019", "-f", "xlsx", "--out", book});
  EXPECT_EQ(xlsx.exit_code, 3) << xlsx.err;
  if (RunCommand({"/usr/bin/python3", "-c", "import openpyxl"}).exit_code == 0) {
    CommandResult read = RunCommand(
        {"/usr/bin/python3", "-c",
         "import openpyxl, sys\n"
         "ws = openpyxl.load_workbook(sys.argv[1]).active\n"
         "header = [c.value for c in ws[3]]\n"
         "total = header.index('得分') + 1\n"
         "rows = {ws.cell(r, 2).value: ws.cell(r, total).value for r in range(4, ws.max_row + 1)}\n"
         "gap = header.index('差额') + 1\n"
         "signed = sorted({ws.cell(r, gap).number_format for r in range(4, ws.max_row + 1)"
         " if isinstance(ws.cell(r, gap).value, float)})\n"
         "print(ws.freeze_panes, ws.auto_filter.ref, type(rows['D2']).__name__, rows['D2'],"
         " ws.cell(2, 1).value, signed)\n",
         book});
    ASSERT_EQ(read.exit_code, 0) << read.err;
    EXPECT_THAT(read.out, HasSubstr("D4 A3:S10 float 97.06 名册 6 个部门"));
    EXPECT_THAT(read.out, HasSubstr("['+0.00;-0.00;0.00']"));  // a gap keeps its sign
  }

  // Bulk scoring: every stored report of the year, one line each.
  CommandResult bulk = As("reviewer", {"score", "--year", "2019"});
  EXPECT_EQ(bulk.exit_code, 3) << bulk.err;
  for (const char* d : {"D1/2019", "D2/2019", "D3/2019", "D4/2019", "D5/2019", "X9/2019"}) {
    EXPECT_THAT(bulk.out, HasSubstr(d));
  }
  EXPECT_THAT(bulk.out, Not(HasSubstr("D6/2019")));

  // Over HTTP: the roster for reviewers, not departments; a department's
  // feed is its own.
  EXPECT_EQ(Http("reviewer", "GET", "/v1/years/2019/roster").first, 200);
  EXPECT_EQ(Http("D1", "GET", "/v1/years/2019/roster").first, 403);
  EXPECT_EQ(Http("reviewer", "PUT", "/v1/years/2020/roster",
                 R"({"entries": [{"departmentCode": "D1", "name": "一"}]})")
                .first,
            403);
  EXPECT_EQ(Http("admin", "PUT", "/v1/years/2020/roster",
                 R"({"entries": [{"departmentCode": "D1", "name": "一"}]})")
                .first,
            200);
  auto [feed_status, feed_body] = Http("D2", "GET", "/v1/changes?after=0&pageSize=1000");
  EXPECT_EQ(feed_status, 200);
  v1::ListChangesResponse feed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(feed_body, &feed).ok()) << feed_body;
  ASSERT_FALSE(feed.changes().empty());
  for (const v1::Change& change : feed.changes()) EXPECT_EQ(change.key().department_code(), "D2");

  // The feed: every report and card write of the test once, in the order
  // the audit trail has them.
  std::vector<v1::Change> all = Changes("reviewer");
  CommandResult audit = As("reviewer", {"audit", "--all", "-o", "json"});
  std::vector<std::string> writes;
  for (absl::string_view line : absl::StrSplit(audit.out, '\n', absl::SkipEmpty())) {
    v1::AuditRecord record;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &record).ok());
    static const std::set<std::string> kFed = {"CreateReport", "UpdateReport", "TransitionReport",
                                               "DeleteReport", "SaveScoreCard"};
    if (kFed.count(record.method())) {
      writes.push_back((record.method() == "SaveScoreCard" ? "card " : "report ") +
                       record.target());
    }
  }
  std::vector<std::string> fed;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].sequence(), static_cast<int64_t>(i) + 1);
    int64_t revision = all[i].has_card() ? all[i].card().revision() : all[i].revision().revision();
    fed.push_back((all[i].has_card() ? "card " : "report ") + all[i].key().department_code() +
                  "/2019@" + std::to_string(revision));
  }
  EXPECT_EQ(fed, writes);
  for (const v1::Change& change : Changes("D3")) EXPECT_EQ(change.key().department_code(), "D3");

  // A mirror that read half, then storage-svc restarts, then more is
  // written: from its cursor it gets the rest, nothing twice.
  const int64_t half = static_cast<int64_t>(all.size() / 2);
  ASSERT_NO_FATAL_FAILURE(StartStorage());
  ASSERT_EQ(As("D5", {"save", ReportFile("D5", true, "4000")}).exit_code, 0);
  std::vector<v1::Change> rest = Changes("reviewer", half);
  ASSERT_EQ(rest.size(), all.size() - half + 1);
  EXPECT_EQ(rest.front().sequence(), half + 1);
  EXPECT_EQ(rest.back().key().department_code(), "D5");
  EXPECT_EQ(rest.back().sequence(), static_cast<int64_t>(all.size()) + 1);
  // A cursor past the end (a store restored from an older backup) is
  // refused, not silently empty.
  CommandResult past = As("reviewer", {"changes", "--since", "100000"});
  EXPECT_EQ(past.exit_code, 4);
  EXPECT_THAT(past.err, HasSubstr("past the latest change"));
}

// --follow waits for new changes and prints each as it is committed.
TEST_F(ReviewCycle, FollowingTheFeed) {
  ASSERT_EQ(As("D1", {"save", ReportFile("D1", true)}).exit_code, 0);
  CommandResult followed;
  std::thread follower([&] {
    followed = RunCommand({"/usr/bin/timeout", "6", BinPath("jixiao"), "--storage",
                           storage_->address(), "--token-file", dir_ + "/reviewer.token", "changes",
                           "--follow", "--interval", "0.2"});
  });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_EQ(As("D2", {"save", ReportFile("D2", true)}).exit_code, 0);
  follower.join();
  EXPECT_EQ(followed.exit_code, 124);  // stopped by timeout, still following
  EXPECT_THAT(followed.out, HasSubstr("1  "));
  EXPECT_THAT(followed.out, HasSubstr("D1/2019@1"));
  EXPECT_THAT(followed.out, HasSubstr("D2/2019@1"));
}

}  // namespace
}  // namespace jixiao
