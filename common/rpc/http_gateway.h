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
// A request whose body could be read as another request is refused (400)
// and its connection closed, before anything else is checked: a body on a
// route that takes none (GET, DELETE, /healthz), Content-Length with
// Transfer-Encoding, either twice, or a Transfer-Encoding but chunked.
//
// Limits are enforced before memory is spent on a body: once a request's
// headers are in, and before any of its body is read, the gateway checks
// the bearer token (when the service has tokens: 401), the content type
// (415), and the declared Content-Length against --max-message-bytes (413);
// a body without one (chunked) is counted as it is read and refused (413)
// once it passes the limit. A stream's body is read a line at a time, each
// line sent on as it completes and bounded by --max-message-bytes; its
// answers, held until the body ends, by kStreamAnswerBytesFactor times
// that. Before a body's (or a stream line's) memory is spent, its bytes are
// taken from a budget shared by all connections
// (--http-max-body-bytes-in-flight), held until the answer is made: a
// declared Content-Length all at once, a chunked body or a line as it
// grows. A request that finds no room within a second is refused, 503 with
// Retry-After. A request refused before its body was read closes its connection.
// Connections themselves are bounded as http_listener.h says.
//
// GET /healthz answers {"status": "SERVING"} while the server serves; it
// needs no token.

#ifndef JIXIAO_COMMON_RPC_HTTP_GATEWAY_H_
#define JIXIAO_COMMON_RPC_HTTP_GATEWAY_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/tokens.h"
#include "common/rpc/http_mapping.h"

namespace httplib {
class ContentReader;
struct Request;
struct Response;
}  // namespace httplib

namespace jixiao::rpc {

struct ServerOptions;
class HttpServer;
class BodyBudget;

// The answers to one HTTP stream are held until its body has been read
// (cpp-httplib sends an answer once the handler returns), up to this many
// times --max-message-bytes of JSON: a stream with more is refused (413).
inline constexpr int kStreamAnswerBytesFactor = 4;

// Unless --http-max-body-bytes-in-flight says otherwise, the bodies (and
// stream lines) all connections may hold at once are this many times
// --max-message-bytes; never less than --max-message-bytes.
inline constexpr size_t kBodyBytesInFlightFactor = 4;

// The HTTP status for a gRPC code, as google.rpc.Code documents it.
int HttpStatusFor(grpc::StatusCode code);

class HttpGateway {
 public:
  // Binds options.http_listen (":PORT" is 127.0.0.1:PORT; port 0 picks
  // one), writes options.http_port_file, and serves the routes of
  // `services` by calling them on `channel`. With options.tls_cert it serves
  // HTTPS with the same certificate (and client CA) as gRPC; without, a
  // non-loopback address needs options.allow_plaintext_remote. With
  // `tokens` (may be null: every request is let through to the service)
  // a request without a known bearer token is refused before its body is
  // read; the service checks the token again, and what it may do.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(
      const std::string& program, const ServerOptions& options,
      const std::vector<std::string>& services, std::shared_ptr<grpc::Channel> channel,
      const auth::TokenTable* tokens);
  // Stops serving: requests in flight are answered first.
  ~HttpGateway();

  // Stops serving, giving requests in flight `grace` to finish: after it
  // their connections' waits (for more of a body, for the client to take
  // an answer) fail and their calls are cancelled, so that this returns
  // soon after `grace`. The destructor then has nothing left to do.
  void Stop(std::chrono::milliseconds grace);

 private:
  HttpGateway(const std::string& program, HttpMapping mapping,
              std::shared_ptr<grpc::Channel> channel, const auth::TokenTable* tokens,
              size_t max_message_bytes, size_t max_body_bytes_in_flight);
  // Whether a request whose headers are in may go on to have its body read.
  // If not, fills `response` with the refusal and returns true.
  bool Refuse(const httplib::Request& request, httplib::Response& response) const;
  // `body` is null for a request that has none (GET).
  void Handle(const httplib::Request& request, httplib::Response& response,
              const httplib::ContentReader* body) const;
  void HandleStream(const HttpMatch& match, const httplib::Request& request,
                    httplib::Response& response, const httplib::ContentReader* body) const;
  void Health(httplib::Response& response) const;

  // A call's context, known to Stop() for as long as the call runs.
  class TrackedCall {
   public:
    TrackedCall(const HttpGateway& gateway, grpc::ClientContext& context);
    ~TrackedCall();
    TrackedCall(const TrackedCall&) = delete;
    TrackedCall& operator=(const TrackedCall&) = delete;

   private:
    const HttpGateway& gateway_;
    grpc::ClientContext& context_;
  };

  const std::string program_;
  const HttpMapping mapping_;
  const std::shared_ptr<grpc::Channel> channel_;
  const auth::TokenTable* const tokens_;
  const size_t max_message_bytes_;
  const std::unique_ptr<BodyBudget> body_budget_;
  std::unique_ptr<HttpServer> http_;
  mutable std::mutex calls_mutex_;
  mutable std::set<grpc::ClientContext*> calls_;  // running
  mutable bool cancelling_ = false;               // Stop()'s grace has passed
  bool stopped_ = false;                          // under calls_mutex_
  std::condition_variable stopped_changed_;
};

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_HTTP_GATEWAY_H_
