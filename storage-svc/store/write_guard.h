// Whether the store takes writes, and why not. Internal to the store.
//
// Writes stop for one of three faults, each answered with its own status
// and message, while reads go on:
//  - kDiskFull: the data directory's file system is full.
//    RESOURCE_EXHAUSTED, "disk full: ...". Cleared once RocksDB resumes
//    after space is freed (the store's supervisor asks it to), unless the
//    store had to open read-only because the disk was full at start.
//  - kStorageFailure: a write, sync, flush or compaction failed otherwise.
//    UNAVAILABLE, "storage failure: ...". Cleared if RocksDB can resume
//    (a retryable error); after a failed sync it cannot, and only a restart
//    brings writes back.
//  - kDirectoryLost: the data directory or its LOCK file is gone or is no
//    longer the one opened (checked before every group of writes and
//    periodically). UNAVAILABLE, "data directory lost: ...". Never cleared:
//    what was written since could not survive a restart.
//
// Thread-safe.

#ifndef JIXIAO_STORAGE_SVC_STORE_WRITE_GUARD_H_
#define JIXIAO_STORAGE_SVC_STORE_WRITE_GUARD_H_

#include <rocksdb/listener.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "storage-svc/store/group_commit.h"

namespace jixiao::store {

class WriteGuard final : public GroupCommit::Gate {
 public:
  enum class Fault { kNone, kDiskFull, kStorageFailure, kDirectoryLost };

  // Watches `data_dir`; `log` (may be null) is told of every change of state.
  WriteGuard(std::string data_dir, std::function<void(const std::string&)> log);

  // Remembers the identity (device and inode) of the data directory and its
  // LOCK file, as opened. INTERNAL if either cannot be examined.
  absl::Status Remember();

  // GroupCommit::Gate: refuses a group if writes are stopped, or if the
  // data directory is lost (checked here, before each group).
  absl::Status BeforeWrite() override;
  // GroupCommit::Gate: a failed write (a RocksDB error) stops writes and is
  // answered with the fault's status.
  absl::Status WriteFailed(const rocksdb::Status& status) override;

  // Checks that the data directory and its LOCK file are still the ones
  // opened; stops writes (for good) if not. Returns whether they are.
  bool CheckDirectory();
  // Stops writes for `fault`, with `detail` (RocksDB's text) in the message.
  // `resumable`: whether resuming RocksDB can clear it. A fault already in
  // place is kept if it is graver, or as grave and not more resumable.
  // Returns whether this account of the fault is the one kept.
  bool Stop(Fault fault, const std::string& detail, bool resumable);
  // Counts an error RocksDB reported in the background and stops writes.
  void BackgroundError(rocksdb::BackgroundErrorReason reason, const rocksdb::Status& error);
  // Faults reported so far (each call of Stop, kept or not): read it
  // before resuming RocksDB, and pass it to Resumed.
  int64_t stops() const { return stops_.load(std::memory_order_acquire); }
  // Takes writes again after RocksDB resumed; false (and nothing changes)
  // if the fault is not one resuming clears, or if another fault was
  // reported since `stops_before` was read.
  bool Resumed(int64_t stops_before);

  // OK while writes are taken; otherwise the status they are refused with.
  absl::Status refusal() const;
  Fault fault() const;
  bool resumable() const;
  bool writable() const { return fault_.load(std::memory_order_acquire) == Fault::kNone; }
  // Errors that stopped writes since start: RocksDB's background errors
  // (failed WAL writes and syncs, flushes, compactions) and lost directories.
  int64_t errors() const { return errors_.load(std::memory_order_relaxed); }

  const std::string& data_dir() const { return data_dir_; }

 private:
  struct Identity {
    dev_t device = 0;
    ino_t inode = 0;
  };
  // The identity of `path`, or an error naming it.
  static absl::Status Examine(const std::string& path, Identity* identity);
  bool StopLocked(Fault fault, absl::Status refusal, bool resumable);

  const std::string data_dir_;
  const std::function<void(const std::string&)> log_;
  Identity directory_, lock_;  // set by Remember(), before any write

  std::atomic<Fault> fault_{Fault::kNone};  // written under mutex_; read without it
  std::atomic<int64_t> errors_{0};
  std::atomic<int64_t> stops_{0};  // written under mutex_
  mutable std::mutex mutex_;
  absl::Status refusal_;   // guarded by mutex_
  bool resumable_ = true;  // guarded by mutex_
};

// Tells a WriteGuard of RocksDB's background errors. Out of space for a
// write or flush, RocksDB would recover by itself only once there is room
// for a whole set of write buffers (its SstFileManager reserves that much), which a small
// disk never has, and it would turn down every Resume() meanwhile: the
// store resumes instead, once the memtables fit (Store::TryResume).
class GuardListener final : public rocksdb::EventListener {
 public:
  explicit GuardListener(WriteGuard& guard) : guard_(guard) {}
  const char* Name() const override { return "jixiao::store::GuardListener"; }
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) override;
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason reason, rocksdb::Status error,
                            bool* auto_recovery) override;

 private:
  WriteGuard& guard_;
};

}  // namespace jixiao::store

#endif  // JIXIAO_STORAGE_SVC_STORE_WRITE_GUARD_H_
