// The HTTP admin port: GET /metrics answers in Prometheus' text format.
// Served by cpp-httplib on a thread of its own; stopped when destroyed.

#ifndef JIXIAO_COMMON_RPC_METRICS_SERVER_H_
#define JIXIAO_COMMON_RPC_METRICS_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace jixiao::rpc {

struct ServerOptions;

class MetricsServer {
 public:
  // Binds options.metrics_listen (":PORT" is 127.0.0.1:PORT; port 0 picks
  // one), writes options.metrics_port_file, and serves `text()` at
  // /metrics. A non-loopback address needs options.allow_plaintext_remote.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& program,
                                                              const ServerOptions& options,
                                                              std::function<std::string()> text);
  ~MetricsServer();

 private:
  MetricsServer() = default;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
};

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_METRICS_SERVER_H_
