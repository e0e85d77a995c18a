// Opening and closing the store; backups.

#include "store.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/backup_engine.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "group_commit.h"
#include "keys.h"
#include "rocks_util.h"

namespace jixiao::store {

namespace {

const char* const kFamilyNames[] = {"revisions", "heads",       "index", "schemes",
                                    "cards",     "idempotency", "audit"};

rocksdb::ColumnFamilyOptions FamilyOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("no data directory given");
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
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
    return absl::InternalError(
        absl::StrCat("cannot open data directory ", options.data_dir, ": ", text));
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  // handles[0] is the default family, which the store does not use.
  db->DestroyColumnFamilyHandle(handles[0]);
  handles.erase(handles.begin());
  return std::unique_ptr<Store>(new Store(std::move(db), std::move(handles), options.sync));
}

Store::Store(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> families,
             bool sync)
    : db_(std::move(db)),
      families_(std::move(families)),
      committer_(std::make_unique<GroupCommit>(db_.get(), sync, families_)) {}

Store::~Store() {
  committer_.reset();  // commits what was submitted
  db_->FlushWAL(/*sync=*/true);
  for (rocksdb::ColumnFamilyHandle* handle : families_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close();
}

absl::Status Store::WriteDurably(rocksdb::WriteBatch batch, absl::string_view doing) {
  absl::Status status = Await<absl::Status>([&](GroupCommit::Done done) {
    committer_->Submit(std::move(batch), StripeLocks::Lock(), std::move(done));
  });
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(doing, ": ", status.message()));
}

void Store::Audit(rocksdb::WriteBatch& batch, const WriteContext& context, absl::string_view method,
                  std::string target, int64_t revision, std::string detail) {
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

absl::StatusOr<v1::ListAuditResponse> Store::ListAudit(const v1::ListAuditRequest& request) {
  auto page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  std::string query = absl::StrCat("audit|", request.principal(), "|", request.target_prefix(), "|",
                                   request.since().seconds(), ".", request.since().nanos());
  auto after = DecodePageToken(request.page_token(), query);
  if (!after.ok()) return after.status();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family(kAudit)));
  if (!after->empty()) {
    it->Seek(*after);
    if (it->Valid() && it->key() == *after) it->Next();
  } else {
    int64_t since = google::protobuf::util::TimeUtil::TimestampToNanoseconds(request.since());
    it->Seek(keys::Audit(static_cast<uint64_t>(std::max<int64_t>(since, 0)), 0));
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
  if (it->Valid()) response.set_next_page_token(EncodePageToken(last, query));
  return response;
}

absl::StatusOr<v1::CreateBackupResponse> Store::CreateBackup(const v1::CreateBackupRequest& request,
                                                             const WriteContext& context) {
  if (request.backup_dir().empty()) {
    return absl::InvalidArgumentError("backup_dir: is required");
  }
  std::lock_guard<std::mutex> lock(backup_mutex_);
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::IOStatus status = rocksdb::BackupEngine::Open(
      rocksdb::BackupEngineOptions(request.backup_dir()), rocksdb::Env::Default(), &raw);
  if (!status.ok())
    return FromRocks(status, absl::StrCat("open backup directory ", request.backup_dir()));
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  rocksdb::CreateBackupOptions options;
  options.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  status = engine->CreateNewBackup(options, db_.get(), &id);
  if (!status.ok()) return FromRocks(status, "create backup");
  rocksdb::BackupInfo info;
  v1::CreateBackupResponse response;
  response.set_backup_id(id);
  if (engine->GetBackupInfo(id, &info).ok())
    response.set_size_bytes(static_cast<int64_t>(info.size));
  rocksdb::WriteBatch audit;
  Audit(audit, context, "CreateBackup", request.backup_dir(), 0, absl::StrCat("backup ", id));
  absl::Status recorded = WriteDurably(std::move(audit), "record backup");
  if (!recorded.ok()) return recorded;
  return response;
}

std::string Store::MetricsText() const {
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
      if (!db_->GetIntProperty(handle, gauge.property, &value)) continue;
      absl::StrAppend(&text, gauge.name, "{family=\"", handle->GetName(), "\"} ", value, "\n");
    }
  }
  const Gauge db_gauges[] = {
      {"jixiao_rocksdb_pending_compaction_bytes",
       "Bytes compaction has yet to rewrite; rising means compaction lags writes.",
       rocksdb::DB::Properties::kEstimatePendingCompactionBytes},
      {"jixiao_rocksdb_running_compactions", "Compactions running now.",
       rocksdb::DB::Properties::kNumRunningCompactions},
      {"jixiao_rocksdb_background_errors",
       "Background errors (flush, compaction) since start; writes stop after one.",
       rocksdb::DB::Properties::kBackgroundErrors},
  };
  for (const Gauge& gauge : db_gauges) {
    uint64_t value = 0;
    if (!db_->GetAggregatedIntProperty(gauge.property, &value)) continue;
    append_header(gauge.name, gauge.help, "gauge");
    absl::StrAppend(&text, gauge.name, " ", value, "\n");
  }
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

}  // namespace jixiao::store
