// Opening and closing the store; backups.

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/backup_engine.h>
#include <rocksdb/write_batch.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/report/check_report.h"
#include "common/report/field_violations.h"
#include "google/protobuf/util/time_util.h"
#include "storage-svc/store/group_commit.h"
#include "storage-svc/store/info_log.h"
#include "storage-svc/store/keys.h"
#include "storage-svc/store/page_tokens.h"
#include "storage-svc/store/rocks_util.h"
#include "storage-svc/store/store_impl.h"
#include "storage-svc/store/write_guard.h"

namespace jixiao::store {

namespace {

const char* const kFamilyNames[] = {"revisions",   "heads",       "index",  "schemes",
                                    "cards",       "idempotency", "audit",  "meta",
                                    "assignments", "rosters",     "changes"};

rocksdb::ColumnFamilyOptions FamilyOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// A backup directory the store may write to: absolute (a relative one would
// land in the service's working directory), neither the data directory nor
// inside it, and a directory if it exists.
absl::Status CheckBackupDir(const std::string& backup_dir, const std::string& data_dir) {
  auto refuse = [&backup_dir](const std::string& why) {
    return report::InvalidArgumentWithViolations(
        absl::StrCat("backup directory ", backup_dir, " refused: ", why), {{"backup_dir", why}});
  };
  if (backup_dir.empty()) return refuse("is required");
  if (!std::filesystem::path(backup_dir).is_absolute()) {
    return refuse(
        "must be an absolute path (a relative one would be taken in storage-svc's "
        "working directory)");
  }
  // Symbolic links resolved, "." and ".." and trailing slashes dropped.
  auto resolve = [](const std::string& path) {
    std::error_code error;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(path, error);
    if (error) resolved = std::filesystem::absolute(path, error).lexically_normal();
    if (resolved.filename().empty()) resolved = resolved.parent_path();
    return resolved;
  };
  const std::filesystem::path backup = resolve(backup_dir), data = resolve(data_dir);
  if (backup == data) return refuse("is the data directory itself");
  auto [data_end, unused] = std::mismatch(data.begin(), data.end(), backup.begin(), backup.end());
  if (data_end == data.end()) {
    return refuse(absl::StrCat("is inside the data directory ", data.string()));
  }
  std::error_code error;
  if (std::filesystem::exists(backup, error) && !std::filesystem::is_directory(backup, error)) {
    return refuse("exists and is not a directory");
  }
  return absl::OkStatus();
}

// Free bytes on the file system holding `path`; 0 if unknown.
uint64_t FreeBytes(const std::string& path) {
  struct statvfs info;
  if (::statvfs(path.c_str(), &info) != 0) return 0;
  return static_cast<uint64_t>(info.f_bavail) * info.f_frsize;
}

std::chrono::nanoseconds ToChrono(absl::Duration duration) {
  return std::chrono::nanoseconds(absl::ToInt64Nanoseconds(duration));
}

}  // namespace

struct Store::Impl::Opened {
  StoreOptions options;
  std::unique_ptr<rocksdb::Env> env;
  std::unique_ptr<WriteGuard> guard;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  bool read_only = false;
  rocksdb::FileLock* read_only_lock = nullptr;
  uint64_t last_change = 0;  // the highest change number stored
};

absl::StatusOr<std::unique_ptr<Store::Impl>> Store::Impl::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("no data directory given");
  if (!options.backup_dir.empty()) {
    if (absl::Status checked = CheckBackupDir(options.backup_dir, options.data_dir);
        !checked.ok()) {
      return checked;
    }
    if (options.backup_every <= absl::ZeroDuration() || options.backup_keep < 1) {
      return absl::InvalidArgumentError(
          "continuous backups need a positive interval and keep at least 1 backup");
    }
  }
  if (options.check_every <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the directory check interval must be positive");
  }
  Opened opened;
  opened.options = options;
  if (options.file_system) opened.env = rocksdb::NewCompositeEnv(options.file_system);
  rocksdb::Env* env = opened.env ? opened.env.get() : rocksdb::Env::Default();
  opened.guard = std::make_unique<WriteGuard>(options.data_dir, options.log);
  rocksdb::DBOptions db_options;
  db_options.env = env;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  // RocksDB's background errors (a failed WAL write or sync, flush,
  // compaction) stop the store's writes at once. With paranoid checks (the
  // default, stated) every failed log write is one: RocksDB then refuses
  // writes itself until it has resumed, and never writes on a failed log.
  db_options.paranoid_checks = true;
  // RocksDB's info log, kept in the data directory, but written so that a
  // full disk loses lines rather than the process (info_log.h).
  std::error_code made;
  std::filesystem::create_directories(options.data_dir, made);
  db_options.info_log = std::make_shared<InfoLog>(options.data_dir + "/LOG", options.log);
  db_options.listeners.push_back(std::make_shared<GuardListener>(*opened.guard));
  // (Pipelined writes, which overlap one group's WAL write with the previous
  // group's memtable inserts, helped while many threads wrote at once; report
  // writes now come from one committer thread, and they make no difference.)
  // Counters only (no histograms or timers, which cost on every write), for
  // the metrics page.
  db_options.statistics = rocksdb::CreateDBStatistics();
  db_options.statistics->set_stats_level(rocksdb::StatsLevel::kExceptHistogramOrTimers);
  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(64 << 20);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, FamilyOptions(cache));
  for (const char* name : kFamilyNames) descriptors.emplace_back(name, FamilyOptions(cache));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status =
      rocksdb::DB::Open(db_options, options.data_dir, descriptors, &handles, &raw);
  if (!status.ok()) {
    std::string text = status.ToString();
    if (status.IsIOError() && absl::StrContains(text, "lock")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data directory ", options.data_dir, " is in use by another process (", text, ")"));
    }
    // Opening writes (a new log, a new MANIFEST, the log replayed into
    // tables). On a full disk, open read-only instead, to serve reads; the
    // directory is then locked here, as RocksDB would have.
    rocksdb::FileLock* lock = nullptr;
    if (!status.IsNoSpace() || !env->LockFile(options.data_dir + "/LOCK", &lock).ok()) {
      return absl::InternalError(
          absl::StrCat("cannot open data directory ", options.data_dir, ": ", text));
    }
    handles.clear();
    db_options.listeners.clear();
    // Read-only, no family can be created: open those there are (a store
    // written before a family was added lacks it), and leave the others'
    // handles null.
    std::vector<std::string> present;
    rocksdb::DB::ListColumnFamilies(db_options, options.data_dir, &present).PermitUncheckedError();
    std::vector<rocksdb::ColumnFamilyDescriptor> existing;
    for (const rocksdb::ColumnFamilyDescriptor& d : descriptors) {
      if (std::find(present.begin(), present.end(), d.name) != present.end()) existing.push_back(d);
    }
    rocksdb::Status read_only =
        rocksdb::DB::OpenForReadOnly(db_options, options.data_dir, existing, &handles, &raw);
    if (read_only.ok()) {
      std::vector<rocksdb::ColumnFamilyHandle*> all(descriptors.size(), nullptr);
      for (size_t i = 0, j = 0; i < descriptors.size() && j < handles.size(); ++i) {
        if (descriptors[i].name == existing[j].name) all[i] = handles[j++];
      }
      handles = std::move(all);
    }
    if (!read_only.ok()) {
      env->UnlockFile(lock).PermitUncheckedError();
      return absl::InternalError(absl::StrCat("cannot open data directory ", options.data_dir, ": ",
                                              text, "; read-only: ", read_only.ToString()));
    }
    opened.read_only = true;
    opened.read_only_lock = lock;
    opened.guard->Stop(WriteGuard::Fault::kDiskFull,
                       absl::StrCat("storage-svc opened the store read-only (", text, ")"),
                       /*resumable=*/false);
  }
  opened.db.reset(raw);
  // handles[0] is the default family, which the store does not use.
  opened.db->DestroyColumnFamilyHandle(handles[0]);
  handles.erase(handles.begin());
  opened.families = std::move(handles);
  if (rocksdb::ColumnFamilyHandle* changes = opened.families[kChanges]; changes != nullptr) {
    std::unique_ptr<rocksdb::Iterator> it(opened.db->NewIterator(rocksdb::ReadOptions(), changes));
    it->SeekToLast();
    if (it->Valid() && !keys::ParseChange(absl::string_view(it->key().data(), it->key().size()),
                                          &opened.last_change)) {
      opened.last_change = 0;
    }
    if (!it->status().ok()) {
      for (rocksdb::ColumnFamilyHandle* handle : opened.families) {
        if (handle != nullptr) opened.db->DestroyColumnFamilyHandle(handle);
      }
      if (opened.read_only_lock != nullptr)
        env->UnlockFile(opened.read_only_lock).PermitUncheckedError();
      return FromRocks(it->status(), "read the changes feed");
    }
  }
  if (absl::Status remembered = opened.guard->Remember(); !remembered.ok()) {
    for (rocksdb::ColumnFamilyHandle* handle : opened.families) {
      if (handle != nullptr) opened.db->DestroyColumnFamilyHandle(handle);
    }
    if (opened.read_only_lock != nullptr)
      env->UnlockFile(opened.read_only_lock).PermitUncheckedError();
    return remembered;
  }
  std::unique_ptr<Impl> store(new Impl(std::move(opened)));
  absl::StatusOr<PageTokens> page_tokens =
      PageTokens::Open(store->db_.get(), store->family(kMeta), store->read_only_);
  if (!page_tokens.ok()) return page_tokens.status();
  store->page_tokens_ = std::make_unique<const PageTokens>(*std::move(page_tokens));
  return store;
}

