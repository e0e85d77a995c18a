// The /metrics page of the real storage-svc: it parses as Prometheus text
// (read back with the prometheus_client library's own parser) and counts
// exactly the calls the test made, by method and status code; it is
// refused off loopback without consent; and 200 connections that send
// nothing or trickle a request header neither stop it answering within a
// second nor stay open past the header deadline.

#include <chrono>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tests/raw_http.h"

namespace jixiao::testing {
namespace {

using ::testing::HasSubstr;

const std::string kBin = JIXIAO_BIN_DIR;

// Every sample as "name{label="value",...} value", labels sorted, one per
// line; exits non-zero if the text does not parse.
constexpr char kParse[] = R"(
import sys
from prometheus_client.parser import text_string_to_metric_families
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        labels = ','.join('%s="%s"' % kv for kv in sorted(s.labels.items()))
        print('%s{%s} %g' % (s.name, labels, s.value))
)";

TEST(Metrics, CountsTheCallsMadeAndParseAsPrometheusText) {
  std::string dir = MakeTempDir("metrics");
  ServerProcess storage(kBin + "/storage-svc", {"--data-dir", dir + "/db", "--metrics-listen", ":0",
                                                "--metrics-port-file", dir + "/metrics.addr"});
  ASSERT_FALSE(storage.address().empty()) << storage.Log();
  std::string metrics_address = ReadAddress(dir + "/metrics.addr");
  ASSERT_THAT(metrics_address, ::testing::StartsWith("127.0.0.1:"));  // loopback

  auto load = [&](std::vector<std::string> args) {
    args.insert(args.begin(), kBin + "/jixiao-load");
    args.insert(args.end(), {"--target", storage.address()});
    return RunCommand(args);
  };
  ASSERT_EQ(load({"put", "--requests", "5"}).exit_code, 0);
  ASSERT_EQ(load({"get", "--requests", "4"}).exit_code, 0);
  ASSERT_EQ(load({"put", "--requests", "2"}).exit_code, 1);  // ALREADY_EXISTS twice

  CommandResult page =
      RunCommand({"/usr/bin/curl", "-sSf", "http://" + metrics_address + "/metrics"});
  ASSERT_EQ(page.exit_code, 0) << page.err;
  CommandResult parsed = RunCommand({"/usr/bin/python3", "-c", kParse}, page.out);
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err << page.out;

  const std::string create = "method=\"/jixiao.v1.StorageService/CreateReport\"";
  const std::string get = "method=\"/jixiao.v1.StorageService/GetReport\"";
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_rpc_requests_total{code=\"OK\"," + create + "} 5\n"));
  EXPECT_THAT(parsed.out,
              HasSubstr("jixiao_rpc_requests_total{code=\"ALREADY_EXISTS\"," + create + "} 2\n"));
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_rpc_requests_total{code=\"OK\"," + get + "} 4\n"));
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_rpc_latency_seconds_count{" + create + "} 7\n"));
  EXPECT_THAT(parsed.out,
              HasSubstr("jixiao_rpc_latency_seconds_bucket{le=\"+Inf\"," + create + "} 7\n"));
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_store_keys{family=\"revisions\"}"));
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_store_keys{family=\"audit\"}"));
  // RocksDB's own counters: seven synced writes (two refused before
  // writing) made at least one WAL sync each group, and wrote bytes; one
  // more sync at the first open stored the page-token secret.
  std::smatch found;
  ASSERT_TRUE(std::regex_search(parsed.out, found,
                                std::regex("jixiao_rocksdb_wal_syncs_total\\{\\} ([0-9]+)")))
      << parsed.out;
  EXPECT_GE(std::stoi(found[1]), 1);
  EXPECT_LE(std::stoi(found[1]), 6);
  ASSERT_TRUE(std::regex_search(parsed.out, found,
                                std::regex("jixiao_rocksdb_bytes_written_total\\{\\} ([0-9]+)")));
  EXPECT_GT(std::stoll(found[1]), 5 * 4000);  // five reports of about 5 KB
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_rocksdb_background_errors{} 0\n"));
  // The store's committer: five reports written, in one to five groups.
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_store_committed_writes_total{} 5\n"));
  ASSERT_TRUE(std::regex_search(parsed.out, found,
                                std::regex("jixiao_store_commit_groups_total\\{\\} ([0-9]+)")));
  EXPECT_GE(std::stoi(found[1]), 1);
  EXPECT_LE(std::stoi(found[1]), 6);
}

