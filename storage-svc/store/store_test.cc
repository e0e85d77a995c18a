// The store over a real RocksDB directory, in process.

#include "storage-svc/store/store.h"

#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "common/report/check_report.h"
#include "common/report/field_violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"
#include "storage-svc/store/store_test_util.h"

namespace jixiao::store {
namespace {

using ::testing::HasSubstr;

using testing::Key;
using testing::MakeReport;

class StoreTest : public testing::ScratchStore {
 protected:
  absl::StatusOr<v1::ReportRevision> Update(const v1::Report& report, int64_t expected) {
    v1::UpdateReportRequest request;
    *request.mutable_report() = report;
    request.set_expected_revision(expected);
    return store_->UpdateReport(request, {"bob"});
  }

  absl::StatusOr<v1::ReportRevision> Move(const std::string& dept, int year, v1::ReportStatus to,
                                          int64_t expected, const std::string& reason = "") {
    v1::TransitionReportRequest request;
    *request.mutable_key() = Key(dept, year);
    request.set_to(to);
    request.set_expected_revision(expected);
    request.set_reason(reason);
    return store_->TransitionReport(request, {"reviewer"});
  }

  // Everything a client can read, to show that a refused call changed nothing.
  std::string Snapshot() {
    std::string all;
    v1::ListReportsRequest list;
    list.set_page_size(1000);
    auto reports = store_->ListReports(list);
    if (!reports.ok()) return reports.status().ToString();
    for (const auto& r : reports->reports()) {
      all += r.SerializeAsString();
      v1::GetReportHistoryRequest history;
      *history.mutable_key() = r.key();
      history.set_page_size(1000);
      all += store_->GetReportHistory(history)->SerializeAsString();
    }
    return all;
  }
};

TEST_F(StoreTest, CreateThenGetRoundTrips) {
  v1::Report report = MakeReport("D1", 2019);
  v1::ReportRevision created = Create(report);
  EXPECT_EQ(created.revision(), 1);
  EXPECT_EQ(created.status(), v1::REPORT_STATUS_DRAFT);
  EXPECT_EQ(created.author(), "alice");
  v1::GetReportRequest get;
  *get.mutable_key() = Key("D1", 2019);
  auto read = store_->GetReport(get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->report().SerializeAsString(), report.SerializeAsString());
  // The answer to a write is the revision without the report it was sent.
  EXPECT_FALSE(created.has_report());
  v1::ReportRevision expected = created;
  *expected.mutable_report() = report;
  EXPECT_EQ(read->SerializeAsString(), expected.SerializeAsString());
}

TEST_F(StoreTest, CreateTwiceIsAlreadyExists) {
  Create(MakeReport("D1", 2019));
  v1::CreateReportRequest request;
  *request.mutable_report() = MakeReport("D1", 2019);
  EXPECT_EQ(store_->CreateReport(request, {"x"}).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(StoreTest, UpdateNamesTheRevisionItReplaces) {
  Create(MakeReport("D1", 2019));
  auto second = Update(MakeReport("D1", 2019, "200"), 1);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision(), 2);
  std::string before = Snapshot();
  auto stale = Update(MakeReport("D1", 2019, "300"), 1);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(stale.status().message()), HasSubstr("is at revision 2"));
  EXPECT_EQ(Snapshot(), before);
  auto missing_expected = Update(MakeReport("D1", 2019, "300"), 0);
  EXPECT_EQ(missing_expected.status().code(), absl::StatusCode::kInvalidArgument);
  // Every revision stays readable.
  v1::GetReportRequest get;
  *get.mutable_key() = Key("D1", 2019);
  get.set_revision(1);
  EXPECT_EQ(store_->GetReport(get)->report().procurement().budget().value(), "100");
}

TEST_F(StoreTest, LifecycleAndIllegalTransitions) {
  Create(MakeReport("D1", 2019));
  using S = v1::ReportStatus;
  // Illegal from draft: returned, approved.
  for (S to : {v1::REPORT_STATUS_RETURNED, v1::REPORT_STATUS_APPROVED}) {
    std::string before = Snapshot();
    auto moved = Move("D1", 2019, to, 1, "reason");
    EXPECT_EQ(moved.status().code(), absl::StatusCode::kFailedPrecondition) << to;
    EXPECT_EQ(Snapshot(), before);
  }
  ASSERT_TRUE(Move("D1", 2019, v1::REPORT_STATUS_SUBMITTED, 1).ok());
  // Submitted reports cannot be edited or deleted.
  EXPECT_EQ(Update(MakeReport("D1", 2019), 2).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::DeleteReportRequest del;
  *del.mutable_key() = Key("D1", 2019);
  del.set_expected_revision(2);
  EXPECT_EQ(store_->DeleteReport(del, {"x"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Returning needs a reason.
  EXPECT_EQ(Move("D1", 2019, v1::REPORT_STATUS_RETURNED, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto returned = Move("D1", 2019, v1::REPORT_STATUS_RETURNED, 2, "Q2 进度与数据不符");
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->reason(), "Q2 进度与数据不符");
  EXPECT_EQ(returned->report().procurement().budget().value(), "100");  // body carried over
  ASSERT_TRUE(Update(MakeReport("D1", 2019, "150"), 3).ok());           // fix while returned
  ASSERT_TRUE(Move("D1", 2019, v1::REPORT_STATUS_SUBMITTED, 4).ok());
  auto approved = Move("D1", 2019, v1::REPORT_STATUS_APPROVED, 5);
  ASSERT_TRUE(approved.ok()) << approved.status();
  // Approved can only be reopened (returned, with a reason), never edited
  // or deleted.
  for (S to : {v1::REPORT_STATUS_SUBMITTED, v1::REPORT_STATUS_APPROVED}) {
    EXPECT_EQ(Move("D1", 2019, to, 6, "r").status().code(), absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_EQ(Update(MakeReport("D1", 2019, "160"), 6).status().code(),
            absl::StatusCode::kFailedPrecondition);
  del.set_expected_revision(6);
  EXPECT_EQ(store_->DeleteReport(del, {"x"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Unknown and non-target statuses are bad input.
  EXPECT_EQ(Move("D1", 2019, static_cast<S>(42), 6).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Move("D1", 2019, v1::REPORT_STATUS_DRAFT, 6).status().code(),
            absl::StatusCode::kInvalidArgument);
  // The history has every step, without gaps.
  v1::GetReportHistoryRequest history;
  *history.mutable_key() = Key("D1", 2019);
  auto revisions = store_->GetReportHistory(history);
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->revisions_size(), 6);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(revisions->revisions(i).revision(), i + 1);
    EXPECT_FALSE(revisions->revisions(i).has_report());
  }
  EXPECT_EQ(revisions->revisions(5).status(), v1::REPORT_STATUS_APPROVED);
  EXPECT_EQ(revisions->revisions(5).author(), "reviewer");
}

TEST_F(StoreTest, DeleteDraftIsRecordedAndRecreateContinues) {
  Create(MakeReport("D1", 2019));
  v1::DeleteReportRequest del;
  *del.mutable_key() = Key("D1", 2019);
  del.set_expected_revision(1);
  auto deleted = store_->DeleteReport(del, {"alice"});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->status(), v1::REPORT_STATUS_DELETED);
  v1::GetReportRequest get;
  *get.mutable_key() = Key("D1", 2019);
  EXPECT_EQ(store_->GetReport(get).status().code(), absl::StatusCode::kNotFound);
  get.set_revision(1);
  EXPECT_TRUE(store_->GetReport(get).ok());
  EXPECT_EQ(store_->ListReports({})->reports_size(), 0);
  v1::ReportRevision again = Create(MakeReport("D1", 2019));
  EXPECT_EQ(again.revision(), 3);
}

TEST_F(StoreTest, IdempotentRetriesApplyOnce) {
  v1::ReportRevision first = Create(MakeReport("D1", 2019), "key-1");
  v1::ReportRevision retry = Create(MakeReport("D1", 2019), "key-1");
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  v1::CreateReportRequest other;
  *other.mutable_report() = MakeReport("D2", 2019);
  other.set_idempotency_key("key-1");
  auto reused = store_->CreateReport(other, {"alice"});
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(report::ViolationsOf(reused.status())[0].field, "idempotency_key");
  // Keys are scoped by who writes: another principal's same key is its own.
  auto others = store_->CreateReport(other, {"x"});
  ASSERT_TRUE(others.ok()) << others.status();
  EXPECT_EQ(others->key().department_code(), "D2");

  v1::UpdateReportRequest update;
  *update.mutable_report() = MakeReport("D1", 2019, "5");
  update.set_expected_revision(1);
  update.set_idempotency_key("key-2");
  auto applied = store_->UpdateReport(update, {"x"});
  auto replayed = store_->UpdateReport(update, {"x"});  // would be ABORTED if applied again
  ASSERT_TRUE(applied.ok() && replayed.ok()) << replayed.status();
  EXPECT_EQ(applied->revision(), 2);
  EXPECT_EQ(replayed->revision(), 2);
}

TEST_F(StoreTest, MalformedReportsAreRefusedWithFieldsAndChangeNothing) {
  Create(MakeReport("D1", 2019));
  std::string before = Snapshot();
  v1::Report bad = MakeReport("D1", 2019, "-3");
  bad.mutable_identity()->set_department_name("");
  bad.mutable_satisfaction()->mutable_rate()->set_value("150");
  bad.mutable_procurement()->mutable_declared_execution_rate()->set_value("1e3");
  bad.mutable_daily_public()->mutable_declared_control_rate()->set_value("1000.01");
  bad.mutable_narrative()->add_preamble(std::string(report::kMaxTextBytes + 1, 'x'));
  v1::CreateReportRequest request;
  *request.mutable_report() = bad;
  request.mutable_report()->mutable_identity()->set_department_code("D2");
  auto created = store_->CreateReport(request, {"x"});
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : report::ViolationsOf(created.status())) fields.push_back(v.field);
  EXPECT_THAT(
      fields,
      ::testing::UnorderedElementsAre(
          "report.procurement.budget.value", "report.identity.department_name",
          "report.satisfaction.rate.value", "report.procurement.declared_execution_rate.value",
          "report.daily_public.declared_control_rate.value", "report.narrative.preamble[0]"));
  EXPECT_EQ(Update(bad, 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(StoreTest, ListingPagesWalkEachReportOnceWithFilters) {
  std::set<std::string> all, y2020, submitted, submitted_2019;
  for (int i = 0; i < 57; ++i) {
    std::string dept = "D" + std::to_string(i);
    int year = 2019 + i % 3;
    Create(MakeReport(dept, year));
    all.insert(dept + "/" + std::to_string(year));
    if (year == 2020) y2020.insert(dept + "/2020");
    if (i % 4 == 0) {
      ASSERT_TRUE(Move(dept, year, v1::REPORT_STATUS_SUBMITTED, 1).ok());
      submitted.insert(dept + "/" + std::to_string(year));
      if (year == 2019) submitted_2019.insert(dept + "/2019");
    }
  }
  auto walk = [this](v1::ListReportsRequest request) {
    std::multiset<std::string> seen;
    request.set_page_size(5);
    int pages = 0;
    do {
      auto page = store_->ListReports(request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(page->reports_size(), 5);
      for (const auto& r : page->reports()) {
        seen.insert(r.key().department_code() + "/" + std::to_string(r.key().fiscal_year()));
      }
      request.set_page_token(page->next_page_token());
      ++pages;
    } while (!request.page_token().empty() && pages < 1000);
    return std::set<std::string>(seen.begin(), seen.end()).size() == seen.size()
               ? std::set<std::string>(seen.begin(), seen.end())
               : std::set<std::string>{"DUPLICATE"};
  };
  EXPECT_EQ(walk({}), all);
  v1::ListReportsRequest by_year;
  by_year.set_fiscal_year(2020);
  EXPECT_EQ(walk(by_year), y2020);
  v1::ListReportsRequest by_status;
  by_status.set_status(v1::REPORT_STATUS_SUBMITTED);
  EXPECT_EQ(walk(by_status), submitted);
  by_status.set_fiscal_year(2019);
  EXPECT_EQ(walk(by_status), submitted_2019);
  v1::ListReportsRequest by_dept;
  by_dept.set_department_code("D4");
  EXPECT_EQ(walk(by_dept), std::set<std::string>{"D4/2020"});
  // A token from one query is refused by another.
  v1::ListReportsRequest first;
  first.set_page_size(2);
  auto page = store_->ListReports(first);
  by_year.set_page_token(page->next_page_token());
  EXPECT_EQ(store_->ListReports(by_year).status().code(), absl::StatusCode::kInvalidArgument);
  by_year.set_page_token("not-a-token");
  EXPECT_EQ(store_->ListReports(by_year).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, SchemesArePublishedOnce) {
  v1::PublishSchemeRequest publish;
  *publish.mutable_scheme() = engine::DefaultScheme()->proto();
  ASSERT_TRUE(store_->PublishScheme(publish, {"admin"}).ok());
  EXPECT_TRUE(store_->PublishScheme(publish, {"admin"}).ok());  // the same again: a no-op
  publish.mutable_scheme()->set_name("changed");
  EXPECT_EQ(store_->PublishScheme(publish, {"admin"}).status().code(),
            absl::StatusCode::kAlreadyExists);
  publish.mutable_scheme()->set_version(2);
  ASSERT_TRUE(store_->PublishScheme(publish, {"admin"}).ok());
  publish.mutable_scheme()->set_version(3);
  publish.mutable_scheme()->set_total_weight("99");  // weights no longer add up
  auto bad = store_->PublishScheme(publish, {"admin"});
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(report::ViolationsOf(bad.status())[0].field, "scheme.indicators");
  v1::GetSchemeRequest get;
  get.set_id("dept-overall");
  EXPECT_EQ(store_->GetScheme(get)->version(), 2);  // the newest
  get.set_version(1);
  EXPECT_EQ(store_->GetScheme(get)->name(), engine::DefaultScheme()->proto().name());
  get.set_version(3);
  EXPECT_EQ(store_->GetScheme(get).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->ListSchemes({})->schemes_size(), 2);
}

TEST_F(StoreTest, ScoreCardsAttachToRevisions) {
  Create(MakeReport("D1", 2019));
  ASSERT_TRUE(Update(MakeReport("D1", 2019, "7"), 1).ok());
  Create(MakeReport("D2", 2019));
  auto card_for = [](const std::string& dept, int64_t revision, const std::string& total) {
    v1::SaveScoreCardRequest request;
    request.mutable_card()->set_scheme_id("dept-overall");
    request.mutable_card()->set_scheme_version(1);
    request.mutable_card()->set_scheme_sha256(engine::DefaultScheme()->digest());
    request.mutable_card()->mutable_report()->set_department_code(dept);
    request.mutable_card()->mutable_report()->set_fiscal_year(2019);
    request.mutable_card()->mutable_report()->set_revision(revision);
    request.mutable_card()->set_total_score(total);
    return request;
  };
  ASSERT_TRUE(store_->SaveScoreCard(card_for("D1", 1, "80.00"), {"x"}).ok());
  ASSERT_TRUE(store_->SaveScoreCard(card_for("D1", 2, "90.00"), {"x"}).ok());
  ASSERT_TRUE(store_->SaveScoreCard(card_for("D2", 1, "70.00"), {"x"}).ok());
  EXPECT_EQ(store_->SaveScoreCard(card_for("D2", 5, "1"), {"x"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->SaveScoreCard(card_for("D2", 0, "1"), {"x"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::GetScoreCardRequest get;
  *get.mutable_key() = Key("D1", 2019);
  EXPECT_EQ(store_->GetScoreCard(get)->total_score(), "90.00");
  get.set_revision(1);
  EXPECT_EQ(store_->GetScoreCard(get)->total_score(), "80.00");
  v1::ListScoreCardsRequest list;
  list.set_fiscal_year(2019);
  list.set_page_size(1);
  std::vector<std::string> totals;
  do {
    auto page = store_->ListScoreCards(list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& c : page->cards()) totals.push_back(c.total_score());
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  EXPECT_THAT(totals, ::testing::ElementsAre("90.00", "70.00"));
}

TEST_F(StoreTest, EveryWriteIsAudited) {
  Create(MakeReport("D1", 2019));
  ASSERT_TRUE(Update(MakeReport("D1", 2019, "9"), 1).ok());
  ASSERT_TRUE(Move("D1", 2019, v1::REPORT_STATUS_SUBMITTED, 2).ok());
  ASSERT_FALSE(Update(MakeReport("D1", 2019, "10"), 1).ok());  // refused: not audited
  v1::PublishSchemeRequest publish;
  *publish.mutable_scheme() = engine::DefaultScheme()->proto();
  ASSERT_TRUE(store_->PublishScheme(publish, {"admin"}).ok());
  auto trail = store_->ListAudit({});
  ASSERT_TRUE(trail.ok()) << trail.status();
  std::vector<std::string> lines;
  for (const auto& r : trail->records()) {
    lines.push_back(r.principal() + " " + r.method() + " " + r.target() + " " + r.detail());
  }
  EXPECT_THAT(lines, ::testing::ElementsAre("alice CreateReport D1/2019@1 draft",
                                            "bob UpdateReport D1/2019@2 draft",
                                            "reviewer TransitionReport D1/2019@3 submitted",
                                            "admin PublishScheme scheme dept-overall@1 "));
  v1::ListAuditRequest by_principal;
  by_principal.set_principal("bob");
  EXPECT_EQ(store_->ListAudit(by_principal)->records_size(), 1);
  v1::ListAuditRequest paged;
  paged.set_page_size(3);
  auto first = store_->ListAudit(paged);
  ASSERT_FALSE(first->next_page_token().empty());
  paged.set_page_token(first->next_page_token());
  EXPECT_EQ(store_->ListAudit(paged)->records(0).method(), "PublishScheme");
}

TEST_F(StoreTest, SurvivesReopen) {
  Create(MakeReport("D1", 2019));
  ASSERT_TRUE(Update(MakeReport("D1", 2019, "9"), 1).ok());
  Reopen();
  v1::GetReportRequest get;
  *get.mutable_key() = Key("D1", 2019);
  EXPECT_EQ(store_->GetReport(get)->revision(), 2);
}

TEST_F(StoreTest, SecondOpenOfTheSameDirectoryIsRefused) {
  StoreOptions options;
  options.data_dir = dir_.string();
  auto second = Store::Open(options);
  ASSERT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(second.status().message()), HasSubstr("in use by another process"));
}

TEST_F(StoreTest, BackupAndRestore) {
  Create(MakeReport("D1", 2019));
  Create(MakeReport("D2", 2020));
  v1::CreateBackupRequest backup;
  backup.set_backup_dir(dir_.string() + "-backup");
  auto made = store_->CreateBackup(backup, {"admin"});
  ASSERT_TRUE(made.ok()) << made.status();
  Create(MakeReport("D3", 2021));  // after the backup
  std::string restored = dir_.string() + "-restored";
  ASSERT_TRUE(Store::Restore(backup.backup_dir(), restored).ok());
  EXPECT_EQ(Store::Restore(backup.backup_dir(), restored).code(),
            absl::StatusCode::kFailedPrecondition);
  StoreOptions options;
  options.data_dir = restored;
  auto copy = Store::Open(options);
  ASSERT_TRUE(copy.ok()) << copy.status();
  auto listed = (*copy)->ListReports({});
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> depts;
  for (const auto& r : listed->reports()) depts.push_back(r.key().department_code());
  EXPECT_THAT(depts, ::testing::UnorderedElementsAre("D1", "D2"));
}

// A backup directory is checked before anything is written: absolute,
// outside the data directory, a directory. Each refusal names the field.
TEST_F(StoreTest, BackupDirectoryIsChecked) {
  std::string file = dir_.string() + "-backup-file";
  std::ofstream(file) << "not a directory";
  struct Case {
    std::string dir;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"", "is required"},
      {"relative/backups", "must be an absolute path"},
      {dir_.string(), "is the data directory itself"},
      {dir_.string() + "/", "is the data directory itself"},
      {dir_.string() + "/backups", "is inside the data directory"},
      {dir_.string() + "/./x/../backups", "is inside the data directory"},
      {file, "exists and is not a directory"},
  };
  for (const Case& c : cases) {
    v1::CreateBackupRequest backup;
    backup.set_backup_dir(c.dir);
    auto made = store_->CreateBackup(backup, {"admin"});
    ASSERT_EQ(made.status().code(), absl::StatusCode::kInvalidArgument) << c.dir;
    std::vector<report::FieldViolation> violations = report::ViolationsOf(made.status());
    ASSERT_EQ(violations.size(), 1u) << c.dir;
    EXPECT_EQ(violations[0].field, "backup_dir");
    EXPECT_THAT(violations[0].description, HasSubstr(c.reason)) << c.dir;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "backups"));
  EXPECT_FALSE(std::filesystem::exists("relative"));
  std::filesystem::remove(file);
  // The same checks guard continuous backups, at open.
  StoreOptions options;
  options.data_dir = dir_.string() + "-other";
  options.backup_dir = options.data_dir + "/backups";
  EXPECT_EQ(Store::Open(options).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(options.data_dir));
}

// A continuous backup that fails (here its directory cannot be made) is
// logged and counted, and the store goes on serving writes.
TEST_F(StoreTest, FailedContinuousBackupsAreCountedNotFatal) {
  store_.reset();
  std::string file = dir_.string() + "-backup-file";
  std::ofstream(file) << "not a directory";
  std::mutex mutex;
  std::vector<std::string> logged;
  StoreOptions options;
  options.data_dir = dir_.string();
  options.backup_dir = file + "/backups";
  options.backup_every = absl::Milliseconds(20);
  options.log = [&](const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex);
    logged.push_back(line);
  };
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
  const std::string failed = "jixiao_store_backups_total{result=\"failed\"} ";
  auto failures = [&] {
    std::string metrics = store_->MetricsText();
    auto at = metrics.find(failed);
    return at == std::string::npos ? -1 : std::atoi(metrics.c_str() + at + failed.size());
  };
  for (int i = 0; i < 500 && failures() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(failures(), 2);
  EXPECT_THAT(store_->MetricsText(), HasSubstr("jixiao_store_last_backup_timestamp_seconds 0\n"));
  Create(MakeReport("D1", 2019));
  EXPECT_TRUE(store_->Writable().ok());
  store_.reset();
  std::filesystem::remove(file);
  ASSERT_FALSE(logged.empty());
  EXPECT_THAT(logged[0], HasSubstr("continuous backup into " + options.backup_dir + " failed"));
}

// Continuous backups: taken while the store serves, the newest kept, and
// the newest restores to a store holding every write made before it.
TEST_F(StoreTest, ContinuousBackupsKeepTheNewest) {
  store_.reset();
  StoreOptions options;
  options.data_dir = dir_.string();
  options.backup_dir = dir_.string() + "-backup";
  options.backup_every = absl::Milliseconds(50);
  options.backup_keep = 2;
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
  Create(MakeReport("D1", 2019));
  auto backups = [this] {
    std::string metrics = store_->MetricsText();
    const std::string counter = "jixiao_store_backups_total{result=\"ok\"} ";
    auto at = metrics.find(counter);
    return at == std::string::npos ? -1 : std::atoi(metrics.c_str() + at + counter.size());
  };
  int before = backups();
  for (int i = 0; i < 500 && backups() < before + 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(backups(), before + 3);
  store_.reset();  // stops the backups
  int kept = 0;
  for (const auto& entry : std::filesystem::directory_iterator(options.backup_dir + "/meta")) {
    kept += entry.path().filename().string().find('.') == std::string::npos;
  }
  EXPECT_EQ(kept, 2);
  std::string restored = dir_.string() + "-restored";
  ASSERT_TRUE(Store::Restore(options.backup_dir, restored).ok());
  StoreOptions copy;
  copy.data_dir = restored;
  auto opened = Store::Open(copy);
  ASSERT_TRUE(opened.ok()) << opened.status();
  v1::GetReportRequest get;
  *get.mutable_key() = Key("D1", 2019);
  EXPECT_TRUE((*opened)->GetReport(get).ok());
}

}  // namespace
}  // namespace jixiao::store

namespace jixiao::store {
namespace {

// The non-blocking form: a refusal is answered before the call returns; an
// accepted write once it is durable; and a report's stripe stays held until
// then, so a second write naming the same revision sees the first and is
// refused.
TEST_F(StoreTest, AsyncWritesHoldTheirReportUntilDurable) {
  Create(MakeReport("LH", 2019));
  v1::CreateReportRequest bad;
  *bad.mutable_report() = MakeReport("LH", 2019, "not a number");
  bool refused = false;
  store_->CreateReport(bad, {"alice"}, [&](absl::StatusOr<v1::ReportRevision> result) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    refused = true;
  });
  EXPECT_TRUE(refused);

  constexpr int kWrites = 20;
  std::vector<std::promise<absl::StatusOr<v1::ReportRevision>>> answers(kWrites);
  for (int i = 0; i < kWrites; ++i) {
    v1::UpdateReportRequest update;
    *update.mutable_report() = MakeReport("LH", 2019, std::to_string(200 + i));
    update.set_expected_revision(1);
    store_->UpdateReport(update, {"bob"}, [&answers, i](absl::StatusOr<v1::ReportRevision> result) {
      answers[i].set_value(std::move(result));
    });
  }
  int ok = 0, aborted = 0;
  for (auto& answer : answers) {
    absl::StatusOr<v1::ReportRevision> result = answer.get_future().get();
    if (result.ok()) {
      ++ok;
      EXPECT_EQ(result->revision(), 2);
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted) << result.status();
      ++aborted;
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(aborted, kWrites - 1);
  v1::GetReportRequest get;
  *get.mutable_key() = Key("LH", 2019);
  EXPECT_EQ(store_->GetReport(get)->report().procurement().budget().value(), "200");
}

// The revision that counts as a year's report: its latest approved one,
// else its latest; none for a deleted draft.
TEST_F(StoreTest, TheCountingRevisionIsTheLatestApprovedElseTheLatest) {
  v1::GetReportRequest counting;
  *counting.mutable_key() = Key("LH", 2019);
  counting.set_counting(true);
  EXPECT_EQ(store_->GetReport(counting).status().code(), absl::StatusCode::kNotFound);
  Create(MakeReport("LH", 2019, "100"));
  EXPECT_EQ(store_->GetReport(counting)->revision(), 1);
  ASSERT_TRUE(Update(MakeReport("LH", 2019, "200"), 1).ok());
  EXPECT_EQ(store_->GetReport(counting)->revision(), 2);
  ASSERT_TRUE(Move("LH", 2019, v1::REPORT_STATUS_SUBMITTED, 2).ok());
  ASSERT_TRUE(Move("LH", 2019, v1::REPORT_STATUS_APPROVED, 3).ok());
  ASSERT_TRUE(Move("LH", 2019, v1::REPORT_STATUS_RETURNED, 4, "复核").ok());
  ASSERT_TRUE(Update(MakeReport("LH", 2019, "300"), 5).ok());
  auto counted = store_->GetReport(counting);
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->revision(), 4);  // the approval, not the edit after it
  EXPECT_EQ(counted->report().procurement().budget().value(), "200");
  counting.set_revision(2);
  EXPECT_FALSE(testing::Reason(store_->GetReport(counting).status(), "revision").empty());

  Create(MakeReport("DD", 2019));
  v1::DeleteReportRequest drop;
  *drop.mutable_key() = Key("DD", 2019);
  drop.set_expected_revision(1);
  ASSERT_TRUE(store_->DeleteReport(drop, {"alice"}).ok());
  v1::GetReportRequest deleted;
  *deleted.mutable_key() = Key("DD", 2019);
  deleted.set_counting(true);
  EXPECT_EQ(store_->GetReport(deleted).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jixiao::store
