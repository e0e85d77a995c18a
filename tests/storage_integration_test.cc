// The real storage-svc on a loopback port with a real RocksDB directory,
// driven by gRPC clients and the real jixiao CLI.

#include <grpcpp/grpcpp.h>
#include <rocksdb/env.h>
#include <rocksdb/utilities/backup_engine.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "common/report/report_test_util.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::RunCommand;
using testing::ServerProcess;
using testing::SourcePath;
using Stub = v1::StorageService::Stub;

const std::string kSeed = SourcePath("examples/longhua-2019.json");

v1::Report SeedReport() {
  v1::Report report;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(kSeed), &report).ok());
  return report;
}

using report::testing::Key;
using report::testing::MakeReport;

template <typename Request, typename Response>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const Request& request, Response* response,
                  const std::string& author = "tester") {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  context.AddMetadata("jixiao-author", author);
  return (stub.*method)(&context, request, response);
}

// A channel of its own: closing it closes its connection (no subchannel
// shared with other channels).
std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

// A storage-svc over its own data directory.
class Storage {
 public:
  explicit Storage(std::string data_dir = testing::MakeTempDir("jixiao-data"),
                   std::vector<std::string> flags = {})
      : data_dir_(std::move(data_dir)), flags_(std::move(flags)) {
    Start();
  }
  void Start() {
    std::vector<std::string> args = {"--data-dir", data_dir_};
    args.insert(args.end(), flags_.begin(), flags_.end());
    server_ = std::make_unique<ServerProcess>(BinPath("storage-svc"), args);
    ASSERT_FALSE(server_->address().empty()) << server_->Log();
    stub_ = v1::StorageService::NewStub(Channel(server_->address()));
  }
  // SIGKILL, while clients may still be calling.
  int Kill() { return server_->Stop(SIGKILL); }
  // SIGTERM, after closing this client's channel: an idle connection would
  // hold the graceful shutdown for gRPC's GOAWAY grace period.
  int Terminate() {
    stub_.reset();
    return server_->Stop(SIGTERM);
  }
  Stub& stub() { return *stub_; }
  const std::string& address() const { return server_->address(); }
  const std::string& data_dir() const { return data_dir_; }
  ServerProcess& process() { return *server_; }

  grpc::Status Create(const v1::Report& report, v1::ReportRevision* out = nullptr) {
    v1::CreateReportRequest request;
    *request.mutable_report() = report;
    v1::CreateReportResponse response;
    grpc::Status status = Call(*stub_, &Stub::CreateReport, request, &response);
    if (out) *out = response.revision();
    return status;
  }

  std::optional<v1::ReportRevision> Get(const v1::ReportKey& key, int64_t revision = 0) {
    v1::GetReportRequest request;
    *request.mutable_key() = key;
    request.set_revision(revision);
    v1::GetReportResponse response;
    if (!Call(*stub_, &Stub::GetReport, request, &response).ok()) return std::nullopt;
    return response.revision();
  }

  // Everything a client can read: every report's latest revision and history.
  std::string Snapshot() {
    std::string all;
    v1::ListReportsRequest list;
    list.set_page_size(1000);
    list.set_view(v1::REPORT_VIEW_FULL);
    do {
      v1::ListReportsResponse page;
      EXPECT_TRUE(Call(*stub_, &Stub::ListReports, list, &page).ok());
      for (const auto& r : page.reports()) {
        all += r.SerializeAsString();
        v1::GetReportHistoryRequest history;
        *history.mutable_key() = r.key();
        history.set_page_size(1000);
        v1::GetReportHistoryResponse revisions;
        EXPECT_TRUE(Call(*stub_, &Stub::GetReportHistory, history, &revisions).ok());
        all += revisions.SerializeAsString();
      }
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty());
    return all;
  }

 private:
  std::string data_dir_;
  std::vector<std::string> flags_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Stub> stub_;
};

testing::CommandResult Cli(const Storage& storage, std::vector<std::string> args) {
  args.insert(args.begin(), {BinPath("jixiao"), "--storage", storage.address(), "--as", "cli"});
  return RunCommand(args);
}

