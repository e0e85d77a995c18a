// Bearer tokens and roles against the real services: who may read, write,
// move, publish and back up what; refusals change nothing; writes record
// the authenticated principal, not what the caller declares.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "process.h"
#include "tokens.h"

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
    std::ofstream tokens(dir_ + "/tokens");
    tokens << "# test principals\n"
           << auth::TokenHash("lh-token") << " lh department LH-ZWFWSJGLJ\n"
           << auth::TokenHash("other-token") << " other department OTHER\n"
           << auth::TokenHash("reviewer-token") << " wang reviewer\n"
           << auth::TokenHash("admin-token") << " ops admin\n";
    tokens.close();
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
  EXPECT_EQ(As("", {"score", kSeed}).exit_code, 4);  // scoring-svc authenticates too
  EXPECT_EQ(As("", {"score", kSeed, kSeed, "--stream"}).exit_code, 4);
  EXPECT_EQ(As("lh", {"score", kSeed}).exit_code, 3);  // scored: the seed's Q2 error
  EXPECT_THAT(storage_->Log(), HasSubstr("refused ListReports"));
}

TEST_F(Auth, DepartmentsKeepToTheirOwnReports) {
  testing::CommandResult submitted = As("lh", {"submit", kSeed});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  const std::string before = Snapshot();
  // submit reads the latest revision first, and may not.
  testing::CommandResult foreign_submit = As("other", {"submit", kSeed});
  EXPECT_EQ(foreign_submit.exit_code, 4);
  EXPECT_THAT(foreign_submit.err, HasSubstr("may read only department OTHER's reports"));
  testing::CommandResult foreign_write = As("other", {"submit", "--expect-revision", "1", kSeed});
  EXPECT_EQ(foreign_write.exit_code, 4);
  EXPECT_THAT(foreign_write.err, HasSubstr("may write only department OTHER's reports"));
  testing::CommandResult foreign_read = As("other", {"get", "LH-ZWFWSJGLJ/2019"});
  EXPECT_EQ(foreign_read.exit_code, 4);
  EXPECT_THAT(foreign_read.err, HasSubstr("may read only department OTHER's reports"));
  EXPECT_EQ(As("other", {"history", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  EXPECT_EQ(As("other", {"list", "--department", "LH-ZWFWSJGLJ"}).exit_code, 4);
  EXPECT_EQ(
      As("other", {"status", "submit", "LH-ZWFWSJGLJ/2019", "--expect-revision", "1"}).exit_code,
      4);
  EXPECT_EQ(
      As("other", {"status", "delete", "LH-ZWFWSJGLJ/2019", "--expect-revision", "1"}).exit_code,
      4);
  // Listing without a department lists one's own: nothing for OTHER.
  testing::CommandResult own = As("other", {"list", "-o", "json"});
  EXPECT_EQ(own.exit_code, 0);
  EXPECT_EQ(own.out, "");
  EXPECT_EQ(As("other", {"summary", "--year", "2019"}).exit_code, 4);  // cards of all departments
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(Auth, RolesMoveTheLifecycleAndAuthorsAreThePrincipals) {
  ASSERT_EQ(As("lh", {"submit", kSeed}).exit_code, 0);
  const std::string before = Snapshot();
  EXPECT_EQ(As("reviewer", {"submit", "--expect-revision", "1", kSeed}).exit_code,
            4);  // reviewers do not write reports
  EXPECT_EQ(As("reviewer", {"status", "submit", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  EXPECT_EQ(As("lh", {"status", "approve", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  EXPECT_EQ(As("admin", {"status", "approve", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  EXPECT_EQ(Snapshot(), before);
  ASSERT_EQ(As("lh", {"status", "submit", "LH-ZWFWSJGLJ/2019"}).exit_code, 0);
  ASSERT_EQ(
      As("reviewer", {"status", "return", "LH-ZWFWSJGLJ/2019", "--reason", "Q2 有误"}).exit_code,
      0);
  ASSERT_EQ(As("lh", {"status", "submit", "LH-ZWFWSJGLJ/2019"}).exit_code, 0);
  ASSERT_EQ(As("reviewer", {"status", "approve", "LH-ZWFWSJGLJ/2019"}).exit_code, 0);
  testing::CommandResult history = As("lh", {"history", "LH-ZWFWSJGLJ/2019"});
  EXPECT_THAT(history.out, HasSubstr("lh"));
  EXPECT_THAT(history.out, HasSubstr("wang"));
  EXPECT_THAT(history.out, ::testing::Not(HasSubstr("someone-else")));  // declared, not trusted
  // Reviewers score any report; the department reads its own card.
  EXPECT_EQ(As("reviewer", {"score", "LH-ZWFWSJGLJ/2019"}).exit_code, 3);
  EXPECT_EQ(As("lh", {"card", "LH-ZWFWSJGLJ/2019"}).exit_code, 3);
  EXPECT_EQ(As("other", {"card", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);
  EXPECT_EQ(As("reviewer", {"summary", "--year", "2019"}).exit_code, 0);
  // The audit trail has every write with its principal; departments may not read it.
  testing::CommandResult trail =
      As("reviewer", {"audit", "--target", "LH-ZWFWSJGLJ/2019", "--all"});
  EXPECT_EQ(trail.exit_code, 0) << trail.err;
  for (const char* line :
       {"lh  ", "CreateReport", "TransitionReport", "returned", "approved", "SaveScoreCard"}) {
    EXPECT_THAT(trail.out, HasSubstr(line));
  }
  testing::CommandResult mine = As("reviewer", {"audit", "--principal", "wang", "-o", "json"});
  EXPECT_EQ(std::count(mine.out.begin(), mine.out.end(), '\n'), 3)
      << mine.out;  // return, approve, card
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
  ASSERT_EQ(As("lh", {"submit", kSeed}).exit_code, 0);
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

}  // namespace
}  // namespace jixiao
