// Bearer tokens and roles against the real services: who may read, write,
// move, publish and back up what; refusals change nothing; writes record
// the authenticated principal, not what the caller declares.

#include <algorithm>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
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
    storage_ = std::make_unique<ServerProcess>(
        BinPath("storage-svc"),
        std::vector<std::string>{"--data-dir", dir_ + "/db", "--tokens", dir_ + "/tokens"});
    scoring_ = std::make_unique<ServerProcess>(
        BinPath("scoring-svc"), std::vector<std::string>{"--tokens", dir_ + "/tokens"});
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

}  // namespace
}  // namespace jixiao
