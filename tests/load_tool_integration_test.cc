// The benchmark load tool against the real services: it counts every
// request, reports failures with their reason, and exits non-zero when any
// request failed.

#include <rocksdb/db.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <memory>

#include "common/auth/tokens.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jixiao/v1/report.pb.h"
#include "tests/fixtures.h"
#include "tests/process.h"

namespace jixiao::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kBin = JIXIAO_BIN_DIR;

CommandResult Load(std::vector<std::string> args) {
  args.insert(args.begin(), kBin + "/jixiao-load");
  return RunCommand(args);
}

// The reply_bytes= figure of a summary line (an answer's mean size); -1
// if there is none.
int64_t ReplyBytes(const std::string& out) {
  const size_t at = out.find("reply_bytes=");
  return at == std::string::npos ? -1 : std::atoll(out.c_str() + at + 12);
}

class LoadTool : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("load");
    WriteTokenFile(dir_ + "/tokens", {{"bench-token", "bench admin"}});
    std::ofstream(dir_ + "/token") << "bench-token\n";
    std::ofstream(dir_ + "/wrong-token") << "not-a-token\n";
  }
  std::string dir_;
};

TEST_F(LoadTool, CountsScoresAndStreamsAndFailsOnRefusals) {
  ServerProcess scoring(kBin + "/scoring-svc", {"--tokens", dir_ + "/tokens"});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();

  CommandResult ok = Load({"score", "--target", scoring.address(), "--requests", "25",
                           "--concurrency", "3", "--token-file", dir_ + "/token", "--with-null"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("null requests=25 errors=0"));
  EXPECT_THAT(ok.out, HasSubstr("score requests=25 errors=0"));

  CommandResult stream =
      Load({"stream", "--target", scoring.address(), "--requests", "40", "--streams", "2",
            "--token-file", dir_ + "/token", "--inconsistent-per-mille", "500"});
  EXPECT_EQ(stream.exit_code, 0) << stream.out << stream.err;
  EXPECT_THAT(stream.out, HasSubstr("stream requests=40 errors=0"));
  // Asking for summaries: the same count, and answers a fraction of the
  // explained cards' size (reply_bytes, each answer's mean).
  CommandResult summary = Load({"stream", "--target", scoring.address(), "--requests", "40",
                                "--streams", "2", "--token-file", dir_ + "/token",
                                "--inconsistent-per-mille", "500", "--detail", "summary"});
  EXPECT_EQ(summary.exit_code, 0) << summary.out << summary.err;
  EXPECT_THAT(summary.out, HasSubstr("stream requests=40 errors=0"));
  const int64_t full_bytes = ReplyBytes(stream.out), summary_bytes = ReplyBytes(summary.out);
  EXPECT_GT(summary_bytes, 0) << summary.out;
  EXPECT_LT(summary_bytes * 3, full_bytes) << stream.out << summary.out;
  CommandResult unary = Load({"score", "--target", scoring.address(), "--requests", "10",
                              "--token-file", dir_ + "/token", "--detail", "summary"});
  EXPECT_EQ(unary.exit_code, 0) << unary.out << unary.err;
  EXPECT_THAT(unary.out, HasSubstr("score requests=10 errors=0"));
  EXPECT_EQ(Load({"stream", "--target", scoring.address(), "--detail", "brief"}).exit_code, 2);

  // Every call refused: counted, the reason printed, exit 1.
  CommandResult refused = Load({"score", "--target", scoring.address(), "--requests", "12",
                                "--token-file", dir_ + "/wrong-token"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_THAT(refused.out, HasSubstr("score requests=12 errors=12"));
  EXPECT_THAT(refused.out, HasSubstr("first_error=code 16"));  // UNAUTHENTICATED

  // A refused stream counts every report it did not answer.
  CommandResult refused_stream = Load({"stream", "--target", scoring.address(), "--requests", "10",
                                       "--token-file", dir_ + "/wrong-token"});
  EXPECT_EQ(refused_stream.exit_code, 1) << refused_stream.out << refused_stream.err;
  EXPECT_THAT(refused_stream.out, HasSubstr("errors="));
  EXPECT_THAT(refused_stream.out, Not(HasSubstr("errors=0")));
  CommandResult refused_summary =
      Load({"stream", "--target", scoring.address(), "--requests", "10", "--detail", "summary",
            "--token-file", dir_ + "/wrong-token"});
  EXPECT_EQ(refused_summary.exit_code, 1) << refused_summary.out << refused_summary.err;
  EXPECT_THAT(refused_summary.out, Not(HasSubstr("errors=0")));
}

TEST_F(LoadTool, CountsStorageWritesReadsAndPartialFailures) {
  ServerProcess storage(kBin + "/storage-svc", {"--data-dir", dir_ + "/db"});
  ASSERT_FALSE(storage.address().empty()) << storage.Log();

  // Prepared 7 at a time, in five batches: the reads below find all 30.
  CommandResult put = Load({"put", "--target", storage.address(), "--requests", "30",
                            "--concurrency", "4", "--prepare-ahead", "7"});
  EXPECT_EQ(put.exit_code, 0) << put.out << put.err;
  EXPECT_THAT(put.out, HasSubstr("put requests=30 errors=0"));

  // A null RPC goes before each counted read (and each warm-up read), and is
  // tallied on its own line. The warm-up reads reports 0-4, the run 5-29.
  CommandResult get = Load(
      {"get", "--target", storage.address(), "--requests", "25", "--warmup", "5", "--with-null"});
  EXPECT_EQ(get.exit_code, 0) << get.out << get.err;
  EXPECT_THAT(get.out, HasSubstr("get requests=25 errors=0"));
  EXPECT_THAT(get.out, HasSubstr("null requests=25 errors=0"));

  // Ten of these twenty exist already: ten succeed, ten fail, exit 1.
  CommandResult again =
      Load({"put", "--target", storage.address(), "--requests", "20", "--offset", "20"});
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_THAT(again.out, HasSubstr("put requests=20 errors=10"));
  EXPECT_THAT(again.out, HasSubstr("first_error=code 6"));  // ALREADY_EXISTS

  // Forty stored: no year has a full page of 100, and the tool says so.
  CommandResult list = Load({"list", "--target", storage.address(), "--requests", "3"});
  EXPECT_EQ(list.exit_code, 1) << list.out << list.err;
  EXPECT_THAT(list.out, HasSubstr("list requests=3 errors=3"));
  EXPECT_THAT(list.out, HasSubstr("not 100"));
}

TEST_F(LoadTool, RunsTheEchoBaselines) {
  ServerProcess echo(kBin + "/bench-echo-svc", {});
  ASSERT_FALSE(echo.address().empty()) << echo.Log();
  CommandResult stream =
      Load({"echo", "--target", echo.address(), "--requests", "50", "--streams", "2"});
  EXPECT_EQ(stream.exit_code, 0) << stream.out << stream.err;
  EXPECT_THAT(stream.out, HasSubstr("echo requests=50 errors=0"));
  // ReplyStream answers each with the size asked: ScoreStream's transport
  // when its answers are summaries.
  CommandResult reply = Load({"reply", "--target", echo.address(), "--requests", "50", "--streams",
                              "2", "--reply-bytes", "2000"});
  EXPECT_EQ(reply.exit_code, 0) << reply.out << reply.err;
  EXPECT_THAT(reply.out, HasSubstr("reply requests=50 errors=0"));
  EXPECT_NEAR(ReplyBytes(reply.out), 2000, 16) << reply.out;
  CommandResult fetch =
      Load({"fetch", "--target", echo.address(), "--requests", "20", "--with-null"});
  EXPECT_EQ(fetch.exit_code, 0) << fetch.out << fetch.err;
  EXPECT_THAT(fetch.out, HasSubstr("null requests=20 errors=0"));
  EXPECT_THAT(fetch.out, HasSubstr("fetch requests=20 errors=0"));
  // Absorb takes the reports a put would send; watching the server gives its
  // CPU time per request beside the tool's own.
  CommandResult absorb = Load({"absorb", "--target", echo.address(), "--requests", "20",
                               "--watch-pid", std::to_string(echo.pid())});
  EXPECT_EQ(absorb.exit_code, 0) << absorb.out << absorb.err;
  EXPECT_THAT(absorb.out, HasSubstr("absorb requests=20 errors=0"));
  EXPECT_THAT(absorb.out,
              ContainsRegex("client_cpu_us=[0-9.]+ prepare_cpu_us=[0-9.]+ "
                            "server_cpu_us=[0-9.]+ server_switches=[0-9.]+ rss_start_kb="));
}

// Keep makes each report durable, in each way writes can share a sync: all
// 30 are in the server's RocksDB directory once it has stopped. Without a
// directory it refuses, and the run says so.
TEST_F(LoadTool, KeepsReportsDurablyInEachCommitMode) {
  for (const std::string mode : {"group", "leader", "blocking", "sync-later"}) {
    SCOPED_TRACE(mode);
    const std::string keep_dir = dir_ + "/keep-" + mode;
    ServerProcess echo(kBin + "/bench-echo-svc", {"--keep-dir", keep_dir, "--keep-commit", mode});
    ASSERT_FALSE(echo.address().empty()) << echo.Log();
    CommandResult keep = Load({"keep", "--target", echo.address(), "--requests", "30",
                               "--concurrency", "4", "--watch-pid", std::to_string(echo.pid())});
    EXPECT_EQ(keep.exit_code, 0) << keep.out << keep.err;
    EXPECT_THAT(keep.out, ContainsRegex("keep requests=30 errors=0 .* server_cpu_us=[0-9.]+"));
    ASSERT_EQ(echo.Stop(SIGTERM), 0) << echo.Log();

    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), keep_dir, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    int kept = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::Report report;
      EXPECT_TRUE(report.ParseFromString(it->value().ToString()));
      EXPECT_FALSE(report.identity().department_code().empty());
      ++kept;
    }
    EXPECT_EQ(kept, 30);
  }

  ServerProcess echo(kBin + "/bench-echo-svc", {});
  ASSERT_FALSE(echo.address().empty()) << echo.Log();
  CommandResult refused = Load({"keep", "--target", echo.address(), "--requests", "5"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_THAT(refused.out, HasSubstr("keep requests=5 errors=5"));
  EXPECT_THAT(refused.out, HasSubstr("first_error=code 9"));  // FAILED_PRECONDITION
}

TEST_F(LoadTool, ChecksGeneratedReportsInProcess) {
  CommandResult check = Load({"check", "--requests", "50"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_THAT(check.out, ContainsRegex("check requests=50 errors=0 .* client_cpu_us=[0-9.]+"));
}

// The store library in process: the same reports written twice, the second
// time all refused as existing, and the run says so.
TEST_F(LoadTool, WritesThroughTheStoreInProcess) {
  CommandResult first =
      Load({"store-put", "--dir", dir_ + "/store", "--requests", "30", "--concurrency", "4"});
  EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_THAT(first.out, ContainsRegex("store-put requests=30 errors=0 .* client_cpu_us=[0-9.]+"));
  CommandResult again = Load({"store-put", "--dir", dir_ + "/store", "--requests", "30"});
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_THAT(again.out, HasSubstr("store-put requests=30 errors=30"));
  EXPECT_THAT(again.out, HasSubstr("first_error=code 6"));  // ALREADY_EXISTS
}

// Raw synced puts, from threads or in groups from one thread: every report
// is counted, the last short group too.
TEST_F(LoadTool, WritesRawPutsAloneAndInGroups) {
  CommandResult threads =
      Load({"rocksdb-put", "--dir", dir_ + "/raw", "--requests", "10", "--concurrency", "3"});
  EXPECT_EQ(threads.exit_code, 0) << threads.out << threads.err;
  EXPECT_THAT(threads.out, HasSubstr("rocksdb-put requests=10 errors=0"));
  CommandResult grouped = Load({"rocksdb-put", "--dir", dir_ + "/grouped", "--requests", "10",
                                "--group", "4", "--name", "grouped"});
  EXPECT_EQ(grouped.exit_code, 0) << grouped.out << grouped.err;
  EXPECT_THAT(grouped.out, ContainsRegex("grouped requests=10 errors=0 .* client_cpu_us=[0-9.]+"));
}

TEST_F(LoadTool, UnreachableTargetExitsThree) {
  CommandResult result =
      Load({"null", "--target", "127.0.0.1:1", "--requests", "1", "--connect-timeout", "1"});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_THAT(result.err, HasSubstr("cannot reach"));
}

}  // namespace
}  // namespace jixiao::testing
