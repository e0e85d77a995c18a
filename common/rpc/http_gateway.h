// HTTP/JSON for integrators that cannot speak gRPC: every method with a
// google.api.http option (http_mapping.h) is served over HTTP, with bodies
// and answers in protobuf's JSON mapping.
//
// Each HTTP request becomes a call on the server's own in-process gRPC
// channel, so it passes the same authentication (the Authorization header
// is forwarded as call metadata, like x-request-id), the same call log and
// metrics, and reaches the same service code as a gRPC call. A failed call
// answers with the HTTP status for its gRPC code (400 for INVALID_ARGUMENT,
// 401, 403, 404, 409 for ABORTED and ALREADY_EXISTS, ...) and a
// google.rpc.Status as JSON: {"code", "message", "details"}, the details
// holding the field violations. A streaming method takes one request per
// line of the body and answers one response per line (application/x-ndjson).
//
// GET /healthz answers {"status": "SERVING"} while the server serves.

#ifndef JIXIAO_COMMON_RPC_HTTP_GATEWAY_H_
#define JIXIAO_COMMON_RPC_HTTP_GATEWAY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "http_mapping.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace jixiao::rpc {

struct ServerOptions;

// The HTTP status for a gRPC code, as google.rpc.Code documents it.
int HttpStatusFor(grpc::StatusCode code);

class HttpGateway {
 public:
  // Binds options.http_listen (":PORT" is 127.0.0.1:PORT; port 0 picks
  // one), writes options.http_port_file, and serves the routes of
  // `services` by calling them on `channel`. With options.tls_cert it serves
  // HTTPS with the same certificate (and client CA) as gRPC; without, a
  // non-loopback address needs options.allow_plaintext_remote.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(
      const std::string& program, const ServerOptions& options,
      const std::vector<std::string>& services, std::shared_ptr<grpc::Channel> channel);
  ~HttpGateway();

 private:
  HttpGateway(HttpMapping mapping, std::shared_ptr<grpc::Channel> channel);
  void Handle(const httplib::Request& request, httplib::Response& response) const;
  void HandleStream(const HttpMatch& match, const httplib::Request& request,
                    httplib::Response& response) const;
  void Health(httplib::Response& response) const;

  const HttpMapping mapping_;
  const std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
};

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_HTTP_GATEWAY_H_
