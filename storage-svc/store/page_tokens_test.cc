#include "page_tokens.h"

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keys.h"
#include "rocks_util.h"
#include "storage-svc/store/records.pb.h"
#include "store_test_util.h"

namespace jixiao::store {
namespace {

using ::testing::HasSubstr;
using testing::Key;
using testing::MakeReport;

// The token an attacker could build before tokens were signed: a key and
// the SHA-256 of the query, as field 2, which anyone can compute.
std::string UnsignedToken(const std::string& after_key) {
  storage::PageToken token;
  token.set_after_key(after_key);
  return absl::WebSafeBase64Escape(token.SerializeAsString());
}

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

class StorePageTokens : public testing::ScratchStore {};

// The attack an outside test made: a department's listing of its own
// reports, with a token pointing below its code, once returned every
// department that sorts below it.
TEST_F(StorePageTokens, AForgedTokenReadsNoOtherDepartment) {
  for (const char* dept : {"AA", "BB", "MM"}) Create(MakeReport(dept, 2019));
  Create(MakeReport("MM", 2020));
  v1::ListReportsRequest own;
  own.set_department_code("MM");
  own.set_page_token(UnsignedToken(keys::Report("AA", 2019)));
  auto listed = store_->ListReports(own);
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kInvalidArgument);

  v1::GetReportHistoryRequest history;
  *history.mutable_key() = Key("MM", 2019);
  history.set_page_token(UnsignedToken(keys::Revision("AA", 2019, 1)));
  EXPECT_EQ(store_->GetReportHistory(history).status().code(), absl::StatusCode::kInvalidArgument);

  // A real token of one department's listing does not serve another's.
  own.clear_page_token();
  own.set_page_size(1);
  auto first = store_->ListReports(own);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());
  v1::ListReportsRequest other;
  other.set_department_code("BB");
  other.set_page_token(first->next_page_token());
  EXPECT_EQ(store_->ListReports(other).status().code(), absl::StatusCode::kInvalidArgument);
}

// Tokens are signed with a secret kept in the store: a listing goes on
// across a restart, page by page, every report once.
TEST_F(StorePageTokens, SurviveARestart) {
  for (int year = 2001; year <= 2010; ++year) Create(MakeReport("D1", year));
  v1::ListReportsRequest request;
  request.set_page_size(3);
  std::vector<int> years;
  while (true) {
    auto page = store_->ListReports(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& r : page->reports()) years.push_back(r.key().fiscal_year());
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
    Reopen();
  }
  EXPECT_EQ(years, std::vector<int>({2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010}));
}

// A full listing of large reports: a page stops before the report that
// would take it past 4 MiB (one report always fits), and the next page
// starts with that report.
TEST_F(StorePageTokens, FullPagesStopBeforeTheirBytesPassTheLimit) {
  for (int year = 2001; year <= 2003; ++year) {
    v1::Report report = MakeReport("BIG", year);
    for (int i = 0; i < 50; ++i) {
      report.mutable_narrative()->mutable_plans()->add_paragraphs(std::string(64000, 'p'));
    }
    Create(report);
  }
  v1::ListReportsRequest request;
  request.set_view(v1::REPORT_VIEW_FULL);
  std::vector<int> years;
  do {
    auto page = store_->ListReports(request);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_FALSE(page->reports().empty());
    EXPECT_TRUE(page->reports_size() == 1 || page->ByteSizeLong() <= kMaxPageBytes)
        << page->reports_size() << " reports, " << page->ByteSizeLong() << " bytes";
    for (const auto& r : page->reports()) years.push_back(r.key().fiscal_year());
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(years, std::vector<int>({2001, 2002, 2003}));
}

}  // namespace
}  // namespace jixiao::store
