#include "common/auth/tokens.h"

#include "gtest/gtest.h"

namespace jixiao::auth {
namespace {

TEST(Tokens, HashIsSha256Hex) {
  EXPECT_EQ(TokenHash("test"), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
}

TEST(Tokens, AuthenticatesKnownBearerTokensOnly) {
  auto table = TokenTable::Parse("# comment\n" + TokenHash("s3cret") + "  lh  department  LH-1\n" +
                                     TokenHash("r") + " wang reviewer\n\n",
                                 "tokens");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);
  auto lh = table->Authenticate("Bearer s3cret");
  ASSERT_TRUE(lh.ok());
  EXPECT_EQ(lh->name, "lh");
  EXPECT_EQ(lh->role, Role::kDepartment);
  EXPECT_EQ(lh->department, "LH-1");
  EXPECT_EQ(table->Authenticate("Bearer r")->role, Role::kReviewer);
  for (const char* bad :
       {"", "s3cret", "Bearer ", "Bearer wrong", "Basic s3cret", "bearer s3cret"}) {
    EXPECT_EQ(table->Authenticate(bad).status().code(), absl::StatusCode::kUnauthenticated) << bad;
  }
}

TEST(Tokens, RefusesBadFilesWithTheLine) {
  struct Case {
    std::string text;
    std::string reason;
  } cases[] = {
      {"abc lh department LH", "tokens:1: the first field must be"},
      {TokenHash("a") + " lh department", "tokens:1: a department principal needs"},
      {"\n" + TokenHash("a") + " w reviewer LH", "tokens:2: only a department principal"},
      {TokenHash("a") + " w boss", "tokens:1: unknown role"},
      {TokenHash("a") + " w reviewer\n" + TokenHash("a") + " v admin",
       "tokens:2: this token hash appears twice"},
      {TokenHash("a"), "tokens:1: expected"},
  };
  for (const Case& c : cases) {
    auto table = TokenTable::Parse(c.text, "tokens");
    ASSERT_FALSE(table.ok()) << c.text;
    EXPECT_NE(std::string(table.status().message()).find(c.reason), std::string::npos)
        << table.status();
  }
  EXPECT_EQ(TokenTable::Load("/nonexistent/tokens").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jixiao::auth