namespace {

std::vector<std::string> DigestsOf(const std::vector<v1::Scheme>& schemes) {
  std::vector<std::string> digests;
  for (const v1::Scheme& scheme : schemes) digests.push_back(report::SchemeDigest(scheme));
  return digests;
}

}  // namespace

Store::Impl::Impl(Opened opened)
    : options_(std::move(opened.options)),
      built_in_digests_(DigestsOf(options_.built_in_schemes)),
      env_(std::move(opened.env)),
      guard_(std::move(opened.guard)),
      db_(std::move(opened.db)),
      families_(std::move(opened.families)),
      read_only_(opened.read_only),
      read_only_lock_(opened.read_only_lock),
      committer_(std::make_unique<GroupCommit>(db_.get(), options_.sync, families_, guard_.get(),
                                               families_[kChanges], opened.last_change)) {
  supervisor_ = std::thread([this] { Supervise(); });
  if (!options_.backup_dir.empty()) backer_ = std::thread([this] { BackUpContinuously(); });
}

Store::Impl::~Impl() {
  {
    std::lock_guard<std::mutex> lock(threads_mutex_);
    stopping_ = true;
    if (running_backup_ != nullptr) running_backup_->StopBackup();
  }
  threads_wake_.notify_all();
  supervisor_.join();
  if (backer_.joinable()) backer_.join();
  committer_.reset();  // commits what was submitted
  // Every acknowledged write is synced already. After a failure RocksDB
  // must not touch the log that failed (it asserts).
  if (!read_only_ && guard_->writable()) db_->FlushWAL(/*sync=*/true).PermitUncheckedError();
  for (rocksdb::ColumnFamilyHandle* handle : families_) {
    if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle);
  }
  db_->Close().PermitUncheckedError();
  if (read_only_lock_ != nullptr) {
    (env_ ? env_.get() : rocksdb::Env::Default())
        ->UnlockFile(read_only_lock_)
        .PermitUncheckedError();
  }
}

