// Synced writes committed in groups by one thread.
//
// A synced RocksDB write costs a WAL sync, some hundreds of microseconds to
// milliseconds of disk time. RocksDB shares one sync among writers that
// arrive together, but each of them is a thread that blocks, and is woken,
// per write. Here a write is handed over with what to do once it is durable,
// and the caller goes on. One committer thread takes every batch submitted
// since its last write and writes them as one synced batch; a second thread
// then runs their continuations, while the committer writes the next group.
// A group of N writes costs two wake-ups rather than N.
//
// Each batch comes with the lock it was prepared under (its report's
// stripe), which the committer releases as soon as the batch is written:
// the committer never waits on anything but the disk, so whatever the
// continuations do (finishing gRPC calls, which may start other calls on
// that thread) they cannot hold up the writes whose locks they may wait for.
//
// A group is all-or-nothing, like each batch in it: if the write fails,
// every continuation in the group gets the error. With a Gate, a group is
// first offered to it, and refused whole (nothing written) if it says so;
// the Gate also decides what a failed write is answered with. Once a write
// has failed RocksDB must not be written to again until it has resumed
// (a log that failed is not written on), which the Gate enforces.
//
// The committer also numbers the store's changes feed: a batch may come
// with a change record, which is written in the same group under the next
// sequence number (keys::Change). One thread writing whole groups in turn,
// the numbers follow commit order, and a reader never sees a change before
// an earlier-numbered one.

#ifndef JIXIAO_STORAGE_SVC_STORE_GROUP_COMMIT_H_
#define JIXIAO_STORAGE_SVC_STORE_GROUP_COMMIT_H_

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "common/base/drain_queue.h"
#include "storage-svc/store/stripe_locks.h"

namespace jixiao::store {

class GroupCommit {
 public:
  // Runs once the batch is durable (or failed), on the answering thread.
  using Done = absl::AnyInvocable<void(absl::Status) &&>;

  // Whether groups may be written. Called on the committer thread only.
  class Gate {
   public:
    virtual ~Gate() = default;
    // Before each group: OK to write it, or the status every write in it is
    // refused with.
    virtual absl::Status BeforeWrite() = 0;
    // After a group's write failed with `status`: what its writes are
    // answered with.
    virtual absl::Status WriteFailed(const rocksdb::Status& status) = 0;
  };

  // Writes into `db` (with `sync`); `families` are the column families the
  // batches may name; `gate` (may be null: every group is written) must
  // outlive this. Starts the committer and answering threads.
  // Changes are written into `changes` (null: no change is recorded),
  // numbered on from `last_change`, the highest number already there.
  GroupCommit(rocksdb::DB* db, bool sync, const std::vector<rocksdb::ColumnFamilyHandle*>& families,
              Gate* gate = nullptr, rocksdb::ColumnFamilyHandle* changes = nullptr,
              uint64_t last_change = 0);
  // Commits and answers everything submitted so far, then stops.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Queues `batch` for the next group; `lock` (may be empty) is released
  // once it is written, then `done` runs. A non-empty `change` (a
  // serialized record) is written with it under the next change number.
  void Submit(rocksdb::WriteBatch batch, StripeLocks::Lock lock, Done done,
              std::string change = {});

  // The number of the latest change written (durable, if writes sync).
  uint64_t last_change() const { return last_change_.load(std::memory_order_acquire); }

  // Groups written so far, and the batches in them.
  struct Counts {
    int64_t groups = 0;
    int64_t batches = 0;
  };
  Counts counts() const;

 private:
  struct Pending {
    rocksdb::WriteBatch batch;
    StripeLocks::Lock lock;
    Done done;
    std::string change;
  };
  struct Written {
    absl::Status status;
    std::vector<Done> done;
  };
  void Commit();
  void Answer();
  // The group's batches as one write.
  absl::Status Write(std::vector<Pending>& group);

  rocksdb::DB* const db_;
  const bool sync_;
  Gate* const gate_;
  std::unordered_map<uint32_t, rocksdb::ColumnFamilyHandle*> families_;  // by id
  rocksdb::ColumnFamilyHandle* const changes_;
  std::atomic<uint64_t> last_change_;  // written by the committer only

  base::DrainQueue<Pending> queue_;    // waiting for the committer
  base::DrainQueue<Written> answers_;  // waiting for the answering thread
  mutable std::mutex counts_mu_;
  Counts counts_;  // guarded by counts_mu_
  std::thread committer_, answerer_;
};

}  // namespace jixiao::store

#endif  // JIXIAO_STORAGE_SVC_STORE_GROUP_COMMIT_H_
