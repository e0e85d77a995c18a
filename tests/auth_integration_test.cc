// Bearer tokens and roles against the real services: who may read, write,
// move, publish and back up what; refusals change nothing; writes record
// the authenticated principal, not what the caller declares.

#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "common/auth/tokens.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "tests/fixtures.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using ::testing::HasSubstr;
using testing::RunCommand;
using testing::ServerProcess;
using testing::SourcePath;

const std::string kSeed = SourcePath("examples/longhua-2019.json");

class Auth : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("jixiao-auth");
    testing::WriteTokenFile(dir_ + "/tokens", {{"lh-token", "lh department LH-ZWFWSJGLJ"},
                                               {"other-token", "other department OTHER"},
                                               {"reviewer-token", "wang reviewer"},
                                               {"admin-token", "ops admin"}});
    for (const char* who : {"lh", "other", "reviewer", "admin", "wrong"}) {
      std::ofstream(dir_ + "/" + who + ".token") << who << "-token\n";
    }
    std::ofstream(dir_ + "/wrong.token") << "not-a-token\n";
    std::ofstream(dir_ + "/keys") << "# newest first\nk2 " << std::string(64, 'b') << "\nk1 "
                                  << std::string(64, 'a') << "\n";
    testing::SecuredServices services = testing::StartSecuredServices(dir_);
    storage_ = std::move(services.storage);
    scoring_ = std::move(services.scoring);
    ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
    ASSERT_FALSE(scoring_->address().empty()) << scoring_->Log();
  }

  // Runs the CLI as `who` ("" for no token at all).
  testing::CommandResult As(const std::string& who, std::vector<std::string> args) {
    std::vector<std::string> all = {BinPath("jixiao"), "--storage",         storage_->address(),
                                    "--scoring",       scoring_->address(), "--as",
                                    "someone-else"};
    if (!who.empty()) {
      all.push_back("--token-file");
      all.push_back(dir_ + "/" + who + ".token");
    }
    all.insert(all.end(), args.begin(), args.end());
    return RunCommand(all);
  }

  // What a reviewer can see, to show a refusal changed nothing.
  std::string Snapshot() {
    std::string all = As("reviewer", {"list", "--all", "-o", "json"}).out;
    for (const char* ref : {"LH-ZWFWSJGLJ/2019"}) all += As("reviewer", {"history", ref}).out;
    return all;
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> storage_, scoring_;
};

TEST_F(Auth, MissingOrUnknownTokensAreUnauthenticated) {
  testing::CommandResult none = As("", {"list"});
  EXPECT_EQ(none.exit_code, 4);
  EXPECT_THAT(none.err, HasSubstr("no credentials"));
  testing::CommandResult wrong = As("wrong", {"list"});
  EXPECT_EQ(wrong.exit_code, 4);
  EXPECT_THAT(wrong.err, HasSubstr("unknown token"));
  EXPECT_THAT(none.err, HasSubstr("set JIXIAO_TOKEN"));
  // A token file that cannot be read is a mistake on the command line; one
  // that others can read is worth a warning.
  auto with_token_file = [&](const std::string& file) {
    return RunCommand(
        {BinPath("jixiao"), "--storage", storage_->address(), "--token-file", file, "list"});
  };
  EXPECT_EQ(with_token_file(dir_ + "/absent.token").exit_code, 2);
  std::ofstream(dir_ + "/empty.token").close();
  testing::CommandResult empty = with_token_file(dir_ + "/empty.token");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_THAT(empty.err, HasSubstr("empty.token: cannot be read, or holds no token"));
  ASSERT_EQ(::chmod((dir_ + "/lh.token").c_str(), 0644), 0);
  EXPECT_THAT(As("lh", {"list"}).err, HasSubstr("can be read by other users (mode 644)"));
  ASSERT_EQ(::chmod((dir_ + "/lh.token").c_str(), 0600), 0);
  EXPECT_THAT(As("lh", {"list"}).err, ::testing::Not(HasSubstr("warning")));
  EXPECT_EQ(As("", {"score", kSeed}).exit_code, 4);  // scoring-svc authenticates too
  EXPECT_EQ(As("", {"score", kSeed, kSeed, "--stream"}).exit_code, 4);
  EXPECT_EQ(As("lh", {"score", kSeed}).exit_code, 3);  // scored: the seed's Q2 error
  EXPECT_THAT(storage_->Log(), HasSubstr("refused ListReports"));
}