absl::Status Store::Impl::Writable() const { return guard_->refusal(); }

void Store::Impl::Supervise() {
  std::unique_lock<std::mutex> lock(threads_mutex_);
  while (
      !threads_wake_.wait_for(lock, ToChrono(options_.check_every), [this] { return stopping_; })) {
    lock.unlock();
    guard_->CheckDirectory();
    if (!guard_->writable()) TryResume();
    lock.lock();
  }
}

void Store::Impl::TryResume() {
  if (read_only_ || !guard_->resumable()) return;
  if (guard_->fault() == WriteGuard::Fault::kDiskFull) {
    // Resuming flushes the memtables (and starts a new log): wait until
    // they fit, with 256 KiB to spare. (A resume that fails for space again
    // leaves the store as it was, and is tried again.)
    uint64_t memtables = 0;
    db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables, &memtables);
    if (FreeBytes(options_.data_dir) < memtables + (256 << 10)) return;
  }
  const int64_t stops = guard_->stops();
  // OK at once if RocksDB recovered by itself (it retries retryable I/O
  // errors, not a full disk: GuardListener).
  rocksdb::Status resumed = db_->Resume();
  if (resumed.ok() && guard_->CheckDirectory()) guard_->Resumed(stops);
}

absl::Status Store::Impl::WriteDurably(rocksdb::WriteBatch batch, absl::string_view doing,
                                       std::string change) {
  absl::Status status = Await<absl::Status>([&](GroupCommit::Done done) {
    committer_->Submit(std::move(batch), StripeLocks::Lock(), std::move(done), std::move(change));
  });
  // A refusal (writes stopped) says why in its own words, as for reports.
  if (status.ok() || absl::IsResourceExhausted(status) || absl::IsUnavailable(status)) {
    return status;
  }
  return absl::Status(status.code(), absl::StrCat(doing, ": ", status.message()));
}

