// What every Jixiao gRPC server does the same way: flags for where to
// listen and how big a message may be, gRPC health checking, server
// reflection, the bound address on stdout (and optionally in a file, for
// scripts that start a server on port 0), and graceful shutdown on SIGTERM
// or SIGINT: stop accepting, let calls in flight finish within the grace
// period, then return.

#ifndef JIXIAO_COMMON_RPC_SERVER_MAIN_H_
#define JIXIAO_COMMON_RPC_SERVER_MAIN_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "common/auth/card_signing.h"
#include "common/auth/tokens.h"

namespace jixiao::rpc {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  std::string port_file;
  int max_message_bytes = 16 * 1024 * 1024;
  int shutdown_grace_seconds = 10;
  bool allow_plaintext_remote = false;
  std::string tokens_file;        // empty: no authentication (development only)
  std::string signing_keys_file;  // empty: cards are neither signed nor verified
  std::string tls_cert;           // PEM certificate chain; with tls_key, serve TLS
  std::string tls_key;
  std::string tls_client_ca;      // PEM CA; set: require and verify client certificates
  bool call_log = true;           // one JSON line per call on stderr (call_log.h)
  std::string metrics_listen;     // host:port (or :port, on loopback) for /metrics; empty: none
  std::string metrics_port_file;  // once serving, the bound host:port of /metrics
  std::string http_listen;        // host:port (or :port, on loopback) for HTTP/JSON; empty: none
  std::string http_port_file;     // once serving, the bound host:port of HTTP/JSON
  std::string health_listen;      // host:port for plaintext gRPC health checks only; empty: none
  int max_connection_age_seconds = 0;  // close client connections this old (gracefully); 0: never
  // HTTP/JSON connections served at once, a thread each; one more is refused.
  int http_max_connections = 512;
  // Of those, from one client address; one more from it is refused.
  int http_max_connections_per_client = 64;
  // HTTP/JSON body bytes held at once by all connections; 0: 4 times
  // max_message_bytes. Never less than max_message_bytes.
  int http_max_body_bytes_in_flight = 0;
  // An HTTP/JSON request's body must be in within this long of its headers.
  int http_body_timeout_seconds = 60;
};

// Adds --listen, --port-file, --max-message-bytes, --shutdown-grace,
// --allow-plaintext-remote and --tokens to `app`.
void AddServerFlags(CLI::App& app, ServerOptions& options);

// True for 127.0.0.0/8, [::1] and localhost addresses.
bool IsLoopback(const std::string& address);

// Serves `services` until SIGTERM or SIGINT. `service_names` are marked
// SERVING in the health service while it runs. `on_shutdown` runs after the
// last call has finished (e.g. to close a database). Returns the process
// exit code: 0 after a clean shutdown, 2 if the address is refused, 1 if
// the server cannot start. `tokens` (may be null) names callers in the
// call log. With options.metrics_listen, an HTTP server answers GET
// /metrics with call counts and latency histograms per method, followed by
// `extra_metrics()` (Prometheus text format). With options.http_listen,
// the methods of `service_names` that carry a google.api.http option are
// also served as HTTP/JSON (http_gateway.h). With `health`, the health
// statuses it returns (service name, "" for the whole server → serving) are
// applied when serving starts and then four times a second, on RunServer's
// thread, until shutdown begins; names it leaves out keep theirs.
int RunServer(const std::string& program, const ServerOptions& options,
              const std::vector<grpc::Service*>& services,
              const std::vector<std::string>& service_names,
              const std::function<void()>& on_shutdown = nullptr,
              const auth::TokenTable* tokens = nullptr,
              const std::function<std::string()>& extra_metrics = nullptr,
              const std::function<std::map<std::string, bool>()>& health = nullptr);

// The token table named by options.tokens_file, or null when none is
// (every call is then let through: development only, and said at start).
// Exits the process with code 2 and the reason if the file is bad.
std::unique_ptr<auth::TokenTable> LoadTokensOrExit(const std::string& program,
                                                   const ServerOptions& options);

// The caller of a call: its principal if `tokens` is set (UNAUTHENTICATED
// without a known bearer token), nullopt if authentication is off.
absl::StatusOr<std::optional<auth::Principal>> Caller(const grpc::ServerContextBase& context,
                                                      const auth::TokenTable* tokens);

// The card signing keys named by options.signing_keys_file, or null when
// none is. Exits the process with code 2 and the reason if the file is bad.
std::unique_ptr<auth::SigningKeys> LoadSigningKeysOrExit(const std::string& program,
                                                         const ServerOptions& options);

// Server TLS credentials from options.tls_* (mutual TLS with a client CA).
// INVALID_ARGUMENT if a file cannot be read, or the key is not the
// certificate's (tls_check.h); what clients will refuse although the server
// starts (an expired certificate) is added to `warnings`.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsCredentials(
    const ServerOptions& options, std::vector<std::string>* warnings);

// Blocks SIGTERM and SIGINT in the calling thread (and the threads it
// starts later) so that RunServer can wait for them. Call first in main().
void BlockShutdownSignals();

// Debian's Abseil is built without NDEBUG, so by default every absl::Mutex,
// gRPC's own included, records the order locks are taken in one
// process-wide graph to report deadlocks: work, and a lock shared by all
// threads, on every call's path (1-3% of a busy server's or client's
// samples). The services and the load tool turn it off first in main();
// the unit tests keep it.
void StopLockOrderTracking();

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_SERVER_MAIN_H_
