// The services' HTTP servers (metrics, HTTP/JSON): binding them the same
// way ("HOST:PORT", or ":PORT" for loopback; port 0 picks a free one), and
// an HTTP(S) server whose connections clients cannot hold by sending slowly
// or not at all.

#ifndef JIXIAO_COMMON_RPC_HTTP_LISTENER_H_
#define JIXIAO_COMMON_RPC_HTTP_LISTENER_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
struct Response;
}  // namespace httplib

namespace jixiao::rpc {

struct HttpServerState;

// Binds `http` to `listen` (the value of flag `flag`, for messages) and, if
// `port_file` is set, writes the bound "host:port" there; returns it. A
// non-loopback address is refused with `off_loopback_refusal` as the
// reason unless that is empty.
absl::StatusOr<std::string> BindHttp(httplib::Server& http, const std::string& flag,
                                     const std::string& listen, const std::string& port_file,
                                     const std::string& off_loopback_refusal);

// What an HttpServer allows each connection. The header and handshake
// deadlines are totals, not idle times: a client that trickles a byte a
// second still loses its connection when they pass.
struct HttpConnectionLimits {
  // A TLS handshake must be done within this long of the accept.
  std::chrono::milliseconds handshake_timeout{5000};
  // A request's line and headers must have arrived within this long of the
  // server starting to wait for them (after the accept or handshake, or
  // after the previous answer on a kept-alive connection). Also how long
  // an idle kept-alive connection stays open.
  std::chrono::milliseconds header_timeout{5000};
  // The longest wait for more of a body, or for the client to take more of
  // an answer.
  std::chrono::milliseconds io_timeout{10000};
  // A request's whole body must have been read within this long of its
  // headers, however steadily it trickles in.
  std::chrono::milliseconds body_timeout{60000};
  // Connections served at once, each on a thread of its own. One more is
  // refused at once: 503 for HTTP, closed for HTTPS.
  int max_connections = 512;
  // Of those, connections from one client address (IPv4, or IPv6, exact)
  // served at once, so that one client cannot take every slot. One more
  // from that address is refused at once, as over max_connections. Behind
  // a proxy every client has the proxy's address. 0: no limit but
  // max_connections (the metrics port, which one scraper uses).
  int max_connections_per_client = 0;
};

// The request line and headers of one request may hold at most this many
// bytes, and any line of them (or a chunk-size line of a body) at most
// kMaxHttpLineBytes: more closes the connection.
inline constexpr size_t kMaxHttpHeaderBytes = 64 * 1024;
inline constexpr size_t kMaxHttpLineBytes = 8 * 1024;

// An httplib server (HTTPS with a certificate) whose connections obey
// HttpConnectionLimits. httplib's own connection handling gives a
// connection a worker of a pool of 8 for as long as the client keeps
// sending, TLS handshake included; here each connection has its own thread,
// every wait is bounded by a deadline, and Stop() closes idle connections
// at once.
class HttpServer {
 public:
  // Plain HTTP when `tls_cert` is empty; otherwise HTTPS with that PEM
  // certificate (chain) and `tls_key`, requiring client certificates signed
  // by `tls_client_ca` if that is set.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Create(const HttpConnectionLimits& limits,
                                                            const std::string& tls_cert,
                                                            const std::string& tls_key,
                                                            const std::string& tls_client_ca);
  // Stops, as Stop() does.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Where to register handlers, before Bind.
  httplib::Server& http() { return *http_; }

  // BindHttp, with a listen backlog that takes bursts of connections.
  absl::StatusOr<std::string> Bind(const std::string& flag, const std::string& listen,
                                   const std::string& port_file,
                                   const std::string& off_loopback_refusal);

  // Serves on a thread of its own until Stop().
  void Start();

  // Accepts no more connections, closes those waiting for a request, lets
  // requests in flight finish, and returns once every connection is closed.
  void Stop();
  // The same, but once `grace` has passed every wait of a connection still
  // in flight (for more of a body, or for the client to take an answer)
  // fails at once, closing it. A handler that does not wait on its
  // connection still runs to its end.
  void Stop(std::chrono::milliseconds grace);

  // From a handler, on the thread serving a request of an HttpServer: close
  // the connection once `response` is sent (which says so: "Connection:
  // close"), rather than read another request from it. For a request whose
  // body was refused unread; what the client still sends is read and
  // dropped for a moment (so that the answer is not lost to a connection
  // reset) and never parsed.
  static void CloseConnectionAfterAnswer(httplib::Response& response);

 private:
  HttpServer(std::unique_ptr<HttpServerState> shared, std::unique_ptr<httplib::Server> http);

  std::unique_ptr<HttpServerState> shared_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;                 // runs listen_after_bind() from Start() on
  std::atomic<bool> listened_{false};  // set when listen_after_bind() has returned
};

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_HTTP_LISTENER_H_
