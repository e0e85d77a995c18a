// Listings over a real store: signed page tokens in use, pages bounded in
// bytes, BASIC listings from the heads alone.

#include <rocksdb/db.h>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "storage-svc/store/keys.h"
#include "storage-svc/store/records.pb.h"
#include "storage-svc/store/rocks_util.h"
#include "storage-svc/store/store_test_util.h"

namespace jixiao::store {
namespace {

using testing::Key;
using testing::MakeReport;
using testing::UnsignedToken;

class StoreListing : public testing::ScratchStore {};

// The attack an outside test made: a department's listing of its own
// reports, with a token pointing below its code, once returned every
// department that sorts below it.
TEST_F(StoreListing, AForgedTokenReadsNoOtherDepartment) {
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
TEST_F(StoreListing, SurviveARestart) {
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
TEST_F(StoreListing, FullPagesStopBeforeTheirBytesPassTheLimit) {
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

// A FIGURES listing gives every figure and answer, and none of the
// narrative.
TEST_F(StoreListing, FiguresListingsLeaveOutTheNarrative) {
  v1::Report report = MakeReport("F1", 2019);
  report.mutable_narrative()->mutable_plans()->add_paragraphs("明年的计划");
  (*report.mutable_figures())["initial_budget"].set_value("1200");
  Create(report);
  v1::ListReportsRequest request;
  request.set_view(v1::REPORT_VIEW_FIGURES);
  auto page = store_->ListReports(request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->reports_size(), 1);
  const v1::Report& listed = page->reports(0).report();
  EXPECT_FALSE(listed.has_narrative());
  EXPECT_EQ(listed.figures().at("initial_budget").value(), "1200");
  v1::Report expected = report;
  expected.clear_narrative();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(listed, expected))
      << listed.DebugString();
  request.set_view(static_cast<v1::ReportView>(4));
  auto refused = store_->ListReports(request);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("view"));
}

// A BASIC listing reads the reports' heads alone, never their revisions:
// with a revision's record gone from under the store, it still lists the
// report (and a FULL listing, which reads it, cannot).
TEST_F(StoreListing, BasicListingsReadHeadsAlone) {
  Create(MakeReport("D1", 2019));
  store_.reset();
  {
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir_.string(), &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names)
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(
        rocksdb::DB::Open(rocksdb::DBOptions(), dir_.string(), families, &handles, &raw).ok());
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "revisions") {
        ASSERT_TRUE(
            raw->Delete(rocksdb::WriteOptions(), handles[i], keys::Revision("D1", 2019, 1)).ok());
      }
    }
    for (rocksdb::ColumnFamilyHandle* handle : handles) raw->DestroyColumnFamilyHandle(handle);
    delete raw;
  }
  Reopen();
  auto basic = store_->ListReports(v1::ListReportsRequest());
  ASSERT_TRUE(basic.ok()) << basic.status();
  ASSERT_EQ(basic->reports_size(), 1);
  EXPECT_EQ(basic->reports(0).revision(), 1);
  EXPECT_EQ(basic->reports(0).author(), "alice");
  EXPECT_EQ(basic->reports(0).report().identity().department_name(), "部门 D1");
  EXPECT_FALSE(basic->reports(0).report().has_procurement());
  v1::ListReportsRequest full;
  full.set_view(v1::REPORT_VIEW_FULL);
  EXPECT_FALSE(store_->ListReports(full).ok());
}

}  // namespace
}  // namespace jixiao::store
