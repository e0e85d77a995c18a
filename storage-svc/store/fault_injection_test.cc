// The store over a file system that fails writes and syncs on demand (the
// one stand-in these tests allow: a real disk cannot be made to fail a sync
// at will), and over a data directory removed under it.

#include <rocksdb/db.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "common/report/field_violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"
#include "storage-svc/store/store.h"
#include "storage-svc/store/store_test_util.h"

namespace jixiao::store {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Fails, while told to, every write (append) or every sync of the files it
// opens for writing whose names end with `suffix` ("" for all).
class FaultyFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  enum class Fail { kNothing, kWrites, kSyncs };

  FaultyFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FaultyFileSystem"; }

  // From now on, fail `what` with `error` in files ending with `suffix`.
  void FailFrom(Fail what, rocksdb::IOStatus error, std::string suffix = "") {
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = std::move(error);
    suffix_ = std::move(suffix);
    fail_.store(what);
  }
  void Heal() { fail_.store(Fail::kNothing); }
  int failures() const { return failures_.load(); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus opened = target()->NewWritableFile(name, options, file, debug);
    if (opened.ok()) *file = std::make_unique<File>(*this, name, std::move(*file));
    return opened;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* file,
                                       rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus opened = target()->ReopenWritableFile(name, options, file, debug);
    if (opened.ok()) *file = std::make_unique<File>(*this, name, std::move(*file));
    return opened;
  }

 private:
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(FaultyFileSystem& fs, std::string name, std::unique_ptr<rocksdb::FSWritableFile> file)
        : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), name_(std::move(name)) {}
    using IOOptions = rocksdb::IOOptions;
    using Debug = rocksdb::IODebugContext;

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                             Debug* debug) override {
      if (auto failed = fs_.Injected(Fail::kWrites, name_)) return *failed;
      return FSWritableFileOwnerWrapper::Append(data, options, debug);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                             const rocksdb::DataVerificationInfo& info, Debug* debug) override {
      if (auto failed = fs_.Injected(Fail::kWrites, name_)) return *failed;
      return FSWritableFileOwnerWrapper::Append(data, options, info, debug);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const IOOptions& options, Debug* debug) override {
      if (auto failed = fs_.Injected(Fail::kWrites, name_)) return *failed;
      return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, debug);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const IOOptions& options,
                                       const rocksdb::DataVerificationInfo& info,
                                       Debug* debug) override {
      if (auto failed = fs_.Injected(Fail::kWrites, name_)) return *failed;
      return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, info, debug);
    }
    rocksdb::IOStatus Sync(const IOOptions& options, Debug* debug) override {
      if (auto failed = fs_.Injected(Fail::kSyncs, name_)) return *failed;
      return FSWritableFileOwnerWrapper::Sync(options, debug);
    }
    rocksdb::IOStatus Fsync(const IOOptions& options, Debug* debug) override {
      if (auto failed = fs_.Injected(Fail::kSyncs, name_)) return *failed;
      return FSWritableFileOwnerWrapper::Fsync(options, debug);
    }
    rocksdb::IOStatus RangeSync(uint64_t offset, uint64_t bytes, const IOOptions& options,
                                Debug* debug) override {
      if (auto failed = fs_.Injected(Fail::kSyncs, name_)) return *failed;
      return FSWritableFileOwnerWrapper::RangeSync(offset, bytes, options, debug);
    }

   private:
    FaultyFileSystem& fs_;
    const std::string name_;
  };

  std::optional<rocksdb::IOStatus> Injected(Fail what, const std::string& name) {
    if (fail_.load() != what) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    if (name.size() < suffix_.size() ||
        name.compare(name.size() - suffix_.size(), suffix_.size(), suffix_) != 0) {
      return std::nullopt;
    }
    ++failures_;
    return error_;
  }

  std::atomic<Fail> fail_{Fail::kNothing};
  std::atomic<int> failures_{0};
  std::mutex mutex_;
  rocksdb::IOStatus error_;  // guarded by mutex_
  std::string suffix_;       // guarded by mutex_
};

rocksdb::IOStatus DiskFull() {
  rocksdb::IOStatus error = rocksdb::IOStatus::NoSpace("injected", "No space left on device");
  error.SetRetryable(true);  // as RocksDB's own POSIX file system reports ENOSPC
  return error;
}

rocksdb::IOStatus SyncFailed(bool retryable) {
  rocksdb::IOStatus error = rocksdb::IOStatus::IOError("injected fsync", "Input/output error");
  error.SetRetryable(retryable);
  return error;
}

// A store on the faulty file system, checking its directory every 20 ms.
class FaultInjectionTest : public testing::ScratchStore {
 protected:
  StoreOptions Options() const override {
    StoreOptions options = ScratchStore::Options();
    options.file_system = fs_;
    options.check_every = absl::Milliseconds(20);
    return options;
  }

