#include "storage-svc/store/group_commit.h"

#include "absl/strings/str_cat.h"
#include "storage-svc/store/keys.h"
#include "storage-svc/store/rocks_util.h"

namespace jixiao::store {
namespace {

// Copies the records of one batch into another. The store's batches hold
// only puts and deletes.
class Copier final : public rocksdb::WriteBatch::Handler {
 public:
  Copier(const std::unordered_map<uint32_t, rocksdb::ColumnFamilyHandle*>& families,
         rocksdb::WriteBatch& into)
      : families_(families), into_(into) {}

  rocksdb::Status PutCF(uint32_t family, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    auto it = families_.find(family);
    if (it == families_.end()) return UnknownFamily(family);
    return into_.Put(it->second, key, value);
  }
  rocksdb::Status DeleteCF(uint32_t family, const rocksdb::Slice& key) override {
    auto it = families_.find(family);
    if (it == families_.end()) return UnknownFamily(family);
    return into_.Delete(it->second, key);
  }

 private:
  static rocksdb::Status UnknownFamily(uint32_t family) {
    return rocksdb::Status::InvalidArgument(
        absl::StrCat("column family ", family, " is not the store's"));
  }
  const std::unordered_map<uint32_t, rocksdb::ColumnFamilyHandle*>& families_;
  rocksdb::WriteBatch& into_;
};

}  // namespace

GroupCommit::GroupCommit(rocksdb::DB* db, bool sync,
                         const std::vector<rocksdb::ColumnFamilyHandle*>& families, Gate* gate,
                         rocksdb::ColumnFamilyHandle* changes, uint64_t last_change)
    : db_(db), sync_(sync), gate_(gate), changes_(changes), last_change_(last_change) {
  for (rocksdb::ColumnFamilyHandle* family : families) {
    if (family != nullptr) families_[family->GetID()] = family;  // null: absent, read-only
  }
  committer_ = std::thread([this] { Commit(); });
  answerer_ = std::thread([this] { Answer(); });
}

// The committer stops first, once it has written everything submitted;
// then the answering thread, once it has answered all of it.
GroupCommit::~GroupCommit() {
  queue_.Stop();
  committer_.join();
  answers_.Stop();
  answerer_.join();
}

void GroupCommit::Submit(rocksdb::WriteBatch batch, StripeLocks::Lock lock, Done done,
                         std::string change) {
  // Only the first batch of a group wakes the committer: it takes the
  // others with it.
  queue_.Push({std::move(batch), std::move(lock), std::move(done), std::move(change)});
}

GroupCommit::Counts GroupCommit::counts() const {
  std::lock_guard<std::mutex> lock(counts_mu_);
  return counts_;
}

void GroupCommit::Commit() {
  std::vector<Pending> group;
  while (queue_.Take(group)) {
    {
      std::lock_guard<std::mutex> lock(counts_mu_);
      ++counts_.groups;
      counts_.batches += static_cast<int64_t>(group.size());
    }
    Written written{Write(group), {}};
    written.done.reserve(group.size());
    for (Pending& pending : group) {
      pending.lock.Release();
      written.done.push_back(std::move(pending.done));
    }
    group.clear();
    answers_.Push(std::move(written));
  }
}

void GroupCommit::Answer() {
  std::vector<Written> groups;
  while (answers_.Take(groups)) {
    for (Written& group : groups) {
      for (Done& done : group.done) std::move(done)(group.status);
    }
    groups.clear();
  }
}

absl::Status GroupCommit::Write(std::vector<Pending>& group) {
  if (gate_ != nullptr) {
    if (absl::Status open = gate_->BeforeWrite(); !open.ok()) return open;
  }
  rocksdb::WriteOptions options;
  options.sync = sync_;
  rocksdb::WriteBatch merged;
  Copier copier(families_, merged);
  uint64_t change = last_change_.load(std::memory_order_relaxed);
  for (Pending& pending : group) {
    rocksdb::Status copied = pending.batch.Iterate(&copier);
    if (copied.ok() && changes_ != nullptr && !pending.change.empty()) {
      copied = merged.Put(changes_, keys::Change(++change), pending.change);
    }
    if (!copied.ok()) return FromRocks(copied, "group writes");
  }
  rocksdb::Status written = db_->Write(options, &merged);
  if (written.ok()) {
    // A failed group's numbers are used again by the next one.
    last_change_.store(change, std::memory_order_release);
    return absl::OkStatus();
  }
  return gate_ != nullptr ? gate_->WriteFailed(written) : FromRocks(written, "write");
}

}  // namespace jixiao::store
