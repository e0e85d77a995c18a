#include "tools/bench/latency.h"

#include "gtest/gtest.h"

namespace jixiao::bench {
namespace {

TEST(Latency, QuantilesAreNearestRank) {
  std::vector<int64_t> values;
  for (int64_t v = 100; v >= 1; --v) values.push_back(v * 1000);  // 1..100 µs, reversed
  RunSummary summary;
  SummarizeLatencies(values, summary);
  EXPECT_EQ(summary.p50_ns, 50000);
  EXPECT_EQ(summary.p99_ns, 99000);
  EXPECT_EQ(summary.max_ns, 100000);
  std::vector<int64_t> one = {7};
  EXPECT_EQ(Quantile(one, 0.99), 7);
  std::vector<int64_t> none;
  EXPECT_EQ(Quantile(none, 0.5), 0);
}

TEST(Latency, SummarySaysHowManyFailedAndWhy) {
  RunSummary summary;
  summary.requests = 10;
  summary.errors = 3;
  summary.seconds = 2;
  summary.first_error = "code 16: no token";
  std::string line = FormatSummary("score", summary);
  EXPECT_NE(line.find("score requests=10 errors=3 seconds=2.000 per_second=5 "), std::string::npos)
      << line;
  EXPECT_NE(line.find("score first_error=code 16: no token"), std::string::npos) << line;
  summary.errors = 0;
  EXPECT_EQ(FormatSummary("score", summary).find("first_error"), std::string::npos);
}

TEST(Latency, CpuTimesArePerRequestAndOnlyWhereMeasured) {
  RunSummary summary;
  summary.requests = 4;
  summary.seconds = 1;
  EXPECT_EQ(FormatSummary("put", summary).find("cpu_us"), std::string::npos);
  summary.client_cpu_ns = 400'000;
  summary.prepare_cpu_ns = 100'000;
  std::string line = FormatSummary("put", summary);
  EXPECT_NE(line.find(" client_cpu_us=100.0 prepare_cpu_us=25.0"), std::string::npos) << line;
  EXPECT_EQ(line.find("server_cpu_us"), std::string::npos) << line;
  summary.watched_cpu_ns = 1'000'000;
  line = FormatSummary("put", summary);
  EXPECT_NE(line.find(" server_cpu_us=250.0"), std::string::npos) << line;
  EXPECT_EQ(line.find("server_switches"), std::string::npos) << line;
  summary.watched_switches = 10;
  line = FormatSummary("put", summary);
  EXPECT_NE(line.find(" server_cpu_us=250.0 server_switches=2.50"), std::string::npos) << line;
}

}  // namespace
}  // namespace jixiao::bench
