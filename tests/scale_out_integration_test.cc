// Scoring scaled out: the CLI spreads a bulk score, and a what-if, over
// three scoring-svc replicas; one is killed mid-run, and the batch still
// completes with every report answered once and every card (every move)
// identical to a single-replica run.

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tools/bench/report_generator.h"

namespace jixiao::testing {
namespace {

const std::string kBin = JIXIAO_BIN_DIR;

// CPU time a process has used, in clock ticks.
long CpuTicks(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

// Runs `argv` while watching `replica`, and kills it (SIGKILL) once it has
// spent 100 ms of CPU on scoring; `killed` says whether that happened
// before the command ended.
CommandResult RunKillingOnceItScores(const std::vector<std::string>& argv, ServerProcess& replica,
                                     bool& killed) {
  const long before = CpuTicks(replica.pid());
  CommandResult result;
  std::thread run([&] { result = RunCommand(argv); });
  killed = false;
  for (int i = 0; i < 3000 && !killed; ++i) {
    if (CpuTicks(replica.pid()) - before >= 10) {
      replica.Stop(SIGKILL);
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.join();
  return result;
}

TEST(ScaleOut, KilledReplicaMidRunLosesNothing) {
  const std::string dir = MakeTempDir("scaleout");
  const int kReports = 2400;
  bench::ReportGenerator generator(bench::GeneratorOptions{});
  std::vector<std::string> score_args;
  for (int i = 0; i < kReports; ++i) {
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(generator.Report(i), &json).ok());
    std::string path = dir + "/r" + std::to_string(i) + ".json";
    std::ofstream(path) << json;
    score_args.push_back(path);
  }
  auto command = [&](const std::string& scoring) {
    std::vector<std::string> argv = {kBin + "/jixiao", "--scoring", scoring, "score", "-o",
                                     "json",           "--streams", "3"};
    argv.insert(argv.end(), score_args.begin(), score_args.end());
    return argv;
  };

  ServerProcess a(kBin + "/scoring-svc", {}), b(kBin + "/scoring-svc", {}),
      c(kBin + "/scoring-svc", {});
  ASSERT_FALSE(a.address().empty() || b.address().empty() || c.address().empty());

  // The reference: everything on one replica.
  CommandResult single = RunCommand(command(a.address()));
  ASSERT_TRUE(single.exit_code == 0 || single.exit_code == 3) << single.err;
  ASSERT_EQ(std::count(single.out.begin(), single.out.end(), '\n'), kReports);

  // The same over all three; b is killed once it has done some scoring.
  bool killed = false;
  const CommandResult spread = RunKillingOnceItScores(
      command(a.address() + "," + b.address() + "," + c.address()), b, killed);
  ASSERT_TRUE(killed) << "replica b never started scoring";

  EXPECT_EQ(spread.exit_code, single.exit_code) << spread.err;
  EXPECT_EQ(std::count(spread.out.begin(), spread.out.end(), '\n'), kReports);
  EXPECT_TRUE(spread.out == single.out) << "cards differ from the single-replica run";

  // b answered part of its stream before dying; the rest was resumed on a
  // and c, which between them finished more than their own two streams.
  a.Stop(SIGTERM);
  c.Stop(SIGTERM);
  auto streams = [](const std::string& log) {
    size_t n = 0;
    for (size_t at = 0;
         (at = log.find("ScoringService/ScoreStream\",\"code\":\"OK\"", at)) != std::string::npos;
         ++at) {
      ++n;
    }
    return n;
  };
  // a also served the single-replica run's three streams.
  EXPECT_GE(streams(a.Log()) + streams(c.Log()), 3u + 3u);
}

// What-if over a stored year spread over three replicas, one killed mid-run:
// every report still compared, and the answer the same as on one replica.
TEST(ScaleOut, WhatIfWithAReplicaKilledMidRunGivesTheSameAnswer) {
  const std::string dir = MakeTempDir("scaleout-whatif");
  ServerProcess storage(kBin + "/storage-svc", {"--data-dir", dir + "/db"});
  ASSERT_FALSE(storage.address().empty()) << storage.Log();
  const int kReports = 3000;
  CommandResult fill =
      RunCommand({kBin + "/jixiao-load", "put", "--target", storage.address(), "--requests",
                  std::to_string(kReports), "--year", "2020", "--concurrency", "8"});
  ASSERT_EQ(fill.exit_code, 0) << fill.out << fill.err;
  // The draft: the default scheme with 政府采购执行率 losing 0.5 a point.
  std::ifstream shipped(SourcePath("schemes/dept-overall-v1.textproto"));
  std::string text((std::istreambuf_iterator<char>(shipped)), std::istreambuf_iterator<char>());
  const std::string from = "points: \"0.1\"";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "points: \"0.5\"");
  text.replace(text.find("version: 1"), 10, "version: 2");
  std::ofstream(dir + "/draft.textproto") << text;
  auto whatif = [&](const std::string& scoring) {
    return std::vector<std::string>{kBin + "/jixiao", "--storage", storage.address(),
                                    "--scoring",      scoring,     "--output",
                                    "json",           "whatif",    "--year",
                                    "2020",           "--scheme",  dir + "/draft.textproto",
                                    "--streams",      "3",         "--all"};
  };
  ServerProcess a(kBin + "/scoring-svc", {}), b(kBin + "/scoring-svc", {}),
      c(kBin + "/scoring-svc", {});
  ASSERT_FALSE(a.address().empty() || b.address().empty() || c.address().empty());
  CommandResult single = RunCommand(whatif(a.address()));
  ASSERT_EQ(single.exit_code, 0) << single.err;
  ASSERT_THAT(single.out, ::testing::HasSubstr("\"reports\": 3000"));

  bool killed = false;
  const CommandResult spread = RunKillingOnceItScores(
      whatif(a.address() + "," + b.address() + "," + c.address()), b, killed);
  ASSERT_TRUE(killed) << "replica b never started scoring";
  EXPECT_EQ(spread.exit_code, 0) << spread.err;
  EXPECT_TRUE(spread.out == single.out) << "the answer differs from the single-replica run";
}

// Connections closed by age (so that clients find replicas added since)
// close gracefully: calls in flight finish and new ones reconnect.
TEST(ScaleOut, ConnectionsClosedByAgeLoseNoCall) {
  ServerProcess scoring(kBin + "/scoring-svc",
                        {"--max-connection-age", "1", "--shutdown-grace", "1"});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  auto started = std::chrono::steady_clock::now();
  CommandResult unary = RunCommand({kBin + "/jixiao-load", "score", "--target", scoring.address(),
                                    "--requests", "1500", "--concurrency", "2"});
  EXPECT_EQ(unary.exit_code, 0) << unary.out << unary.err;
  EXPECT_THAT(unary.out, ::testing::HasSubstr("errors=0"));
  // Null calls for about three seconds, however fast this machine is now:
  // a fixed count ran under 2 s on an idle machine, and proved nothing.
  CommandResult probe = RunCommand({kBin + "/jixiao-load", "null", "--target", scoring.address(),
                                    "--requests", "2000", "--concurrency", "2"});
  ASSERT_EQ(probe.exit_code, 0) << probe.out << probe.err;
  std::smatch rate;
  ASSERT_TRUE(std::regex_search(probe.out, rate, std::regex("per_second=([0-9]+)"))) << probe.out;
  const long requests = std::clamp(std::stol(rate[1]) * 3, 20000L, 2000000L);
  CommandResult stream = RunCommand({kBin + "/jixiao-load", "null", "--target", scoring.address(),
                                     "--requests", std::to_string(requests), "--concurrency", "2"});
  EXPECT_EQ(stream.exit_code, 0) << stream.out << stream.err;
  // The runs lasted long enough for connections to be closed under them:
  // each run's single channel came from more than one client port.
  EXPECT_GT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  std::set<std::string> peers;
  std::string log = scoring.Log();
  std::regex peer("\"peer\":\"(ipv4:[0-9.:]+)\"");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), peer); it != std::sregex_iterator();
       ++it) {
    peers.insert((*it)[1]);
  }
  EXPECT_GT(peers.size(), 2u);
}

}  // namespace
}  // namespace jixiao::testing
