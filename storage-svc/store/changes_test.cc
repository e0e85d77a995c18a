// The changes feed and the rosters, over a real store.

#include <map>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage-svc/store/store_test_util.h"

namespace jixiao::store {
namespace {

using testing::BuiltInSchemeCard;
using testing::Key;
using testing::MakeReport;
using testing::Reason;

class StoreChanges : public testing::ScratchStore {
 protected:
  // Every change after `after` with `request`'s filters, page by page.
  std::vector<v1::Change> ReadAll(v1::ListChangesRequest request, int64_t after = 0) {
    std::vector<v1::Change> all;
    request.set_after(after);
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = store_->ListChanges(request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const v1::Change& change : page->changes()) all.push_back(change);
      EXPECT_GE(page->next_after(), request.after());
      request.set_after(page->next_after());
      if (!page->more()) break;
    }
    return all;
  }
  v1::ReportRevision Transition(const std::string& dept, int year, v1::ReportStatus to,
                                int64_t expected, const std::string& reason = "") {
    v1::TransitionReportRequest request;
    *request.mutable_key() = Key(dept, year);
    request.set_to(to);
    request.set_expected_revision(expected);
    request.set_reason(reason);
    auto moved = store_->TransitionReport(request, {"rita"});
    EXPECT_TRUE(moved.ok()) << moved.status();
    return moved.ok() ? *moved : v1::ReportRevision();
  }
};

TEST_F(StoreChanges, EveryWriteOnceInCommitOrder) {
  Create(MakeReport("AA", 2019));
  Create(MakeReport("BB", 2019), "key-1");
  Create(MakeReport("BB", 2019), "key-1");  // a replay writes nothing
  auto card = store_->SaveScoreCard(BuiltInSchemeCard("AA", 2019, 1, "90"), {"sam"});
  ASSERT_TRUE(card.ok()) << card.status();
  // The same card again is a no-op, and no change.
  ASSERT_TRUE(store_->SaveScoreCard(BuiltInSchemeCard("AA", 2019, 1, "90"), {"sam"}).ok());
  Transition("AA", 2019, v1::REPORT_STATUS_SUBMITTED, 1);
  Transition("AA", 2019, v1::REPORT_STATUS_RETURNED, 2, "fix the totals");

  std::vector<v1::Change> all = ReadAll({});
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].sequence(), int64_t(i) + 1);
  EXPECT_EQ(all[0].key().department_code(), "AA");
  EXPECT_EQ(all[0].revision().revision(), 1);
  EXPECT_EQ(all[0].revision().status(), v1::REPORT_STATUS_DRAFT);
  EXPECT_EQ(all[0].author(), "alice");
  EXPECT_FALSE(all[0].revision().report().identity().department_code().empty());
  EXPECT_FALSE(all[0].revision().report().has_procurement());  // BASIC: no figures
  EXPECT_EQ(all[1].key().department_code(), "BB");
  ASSERT_TRUE(all[2].has_card());
  EXPECT_EQ(all[2].card().revision(), 1);
  EXPECT_EQ(all[2].card().total_score(), "90");
  EXPECT_EQ(all[2].author(), "sam");
  EXPECT_EQ(all[3].revision().status(), v1::REPORT_STATUS_SUBMITTED);
  EXPECT_EQ(all[4].revision().status(), v1::REPORT_STATUS_RETURNED);
  EXPECT_EQ(all[4].revision().reason(), "fix the totals");

  // Resuming from any cursor gives exactly what follows it.
  for (int64_t after = 0; after <= 5; ++after) {
    std::vector<v1::Change> rest = ReadAll({}, after);
    ASSERT_EQ(rest.size(), size_t(5 - after)) << after;
    if (!rest.empty()) EXPECT_EQ(rest.front().sequence(), after + 1);
  }
}

TEST_F(StoreChanges, FiltersLookAtEachChangeOnce) {
  for (int i = 0; i < 30; ++i) Create(MakeReport(i % 3 == 0 ? "AA" : "BB", 2000 + i));
  v1::ListChangesRequest request;
  request.set_department_code("AA");
  request.set_page_size(3);
  std::vector<v1::Change> own = ReadAll(request);
  ASSERT_EQ(own.size(), 10u);
  for (const v1::Change& change : own) EXPECT_EQ(change.key().department_code(), "AA");
  request.clear_department_code();
  request.set_fiscal_year(2003);
  std::vector<v1::Change> year = ReadAll(request);
  ASSERT_EQ(year.size(), 1u);
  EXPECT_EQ(year[0].sequence(), 4);
}

TEST_F(StoreChanges, NumbersSurviveARestartAndCursorsPastTheEndAreRefused) {
  Create(MakeReport("AA", 2019));
  Create(MakeReport("AA", 2020));
  Reopen();
  Create(MakeReport("AA", 2021));
  std::vector<v1::Change> all = ReadAll({});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].sequence(), 3);
  EXPECT_EQ(all[2].key().fiscal_year(), 2021);

  v1::ListChangesRequest past;
  past.set_after(4);
  auto refused = store_->ListChanges(past);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("latest change, 3"));
  past.set_after(-1);
  EXPECT_EQ(Reason(store_->ListChanges(past).status(), "after").empty(), false);
  past.set_after(3);
  auto current = store_->ListChanges(past);
  ASSERT_TRUE(current.ok());
  EXPECT_TRUE(current->changes().empty());
  EXPECT_FALSE(current->more());
  EXPECT_EQ(current->next_after(), 3);
}

