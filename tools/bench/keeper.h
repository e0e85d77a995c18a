// The thinnest durable write: what bench-echo-svc's Keep does with a report.
//
// CreateReport must at least check a report's fields and make it durable
// before it answers. A Keeper does only that: it puts the report's bytes
// under a key of its own (no head, no indexes, no audit record, no read) in
// a synced write, and says when the write is durable. Set against raw
// RocksDB puts in the same run, it shows how fast a store could at best
// take reports over gRPC on this machine.
//
// How writes share a sync is chosen (`Commit`):
//   kGroup      storage-svc's GroupCommit: a committer thread writes
//               whatever has queued as one synced batch, an answering
//               thread answers;
//   kLeader     the caller that finds no write in progress writes the
//               queue itself, answers it, and repeats until it is empty;
//   kBlocking   each caller writes and syncs on its own thread, and RocksDB
//               groups the writers that wait together;
//   kSyncLater  each caller writes unsynced on its own thread; one thread
//               syncs the WAL for everything written so far, then answers
//               it. Readers see a write before it is durable, which
//               storage-svc does not allow; measured because it leaves the
//               least to the syncing thread.

#ifndef JIXIAO_TOOLS_BENCH_KEEPER_H_
#define JIXIAO_TOOLS_BENCH_KEEPER_H_

#include <rocksdb/db.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "common/base/drain_queue.h"
#include "jixiao/v1/report.pb.h"
#include "storage-svc/store/group_commit.h"

namespace jixiao::bench {

// Thread-safe: Keep may be called from any number of threads at once.
class Keeper {
 public:
  enum class Commit { kGroup, kLeader, kBlocking, kSyncLater };
  // Runs once the write is durable (or failed), on whichever thread wrote it.
  using Done = absl::AnyInvocable<void(absl::Status) &&>;

  // Opens (creating) a RocksDB directory `dir`; INTERNAL if it cannot.
  static absl::StatusOr<std::unique_ptr<Keeper>> Open(const std::string& dir, Commit commit);
  // Answers every write still waiting, then closes the database. No Keep
  // may be in progress.
  ~Keeper();
  Keeper(const Keeper&) = delete;
  Keeper& operator=(const Keeper&) = delete;

  // Makes `report` durable under a new key, then calls `done` with OK, or
  // with INTERNAL naming RocksDB's error (the write may then be lost).
  void Keep(const v1::Report& report, Done done);

 private:
  struct Queued {
    std::string key, value;
    Done done;
  };
  Keeper(std::unique_ptr<rocksdb::DB> db, Commit commit);
  void Lead(Queued write);
  void SyncLoop();

  const std::unique_ptr<rocksdb::DB> db_;
  const Commit commit_;
  std::atomic<uint64_t> next_key_{0};
  std::unique_ptr<store::GroupCommit> group_;  // kGroup

  // kLeader: the writes waiting for the leader.
  base::DrainQueue<Queued> queue_;

  // kSyncLater: the writes waiting for the next WAL sync, and its thread.
  base::DrainQueue<Done> unsynced_;
  std::thread syncer_;
};

}  // namespace jixiao::bench

#endif  // JIXIAO_TOOLS_BENCH_KEEPER_H_
