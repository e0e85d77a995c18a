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

// How a server listens, secures and limits its calls: one field per flag
// of AddServerFlags, named beside it.
struct ServerOptions {
  std::string listen = "127.0.0.1:50051";    // --listen; port 0 picks a free port
  std::string port_file;                     // --port-file: the bound host:port, once serving
  int max_message_bytes = 16 * 1024 * 1024;  // --max-message-bytes
  int shutdown_grace_seconds = 10;           // --shutdown-grace
  bool allow_plaintext_remote = false;       // --allow-plaintext-remote (development only)
  std::string tokens_file;             // --tokens; empty: no authentication (development only)
  std::string signing_keys_file;       // --signing-keys; empty: cards neither signed nor verified
  std::string tls_cert;                // --tls-cert: PEM chain; with tls_key, serve TLS
  std::string tls_key;                 // --tls-key
  std::string tls_client_ca;           // --tls-client-ca: PEM CA; require client certificates
  bool call_log = true;                // --call-log: one JSON line per call on stderr (call_log.h)
  std::string metrics_listen;          // --metrics-listen: host:port (or :port) for /metrics
  std::string metrics_port_file;       // --metrics-port-file
  std::string http_listen;             // --http-listen: host:port (or :port) for HTTP/JSON
  std::string http_port_file;          // --http-port-file
  std::string health_listen;           // --health-listen: plaintext gRPC health checks only
  int max_connection_age_seconds = 0;  // --max-connection-age; 0: never close
  // --http-max-connections: HTTP/JSON connections served at once, a thread
  // each; one more is refused.
  int http_max_connections = 512;
  // --http-max-connections-per-client: of those, from one client address.
  int http_max_connections_per_client = 64;
  // --http-max-body-bytes-in-flight: HTTP/JSON body bytes held at once by
  // all connections; 0: 4 times max_message_bytes, never less than it.
  int http_max_body_bytes_in_flight = 0;
  // --http-body-timeout: an HTTP/JSON request's body must be in within
  // this long of its headers.
  int http_body_timeout_seconds = 60;
};

// Adds the flags of ServerOptions to `app`.
void AddServerFlags(CLI::App& app, ServerOptions& options);

// What a server serves, beside how (ServerOptions).
struct Served {
  std::string program;  // names the server in messages: "storage-svc"
  std::vector<grpc::Service*> services;
  // Marked SERVING in the health service while it runs; those of their
  // methods that carry a google.api.http option are also served as
  // HTTP/JSON with options.http_listen (http_gateway.h).
  std::vector<std::string> service_names;
  // Names callers in the call log, and in the HTTP gateway; null: none.
  const auth::TokenTable* tokens = nullptr;
  // Runs after the last call has finished (e.g. to close a database).
  std::function<void()> on_shutdown;
  // Appended to /metrics (Prometheus text format) with options.metrics_listen.
  std::function<std::string()> extra_metrics;
  // Health statuses (service name, "" for the whole server → serving),
  // applied when serving starts and then four times a second, on
  // RunServer's thread, until shutdown begins; names it leaves out keep theirs.
  std::function<std::map<std::string, bool>()> health;
};

// True for 127.0.0.0/8, [::1] and localhost addresses.
bool IsLoopback(const std::string& address);

// Serves until SIGTERM or SIGINT, then stops accepting and lets calls in
// flight finish within the grace period. Returns the process exit code: 0
// after a clean shutdown, 2 for options that cannot be served (a refused
// address or TLS file, plaintext on a remote address), 1 if the server
// cannot start or its listener fails.
int RunServer(const ServerOptions& options, const Served& served);

// The token table named by options.tokens_file, or null when none is
// (every call is then let through: development only, and said on stderr
// under `program`). INVALID_ARGUMENT if the file is bad.
absl::StatusOr<std::unique_ptr<auth::TokenTable>> LoadTokens(const std::string& program,
                                                             const ServerOptions& options);

// The caller of a call: its principal if `tokens` is set (UNAUTHENTICATED
// without a known bearer token), nullopt if authentication is off.
absl::StatusOr<std::optional<auth::Principal>> Caller(const grpc::ServerContextBase& context,
                                                      const auth::TokenTable* tokens);

// The card signing keys named by options.signing_keys_file, or null when
// none is (said on stderr under `program`). INVALID_ARGUMENT if the file
// is bad.
absl::StatusOr<std::unique_ptr<auth::SigningKeys>> LoadSigningKeys(const std::string& program,
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
