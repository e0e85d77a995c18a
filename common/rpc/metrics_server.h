// The HTTP admin port: GET /metrics answers in Prometheus' text format.
// Served by an HttpServer (http_listener.h), so its connections are bounded
// as the HTTP/JSON gateway's are: each on a thread of its own, up to
// kMetricsMaxConnections at once, and one that sends nothing or trickles
// its request is closed 5 s after it opened; stopped when destroyed.

#ifndef JIXIAO_COMMON_RPC_METRICS_SERVER_H_
#define JIXIAO_COMMON_RPC_METRICS_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace jixiao::rpc {

struct ServerOptions;
class HttpServer;

// Connections the metrics port serves at once; one more is refused (503).
// Scrapers need one or two: the rest is headroom against clients that
// hold connections open for the header deadline.
inline constexpr int kMetricsMaxConnections = 512;

class MetricsServer {
 public:
  // Binds options.metrics_listen (":PORT" is 127.0.0.1:PORT; port 0 picks
  // one), writes options.metrics_port_file, and serves `text()` at
  // /metrics. A non-loopback address needs options.allow_plaintext_remote.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& program,
                                                              const ServerOptions& options,
                                                              std::function<std::string()> text);
  // Stops serving: closes idle connections, lets answers in flight finish.
  ~MetricsServer();

 private:
  MetricsServer() = default;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_METRICS_SERVER_H_