void Store::Impl::Audit(rocksdb::WriteBatch& batch, const WriteContext& context,
                        absl::string_view method, std::string target, int64_t revision,
                        std::string detail) {
  v1::AuditRecord record;
  *record.mutable_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(context.time));
  record.set_principal(context.author);
  record.set_method(std::string(method));
  record.set_target(std::move(target));
  record.set_revision(revision);
  record.set_detail(std::move(detail));
  batch.Put(family(kAudit),
            keys::Audit(static_cast<uint64_t>(absl::ToUnixNanos(context.time)), audit_sequence_++),
            record.SerializeAsString());
}

absl::StatusOr<v1::ListAuditResponse> Store::Impl::ListAudit(const v1::ListAuditRequest& request) {
  auto page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  std::string query = absl::StrCat("audit|", request.principal(), "|", request.target_prefix(), "|",
                                   request.since().seconds(), ".", request.since().nanos());
  const int64_t since = google::protobuf::util::TimeUtil::TimestampToNanoseconds(request.since());
  const std::string first = keys::Audit(static_cast<uint64_t>(std::max<int64_t>(since, 0)), 0);
  auto after = page_tokens_->Decode(request.page_token(), query, first, "");
  if (!after.ok()) return after.status();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family(kAudit)));
  if (!after->empty()) {
    it->Seek(*after);
    if (it->Valid() && it->key() == *after) it->Next();
  } else {
    it->Seek(first);
  }
  v1::ListAuditResponse response;
  std::string last;
  for (; it->Valid() && response.records_size() < *page_size; it->Next()) {
    last = it->key().ToString();
    v1::AuditRecord record;
    if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::InternalError("stored audit record is corrupt");
    }
    if (!request.principal().empty() && record.principal() != request.principal()) continue;
    if (!request.target_prefix().empty() &&
        record.target().compare(0, request.target_prefix().size(), request.target_prefix()) != 0) {
      continue;
    }
    *response.add_records() = std::move(record);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "list audit");
  if (it->Valid()) response.set_next_page_token(page_tokens_->Encode(last, query));
  return response;
}

absl::StatusOr<v1::ListChangesResponse> Store::Impl::ListChanges(
    const v1::ListChangesRequest& request) {
  auto page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (request.after() < 0) {
    return report::InvalidArgumentWithViolations(
        "bad cursor", {{"after", "must be 0 (from the first change) or a change's sequence"}});
  }
  if (request.fiscal_year() != 0 && (request.fiscal_year() < report::kMinFiscalYear ||
                                     request.fiscal_year() > report::kMaxFiscalYear)) {
    return report::InvalidArgumentWithViolations(
        "bad fiscal year", {{"fiscal_year", "must be 0 (any) or lie within [2000, 2100]"}});
  }
  if (families_[kChanges] == nullptr) {  // a read-only store written before the feed was kept
    v1::ListChangesResponse empty;
    empty.set_next_after(request.after());
    return empty;
  }
  const uint64_t latest = committer_->last_change();
  const uint64_t after = static_cast<uint64_t>(request.after());
  if (after > latest) {
    return absl::OutOfRangeError(absl::StrCat(
        "cursor ", after, " is past the latest change, ", latest,
        ": the store was restored from an older backup, or the cursor is another store's; start "
        "again from 0 (or from ",
        latest, ")"));
  }
  // A filtered read looks at up to this many changes to fill its page:
  // a page costs a bounded read however rare the changes it wants.
  constexpr int kLookAtMost = 10000;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family(kChanges)));
  v1::ListChangesResponse response;
  uint64_t last = after;
  int looked = 0;
  for (it->Seek(keys::Change(after + 1));
       it->Valid() && response.changes_size() < *page_size && looked < kLookAtMost && last < latest;
       it->Next(), ++looked) {
    uint64_t sequence = 0;
    if (!keys::ParseChange(absl::string_view(it->key().data(), it->key().size()), &sequence)) {
      return absl::InternalError("stored change key is corrupt");
    }
    last = sequence;
    v1::Change change;
    if (!change.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::InternalError(absl::StrCat("stored change ", sequence, " is corrupt"));
    }
    if (!request.department_code().empty() &&
        change.key().department_code() != request.department_code()) {
      continue;
    }
    if (request.fiscal_year() != 0 && change.key().fiscal_year() != request.fiscal_year()) {
      continue;
    }
    change.set_sequence(static_cast<int64_t>(sequence));
    *response.add_changes() = std::move(change);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "list changes");
  response.set_next_after(static_cast<int64_t>(last));
  response.set_more(last < latest);
  return response;
}

