#include "common/rpc/http_listener.h"

#include <chrono>

#include "gtest/gtest.h"

namespace jixiao::rpc {
namespace {

// httplib's stop() does nothing until its thread listens: a Stop() right
// after Start() must still stop it, not leave a join waiting for ever.
TEST(HttpServer, StopsAtOnceEvenRightAfterStart) {
  for (int i = 0; i < 200; ++i) {
    auto server = HttpServer::Create(HttpConnectionLimits(), "", "", "");
    ASSERT_TRUE(server.ok()) << server.status();
    ASSERT_TRUE((*server)->Bind("--http-listen", "127.0.0.1:0", "", "").ok());
    (*server)->Start();
    const auto start = std::chrono::steady_clock::now();
    (*server)->Stop();
    ASSERT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << "round " << i;
  }
}

TEST(HttpServer, StopWithoutStartReturns) {
  auto server = HttpServer::Create(HttpConnectionLimits(), "", "", "");
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Stop();
}

}  // namespace
}  // namespace jixiao::rpc