TEST(Storage, HealthAndGracefulShutdown) {
  Storage storage;
  {
    auto health = grpc::health::v1::Health::NewStub(Channel(storage.address()));
    for (const char* service : {"", "jixiao.v1.StorageService"}) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      grpc::health::v1::HealthCheckRequest request;
      request.set_service(service);
      grpc::health::v1::HealthCheckResponse response;
      ASSERT_TRUE(health->Check(&context, request, &response).ok());
      EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
    }
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service("no.such.Service");
    grpc::health::v1::HealthCheckResponse response;
    EXPECT_EQ(health->Check(&context, request, &response).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  // A client watching health does not hold the shutdown: its stream ends
  // with NOT_SERVING.
  std::thread stopper;
  auto start = std::chrono::steady_clock::now();
  {
    auto watcher = grpc::health::v1::Health::NewStub(Channel(storage.address()));
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    auto stream = watcher->Watch(&context, request);
    grpc::health::v1::HealthCheckResponse update;
    ASSERT_TRUE(stream->Read(&update));
    EXPECT_EQ(update.status(), grpc::health::v1::HealthCheckResponse::SERVING);
    start = std::chrono::steady_clock::now();
    stopper = std::thread([&storage] { EXPECT_EQ(storage.Terminate(), 0); });
    ASSERT_TRUE(stream->Read(&update));
    EXPECT_EQ(update.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
    EXPECT_FALSE(stream->Read(&update));
    EXPECT_TRUE(stream->Finish().ok());
  }  // the client's channel closes here
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_THAT(storage.process().Log(), HasSubstr("stopped"));
}

TEST(Storage, LockedOrUnusableDataDirectoryIsAClearError) {
  Storage storage;
  testing::CommandResult second = RunCommand(
      {BinPath("storage-svc"), "--listen", "127.0.0.1:0", "--data-dir", storage.data_dir()});
  EXPECT_EQ(second.exit_code, 3);
  EXPECT_THAT(second.err, HasSubstr("in use by another process"));
  std::string file = testing::MakeTempDir("jixiao-file") + "/plain-file";
  std::ofstream(file) << "not a directory";
  testing::CommandResult unusable =
      RunCommand({BinPath("storage-svc"), "--listen", "127.0.0.1:0", "--data-dir", file});
  EXPECT_EQ(unusable.exit_code, 3);
  EXPECT_THAT(unusable.err, HasSubstr("cannot open data directory"));
}

// A second server on a port in use is refused, not let in to share its
// calls (gRPC's SO_REUSEPORT would): each would answer from its own data.
TEST(Storage, APortInUseIsAClearError) {
  Storage storage;
  const std::string other = testing::MakeTempDir("jixiao-second");
  testing::CommandResult second =
      RunCommand({"/usr/bin/timeout", "20", BinPath("storage-svc"), "--listen", storage.address(),
                  "--data-dir", other + "/db"});
  EXPECT_EQ(second.exit_code, 1) << second.err;  // not 124: it did not start serving
  EXPECT_THAT(second.err, HasSubstr("cannot listen on " + storage.address()));
  testing::CommandResult scoring =
      RunCommand({"/usr/bin/timeout", "20", BinPath("scoring-svc"), "--listen", storage.address()});
  EXPECT_EQ(scoring.exit_code, 1) << scoring.err;
}

TEST(Storage, SeedRoundTripsByteForByte) {
  Storage storage;
  v1::Report seed = SeedReport();
  testing::CommandResult submitted = Cli(storage, {"save", kSeed});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  EXPECT_THAT(submitted.out, HasSubstr("LH-ZWFWSJGLJ/2019@1 created"));
  auto stored = storage.Get(Key("LH-ZWFWSJGLJ", 2019));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->report().SerializeAsString(), seed.SerializeAsString());
  EXPECT_EQ(stored->author(), "cli");
  // Through the CLI and back: the JSON it prints submits to the same report.
  testing::CommandResult json = Cli(storage, {"get", "--report", "LH-ZWFWSJGLJ/2019"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  v1::Report again;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &again).ok());
  EXPECT_EQ(again.SerializeAsString(), seed.SerializeAsString());
  // Submitting the same content again writes nothing.
  testing::CommandResult unchanged = Cli(storage, {"save", kSeed});
  EXPECT_THAT(unchanged.out, HasSubstr("@1 unchanged"));
}

TEST(Storage, EveryRevisionStaysReadableAndDiffs) {
  Storage storage;
  v1::Report report = MakeReport("D1", 2019, "100");
  ASSERT_TRUE(storage.Create(report).ok());
  std::string dir = testing::MakeTempDir("jixiao-files");
  for (int i = 2; i <= 5; ++i) {
    report.mutable_procurement()->mutable_budget()->set_value(std::to_string(i * 100));
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(report, &json).ok());
    std::string file = dir + "/r" + std::to_string(i) + ".json";
    std::ofstream(file) << json;
    testing::CommandResult result = Cli(storage, {"save", file});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  for (int i = 1; i <= 5; ++i) {
    auto revision = storage.Get(Key("D1", 2019), i);
    ASSERT_TRUE(revision.has_value()) << i;
    EXPECT_EQ(revision->report().procurement().budget().value(), std::to_string(i * 100));
  }
  testing::CommandResult diff = Cli(storage, {"diff", "D1/2019@2", "D1/2019@5"});
  EXPECT_EQ(diff.exit_code, 0);
  EXPECT_THAT(diff.out, HasSubstr("procurement.budget: 200 → 500"));
  testing::CommandResult stale = Cli(storage, {"save", "--expect-revision", "3", dir + "/r2.json"});
  EXPECT_EQ(stale.exit_code, 4);
  EXPECT_THAT(stale.err, HasSubstr("is at revision 5, not 3"));
}

TEST(Storage, ConcurrentUpdatesLandOrAbortAndNoneIsLost) {
  Storage storage;
  ASSERT_TRUE(storage.Create(MakeReport("HOT", 2019, "0")).ok());
  constexpr int kThreads = 8, kAttempts = 25;
  std::atomic<int> landed{0}, aborted{0}, other{0};
  std::mutex mutex;
  std::map<int64_t, std::string> written;  // revision → the value it carries
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int a = 0; a < kAttempts; ++a) {
        auto latest = storage.Get(Key("HOT", 2019));
        if (!latest) {
          ++other;
          continue;
        }
        std::string value = std::to_string(t * 1000 + a + 1);
        v1::UpdateReportRequest request;
        *request.mutable_report() = MakeReport("HOT", 2019, value);
        request.set_expected_revision(latest->revision());
        v1::UpdateReportResponse response;
        grpc::Status status = Call(storage.stub(), &Stub::UpdateReport, request, &response);
        if (status.ok()) {
          ++landed;
          std::lock_guard<std::mutex> lock(mutex);
          EXPECT_TRUE(written.emplace(response.revision().revision(), value).second);
        } else if (status.error_code() == grpc::StatusCode::ABORTED) {
          ++aborted;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(other, 0);
  EXPECT_EQ(landed + aborted, kThreads * kAttempts);
  EXPECT_GT(landed, 0);
  // The history has no gaps, and every acknowledged update is in it as written.
  v1::GetReportHistoryRequest history;
  *history.mutable_key() = Key("HOT", 2019);
  history.set_page_size(1000);
  v1::GetReportHistoryResponse revisions;
  ASSERT_TRUE(Call(storage.stub(), &Stub::GetReportHistory, history, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 1 + landed);
  for (int i = 0; i < revisions.revisions_size(); ++i) {
    EXPECT_EQ(revisions.revisions(i).revision(), i + 1);
  }
  for (const auto& [revision, value] : written) {
    EXPECT_EQ(storage.Get(Key("HOT", 2019), revision)->report().procurement().budget().value(),
              value);
  }
}

// Kills storage-svc with SIGKILL while writers run, restarts it, and checks
// that every acknowledged write is there whole. JIXIAO_CRASH_CYCLES sets the
// number of cycles (tools/dev soak runs hundreds).
TEST(Storage, AcknowledgedWritesSurviveSigkill) {
  int cycles = 20;
  if (const char* env = std::getenv("JIXIAO_CRASH_CYCLES")) cycles = std::max(1, std::atoi(env));
  Storage storage;
  std::mt19937 random(12345);
  struct Ack {
    v1::ReportKey key;
    int64_t revision;
    std::string value;
  };
  std::vector<Ack> acknowledged;
  size_t checked = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    std::mutex mutex;
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; !stop; ++i) {
          std::string dept =
              "C" + std::to_string(cycle) + "-" + std::to_string(t) + "-" + std::to_string(i);
          v1::ReportRevision created;
          if (!storage.Create(MakeReport(dept, 2019, std::to_string(i)), &created).ok()) return;
          {
            std::lock_guard<std::mutex> lock(mutex);
            acknowledged.push_back({created.key(), 1, std::to_string(i)});
          }
          v1::UpdateReportRequest update;
          *update.mutable_report() = MakeReport(dept, 2019, std::to_string(i) + ".5");
          update.set_expected_revision(1);
          v1::UpdateReportResponse response;
          if (!Call(storage.stub(), &Stub::UpdateReport, update, &response).ok()) return;
          std::lock_guard<std::mutex> lock(mutex);
          acknowledged.push_back({created.key(), 2, std::to_string(i) + ".5"});
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + random() % 200));
    storage.Kill();
    stop = true;
    for (auto& writer : writers) writer.join();
    storage.Start();
    // Every revision acknowledged in this cycle is readable and whole, and
    // each report's latest revision is one that was written. (Earlier
    // cycles' writes are checked again at the end.)
    for (size_t k = checked; k < acknowledged.size(); ++k) {
      const Ack& ack = acknowledged[k];
      auto revision = storage.Get(ack.key, ack.revision);
      ASSERT_TRUE(revision.has_value())
          << "cycle " << cycle << ": lost " << ack.key.department_code() << "@" << ack.revision;
      ASSERT_EQ(revision->report().procurement().budget().value(), ack.value);
      auto latest = storage.Get(ack.key);
      ASSERT_TRUE(latest.has_value());
      ASSERT_GE(latest->revision(), ack.revision);
      ASSERT_LE(latest->revision(), 2);
    }
    checked = acknowledged.size();
  }
  for (const Ack& ack : acknowledged) {
    auto revision = storage.Get(ack.key, ack.revision);
    ASSERT_TRUE(revision.has_value())
        << "lost " << ack.key.department_code() << "@" << ack.revision;
    EXPECT_EQ(revision->report().procurement().budget().value(), ack.value);
  }
  EXPECT_GT(acknowledged.size(), static_cast<size_t>(cycles));
}