absl::StatusOr<v1::CreateBackupResponse> Store::Impl::CreateBackup(
    const v1::CreateBackupRequest& request, const WriteContext& context) {
  if (absl::Status checked = CheckBackupDir(request.backup_dir(), options_.data_dir);
      !checked.ok()) {
    return checked;
  }
  absl::StatusOr<v1::CreateBackupResponse> response =
      BackUp(request.backup_dir(), /*flush=*/true, /*keep=*/0);
  if (!response.ok()) return response.status();
  // While writes are stopped (a full disk, say) a backup is what an
  // operator needs most: it is taken, and goes unaudited.
  if (!guard_->writable()) return response;
  rocksdb::WriteBatch audit;
  Audit(audit, context, "CreateBackup", request.backup_dir(), 0,
        absl::StrCat("backup ", response->backup_id()));
  absl::Status recorded = WriteDurably(std::move(audit), "record backup");
  if (!recorded.ok()) return recorded;
  return response;
}

absl::StatusOr<v1::CreateBackupResponse> Store::Impl::BackUp(const std::string& dir, bool flush,
                                                             int keep) {
  std::lock_guard<std::mutex> lock(backup_mutex_);
  const absl::Time started = absl::Now();
  auto failed = [this](absl::Status status) {
    backups_failed_.fetch_add(1, std::memory_order_relaxed);
    return status;
  };
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::IOStatus status = rocksdb::BackupEngine::Open(
      rocksdb::BackupEngineOptions(dir), env_ ? env_.get() : rocksdb::Env::Default(), &raw);
  if (!status.ok()) return failed(FromRocks(status, absl::StrCat("open backup directory ", dir)));
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  {
    std::lock_guard<std::mutex> threads(threads_mutex_);
    if (stopping_) return failed(absl::CancelledError("the store is closing"));
    running_backup_ = engine.get();
  }
  rocksdb::CreateBackupOptions options;
  // Without a flush the live log is copied too: a backup holds every write
  // acknowledged before it started.
  options.flush_before_backup = flush && guard_->writable();
  rocksdb::BackupID id = 0;
  status = engine->CreateNewBackupWithMetadata(options, db_.get(),
                                               absl::StrCat(absl::ToUnixNanos(started)), &id);
  {
    std::lock_guard<std::mutex> threads(threads_mutex_);
    running_backup_ = nullptr;
  }
  if (!status.ok()) return failed(FromRocks(status, "create backup"));
  if (keep > 0) {
    status = engine->PurgeOldBackups(static_cast<uint32_t>(keep));
    if (!status.ok()) return failed(FromRocks(status, "purge old backups"));
  }
  backups_made_.fetch_add(1, std::memory_order_relaxed);
  last_backup_unix_seconds_.store(absl::ToUnixSeconds(started), std::memory_order_relaxed);
  v1::CreateBackupResponse response;
  response.set_backup_id(id);
  rocksdb::BackupInfo info;
  if (engine->GetBackupInfo(id, &info).ok()) {
    response.set_size_bytes(static_cast<int64_t>(info.size));
  }
  return response;
}