TEST(Metrics, ScoringCountsSchemeCacheHits) {
  std::string dir = MakeTempDir("metrics-scoring");
  ServerProcess scoring(kBin + "/scoring-svc",
                        {"--metrics-listen", ":0", "--metrics-port-file", dir + "/metrics.addr"});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  std::string metrics_address = ReadAddress(dir + "/metrics.addr");
  // Three reports scored one after another (one stream) with the same
  // scheme sent inline: compiled once.
  const std::string seed = SourcePath("examples/longhua-2019.json");
  CommandResult scored =
      RunCommand({kBin + "/jixiao", "--scoring", scoring.address(), "score", "--streams", "1",
                  "--scheme", SourcePath("schemes/dept-overall-v1.textproto"), seed, seed, seed});
  ASSERT_EQ(scored.exit_code, 3) << scored.err;  // scored: the seed's known error finding

  CommandResult page =
      RunCommand({"/usr/bin/curl", "-sSf", "http://" + metrics_address + "/metrics"});
  ASSERT_EQ(page.exit_code, 0) << page.err;
  CommandResult parsed = RunCommand({"/usr/bin/python3", "-c", kParse}, page.out);
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err << page.out;
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_scheme_cache_misses_total{} 1\n"));
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_scheme_cache_hits_total{} 2\n"));
  EXPECT_THAT(parsed.out, HasSubstr("jixiao_scheme_cache_entries{} 1\n"));
}

TEST(Metrics, RefusedOffLoopbackWithoutConsent) {
  std::string dir = MakeTempDir("metrics-remote");
  CommandResult refused = RunCommand(
      {kBin + "/scoring-svc", "--listen", "127.0.0.1:0", "--metrics-listen", "0.0.0.0:0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("not a loopback address"));
}

// 100 connections to the metrics port that send nothing and 100 that
// trickle a request header a byte every 250 ms, all held open, while
// /metrics is asked 8 times over 8 seconds: each answer comes within a
// second, and by the end (past the 5 s header deadline) the server has
// closed every one of them. (Served by cpp-httplib's pool of 8 workers, no
// attempt was answered within 5 s: each waited behind the stalled ones.)
TEST(Metrics, AnswersWithinASecondWhile200ConnectionsStall) {
  std::string dir = MakeTempDir("metrics-slow");
  ServerProcess scoring(kBin + "/scoring-svc",
                        {"--metrics-listen", ":0", "--metrics-port-file", dir + "/metrics.addr"});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  const std::string metrics_address = ReadAddress(dir + "/metrics.addr");
  ASSERT_THAT(metrics_address, ::testing::StartsWith("127.0.0.1:"));

  StalledConnections stalled(metrics_address, 100, 100,
                             "GET /metrics HTTP/1.1\r\nHost: localhost\r\nX-Slow: ", 'a');
  ASSERT_TRUE(stalled.ok());
  for (int i = 0; i < 8; ++i) {
    TimedResponse got = TimedGet(metrics_address, "/metrics", std::chrono::seconds(5));
    EXPECT_EQ(got.status, 200) << "attempt " << i << ": " << got.response;
    EXPECT_THAT(got.response, HasSubstr("# TYPE jixiao_rpc_requests_total counter\n"));
    EXPECT_LT(got.took.count(), 1000) << "attempt " << i;
    std::cerr << "metrics " << i << ": " << got.status << " in " << got.took.count() << " ms\n";
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  EXPECT_EQ(stalled.ClosedByServer(std::chrono::seconds(2)), 200);
}

}  // namespace
}  // namespace jixiao::testing