TEST(Storage, BackupWhileWritingThenRestore) {
  Storage storage;
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<int> phase{0};  // 0 before the backup, 1 during, 2 after it returned
  std::set<std::string> before_backup, started_after_backup;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        std::string dept = "B" + std::to_string(t) + "-" + std::to_string(i);
        int started_in = phase;
        if (!storage.Create(MakeReport(dept, 2020)).ok()) continue;
        std::lock_guard<std::mutex> lock(mutex);
        if (started_in == 2) started_after_backup.insert(dept);
        if (phase == 0) before_backup.insert(dept);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string backup_dir = testing::MakeTempDir("jixiao-backup");
  phase = 1;
  testing::CommandResult backup = Cli(storage, {"admin", "backup", backup_dir});
  phase = 2;
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  for (auto& writer : writers) writer.join();
  ASSERT_FALSE(before_backup.empty());
  ASSERT_FALSE(started_after_backup.empty());
  storage.Terminate();
  std::filesystem::remove_all(storage.data_dir());  // wipe

  std::string restored_dir = testing::MakeTempDir("jixiao-restored") + "/data";
  testing::CommandResult restore =
      RunCommand({BinPath("jixiao"), "admin", "restore", "--backup-dir", backup_dir, "--data-dir",
                  restored_dir});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  Storage restored(restored_dir);
  std::set<std::string> listed;
  v1::ListReportsRequest list;
  list.set_page_size(1000);
  list.set_view(v1::REPORT_VIEW_FULL);
  do {
    v1::ListReportsResponse page;
    ASSERT_TRUE(Call(restored.stub(), &Stub::ListReports, list, &page).ok());
    for (const auto& r : page.reports()) {
      listed.insert(r.key().department_code());
      EXPECT_EQ(r.revision(), 1);
      EXPECT_EQ(r.report().SerializeAsString(),
                MakeReport(r.key().department_code(), 2020).SerializeAsString());
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  for (const std::string& dept : before_backup) EXPECT_TRUE(listed.count(dept)) << dept;
  for (const std::string& dept : started_after_backup) EXPECT_FALSE(listed.count(dept)) << dept;
  // A restore never overwrites a store.
  testing::CommandResult again = RunCommand({BinPath("jixiao"), "admin", "restore", "--backup-dir",
                                             backup_dir, "--data-dir", restored_dir});
  EXPECT_EQ(again.exit_code, 4);
  EXPECT_THAT(again.err, HasSubstr("not empty"));
}

TEST(Storage, PageTokensWalkThousandsOfReportsExactlyOnce) {
  Storage storage;
  constexpr int kReports = 3000;
  std::set<std::string> all, y2019, submitted, submitted_2020, dept7;
  std::mutex mutex;
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < kReports; i = next++) {
        std::string dept = "L" + std::to_string(i % 1000);
        int year = 2018 + i / 1000;
        ASSERT_TRUE(storage.Create(MakeReport(dept, year)).ok());
        std::string id = dept + "/" + std::to_string(year);
        bool submit = i % 7 == 0;
        if (submit) {
          v1::TransitionReportRequest request;
          *request.mutable_key() = Key(dept, year);
          request.set_to(v1::REPORT_STATUS_SUBMITTED);
          request.set_expected_revision(1);
          v1::TransitionReportResponse response;
          ASSERT_TRUE(Call(storage.stub(), &Stub::TransitionReport, request, &response).ok());
        }
        std::lock_guard<std::mutex> lock(mutex);
        all.insert(id);
        if (year == 2019) y2019.insert(id);
        if (submit) submitted.insert(id);
        if (submit && year == 2020) submitted_2020.insert(id);
        if (dept == "L7") dept7.insert(id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto walk = [&](v1::ListReportsRequest request) {
    std::vector<std::string> seen;
    request.set_page_size(97);
    do {
      v1::ListReportsResponse page;
      grpc::Status status = Call(storage.stub(), &Stub::ListReports, request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      EXPECT_LE(page.reports_size(), 97);
      for (const auto& r : page.reports()) {
        seen.push_back(r.key().department_code() + "/" + std::to_string(r.key().fiscal_year()));
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    std::set<std::string> unique(seen.begin(), seen.end());
    EXPECT_EQ(unique.size(), seen.size()) << "a report was listed twice";
    return unique;
  };
  EXPECT_EQ(walk({}), all);
  v1::ListReportsRequest by_year;
  by_year.set_fiscal_year(2019);
  EXPECT_EQ(walk(by_year), y2019);
  v1::ListReportsRequest by_status;
  by_status.set_status(v1::REPORT_STATUS_SUBMITTED);
  EXPECT_EQ(walk(by_status), submitted);
  by_status.set_fiscal_year(2020);
  EXPECT_EQ(walk(by_status), submitted_2020);
  v1::ListReportsRequest by_dept;
  by_dept.set_department_code("L7");
  EXPECT_EQ(walk(by_dept), dept7);
}

// Refused calls: each gets its code (and field, where one is to blame) and
// leaves the store as it was.
TEST(Storage, RefusalsChangeNothing) {
  Storage storage;
  ASSERT_TRUE(storage.Create(MakeReport("R1", 2019)).ok());
  ASSERT_TRUE(storage.Create(MakeReport("R2", 2019)).ok());
  {
    v1::TransitionReportRequest request;
    *request.mutable_key() = Key("R2", 2019);
    request.set_to(v1::REPORT_STATUS_SUBMITTED);
    request.set_expected_revision(1);
    v1::TransitionReportResponse response;
    ASSERT_TRUE(Call(storage.stub(), &Stub::TransitionReport, request, &response).ok());
  }
  const std::string before = storage.Snapshot();

  struct Case {
    std::string name;
    std::function<grpc::Status()> call;
    grpc::StatusCode code;
    std::string field;
  };
  auto create = [&](v1::Report report) {
    return [&storage, report] { return storage.Create(report); };
  };
  auto transition = [&](const std::string& dept, v1::ReportStatus to, int64_t expected,
                        const std::string& reason) {
    return [&storage, dept, to, expected, reason] {
      v1::TransitionReportRequest request;
      *request.mutable_key() = Key(dept, 2019);
      request.set_to(to);
      request.set_expected_revision(expected);
      request.set_reason(reason);
      v1::TransitionReportResponse response;
      return Call(storage.stub(), &Stub::TransitionReport, request, &response);
    };
  };
  auto update = [&](v1::Report report, int64_t expected) {
    return [&storage, report, expected] {
      v1::UpdateReportRequest request;
      *request.mutable_report() = report;
      request.set_expected_revision(expected);
      v1::UpdateReportResponse response;
      return Call(storage.stub(), &Stub::UpdateReport, request, &response);
    };
  };
  v1::Report negative = MakeReport("N1", 2019, "-1");
  v1::Report no_code = MakeReport("", 2019);
  v1::Report bad_year = MakeReport("Y1", 1999);
  v1::Report bad_figure = MakeReport("F1", 2019, "12.3.4");
  v1::Report big_rate = MakeReport("F2", 2019);
  big_rate.mutable_three_public()->mutable_declared_control_rate()->set_value("5000");
  v1::Report huge = MakeReport("H1", 2019);
  huge.mutable_narrative()->mutable_plans()->add_paragraphs(std::string(70000, 'x'));
  v1::Report many = MakeReport("H2", 2019);
  for (int i = 0; i < 1001; ++i) many.add_checklist()->set_item_id("i" + std::to_string(i));
  v1::Report bad_code = MakeReport("R 1/x", 2019);
  v1::Report satisfied = MakeReport("S1", 2019);
  satisfied.mutable_satisfaction()->mutable_rate()->set_value("101");

  std::vector<Case> cases = {
      {"negative amount", create(negative), grpc::StatusCode::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"missing department", create(no_code), grpc::StatusCode::INVALID_ARGUMENT,
       "report.identity.department_code"},
      {"year out of range", create(bad_year), grpc::StatusCode::INVALID_ARGUMENT,
       "report.identity.fiscal_year"},
      {"malformed figure", create(bad_figure), grpc::StatusCode::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"rate out of range", create(big_rate), grpc::StatusCode::INVALID_ARGUMENT,
       "report.three_public.declared_control_rate.value"},
      {"oversize text", create(huge), grpc::StatusCode::INVALID_ARGUMENT,
       "report.narrative.plans.paragraphs[0]"},
      {"too many items", create(many), grpc::StatusCode::INVALID_ARGUMENT, "report.checklist"},
      {"bad department code", create(bad_code), grpc::StatusCode::INVALID_ARGUMENT,
       "report.identity.department_code"},
      {"satisfaction over 100", create(satisfied), grpc::StatusCode::INVALID_ARGUMENT,
       "report.satisfaction.rate.value"},
      {"create existing", create(MakeReport("R1", 2019)), grpc::StatusCode::ALREADY_EXISTS, ""},
      {"stale update", update(MakeReport("R1", 2019, "5"), 7), grpc::StatusCode::ABORTED, ""},
      {"update without revision", update(MakeReport("R1", 2019, "5"), 0),
       grpc::StatusCode::INVALID_ARGUMENT, "expected_revision"},
      {"update of missing report", update(MakeReport("ZZ", 2019), 1), grpc::StatusCode::NOT_FOUND,
       ""},
      {"update of submitted report", update(MakeReport("R2", 2019), 2),
       grpc::StatusCode::FAILED_PRECONDITION, ""},
      {"draft to approved", transition("R1", v1::REPORT_STATUS_APPROVED, 1, ""),
       grpc::StatusCode::FAILED_PRECONDITION, ""},
      {"draft to returned", transition("R1", v1::REPORT_STATUS_RETURNED, 1, "why"),
       grpc::StatusCode::FAILED_PRECONDITION, ""},
      {"submitted to submitted", transition("R2", v1::REPORT_STATUS_SUBMITTED, 2, ""),
       grpc::StatusCode::FAILED_PRECONDITION, ""},
      {"return without reason", transition("R2", v1::REPORT_STATUS_RETURNED, 2, ""),
       grpc::StatusCode::INVALID_ARGUMENT, "reason"},
      {"unknown status", transition("R2", static_cast<v1::ReportStatus>(99), 2, ""),
       grpc::StatusCode::INVALID_ARGUMENT, "to"},
      {"back to draft", transition("R2", v1::REPORT_STATUS_DRAFT, 2, ""),
       grpc::StatusCode::INVALID_ARGUMENT, "to"},
      {"stale transition", transition("R2", v1::REPORT_STATUS_APPROVED, 1, ""),
       grpc::StatusCode::ABORTED, ""},
      {"delete submitted",
       [&] {
         v1::DeleteReportRequest request;
         *request.mutable_key() = Key("R2", 2019);
         request.set_expected_revision(2);
         v1::DeleteReportResponse response;
         return Call(storage.stub(), &Stub::DeleteReport, request, &response);
       },
       grpc::StatusCode::FAILED_PRECONDITION, ""},
      {"card for missing revision",
       [&] {
         v1::SaveScoreCardRequest request;
         request.mutable_card()->set_scheme_id("dept-overall");
         request.mutable_card()->set_scheme_version(1);
         *request.mutable_card()->mutable_report() = v1::ReportRef();
         request.mutable_card()->mutable_report()->set_department_code("R1");
         request.mutable_card()->mutable_report()->set_fiscal_year(2019);
         request.mutable_card()->mutable_report()->set_revision(9);
         v1::SaveScoreCardResponse response;
         return Call(storage.stub(), &Stub::SaveScoreCard, request, &response);
       },
       grpc::StatusCode::FAILED_PRECONDITION, ""},
      {"summary card",  // scores without their explanations are never stored
       [&] {
         v1::SaveScoreCardRequest request;
         request.mutable_card()->set_scheme_id("dept-overall");
         request.mutable_card()->set_scheme_version(1);
         request.mutable_card()->set_summary(true);
         request.mutable_card()->mutable_report()->set_department_code("R2");
         request.mutable_card()->mutable_report()->set_fiscal_year(2019);
         request.mutable_card()->mutable_report()->set_revision(2);
         v1::SaveScoreCardResponse response;
         return Call(storage.stub(), &Stub::SaveScoreCard, request, &response);
       },
       grpc::StatusCode::INVALID_ARGUMENT, ""},
  };
  for (const Case& c : cases) {
    grpc::Status status = c.call();
    EXPECT_EQ(status.error_code(), c.code) << c.name << ": " << status.error_message();
    if (!c.field.empty()) {
      google::rpc::Status details;
      google::rpc::BadRequest bad_request;
      std::vector<std::string> fields;
      if (details.ParseFromString(status.error_details()) && details.details_size() > 0 &&
          details.details(0).UnpackTo(&bad_request)) {
        for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
      }
      EXPECT_THAT(fields, ::testing::Contains(c.field)) << c.name;
    }
    EXPECT_EQ(storage.Snapshot(), before) << c.name << " changed the store";
  }
}

// The lifecycle through the CLI with scoring is in schemes_integration_test
// (submit scores first); here, what needs storage-svc alone.
TEST(StorageCli, ReadsAndRefusalsThroughTheCli) {
  Storage storage;
  ASSERT_EQ(Cli(storage, {"save", kSeed}).exit_code, 0);
  const std::string ref = "LH-ZWFWSJGLJ/2019";
  EXPECT_EQ(Cli(storage, {"approve", ref}).exit_code, 4);  // a draft cannot be approved
  EXPECT_EQ(Cli(storage, {"return", ref}).exit_code, 2);   // --reason is required
  EXPECT_EQ(Cli(storage, {"submit", ref}).exit_code, 2);   // submit scores first: --scoring
  testing::CommandResult listed = Cli(storage, {"list", "--status", "draft", "-o", "json"});
  EXPECT_THAT(listed.out, HasSubstr("LH-ZWFWSJGLJ"));
  EXPECT_EQ(Cli(storage, {"list", "--status", "nonsense"}).exit_code, 2);
  EXPECT_EQ(Cli(storage, {"get", "not-a-ref"}).exit_code, 2);
  EXPECT_EQ(Cli(storage, {"get", "NOPE/2019"}).exit_code, 4);
  EXPECT_EQ(Cli(storage, {"delete", ref}).exit_code, 0);
}

TEST(StorageCli, SubmitsManyFilesWithPerFileResults) {
  Storage storage;
  std::string dir = testing::MakeTempDir("jixiao-bulk");
  std::vector<std::string> args = {"save", "--jobs", "8"};
  for (int i = 0; i < 40; ++i) {
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(
                    MakeReport("M" + std::to_string(i), 2021), &json)
                    .ok());
    std::string file = dir + "/m" + std::to_string(i) + ".json";
    std::ofstream(file) << json;
    args.push_back(file);
  }
  std::ofstream(dir + "/broken.json") << "{ not json";
  args.push_back(dir + "/broken.json");
  testing::CommandResult result = Cli(storage, args);
  EXPECT_EQ(result.exit_code, 4);  // the broken file
  EXPECT_THAT(result.err, HasSubstr("broken.json"));
  int created = 0;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);)
    created += line.find(" created") != std::string::npos;
  EXPECT_EQ(created, 40);
}

TEST(StorageCli, ScoresAStoredReportAndKeepsTheCard) {
  Storage storage;
  ServerProcess scoring(BinPath("scoring-svc"), {});
  ASSERT_FALSE(scoring.address().empty());
  ASSERT_EQ(Cli(storage, {"save", kSeed}).exit_code, 0);
  testing::CommandResult scored =
      Cli(storage, {"--scoring", scoring.address(), "score", "LH-ZWFWSJGLJ/2019", "-o", "json"});
  EXPECT_EQ(scored.exit_code, 3) << scored.err;  // the seed's Q2 error
  testing::CommandResult card = Cli(storage, {"card", "LH-ZWFWSJGLJ/2019", "-o", "json"});
  EXPECT_EQ(card.exit_code, 3);
  v1::ScoreCard stored;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(card.out, &stored).ok());
  EXPECT_EQ(stored.total_score(), "97.06");
  EXPECT_EQ(stored.report().revision(), 1);
  EXPECT_EQ(card.out, scored.out);
}

grpc::health::v1::HealthCheckResponse::ServingStatus HealthOf(const std::string& address,
                                                              const std::string& service) {
  auto health = grpc::health::v1::Health::NewStub(Channel(address));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  if (!health->Check(&context, request, &response).ok()) {
    return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

std::string Fetch(const std::string& url) {
  return RunCommand({"/usr/bin/curl", "-sS", "-w", "\nHTTP %{http_code}\n", url}).out;
}

// The data directory removed under a running storage-svc: RocksDB would
// write on into files that are gone, and the next restart would lose it
// all. The next write is refused, health and /healthz say NOT_SERVING, the
// metrics show it, reads go on.
TEST(Storage, LostDataDirectoryStopsWritesAndHealth) {
  std::string aside = testing::MakeTempDir("jixiao-lost");
  Storage storage(testing::MakeTempDir("jixiao-data") + "/db",
                  {"--metrics-listen", "127.0.0.1:0", "--metrics-port-file", aside + "/metrics",
                   "--http-listen", "127.0.0.1:0", "--http-port-file", aside + "/http"});
  ASSERT_TRUE(storage.Create(MakeReport("KEPT", 2019)).ok());
  const std::string metrics_url = "http://" + testing::ReadAddress(aside + "/metrics") + "/metrics";
  const std::string healthz = "http://" + testing::ReadAddress(aside + "/http") + "/healthz";
  EXPECT_THAT(Fetch(metrics_url), HasSubstr("jixiao_store_writable 1\n"));
  EXPECT_THAT(Fetch(healthz), HasSubstr("HTTP 200"));

  std::filesystem::remove_all(storage.data_dir());
  grpc::Status refused = storage.Create(MakeReport("LOST", 2019));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_THAT(refused.error_message(), ::testing::StartsWith("data directory lost: "));
  EXPECT_THAT(refused.error_message(), HasSubstr("restart"));
  EXPECT_EQ(storage.Create(MakeReport("LOST2", 2019)).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(storage.Get(Key("KEPT", 2019)).has_value());
  // The CLI tells it apart from a service that cannot be reached.
  testing::CommandResult submitted = Cli(storage, {"save", kSeed});
  EXPECT_EQ(submitted.exit_code, 1) << submitted.err;
  EXPECT_THAT(submitted.err, HasSubstr("is running but cannot write"));
  EXPECT_THAT(submitted.err, ::testing::Not(HasSubstr("is the service running")));
  // Health is polled four times a second.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (HealthOf(storage.address(), "") != grpc::health::v1::HealthCheckResponse::NOT_SERVING &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(HealthOf(storage.address(), ""), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(HealthOf(storage.address(), "jixiao.v1.StorageService"),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(HealthOf(storage.address(), "jixiao.v1.StorageService/reads"),
            grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_THAT(Fetch(healthz), HasSubstr("HTTP 503"));
  std::string metrics = Fetch(metrics_url);
  EXPECT_THAT(metrics, HasSubstr("jixiao_store_writable 0\n"));
  EXPECT_THAT(metrics, HasSubstr("jixiao_store_fault{kind=\"data_dir_lost\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("jixiao_rocksdb_background_errors 1\n"));
  EXPECT_THAT(storage.process().Log(), HasSubstr("data directory lost"));
  EXPECT_EQ(storage.Terminate(), 0) << storage.process().Log();
}

// The restore drill: storage-svc takes backups by itself (--backup-every)
// while clients write; it is killed; the newest backup is restored into a
// fresh directory with the CLI, storage-svc starts on it, and every write
// acknowledged before that backup began is there.
TEST(Storage, RestoreDrillFromContinuousBackups) {
  std::string backup_dir = testing::MakeTempDir("jixiao-continuous") + "/backups";
  Storage storage(testing::MakeTempDir("jixiao-data") + "/db",
                  {"--backup-dir", backup_dir, "--backup-every", "500ms", "--backup-keep", "3"});
  using SystemClock = std::chrono::system_clock;
  struct Ack {
    std::string dept;
    int64_t unix_nanos;  // when the client had the answer
  };
  std::mutex mutex;
  std::vector<Ack> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        std::string dept = "W" + std::to_string(t) + "-" + std::to_string(i);
        if (!storage.Create(MakeReport(dept, 2019)).ok()) return;  // killed
        int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          SystemClock::now().time_since_epoch())
                          .count();
        std::lock_guard<std::mutex> lock(mutex);
        acknowledged.push_back({dept, now});
      }
    });
  }
  // Until at least three backups were taken and purged down to three.
  auto backups = [&] {
    int count = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(backup_dir + "/meta", error)) {
      count += entry.path().filename().string().find('.') == std::string::npos;
    }
    return count;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (backups() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  ASSERT_EQ(storage.Kill(), 128 + SIGKILL);
  stop = true;
  for (auto& writer : writers) writer.join();
  // --backup-keep 3 (4 if killed between a backup and its purge).
  EXPECT_GE(backups(), 3);
  EXPECT_LE(backups(), 4);

  // The newest backup, and when it began (its app metadata).
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  ASSERT_TRUE(rocksdb::BackupEngineReadOnly::Open(rocksdb::BackupEngineOptions(backup_dir),
                                                  rocksdb::Env::Default(), &raw)
                  .ok());
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  ASSERT_FALSE(infos.empty());
  const rocksdb::BackupInfo& newest = infos.back();
  const int64_t began = std::stoll(newest.app_metadata);
  engine.reset();

  std::string restored_dir = testing::MakeTempDir("jixiao-drill") + "/data";
  testing::CommandResult restore =
      RunCommand({BinPath("jixiao"), "admin", "restore", "--backup-dir", backup_dir, "--data-dir",
                  restored_dir});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  Storage restored(restored_dir);
  size_t before = 0, found_after = 0, after = 0;
  for (const Ack& ack : acknowledged) {
    bool there = restored.Get(Key(ack.dept, 2019)).has_value();
    if (ack.unix_nanos < began) {
      ++before;
      EXPECT_TRUE(there) << ack.dept << " was acknowledged before backup " << newest.backup_id
                         << " began, and is not in it";
    } else {
      ++after;
      found_after += there;
    }
  }
  std::cerr << acknowledged.size() << " writes acknowledged; " << before
            << " before the newest backup (" << newest.backup_id << ") began, all restored; "
            << found_after << " of the " << after << " after it are in it too\n";
  EXPECT_GT(before, 0u);
  EXPECT_GT(after, 0u) << "the kill should come after the last backup";
}

}  // namespace
}  // namespace jixiao
