#include "storage-svc/store/write_guard.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "storage-svc/store/rocks_util.h"

namespace jixiao::store {
namespace {

int Rank(WriteGuard::Fault fault) { return static_cast<int>(fault); }

const char* ReasonName(rocksdb::BackgroundErrorReason reason) {
  switch (reason) {
    case rocksdb::BackgroundErrorReason::kFlush:
    case rocksdb::BackgroundErrorReason::kFlushNoWAL:
      return "a flush";
    case rocksdb::BackgroundErrorReason::kCompaction:
      return "a compaction";
    case rocksdb::BackgroundErrorReason::kWriteCallback:
      return "a write";
    case rocksdb::BackgroundErrorReason::kMemTable:
      return "a memtable insert";
    case rocksdb::BackgroundErrorReason::kManifestWrite:
    case rocksdb::BackgroundErrorReason::kManifestWriteNoWAL:
      return "a MANIFEST write";
  }
  return "background work";
}

}  // namespace

WriteGuard::WriteGuard(std::string data_dir, std::function<void(const std::string&)> log)
    : data_dir_(std::move(data_dir)), log_(std::move(log)) {}

absl::Status WriteGuard::Examine(const std::string& path, Identity* identity) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(absl::StrCat(path, ": ", std::strerror(errno)));
  }
  identity->device = info.st_dev;
  identity->inode = info.st_ino;
  return absl::OkStatus();
}

absl::Status WriteGuard::Remember() {
  for (auto [path, identity] :
       {std::pair{data_dir_, &directory_}, std::pair{data_dir_ + "/LOCK", &lock_}}) {
    if (absl::Status examined = Examine(path, identity); !examined.ok()) {
      return absl::InternalError(
          absl::StrCat("cannot examine the data directory: ", examined.message()));
    }
  }
  return absl::OkStatus();
}

bool WriteGuard::CheckDirectory() {
  if (fault_.load(std::memory_order_acquire) == Fault::kDirectoryLost) return false;
  for (auto [path, remembered] :
       {std::pair{data_dir_, directory_}, std::pair{data_dir_ + "/LOCK", lock_}}) {
    Identity now;
    absl::Status examined = Examine(path, &now);
    std::string detail;
    if (!examined.ok()) {
      detail = std::string(examined.message());
    } else if (now.device != remembered.device || now.inode != remembered.inode) {
      detail = absl::StrCat(path, " is not the one opened (another inode)");
    } else {
      continue;
    }
    // Counted once, however many threads find it.
    if (Stop(Fault::kDirectoryLost, detail, /*resumable=*/false)) {
      errors_.fetch_add(1, std::memory_order_relaxed);
    }
    return false;
  }
  return true;
}

absl::Status WriteGuard::BeforeWrite() {
  if (!writable()) return refusal();
  if (!CheckDirectory()) return refusal();
  return absl::OkStatus();
}

absl::Status WriteGuard::WriteFailed(const rocksdb::Status& status) {
  if (status.IsNoSpace()) {
    Stop(Fault::kDiskFull, status.ToString(), /*resumable=*/true);
  } else if (status.IsIOError() || status.IsCorruption()) {
    // A failed sync leaves the log in a state RocksDB will not write on
    // from: its background error (if any) says whether it can resume.
    Stop(Fault::kStorageFailure, status.ToString(), /*resumable=*/status.IsIOError());
  } else {
    return FromRocks(status, "write");
  }
  return refusal();
}

void WriteGuard::BackgroundError(rocksdb::BackgroundErrorReason reason,
                                 const rocksdb::Status& error) {
  errors_.fetch_add(1, std::memory_order_relaxed);
  std::string detail = absl::StrCat(ReasonName(reason), " failed: ", error.ToString());
  // RocksDB resumes from hard errors and below; a fatal or unrecoverable
  // one needs a restart (or worse).
  const bool resumable = error.severity() <= rocksdb::Status::Severity::kHardError;
  if (error.IsNoSpace()) {
    Stop(Fault::kDiskFull, detail, resumable);
  } else {
    Stop(Fault::kStorageFailure, detail, resumable);
  }
}

bool WriteGuard::Stop(Fault fault, const std::string& detail, bool resumable) {
  absl::Status refusal;
  switch (fault) {
    case Fault::kNone:
      return false;
    case Fault::kDiskFull:
      refusal = absl::ResourceExhaustedError(absl::StrCat(
          "disk full: ", detail, "; writes are refused until space is freed on the file system of ",
          data_dir_, (resumable ? "" : " and storage-svc is restarted"), " (reads go on)"));
      break;
    case Fault::kStorageFailure:
      refusal = absl::UnavailableError(absl::StrCat(
          "storage failure: ", detail, "; writes are refused",
          (resumable ? " until it clears" : ": check the disk, then restart storage-svc"),
          " (acknowledged writes are safe; reads go on)"));
      break;
    case Fault::kDirectoryLost:
      refusal = absl::UnavailableError(absl::StrCat(
          "data directory lost: ", detail, "; ", data_dir_,
          " was removed or replaced under the running storage-svc, and nothing written now "
          "would survive a restart, so writes are refused: stop storage-svc, restore the data "
          "directory (put it back, or jixiao admin restore from the latest backup), then restart "
          "it"));
      break;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  stops_.fetch_add(1, std::memory_order_acq_rel);
  return StopLocked(fault, std::move(refusal), resumable);
}

bool WriteGuard::StopLocked(Fault fault, absl::Status refusal, bool resumable) {
  Fault now = fault_.load(std::memory_order_relaxed);
  // Keep the first account of a fault, unless the new one is graver.
  if (Rank(fault) < Rank(now) || (Rank(fault) == Rank(now) && (resumable || !resumable_))) {
    return false;
  }
  refusal_ = std::move(refusal);
  resumable_ = resumable;
  fault_.store(fault, std::memory_order_release);
  if (log_) log_(std::string(refusal_.message()));
  return true;
}

bool WriteGuard::Resumed(int64_t stops_before) {
  std::lock_guard<std::mutex> lock(mutex_);
  Fault now = fault_.load(std::memory_order_relaxed);
  if (now == Fault::kNone) return true;
  if (!resumable_ || now == Fault::kDirectoryLost) return false;
  if (stops_.load(std::memory_order_relaxed) != stops_before) return false;
  refusal_ = absl::OkStatus();
  fault_.store(Fault::kNone, std::memory_order_release);
  if (log_) log_("writes resumed: RocksDB recovered and the data directory is in place");
  return true;
}

absl::Status WriteGuard::refusal() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return refusal_;
}

WriteGuard::Fault WriteGuard::fault() const { return fault_.load(std::memory_order_acquire); }

bool WriteGuard::resumable() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return resumable_;
}

void GuardListener::OnBackgroundError(rocksdb::BackgroundErrorReason reason,
                                      rocksdb::Status* error) {
  if (error != nullptr && !error->ok()) guard_.BackgroundError(reason, *error);
}

void GuardListener::OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason /*reason*/,
                                         rocksdb::Status error, bool* auto_recovery) {
  // (A soft error, out of space for a compaction, does not stop writes:
  // RocksDB's recovery, once compactions fit, is left to it.)
  if (error.IsNoSpace() && error.severity() >= rocksdb::Status::Severity::kHardError &&
      auto_recovery != nullptr) {
    *auto_recovery = false;
  }
  error.PermitUncheckedError();
}

}  // namespace jixiao::store
