// The call log against the real storage-svc: one JSON line per call, with
// the method, status, latency, the token's principal and the caller's
// request id; none with --call-log=false.

#include <fstream>
#include <sstream>

#include "common/auth/tokens.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/fixtures.h"
#include "tests/process.h"

namespace jixiao::testing {
namespace {

using ::testing::StartsWith;

const std::string kBin = JIXIAO_BIN_DIR;

// The log's JSON lines, each parsed; fails the test on a line that does not
// parse.
std::vector<google::protobuf::Struct> CallLines(const std::string& log) {
  std::vector<google::protobuf::Struct> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] != '{') continue;
    google::protobuf::Struct parsed;
    auto status = google::protobuf::util::JsonStringToMessage(line, &parsed);
    EXPECT_TRUE(status.ok()) << line << ": " << status;
    lines.push_back(parsed);
  }
  return lines;
}

std::string Field(const google::protobuf::Struct& line, const std::string& name) {
  auto it = line.fields().find(name);
  return it == line.fields().end() ? "<absent>" : it->second.string_value();
}

TEST(CallLog, OneJsonLinePerCallWithPrincipalAndRequestId) {
  std::string dir = MakeTempDir("calllog");
  // The department of the load tool's first generated report.
  WriteTokenFile(dir + "/tokens", {{"writer-token", "writer department SYN-0000000000"}});
  std::ofstream(dir + "/token") << "writer-token\n";
  std::ofstream(dir + "/wrong") << "wrong-token\n";
  ServerProcess storage(kBin + "/storage-svc",
                        {"--data-dir", dir + "/db", "--tokens", dir + "/tokens"});
  ASSERT_FALSE(storage.address().empty()) << storage.Log();

  CommandResult ok = RunCommand({kBin + "/jixiao-load", "put", "--target", storage.address(),
                                 "--requests", "1", "--token-file", dir + "/token"});
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  CommandResult refused =
      RunCommand({kBin + "/jixiao-load", "put", "--target", storage.address(), "--requests", "2",
                  "--offset", "100", "--token-file", dir + "/wrong"});
  ASSERT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  ASSERT_EQ(storage.Stop(SIGTERM), 0);

  int created = 0, unauthenticated = 0;
  for (const auto& line : CallLines(storage.Log())) {
    if (Field(line, "method") != "/jixiao.v1.StorageService/CreateReport") continue;
    EXPECT_EQ(Field(line, "service"), "storage-svc");
    EXPECT_THAT(Field(line, "request_id"), StartsWith("jixiao-load-"));
    EXPECT_THAT(Field(line, "peer"), StartsWith("ipv4:127.0.0.1:"));
    EXPECT_TRUE(line.fields().at("latency_ms").has_number_value());
    EXPECT_GE(line.fields().at("latency_ms").number_value(), 0);
    if (Field(line, "code") == "OK") {
      ++created;
      EXPECT_EQ(Field(line, "principal"), "writer");
    } else {
      ++unauthenticated;
      EXPECT_EQ(Field(line, "code"), "UNAUTHENTICATED");
      EXPECT_EQ(Field(line, "principal"), "");
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(unauthenticated, 2);
}

TEST(CallLog, CanBeTurnedOff) {
  std::string dir = MakeTempDir("calllog-off");
  ServerProcess scoring(kBin + "/scoring-svc", {"--call-log=false"});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  CommandResult ok = RunCommand(
      {kBin + "/jixiao-load", "score", "--target", scoring.address(), "--requests", "2"});
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  ASSERT_EQ(scoring.Stop(SIGTERM), 0);
  EXPECT_TRUE(CallLines(scoring.Log()).empty()) << scoring.Log();
}

}  // namespace
}  // namespace jixiao::testing
