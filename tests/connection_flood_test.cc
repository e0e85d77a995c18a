// A flood of TCP connections that exhausts a service's file descriptors.
// gRPC 1.51's listener then stops accepting for good while its health
// checks still say SERVING; the service must notice and stop with exit code
// 1, so that systemd or Kubernetes starts it again, instead of hanging.

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tests/raw_http.h"

namespace jixiao {
namespace {

using ::testing::HasSubstr;

TEST(ConnectionFlood, AListenerOutOfFileDescriptorsStopsTheService) {
  // 128 file descriptors, soft and hard, so the service cannot raise them.
  const std::string wrapper = testing::MakeTempDir("jixiao-flood") + "/scoring-svc";
  std::ofstream(wrapper) << "#!/bin/sh\nulimit -n 128\nexec " << testing::BinPath("scoring-svc")
                         << " \"$@\"\n";
  ASSERT_EQ(chmod(wrapper.c_str(), 0755), 0);
  testing::ServerProcess scoring(wrapper, {});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  std::vector<int> held;
  for (int i = 0; i < 200; ++i) {
    int fd = testing::ConnectTcp(scoring.address());
    if (fd >= 0) held.push_back(fd);
  }
  // Its log says why, and it stops by itself within seconds.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline &&
         scoring.Log().find("stopped (shutdown took") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (int fd : held) close(fd);
  EXPECT_THAT(scoring.Log(), HasSubstr("ran out of file descriptors"));
  EXPECT_EQ(scoring.Stop(SIGTERM), 1) << scoring.Log();
}

}  // namespace
}  // namespace jixiao
