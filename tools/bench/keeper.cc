#include "tools/bench/keeper.h"

#include <rocksdb/write_batch.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jixiao::bench {
namespace {

rocksdb::WriteOptions Synced() {
  rocksdb::WriteOptions options;
  options.sync = true;
  return options;
}

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view doing) {
  if (status.ok()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(doing, ": ", status.ToString()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Keeper>> Keeper::Open(const std::string& dir, Commit commit) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(options, dir, &raw);
  if (!opened.ok()) {
    return absl::InternalError(absl::StrCat("cannot open ", dir, ": ", opened.ToString()));
  }
  return std::unique_ptr<Keeper>(new Keeper(std::unique_ptr<rocksdb::DB>(raw), commit));
}

Keeper::Keeper(std::unique_ptr<rocksdb::DB> db, Commit commit)
    : db_(std::move(db)), commit_(commit) {
  if (commit_ == Commit::kGroup) {
    group_ = std::make_unique<store::GroupCommit>(
        db_.get(), /*sync=*/true,
        std::vector<rocksdb::ColumnFamilyHandle*>{db_->DefaultColumnFamily()});
  }
  if (commit_ == Commit::kSyncLater) syncer_ = std::thread([this] { SyncLoop(); });
}

// The syncing thread and the group committer (declared after the database)
// stop first, answering whatever they still hold.
Keeper::~Keeper() {
  if (!syncer_.joinable()) return;
  unsynced_.Stop();
  syncer_.join();
}

void Keeper::Keep(const v1::Report& report, Done done) {
  std::string key = absl::StrFormat("%016x", next_key_++);
  std::string value = report.SerializeAsString();
  if (commit_ == Commit::kLeader) {
    Lead({std::move(key), std::move(value), std::move(done)});
    return;
  }
  rocksdb::WriteBatch batch;
  batch.Put(key, value);
  switch (commit_) {
    case Commit::kGroup:
      group_->Submit(std::move(batch), store::StripeLocks::Lock(), std::move(done));
      return;
    case Commit::kBlocking:
      std::move(done)(FromRocks(db_->Write(Synced(), &batch), "write"));
      return;
    case Commit::kSyncLater: {
      if (absl::Status written = FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "write");
          !written.ok()) {
        std::move(done)(written);
        return;
      }
      unsynced_.Push(std::move(done));
      return;
    }
    case Commit::kLeader:
      return;  // above
  }
}

void Keeper::Lead(Queued write) {
  if (!queue_.PushAndLead(std::move(write))) return;  // the leader takes it with its next group
  std::vector<Queued> group;
  while (queue_.TakeOrResign(group)) {
    rocksdb::WriteBatch batch;
    for (const Queued& queued : group) batch.Put(queued.key, queued.value);
    const absl::Status status = FromRocks(db_->Write(Synced(), &batch), "write");
    for (Queued& queued : group) std::move(queued.done)(status);
    group.clear();
  }
}

// Everything queued was written before it was queued, so one WAL sync
// started after taking the queue makes all of it durable.
void Keeper::SyncLoop() {
  std::vector<Done> group;
  while (unsynced_.Take(group)) {
    const absl::Status status = FromRocks(db_->SyncWAL(), "write");
    for (Done& done : group) std::move(done)(status);
    group.clear();
  }
}

}  // namespace jixiao::bench