TEST_F(Auth, DepartmentsKeepToTheirOwnReports) {
  testing::CommandResult submitted = As("lh", {"save", kSeed});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  const std::string before = Snapshot();
  // submit reads the latest revision first, and may not.
  testing::CommandResult foreign_submit = As("other", {"save", kSeed});
  EXPECT_EQ(foreign_submit.exit_code, 4);
  EXPECT_THAT(foreign_submit.err, HasSubstr("may read only department OTHER's reports"));
  testing::CommandResult foreign_write = As("other", {"save", "--expect-revision", "1", kSeed});
  EXPECT_EQ(foreign_write.exit_code, 4);
  EXPECT_THAT(foreign_write.err, HasSubstr("may write only department OTHER's reports"));
  testing::CommandResult foreign_read = As("other", {"get", "LH-ZWFWSJGLJ/2019"});
  EXPECT_EQ(foreign_read.exit_code, 4);
  EXPECT_THAT(foreign_read.err, HasSubstr("may read only department OTHER's reports"));
  EXPECT_EQ(As("other", {"history", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  EXPECT_EQ(As("other", {"list", "--department", "LH-ZWFWSJGLJ"}).exit_code, 4);
  EXPECT_EQ(As("other", {"submit", "LH-ZWFWSJGLJ/2019", "--expect-revision", "1"}).exit_code, 4);
  // Without --expect-revision the command reads the report first; the
  // refusal still speaks of the change asked for, not of a read.
  for (const char* action : {"submit", "delete", "approve"}) {
    testing::CommandResult refused = As("other", {action, "LH-ZWFWSJGLJ/2019"});
    EXPECT_EQ(refused.exit_code, 4) << action;
    EXPECT_THAT(refused.err, ::testing::Not(HasSubstr("may read only"))) << action;
    EXPECT_THAT(refused.err, HasSubstr("other (department) may")) << action;
  }
  EXPECT_EQ(As("other", {"delete", "LH-ZWFWSJGLJ/2019", "--expect-revision", "1"}).exit_code, 4);
  // Listing without a department lists one's own: nothing for OTHER.
  testing::CommandResult own = As("other", {"list", "-o", "json"});
  EXPECT_EQ(own.exit_code, 0);
  EXPECT_EQ(own.out, "");
  EXPECT_EQ(As("other", {"summary", "--year", "2019"}).exit_code, 4);  // cards of all departments
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(Auth, RolesMoveTheLifecycleAndAuthorsAreThePrincipals) {
  ASSERT_EQ(As("lh", {"save", kSeed}).exit_code, 0);
  const std::string before = Snapshot();
  EXPECT_EQ(As("reviewer", {"save", "--expect-revision", "1", kSeed}).exit_code,
            4);  // reviewers do not write reports
  EXPECT_EQ(As("lh", {"approve", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  EXPECT_EQ(As("admin", {"approve", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  EXPECT_EQ(Snapshot(), before);
  // A reviewer's submit scores the report (reviewers may) and is refused.
  EXPECT_EQ(As("reviewer", {"submit", "LH-ZWFWSJGLJ/2019", "--explain", "x"}).exit_code, 4);
  // The seed's card has an error finding: submitted with an explanation,
  // approved with a reason.
  const std::vector<std::string> explain = {"--explain", "第二季度数据以财政系统为准"};
  auto submit = [&] {
    std::vector<std::string> args = {"submit", "LH-ZWFWSJGLJ/2019"};
    args.insert(args.end(), explain.begin(), explain.end());
    return As("lh", args).exit_code;
  };
  EXPECT_EQ(As("lh", {"submit", "LH-ZWFWSJGLJ/2019"}).exit_code,
            4);  // errors, not explained: refused
  ASSERT_EQ(submit(), 0);
  ASSERT_EQ(As("reviewer", {"return", "LH-ZWFWSJGLJ/2019", "--reason", "Q2 有误"}).exit_code, 0);
  ASSERT_EQ(submit(), 0);
  EXPECT_EQ(As("reviewer", {"approve", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  ASSERT_EQ(
      As("reviewer", {"approve", "LH-ZWFWSJGLJ/2019", "--despite-errors", "差异已核实"}).exit_code,
      0);
  testing::CommandResult history = As("lh", {"history", "LH-ZWFWSJGLJ/2019"});
  EXPECT_THAT(history.out, HasSubstr("lh"));
  EXPECT_THAT(history.out, HasSubstr("wang"));
  EXPECT_THAT(history.out, ::testing::Not(HasSubstr("someone-else")));  // declared, not trusted
  // Reviewers score any report; the department reads its own card.
  EXPECT_EQ(As("reviewer", {"score", "LH-ZWFWSJGLJ/2019"}).exit_code, 3);
  EXPECT_EQ(As("lh", {"card", "LH-ZWFWSJGLJ/2019"}).exit_code, 3);
  EXPECT_EQ(As("other", {"card", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  EXPECT_EQ(As("reviewer", {"summary", "--year", "2019"}).exit_code, 3);  // the seed's Q2 error
  // The audit trail has every write with its principal; departments may not read it.
  testing::CommandResult trail =
      As("reviewer", {"audit", "--target", "LH-ZWFWSJGLJ/2019", "--all"});
  EXPECT_EQ(trail.exit_code, 0) << trail.err;
  for (const char* line :
       {"lh  ", "CreateReport", "TransitionReport", "returned", "approved", "SaveScoreCard"}) {
    EXPECT_THAT(trail.out, HasSubstr(line));
  }
  testing::CommandResult mine = As("reviewer", {"audit", "--principal", "wang", "-o", "json"});
  // The card its refused submit saved (it scores first), return, approve,
  // the card of its score.
  EXPECT_EQ(std::count(mine.out.begin(), mine.out.end(), '\n'), 4) << mine.out;
  EXPECT_EQ(As("lh", {"audit"}).exit_code, 4);
}

TEST_F(Auth, OnlyAdministratorsPublishAndBackUp) {
  const std::string scheme = SourcePath("schemes/dept-overall-v1.textproto");
  EXPECT_EQ(As("lh", {"admin", "publish", scheme}).exit_code, 4);
  EXPECT_EQ(As("reviewer", {"admin", "publish", scheme}).exit_code, 4);
  testing::CommandResult published = As("admin", {"admin", "publish", scheme});
  EXPECT_EQ(published.exit_code, 0) << published.err;
  EXPECT_THAT(published.out, HasSubstr("published dept-overall@1"));
  EXPECT_EQ(As("lh", {"admin", "backup", dir_ + "/backup"}).exit_code, 4);
  EXPECT_EQ(As("admin", {"admin", "backup", dir_ + "/backup"}).exit_code, 0);
}

TEST_F(Auth, APublishedSchemesProblemsArePrintedOnceEach) {
  // The default scheme with one weight raised: its parent and the total no
  // longer add up.
  std::string text = testing::ReadFile(SourcePath("schemes/dept-overall-v1.textproto"));
  const size_t at = text.find("weight: \"20\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 12, "weight: \"21\"");
  const std::string path = dir_ + "/unbalanced.textproto";
  std::ofstream(path) << text;
  testing::CommandResult refused = As("admin", {"admin", "publish", path});
  EXPECT_EQ(refused.exit_code, 4);
  std::vector<std::string> lines = absl::StrSplit(refused.err, '\n', absl::SkipEmpty());
  lines.erase(std::remove_if(
                  lines.begin(), lines.end(),
                  [](const std::string& line) { return line.rfind("jixiao: warning:", 0) == 0; }),
              lines.end());
  // "... has N problems:", then N lines, one per problem.
  ASSERT_GE(lines.size(), 3u) << refused.err;
  const size_t has = lines[0].find(" has ");
  ASSERT_NE(has, std::string::npos) << lines[0];
  const int problems = std::atoi(lines[0].c_str() + has + 5);
  EXPECT_GE(problems, 2) << lines[0];
  EXPECT_EQ(lines.size(), static_cast<size_t>(problems) + 1) << refused.err;
}

template <typename Stub, typename Request, typename Response>
grpc::Status CallAs(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context.AddMetadata("authorization", "Bearer " + token);
  return (stub.*method)(&context, request, response);
}

TEST_F(Auth, OnlyCardsSignedOverTheStoredRevisionAreKept) {
  using Storage = v1::StorageService::Stub;
  using Scoring = v1::ScoringService::Stub;
  auto storage = v1::StorageService::NewStub(
      grpc::CreateChannel(storage_->address(), grpc::InsecureChannelCredentials()));
  auto scoring = v1::ScoringService::NewStub(
      grpc::CreateChannel(scoring_->address(), grpc::InsecureChannelCredentials()));
  ASSERT_EQ(As("lh", {"save", kSeed}).exit_code, 0);
  v1::GetReportRequest get;
  get.mutable_key()->set_department_code("LH-ZWFWSJGLJ");
  get.mutable_key()->set_fiscal_year(2019);
  v1::GetReportResponse stored;
  ASSERT_TRUE(CallAs(*storage, &Storage::GetReport, "lh-token", get, &stored).ok());

  v1::ScoreRequest score;
  *score.mutable_report() = stored.revision().report();
  score.set_report_revision(1);
  v1::ScoreResponse scored;
  ASSERT_TRUE(CallAs(*scoring, &Scoring::Score, "lh-token", score, &scored).ok());
  EXPECT_EQ(scored.card().signature().key_id(), "k2");

  auto save = [&](const v1::ScoreCard& card) {
    v1::SaveScoreCardRequest request;
    *request.mutable_card() = card;
    v1::SaveScoreCardResponse response;
    return CallAs(*storage, &Storage::SaveScoreCard, "lh-token", request, &response);
  };
  v1::ScoreCard forged = scored.card();
  forged.set_total_score("100.00");
  v1::ScoreCard unsigned_card = scored.card();
  unsigned_card.clear_signature();
  v1::ScoreCard moved = scored.card();  // the same card claimed for another revision
  moved.mutable_report()->set_revision(2);
  // A correctly signed card of a different report body than revision 1's.
  v1::ScoreRequest other = score;
  other.mutable_report()->mutable_procurement()->mutable_actual()->set_value("5000");
  v1::ScoreResponse other_scored;
  ASSERT_TRUE(CallAs(*scoring, &Scoring::Score, "lh-token", other, &other_scored).ok());
  for (const auto& [name, card] : std::vector<std::pair<std::string, v1::ScoreCard>>{
           {"forged total", forged},
           {"unsigned", unsigned_card},
           {"another revision", moved},
           {"another report body", other_scored.card()}}) {
    grpc::Status status = save(card);
    EXPECT_TRUE(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                status.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
        << name << ": " << status.error_message();
  }
  v1::GetScoreCardRequest card_request;
  *card_request.mutable_key() = get.key();
  v1::GetScoreCardResponse none;
  EXPECT_EQ(CallAs(*storage, &Storage::GetScoreCard, "lh-token", card_request, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);  // nothing refused was kept
  ASSERT_TRUE(save(scored.card()).ok());
  v1::GetScoreCardResponse kept;
  ASSERT_TRUE(CallAs(*storage, &Storage::GetScoreCard, "lh-token", card_request, &kept).ok());
  EXPECT_EQ(kept.card().total_score(), "97.06");
}

// The attack an outside test made: the official scheme's id and version over
// rules eased by hand, scored and signed by scoring-svc, then stored as the
// official score; and, once approved, the reviewer's card overwritten.
TEST_F(Auth, OnlyCardsOfTheOfficialSchemeAreKeptAndApprovedCardsAreTheBureaus) {
  std::string eased = testing::ReadFile(SourcePath("schemes/dept-overall-v1.textproto"));
  ASSERT_FALSE(eased.empty());
  // Standards of 1% where the official rules ask for 100%.
  for (const std::string from : {"proportional { standard: \"100\"", "\n          standard: \"100\""}) {
    const std::string to = from.substr(0, from.size() - 4) + "1\"";
    for (size_t at = eased.find(from); at != std::string::npos; at = eased.find(from, at)) {
      eased.replace(at, from.size(), to);
    }
  }
  const std::string forged = dir_ + "/forged.textproto";
  std::ofstream(forged) << eased;
  // Scored offline under the changed rules, the seed scores otherwise, under
  // the official scheme's name.
  testing::CommandResult offline = RunCommand({BinPath("jixiao"), "score", "--scheme", forged,
                                               kSeed, "-o", "json"});
  ASSERT_NE(offline.out.find("\"scheme_id\": \"dept-overall\""), std::string::npos);
  ASSERT_NE(offline.out.find("\"total_score\": \""), std::string::npos);
  ASSERT_EQ(offline.out.find("\"total_score\": \"97.06\""), std::string::npos);

  ASSERT_EQ(As("lh", {"save", kSeed}).exit_code, 0);
  ASSERT_EQ(As("lh", {"score", "LH-ZWFWSJGLJ/2019"}).exit_code, 3);  // the official card
  testing::CommandResult refused =
      As("lh", {"score", "--scheme", forged, "LH-ZWFWSJGLJ/2019"});
  EXPECT_EQ(refused.exit_code, 4) << refused.out;
  EXPECT_THAT(refused.err, HasSubstr("not scored with scheme dept-overall@1 as published"));
  EXPECT_THAT(refused.err, HasSubstr("card.scheme_sha256"));
  EXPECT_THAT(As("reviewer", {"card", "LH-ZWFWSJGLJ/2019"}).out, HasSubstr("97.06"));

  // Once approved, the department saves no more cards; a reviewer does.
  ASSERT_EQ(
      As("lh", {"submit", "LH-ZWFWSJGLJ/2019", "--explain", "二季度数据以财政系统为准"}).exit_code,
      0);
  ASSERT_EQ(
      As("reviewer", {"approve", "LH-ZWFWSJGLJ/2019", "--despite-errors", "已核实"}).exit_code, 0);
  testing::CommandResult late = As("lh", {"score", "LH-ZWFWSJGLJ/2019"});
  EXPECT_EQ(late.exit_code, 4);
  EXPECT_THAT(late.err, HasSubstr("approved"));
  EXPECT_EQ(As("reviewer", {"score", "LH-ZWFWSJGLJ/2019"}).exit_code, 3);
  testing::CommandResult summary = As("reviewer", {"summary", "--year", "2019", "-f", "csv"});
  EXPECT_EQ(summary.exit_code, 3) << summary.err;
  EXPECT_THAT(summary.out, HasSubstr("97.06"));
  EXPECT_THAT(summary.out, ::testing::Not(HasSubstr("100.00")));
}

// Saving a file, deleting the draft, and saving the same file again
// creates the report again: revision 3, not a replay of the first create.
TEST_F(Auth, SubmittingADeletedDraftAgainCreatesItAgain) {
  ASSERT_EQ(As("lh", {"save", kSeed}).exit_code, 0);
  ASSERT_EQ(As("lh", {"delete", "LH-ZWFWSJGLJ/2019"}).exit_code, 0);
  testing::CommandResult again = As("lh", {"save", kSeed});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("LH-ZWFWSJGLJ/2019@3 created"));
  testing::CommandResult got = As("lh", {"get", "LH-ZWFWSJGLJ/2019", "-o", "json"});
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_THAT(got.out, HasSubstr("\"revision\": \"3\""));
  EXPECT_THAT(got.out, HasSubstr("REPORT_STATUS_DRAFT"));
  // Who, when, status and whose report; the figures only with --report.
  EXPECT_THAT(got.out, HasSubstr("department_name"));
  EXPECT_THAT(got.out, ::testing::Not(HasSubstr("procurement")));
  EXPECT_THAT(As("lh", {"get", "--report", "LH-ZWFWSJGLJ/2019"}).out, HasSubstr("procurement"));
}

TEST_F(Auth, IdempotencyKeysAreEachPrincipalsOwn) {
  using Storage = v1::StorageService::Stub;
  auto storage = v1::StorageService::NewStub(
      grpc::CreateChannel(storage_->address(), grpc::InsecureChannelCredentials()));
  auto create = [&](const std::string& token, const std::string& dept) {
    v1::CreateReportRequest request;
    request.mutable_report()->mutable_identity()->set_department_code(dept);
    request.mutable_report()->mutable_identity()->set_department_name(dept);
    request.mutable_report()->mutable_identity()->set_fiscal_year(2024);
    request.set_idempotency_key("2024-first-draft");
    v1::CreateReportResponse response;
    grpc::Status status = CallAs(*storage, &Storage::CreateReport, token, request, &response);
    return std::make_pair(status, response.revision().key().department_code());
  };
  auto [first, first_dept] = create("lh-token", "LH-ZWFWSJGLJ");
  ASSERT_TRUE(first.ok()) << first.error_message();
  // Another department's same key is its own key: its write is applied.
  auto [second, second_dept] = create("other-token", "OTHER");
  EXPECT_TRUE(second.ok()) << second.error_message();
  EXPECT_EQ(second_dept, "OTHER");
  // The first principal's retry replays its own answer.
  auto [retry, retry_dept] = create("lh-token", "LH-ZWFWSJGLJ");
  EXPECT_TRUE(retry.ok()) << retry.error_message();
  EXPECT_EQ(retry_dept, "LH-ZWFWSJGLJ");
}

// A page token is signed by storage-svc: one built by hand, or carried from
// another listing, is refused, and no listing leaves its caller's range.
TEST_F(Auth, PageTokensCannotBeForged) {
  using Storage = v1::StorageService::Stub;
  auto storage = v1::StorageService::NewStub(
      grpc::CreateChannel(storage_->address(), grpc::InsecureChannelCredentials()));
  ASSERT_EQ(As("lh", {"save", kSeed}).exit_code, 0);
  ASSERT_EQ(As("admin", {"admin", "publish", SourcePath("schemes/dept-overall-v1.textproto")})
                .exit_code,
            0);
  // A token as they were: the key to resume after (here one sorting below
  // OTHER's own reports), with nothing the server checks.
  std::string key = std::string("A\0\0\0\x07\xe3", 6);
  std::string token_bytes = std::string("\x0a") + static_cast<char>(key.size()) + key;
  std::string forged;
  absl::WebSafeBase64Escape(token_bytes, &forged);
  v1::ListReportsRequest list;
  list.set_page_token(forged);
  v1::ListReportsResponse listed;
  grpc::Status status = CallAs(*storage, &Storage::ListReports, "other-token", list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(listed.reports_size(), 0);

  // A real token, given for another listing, does not serve this one.
  v1::ListStoredSchemesRequest schemes;
  schemes.set_page_size(1);
  v1::PublishSchemeRequest next;
  {
    v1::ListStoredSchemesResponse page;
    ASSERT_TRUE(CallAs(*storage, &Storage::ListSchemes, "admin-token", schemes, &page).ok());
    ASSERT_EQ(page.schemes_size(), 1);
    *next.mutable_scheme() = page.schemes(0);
    next.mutable_scheme()->set_version(2);
    v1::PublishSchemeResponse published;
    ASSERT_TRUE(CallAs(*storage, &Storage::PublishScheme, "admin-token", next, &published).ok());
  }
  v1::ListStoredSchemesResponse first_page;
  ASSERT_TRUE(CallAs(*storage, &Storage::ListSchemes, "lh-token", schemes, &first_page).ok());
  ASSERT_FALSE(first_page.next_page_token().empty());
  list.set_page_token(first_page.next_page_token());  // a schemes token, for a report listing
  status = CallAs(*storage, &Storage::ListReports, "other-token", list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(listed.reports_size(), 0);

  // Nor a hand-built one a report's history.
  v1::GetReportHistoryRequest history;
  history.mutable_key()->set_department_code("OTHER");
  history.mutable_key()->set_fiscal_year(2019);
  history.set_page_token(forged);
  v1::GetReportHistoryResponse revisions;
  status = CallAs(*storage, &Storage::GetReportHistory, "other-token", history, &revisions);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace jixiao