  using ScratchStore::Create;
  absl::StatusOr<v1::ReportRevision> Create(const std::string& dept) {
    v1::CreateReportRequest request;
    *request.mutable_report() = testing::MakeReport(dept, 2019);
    return store_->CreateReport(request, {"alice"});
  }
  bool Readable(const std::string& dept) {
    v1::GetReportRequest get;
    get.mutable_key()->set_department_code(dept);
    get.mutable_key()->set_fiscal_year(2019);
    return store_->GetReport(get).ok();
  }
  // Waits (up to 10 s) until the store takes writes again.
  bool WaitWritable() {
    for (int i = 0; i < 1000 && !store_->Writable().ok(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return store_->Writable().ok();
  }

  std::shared_ptr<FaultyFileSystem> fs_ = std::make_shared<FaultyFileSystem>();
};

// A full disk refuses writes with RESOURCE_EXHAUSTED "disk full: ...",
// reads go on, and once space returns writes are taken again by themselves;
// nothing acknowledged is lost.
TEST_F(FaultInjectionTest, DiskFullRefusesWritesUntilSpaceReturns) {
  ASSERT_TRUE(Create("BEFORE").ok());
  fs_->FailFrom(FaultyFileSystem::Fail::kWrites, DiskFull());
  absl::StatusOr<v1::ReportRevision> failed = Create("FAILED");
  ASSERT_EQ(failed.status().code(), absl::StatusCode::kResourceExhausted) << failed.status();
  EXPECT_THAT(std::string(failed.status().message()), StartsWith("disk full: "));
  EXPECT_EQ(store_->Writable().code(), absl::StatusCode::kResourceExhausted);
  // Refused before RocksDB is asked: the disk is not touched again.
  const int failures = fs_->failures();
  absl::StatusOr<v1::ReportRevision> refused = Create("REFUSED");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  v1::PublishSchemeRequest scheme;
  *scheme.mutable_scheme() = engine::DefaultScheme()->proto();
  EXPECT_THAT(std::string(store_->PublishScheme(scheme, {"admin"}).status().message()),
              StartsWith("disk full: "));
  EXPECT_EQ(fs_->failures(), failures);
  EXPECT_TRUE(Readable("BEFORE"));
  EXPECT_FALSE(Readable("FAILED"));
  EXPECT_THAT(store_->MetricsText(), HasSubstr("jixiao_store_writable 0\n"));
  EXPECT_THAT(store_->MetricsText(), HasSubstr("jixiao_store_fault{kind=\"disk_full\"} 1\n"));

  fs_->Heal();
  ASSERT_TRUE(WaitWritable()) << store_->Writable();
  ASSERT_TRUE(Create("AFTER").ok());
  EXPECT_THAT(store_->MetricsText(), HasSubstr("jixiao_store_writable 1\n"));
  Reopen();
  EXPECT_TRUE(Readable("BEFORE"));
  EXPECT_TRUE(Readable("AFTER"));
  EXPECT_FALSE(Readable("FAILED"));
  EXPECT_FALSE(Readable("REFUSED"));
}

// A store written before the `meta` family (which holds the page-token
// secret) existed, started on a full disk: read-only, no family can be
// created, and it still starts, serves listings and refuses writes.
TEST_F(FaultInjectionTest, AStoreFromBeforeTheMetaFamilyStartsReadOnlyOnAFullDisk) {
  store_.reset();
  std::filesystem::remove_all(dir_);
  {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name :
         {"default", "revisions", "heads", "index", "schemes", "cards", "idempotency", "audit"}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_.string(), families, &handles, &raw).ok());
    for (rocksdb::ColumnFamilyHandle* handle : handles) raw->DestroyColumnFamilyHandle(handle);
    delete raw;
  }
  fs_->FailFrom(FaultyFileSystem::Fail::kWrites, DiskFull());
  Reopen();
  EXPECT_EQ(store_->Writable().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(store_->ListReports(v1::ListReportsRequest()).ok());
  EXPECT_EQ(Create("REFUSED").status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(store_->MetricsText(), HasSubstr("jixiao_store_keys{family=\"revisions\"}"));
  fs_->Heal();
  Reopen();  // read-write again: the family and the secret are made now
  ASSERT_TRUE(Create("AFTER").ok());
  EXPECT_TRUE(Readable("AFTER"));
}

// A write whose sync failed is not acknowledged, nor anything after it;
// once the fault clears (a retryable one) writes go on, and after a reopen
// every acknowledged write is there.
TEST_F(FaultInjectionTest, FailedSyncIsNeverAcknowledged) {
  ASSERT_TRUE(Create("BEFORE").ok());
  fs_->FailFrom(FaultyFileSystem::Fail::kSyncs, SyncFailed(/*retryable=*/true), ".log");
  // Concurrent writers: whatever group the failed sync was for, none of its
  // writes is acknowledged, and neither is any later one until it clears.
  std::vector<std::thread> writers;
  std::atomic<int> acknowledged{0};
  std::vector<absl::StatusCode> codes(8);
  for (int i = 0; i < 8; ++i) {
    writers.emplace_back([&, i] {
      absl::StatusOr<v1::ReportRevision> written = Create("DURING" + std::to_string(i));
      codes[i] = written.status().code();
      if (written.ok()) ++acknowledged;
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(acknowledged, 0);
  for (absl::StatusCode code : codes) EXPECT_EQ(code, absl::StatusCode::kUnavailable);
  EXPECT_GT(fs_->failures(), 0);
  EXPECT_THAT(std::string(store_->Writable().message()), StartsWith("storage failure: "));
  EXPECT_TRUE(Readable("BEFORE"));
  for (int i = 0; i < 8; ++i) EXPECT_FALSE(Readable("DURING" + std::to_string(i))) << i;

  fs_->Heal();
  ASSERT_TRUE(WaitWritable()) << store_->Writable();
  ASSERT_TRUE(Create("AFTER").ok());
  EXPECT_THAT(store_->MetricsText(),
              ::testing::ContainsRegex("jixiao_rocksdb_background_errors [1-9]"));
  Reopen();
  EXPECT_TRUE(Readable("BEFORE"));
  EXPECT_TRUE(Readable("AFTER"));
}

// An fsync that fails for good (EIO: what was in the page cache may be
// gone) stops writes until restart, even once the disk works again; the
// store still closes cleanly, and reopens with every acknowledged write.
TEST_F(FaultInjectionTest, FatalSyncFailureNeedsARestart) {
  ASSERT_TRUE(Create("BEFORE").ok());
  fs_->FailFrom(FaultyFileSystem::Fail::kSyncs, SyncFailed(/*retryable=*/false), ".log");
  absl::StatusOr<v1::ReportRevision> failed = Create("FAILED");
  ASSERT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_THAT(std::string(failed.status().message()), HasSubstr("restart storage-svc"));
  fs_->Heal();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // ten supervisor rounds
  EXPECT_EQ(Create("STILL").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(Readable("BEFORE"));
  Reopen();
  EXPECT_TRUE(store_->Writable().ok());
  EXPECT_TRUE(Readable("BEFORE"));
  EXPECT_FALSE(Readable("STILL"));
  EXPECT_TRUE(Create("AFTER").ok());
}

// A flush that fails in the background (here, for a backup) stops writes
// too, although no write of the store's failed, and counts.
TEST_F(FaultInjectionTest, BackgroundFlushFailureStopsWrites) {
  ASSERT_TRUE(Create("BEFORE").ok());
  fs_->FailFrom(FaultyFileSystem::Fail::kWrites, SyncFailed(/*retryable=*/true), ".sst");
  v1::CreateBackupRequest backup;
  backup.set_backup_dir(dir_.string() + "-backup");
  EXPECT_FALSE(store_->CreateBackup(backup, {"admin"}).ok());
  EXPECT_EQ(store_->Writable().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Create("REFUSED").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(store_->MetricsText(),
              ::testing::ContainsRegex("jixiao_rocksdb_background_errors [1-9]"));
  fs_->Heal();
  ASSERT_TRUE(WaitWritable()) << store_->Writable();
  EXPECT_TRUE(Create("AFTER").ok());
  EXPECT_TRUE(store_->CreateBackup(backup, {"admin"}).ok());
  std::filesystem::remove_all(backup.backup_dir());
}

// The data directory removed under the store: RocksDB writes on into files
// that are gone, so the store checks, and refuses every write from then on.
TEST_F(FaultInjectionTest, LostDataDirectoryStopsWritesForGood) {
  ASSERT_TRUE(Create("BEFORE").ok());
  std::filesystem::remove_all(dir_);
  absl::StatusOr<v1::ReportRevision> refused = Create("LOST");
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
  EXPECT_THAT(std::string(refused.status().message()), StartsWith("data directory lost: "));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("restart"));
  EXPECT_TRUE(Readable("BEFORE"));  // from the files still open
  EXPECT_THAT(store_->MetricsText(), HasSubstr("jixiao_store_writable 0\n"));
  EXPECT_THAT(store_->MetricsText(), HasSubstr("jixiao_store_fault{kind=\"data_dir_lost\"} 1\n"));
  EXPECT_THAT(store_->MetricsText(), HasSubstr("jixiao_rocksdb_background_errors 1\n"));
  // A directory put in its place is not the one opened.
  std::filesystem::create_directories(dir_);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(Create("REPLACED").status().code(), absl::StatusCode::kUnavailable);
  store_.reset();  // closes without a crash
}

// Found by the periodic check, with no write to notice it: health flips.
TEST_F(FaultInjectionTest, LostDataDirectoryIsFoundWithoutWrites) {
  std::filesystem::remove_all(dir_);
  for (int i = 0; i < 500 && store_->Writable().ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_THAT(std::string(store_->Writable().message()), StartsWith("data directory lost: "));
}

}  // namespace
}  // namespace jixiao::store
