#include "storage-svc/store/page_tokens.h"

#include <rocksdb/db.h>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage-svc/store/keys.h"
#include "storage-svc/store/records.pb.h"
#include "storage-svc/store/rocks_util.h"
#include "storage-svc/store/store_test_util.h"

namespace jixiao::store {
namespace {

using ::testing::HasSubstr;
using testing::Key;
using testing::MakeReport;
using testing::UnsignedToken;

TEST(PageTokens, RoundTripWithinTheRange) {
  PageTokens tokens(std::string(32, 's'));
  std::string token = tokens.Encode("m2", "q");
  auto after = tokens.Decode(token, "q", "m", "n");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, "m2");
  EXPECT_EQ(*tokens.Decode("", "q", "m", "n"), "");
}

TEST(PageTokens, RefusesWhatTheyDidNotGiveOut) {
  PageTokens tokens(std::string(32, 's'));
  const std::string good = tokens.Encode("m2", "q");
  std::string bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(good, &bytes));
  storage::PageToken parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  storage::PageToken moved = parsed;
  moved.set_after_key("a");  // the same MAC, another position
  storage::PageToken flipped = parsed;
  flipped.mutable_mac()->back() ^= 1;
  struct Case {
    const char* name;
    std::string token;
    std::string query;
    const char* reason;
  } cases[] = {
      {"not base64", "@@@", "q", "not a token this server gave out"},
      {"no MAC", UnsignedToken("m2"), "q", "not given for this listing"},
      {"moved", absl::WebSafeBase64Escape(moved.SerializeAsString()), "q",
       "not given for this listing"},
      {"flipped MAC", absl::WebSafeBase64Escape(flipped.SerializeAsString()), "q",
       "not given for this listing"},
      {"another query", good, "q2", "not given for this listing"},
      {"another secret", PageTokens(std::string(32, 't')).Encode("m2", "q"), "q",
       "not given for this listing"},
      {"oversized", std::string(5000, 'A'), "q", "not a token this server gave out"},
  };
  for (const Case& c : cases) {
    auto after = tokens.Decode(c.token, c.query, "m", "n");
    ASSERT_FALSE(after.ok()) << c.name;
    EXPECT_EQ(after.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(std::string(after.status().message()), HasSubstr("page token")) << c.name;
    EXPECT_THAT(testing::Reason(after.status(), "page_token"), HasSubstr(c.reason)) << c.name;
  }
}

// Even a token that verifies (a leaked secret, a bug elsewhere) is used only
// inside the range its query scans.
TEST(PageTokens, StayInsideTheQueryRange) {
  PageTokens tokens(std::string(32, 's'));
  for (const char* key : {"a", "l\xff", "n", "z"}) {
    auto after = tokens.Decode(tokens.Encode(key, "q"), "q", "m", "n");
    ASSERT_FALSE(after.ok()) << key;
    EXPECT_THAT(std::string(after.status().message()), HasSubstr("refused"));
  }
  EXPECT_TRUE(tokens.Decode(tokens.Encode("zzz", "q"), "q", "m", "").ok());
}

}  // namespace
}  // namespace jixiao::store
