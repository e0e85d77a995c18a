#include "storage-svc/store/group_commit.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage-svc/store/stripe_locks.h"

namespace jixiao::store {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("jixiao-group-commit-", getpid(), "-",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_, &raw).ok());
    db_.reset(raw);
    rocksdb::ColumnFamilyHandle* other = nullptr;
    ASSERT_TRUE(db_->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "other", &other).ok());
    other_.reset(other);
  }
  void TearDown() override {
    other_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  static rocksdb::WriteBatch PutBatch(rocksdb::ColumnFamilyHandle* family, const std::string& key) {
    rocksdb::WriteBatch batch;
    batch.Put(family, key, "v-" + key);
    return batch;
  }
  bool Has(const std::string& key, rocksdb::ColumnFamilyHandle* family = nullptr) {
    std::string value;
    return db_
        ->Get(rocksdb::ReadOptions(), family ? family : db_->DefaultColumnFamily(), key, &value)
        .ok();
  }

  std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<rocksdb::ColumnFamilyHandle> other_;
};

TEST_F(GroupCommitTest, EveryBatchIsWrittenAndAnswered) {
  GroupCommit committer(db_.get(), /*sync=*/true, {db_->DefaultColumnFamily(), other_.get()});
  constexpr int kThreads = 8, kEach = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::promise<absl::Status> done;
        committer.Submit(
            PutBatch(i % 2 ? other_.get() : db_->DefaultColumnFamily(), absl::StrCat(t, "-", i)),
            StripeLocks::Lock(), [&done](absl::Status status) { done.set_value(status); });
        if (done.get_future().get().ok()) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      EXPECT_TRUE(Has(absl::StrCat(t, "-", i), i % 2 ? other_.get() : db_->DefaultColumnFamily()));
    }
  }
  EXPECT_EQ(committer.counts().batches, kThreads * kEach);
  EXPECT_LE(committer.counts().groups, kThreads * kEach);
}

// While the committer writes one group, what is submitted waits for the
// next: batches submitted faster than synced writes can be made share them.
TEST_F(GroupCommitTest, BatchesSubmittedTogetherShareSyncedWrites) {
  GroupCommit committer(db_.get(), /*sync=*/true, {db_->DefaultColumnFamily()});
  constexpr int kBatches = 200;
  std::vector<std::future<absl::Status>> answers;
  for (int i = 0; i < kBatches; ++i) {
    auto done = std::make_shared<std::promise<absl::Status>>();
    answers.push_back(done->get_future());
    committer.Submit(PutBatch(db_->DefaultColumnFamily(), absl::StrCat("k", i)),
                     StripeLocks::Lock(), [done](absl::Status status) { done->set_value(status); });
  }
  for (auto& answer : answers) EXPECT_TRUE(answer.get().ok());
  EXPECT_EQ(committer.counts().batches, kBatches);
  EXPECT_LT(committer.counts().groups, kBatches / 2);
  for (int i = 0; i < kBatches; ++i) EXPECT_TRUE(Has(absl::StrCat("k", i)));
}

// A batch that cannot be written (here: it names a column family the
// committer was not given) is refused, and nothing of it is written.
TEST_F(GroupCommitTest, ABatchThatCannotBeWrittenIsRefusedWhole) {
  GroupCommit committer(db_.get(), /*sync=*/true, {db_->DefaultColumnFamily()});
  rocksdb::WriteBatch batch = PutBatch(db_->DefaultColumnFamily(), "good");
  batch.Put(other_.get(), "bad", "value");
  std::promise<absl::Status> done;
  committer.Submit(std::move(batch), StripeLocks::Lock(),
                   [&](absl::Status status) { done.set_value(status); });
  absl::Status status = done.get_future().get();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_FALSE(Has("good"));
  EXPECT_FALSE(Has("bad", other_.get()));
}

// The lock a batch was prepared under is free once the batch is written.
TEST_F(GroupCommitTest, ReleasesTheBatchLockOnceWritten) {
  GroupCommit committer(db_.get(), /*sync=*/true, {db_->DefaultColumnFamily()});
  StripeLocks locks;
  std::promise<void> done;
  committer.Submit(PutBatch(db_->DefaultColumnFamily(), "k"), locks.Acquire("report"),
                   [&](absl::Status) { done.set_value(); });
  StripeLocks::Lock again = locks.Acquire("report");  // waits for the write
  EXPECT_TRUE(Has("k"));
  done.get_future().wait();
}

TEST_F(GroupCommitTest, StoppingCommitsWhatWasSubmitted) {
  std::atomic<int> answered{0};
  {
    GroupCommit committer(db_.get(), /*sync=*/false, {db_->DefaultColumnFamily()});
    for (int i = 0; i < 100; ++i) {
      committer.Submit(PutBatch(db_->DefaultColumnFamily(), absl::StrCat("k", i)),
                       StripeLocks::Lock(), [&](absl::Status status) { answered += status.ok(); });
    }
  }
  EXPECT_EQ(answered.load(), 100);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(Has(absl::StrCat("k", i)));
}

TEST(StripeLocksTest, AnotherThreadMayReleaseAndAWaiterThenProceeds) {
  StripeLocks locks;
  StripeLocks::Lock held = locks.Acquire("report-a");
  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    StripeLocks::Lock again = locks.Acquire("report-a");
    acquired = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(acquired.load());
  std::thread releaser([lock = std::move(held)]() mutable { lock.Release(); });
  releaser.join();
  waiter.join();
  EXPECT_TRUE(acquired.load());
  // Released on destruction too: the stripe is free again.
  StripeLocks::Lock last = locks.Acquire("report-a");
}

}  // namespace
}  // namespace jixiao::store