void Store::Impl::BackUpContinuously() {
  std::unique_lock<std::mutex> lock(threads_mutex_);
  while (!threads_wake_.wait_for(lock, ToChrono(options_.backup_every),
                                 [this] { return stopping_; })) {
    lock.unlock();
    absl::StatusOr<v1::CreateBackupResponse> made =
        BackUp(options_.backup_dir, /*flush=*/false, options_.backup_keep);
    if (!made.ok() && options_.log && !absl::IsCancelled(made.status())) {
      options_.log(absl::StrCat("continuous backup into ", options_.backup_dir,
                                " failed: ", made.status().message()));
    }
    lock.lock();
  }
}

std::string Store::Impl::MetricsText() const {
  struct Gauge {
    const char* name;
    const char* help;
    const std::string& property;
  };
  const Gauge gauges[] = {
      {"jixiao_store_keys", "Estimated keys, per column family.",
       rocksdb::DB::Properties::kEstimateNumKeys},
      {"jixiao_store_sst_bytes", "Bytes in SST files, per column family.",
       rocksdb::DB::Properties::kTotalSstFilesSize},
      {"jixiao_store_memtable_bytes", "Bytes in memtables, per column family.",
       rocksdb::DB::Properties::kCurSizeAllMemTables},
  };
  std::string text;
  auto append_header = [&text](const char* name, const char* help, const char* type) {
    absl::StrAppend(&text, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
  };
  for (const Gauge& gauge : gauges) {
    append_header(gauge.name, gauge.help, "gauge");
    for (rocksdb::ColumnFamilyHandle* handle : families_) {
      uint64_t value = 0;
      if (handle == nullptr || !db_->GetIntProperty(handle, gauge.property, &value)) continue;
      absl::StrAppend(&text, gauge.name, "{family=\"", handle->GetName(), "\"} ", value, "\n");
    }
  }
  const Gauge db_gauges[] = {
      {"jixiao_rocksdb_pending_compaction_bytes",
       "Bytes compaction has yet to rewrite; rising means compaction lags writes.",
       rocksdb::DB::Properties::kEstimatePendingCompactionBytes},
      {"jixiao_rocksdb_running_compactions", "Compactions running now.",
       rocksdb::DB::Properties::kNumRunningCompactions},
  };
  for (const Gauge& gauge : db_gauges) {
    uint64_t value = 0;
    if (!db_->GetAggregatedIntProperty(gauge.property, &value)) continue;
    append_header(gauge.name, gauge.help, "gauge");
    absl::StrAppend(&text, gauge.name, " ", value, "\n");
  }
  auto append_gauge = [&](const char* name, const char* help, auto value) {
    append_header(name, help, "gauge");
    absl::StrAppend(&text, name, " ", value, "\n");
  };
  append_gauge("jixiao_rocksdb_background_errors",
               "Errors that stopped writes since start: RocksDB's background errors (a failed "
               "log write or sync, flush, compaction) and lost data directories.",
               guard_->errors());
  append_gauge("jixiao_store_writable",
               "1 while the store takes writes; 0 while it refuses them (see jixiao_store_fault).",
               guard_->writable() ? 1 : 0);
  append_header("jixiao_store_fault", "1 for the fault that stops writes now, if any.", "gauge");
  const WriteGuard::Fault fault = guard_->fault();
  for (auto [kind, name] : {std::pair{WriteGuard::Fault::kDiskFull, "disk_full"},
                            std::pair{WriteGuard::Fault::kStorageFailure, "storage_failure"},
                            std::pair{WriteGuard::Fault::kDirectoryLost, "data_dir_lost"}}) {
    absl::StrAppend(&text, "jixiao_store_fault{kind=\"", name, "\"} ", fault == kind ? 1 : 0, "\n");
  }
  append_header("jixiao_store_backups_total",
                "Backups taken (continuously and on request), by result.", "counter");
  absl::StrAppend(&text, "jixiao_store_backups_total{result=\"ok\"} ",
                  backups_made_.load(std::memory_order_relaxed), "\n",
                  "jixiao_store_backups_total{result=\"failed\"} ",
                  backups_failed_.load(std::memory_order_relaxed), "\n");
  append_gauge("jixiao_store_last_backup_timestamp_seconds",
               "When the newest backup taken since start began (Unix time); 0: none yet.",
               last_backup_unix_seconds_.load(std::memory_order_relaxed));
  struct Counter {
    const char* name;
    const char* help;
    rocksdb::Tickers ticker;
  };
  const Counter counters[] = {
      {"jixiao_rocksdb_block_cache_hits_total", "Reads served from the block cache.",
       rocksdb::BLOCK_CACHE_HIT},
      {"jixiao_rocksdb_block_cache_misses_total", "Reads that missed the block cache.",
       rocksdb::BLOCK_CACHE_MISS},
      {"jixiao_rocksdb_bloom_filter_useful_total", "Reads a bloom filter spared a file read.",
       rocksdb::BLOOM_FILTER_USEFUL},
      {"jixiao_rocksdb_bytes_written_total", "Bytes written by the store's writes.",
       rocksdb::BYTES_WRITTEN},
      {"jixiao_rocksdb_bytes_read_total", "Bytes read by the store's point reads.",
       rocksdb::BYTES_READ},
      {"jixiao_rocksdb_wal_syncs_total", "Syncs of the write-ahead log (one per group commit).",
       rocksdb::WAL_FILE_SYNCED},
      {"jixiao_rocksdb_compaction_bytes_written_total", "Bytes written by compactions.",
       rocksdb::COMPACT_WRITE_BYTES},
      {"jixiao_rocksdb_stall_micros_total",
       "Microseconds writes were stalled for compaction to catch up.", rocksdb::STALL_MICROS},
  };
  auto append_counter = [&](const char* name, const char* help, uint64_t value) {
    append_header(name, help, "counter");
    absl::StrAppend(&text, name, " ", value, "\n");
  };
  rocksdb::Statistics* statistics = db_->GetDBOptions().statistics.get();
  if (statistics != nullptr) {
    for (const Counter& counter : counters) {
      append_counter(counter.name, counter.help, statistics->getTickerCount(counter.ticker));
    }
  }
  GroupCommit::Counts commits = committer_->counts();
  append_counter("jixiao_store_commit_groups_total",
                 "Synced writes, each carrying one or more changes (a group commit).",
                 static_cast<uint64_t>(commits.groups));
  append_counter("jixiao_store_committed_writes_total",
                 "Changes committed (report revisions, cards, schemes, backup records); divided by "
                 "the groups, the mean group size.",
                 static_cast<uint64_t>(commits.batches));
  return text;
}

absl::Status Store::Restore(const std::string& backup_dir, const std::string& data_dir) {
  std::error_code error;
  if (std::filesystem::exists(data_dir, error) && !std::filesystem::is_empty(data_dir, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat("restore needs an empty data directory; ", data_dir, " is not empty"));
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  rocksdb::IOStatus status = rocksdb::BackupEngineReadOnly::Open(
      rocksdb::BackupEngineOptions(backup_dir), rocksdb::Env::Default(), &raw);
  if (!status.ok()) return FromRocks(status, absl::StrCat("open backup directory ", backup_dir));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> backups;
  engine->GetBackupInfo(&backups);
  if (backups.empty()) return absl::NotFoundError(absl::StrCat("no backup in ", backup_dir));
  status = engine->RestoreDBFromLatestBackup(data_dir, data_dir);
  return FromRocks(status, "restore");
}

// Store forwards to its Impl.

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() = default;

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  absl::StatusOr<std::unique_ptr<Impl>> impl = Impl::Open(options);
  if (!impl.ok()) return impl.status();
  return std::unique_ptr<Store>(new Store(*std::move(impl)));
}

absl::Status Store::Writable() const { return impl_->Writable(); }

absl::StatusOr<v1::ReportRevision> Store::CreateReport(const v1::CreateReportRequest& request,
                                                       const WriteContext& context) {
  return impl_->CreateReport(request, context);
}

void Store::CreateReport(const v1::CreateReportRequest& request, const WriteContext& context,
                         RevisionDone done) {
  return impl_->CreateReport(request, context, std::move(done));
}

absl::StatusOr<v1::ReportRevision> Store::UpdateReport(const v1::UpdateReportRequest& request,
                                                       const WriteContext& context) {
  return impl_->UpdateReport(request, context);
}

void Store::UpdateReport(const v1::UpdateReportRequest& request, const WriteContext& context,
                         RevisionDone done) {
  return impl_->UpdateReport(request, context, std::move(done));
}

absl::StatusOr<v1::ReportRevision> Store::GetReport(const v1::GetReportRequest& request) {
  return impl_->GetReport(request);
}

absl::StatusOr<std::string> Store::GetReportBytes(const v1::GetReportRequest& request) {
  return impl_->GetReportBytes(request);
}

absl::StatusOr<v1::ListReportsResponse> Store::ListReports(const v1::ListReportsRequest& request) {
  return impl_->ListReports(request);
}

absl::StatusOr<v1::GetReportHistoryResponse> Store::GetReportHistory(
    const v1::GetReportHistoryRequest& request) {
  return impl_->GetReportHistory(request);
}

absl::StatusOr<v1::ReportRevision> Store::TransitionReport(
    const v1::TransitionReportRequest& request, const WriteContext& context) {
  return impl_->TransitionReport(request, context);
}

void Store::TransitionReport(const v1::TransitionReportRequest& request,
                             const WriteContext& context, RevisionDone done) {
  return impl_->TransitionReport(request, context, std::move(done));
}

absl::StatusOr<v1::ReportRevision> Store::DeleteReport(const v1::DeleteReportRequest& request,
                                                       const WriteContext& context) {
  return impl_->DeleteReport(request, context);
}

void Store::DeleteReport(const v1::DeleteReportRequest& request, const WriteContext& context,
                         RevisionDone done) {
  return impl_->DeleteReport(request, context, std::move(done));
}

absl::StatusOr<v1::Scheme> Store::PublishScheme(const v1::PublishSchemeRequest& request,
                                                const WriteContext& context) {
  return impl_->PublishScheme(request, context);
}

absl::StatusOr<v1::Scheme> Store::GetScheme(const v1::GetSchemeRequest& request) {
  return impl_->GetScheme(request);
}

absl::StatusOr<v1::ListStoredSchemesResponse> Store::ListSchemes(
    const v1::ListStoredSchemesRequest& request) {
  return impl_->ListSchemes(request);
}

absl::StatusOr<std::optional<v1::ScoreCard>> Store::FreshCard(const v1::ReportKey& key) {
  return impl_->FreshCard(key);
}

absl::StatusOr<int64_t> Store::ContentRevision(const v1::ReportKey& key) {
  return impl_->ContentRevision(key);
}

absl::StatusOr<v1::SchemeAssignment> Store::AssignScheme(const v1::AssignSchemeRequest& request,
                                                         const WriteContext& context) {
  return impl_->AssignScheme(request, context);
}

absl::StatusOr<v1::SchemeAssignment> Store::GetSchemeAssignment(
    const v1::GetSchemeAssignmentRequest& request) {
  return impl_->GetSchemeAssignment(request);
}

absl::StatusOr<v1::ListSchemeAssignmentsResponse> Store::ListSchemeAssignments() {
  return impl_->ListSchemeAssignments();
}

absl::StatusOr<v1::Roster> Store::SetRoster(const v1::SetRosterRequest& request,
                                            const WriteContext& context) {
  return impl_->SetRoster(request, context);
}

absl::StatusOr<v1::Roster> Store::GetRoster(const v1::GetRosterRequest& request) {
  return impl_->GetRoster(request);
}

absl::StatusOr<v1::ListChangesResponse> Store::ListChanges(const v1::ListChangesRequest& request) {
  return impl_->ListChanges(request);
}

absl::StatusOr<v1::ScoreCard> Store::SaveScoreCard(const v1::SaveScoreCardRequest& request,
                                                   const WriteContext& context,
                                                   const CardCheck& check) {
  return impl_->SaveScoreCard(request, context, check);
}

absl::StatusOr<v1::ScoreCard> Store::GetScoreCard(const v1::GetScoreCardRequest& request) {
  return impl_->GetScoreCard(request);
}

absl::StatusOr<v1::ListScoreCardsResponse> Store::ListScoreCards(
    const v1::ListScoreCardsRequest& request) {
  return impl_->ListScoreCards(request);
}

absl::StatusOr<v1::CreateBackupResponse> Store::CreateBackup(const v1::CreateBackupRequest& request,
                                                             const WriteContext& context) {
  return impl_->CreateBackup(request, context);
}

std::string Store::MetricsText() const { return impl_->MetricsText(); }

absl::StatusOr<v1::ListAuditResponse> Store::ListAudit(const v1::ListAuditRequest& request) {
  return impl_->ListAudit(request);
}

}  // namespace jixiao::store