// Writers to different reports commit in groups: the feed numbers every
// write once, without gaps, in an order that keeps each report's revisions
// in order.
TEST_F(StoreChanges, ConcurrentWritersGetOneNumberEach) {
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([this, w] {
      for (int year = 2001; year <= 2025; ++year) {
        v1::CreateReportRequest request;
        *request.mutable_report() = MakeReport("W" + std::to_string(w), year);
        EXPECT_TRUE(store_->CreateReport(request, {"alice"}).ok());
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  std::vector<v1::Change> all = ReadAll({});
  ASSERT_EQ(all.size(), 100u);
  std::map<std::string, int> last_year;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].sequence(), int64_t(i) + 1);
    int& last = last_year[all[i].key().department_code()];
    EXPECT_GT(all[i].key().fiscal_year(), last);  // each writer's own order kept
    last = all[i].key().fiscal_year();
  }
}

class StoreRoster : public testing::ScratchStore {};

v1::RosterEntry Entry(const std::string& code, const std::string& name,
                      const std::string& group = "") {
  v1::RosterEntry entry;
  entry.set_department_code(code);
  entry.set_name(name);
  entry.set_group(group);
  return entry;
}

TEST_F(StoreRoster, SetReplacesAndReads) {
  v1::GetRosterRequest get;
  get.set_fiscal_year(2019);
  EXPECT_EQ(store_->GetRoster(get).status().code(), absl::StatusCode::kNotFound);
  v1::SetRosterRequest set;
  set.set_fiscal_year(2019);
  *set.add_entries() = Entry("AA", "区财政局", "行政");
  *set.add_entries() = Entry("BB", "区档案馆", "事业");
  auto roster = store_->SetRoster(set, {"ada"});
  ASSERT_TRUE(roster.ok()) << roster.status();
  EXPECT_EQ(roster->author(), "ada");
  auto read = store_->GetRoster(get);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->entries_size(), 2);
  EXPECT_EQ(read->entries(1).group(), "事业");
  // The same list again writes nothing: the first author and time stay.
  auto again = store_->SetRoster(set, {"bob"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->author(), "ada");
  set.mutable_entries()->RemoveLast();
  ASSERT_TRUE(store_->SetRoster(set, {"bob"}).ok());
  read = store_->GetRoster(get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->entries_size(), 1);
  EXPECT_EQ(read->author(), "bob");

  v1::ListAuditRequest audit;
  auto trail = store_->ListAudit(audit);
  ASSERT_TRUE(trail.ok());
  ASSERT_EQ(trail->records_size(), 2);
  EXPECT_EQ(trail->records(1).method(), "SetRoster");
  EXPECT_EQ(trail->records(1).detail(), "1 departments (was 2)");
}

TEST_F(StoreRoster, BadEntriesAreNamedAndNothingIsStored) {
  v1::SetRosterRequest set;
  set.set_fiscal_year(2019);
  *set.add_entries() = Entry("AA", "区财政局");
  *set.add_entries() = Entry("A A", "空格");
  *set.add_entries() = Entry("AA", "again");
  *set.add_entries() = Entry("CC", "");
  *set.add_entries() = Entry("DD", "two\nlines");
  *set.add_entries() = Entry("EE", "ok", std::string(65, 'g'));
  *set.add_entries() = Entry("FF",
                             "\xc2\x9b"
                             "31m");                             // C1 control (CSI)
  *set.add_entries() = Entry("GG", "\xe3\x80\x80\xe2\x80\x8b");  // ideographic, zero-width spaces
  *set.add_entries() = Entry("HH", "rtl\xe2\x80\xae");           // right-to-left override
  auto refused = store_->SetRoster(set, {"ada"});
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Reason(refused.status(), "entries[1].department_code").empty());
  EXPECT_THAT(Reason(refused.status(), "entries[2].department_code"),
              ::testing::HasSubstr("repeats entries[0]"));
  EXPECT_EQ(Reason(refused.status(), "entries[3].name"), "is required");
  EXPECT_THAT(Reason(refused.status(), "entries[4].name"), ::testing::HasSubstr("control"));
  EXPECT_THAT(Reason(refused.status(), "entries[5].group"), ::testing::HasSubstr("64 bytes"));
  EXPECT_THAT(Reason(refused.status(), "entries[6].name"), ::testing::HasSubstr("control"));
  EXPECT_EQ(Reason(refused.status(), "entries[7].name"), "is only spaces");
  EXPECT_THAT(Reason(refused.status(), "entries[8].name"), ::testing::HasSubstr("control"));
  v1::GetRosterRequest get;
  get.set_fiscal_year(2019);
  EXPECT_EQ(store_->GetRoster(get).status().code(), absl::StatusCode::kNotFound);

  v1::SetRosterRequest huge;
  huge.set_fiscal_year(2019);
  for (int i = 0; i < 20001; ++i) *huge.add_entries() = Entry("X" + std::to_string(i), "n");
  EXPECT_THAT(Reason(store_->SetRoster(huge, {"ada"}).status(), "entries"),
              ::testing::HasSubstr("at most 20000"));
  huge.clear_entries();
  EXPECT_THAT(Reason(store_->SetRoster(huge, {"ada"}).status(), "entries"),
              ::testing::HasSubstr("is empty"));
  huge.set_fiscal_year(1999);
  *huge.add_entries() = Entry("AA", "区财政局");
  EXPECT_FALSE(Reason(store_->SetRoster(huge, {"ada"}).status(), "fiscal_year").empty());
}

}  // namespace
}  // namespace jixiao::store
