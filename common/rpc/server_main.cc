#include "common/rpc/server_main.h"

#include <grpc/support/log.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/base/files.h"
#include "common/rpc/call_log.h"
#include "common/rpc/health_service.h"
#include "common/rpc/http_gateway.h"
#include "common/rpc/message_limits.h"
#include "common/rpc/metrics.h"
#include "common/rpc/metrics_server.h"
#include "common/rpc/tls_check.h"

namespace jixiao::rpc {
namespace {

// gRPC 1.51's listener stops accepting for good once accept4 fails for want
// of file descriptors, and recovers neither when they are freed nor by
// itself (grpc/grpc#20418), while health checks, answered in process, say
// SERVING. Its log line is the only sign: RunServer watches for it and stops
// the service with exit code 1, so that the supervisor starts it again.
std::atomic<bool> listener_failed{false};

void WatchGrpcLog(gpr_log_func_args* args) {
  if (absl::StrContains(args->message, "Failed accept4") &&
      absl::StrContains(args->message, "Too many open files")) {
    listener_failed = true;
  }
  std::fprintf(stderr, "%s %s:%d] %s\n", gpr_log_severity_string(args->severity), args->file,
               args->line, args->message);
}

// As many file descriptors as the hard limit allows: each connection takes
// one, and the listener must not run out (above).
void RaiseFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// A certificate chain, key or CA bundle is far smaller than this.
constexpr size_t kMaxPemBytes = 1 << 20;

// A connection that has not finished its TLS and HTTP/2 handshakes within
// this long is closed (gRPC's default is 120 s): one that never starts
// holds a file descriptor until then.
constexpr int kHandshakeTimeoutMs = 10 * 1000;

}  // namespace

void AddServerFlags(CLI::App& app, ServerOptions& options) {
  app.add_option("--listen", options.listen,
                 "address to serve on, host:port; port 0 picks a free port")
      ->capture_default_str();
  app.add_option("--port-file", options.port_file,
                 "once serving, write the bound host:port to this file");
  app.add_option("--max-message-bytes", options.max_message_bytes,
                 "largest request or response accepted, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(4096, 256 * 1024 * 1024));
  app.add_option("--shutdown-grace", options.shutdown_grace_seconds,
                 "seconds that calls in flight may take to finish after SIGTERM")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  app.add_flag("--allow-plaintext-remote", options.allow_plaintext_remote,
               "allow a plaintext listener on a non-loopback address (development only)");
  app.add_option("--tokens", options.tokens_file,
                 "token file (SHA-256 of each bearer token, name, role, department); without "
                 "it every call is let through (development only)")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", options.tls_cert, "PEM certificate (chain) to serve TLS with")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-client-ca", options.tls_client_ca,
                 "PEM CA: require client certificates signed by it (mutual TLS)")
      ->check(CLI::ExistingFile);
  app.add_option("--call-log", options.call_log,
                 "write one JSON line per call on stderr: method, status, latency, principal, "
                 "the caller's x-request-id")
      ->capture_default_str();
  app.add_option("--metrics-listen", options.metrics_listen,
                 "serve Prometheus metrics over HTTP at /metrics on this host:port (\":PORT\" "
                 "means loopback; off by default)");
  app.add_option("--metrics-port-file", options.metrics_port_file,
                 "once serving, write the bound host:port of /metrics to this file");
  app.add_option("--http-listen", options.http_listen,
                 "also serve the API as HTTP/JSON on this host:port (\":PORT\" means loopback; "
                 "HTTPS with --tls-cert; off by default)");
  app.add_option("--http-port-file", options.http_port_file,
                 "once serving, write the bound host:port of HTTP/JSON to this file");
  app.add_option("--http-max-connections", options.http_max_connections,
                 "HTTP/JSON connections served at once, each on its own thread; one more is "
                 "refused at once (503)")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  app.add_option("--http-max-connections-per-client", options.http_max_connections_per_client,
                 "of --http-max-connections, those one client address may hold; one more from "
                 "it is refused at once (503); behind a proxy, raise it to the proxy's share")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  app.add_option("--http-max-body-bytes-in-flight", options.http_max_body_bytes_in_flight,
                 "HTTP/JSON body bytes all connections may hold at once; a body that finds no "
                 "room within a second is refused (503, Retry-After); 0: 4 times "
                 "--max-message-bytes")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 30));
  app.add_option("--http-body-timeout", options.http_body_timeout_seconds,
                 "seconds within which an HTTP/JSON request's whole body must arrive after its "
                 "headers, however steadily it trickles; past that it is 400 and closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--max-connection-age", options.max_connection_age_seconds,
                 "close each client connection after this many seconds, letting its calls "
                 "finish, so that clients resolve the service name again and spread over "
                 "replicas added since; 0 keeps connections (default)")
      ->check(CLI::Range(0, 86400));
  app.add_option("--health-listen", options.health_listen,
                 "also answer gRPC health checks, and nothing else, in plaintext on this "
                 "host:port: for probes that cannot speak TLS (Kubernetes' gRPC probes)");
  app.add_option("--signing-keys", options.signing_keys_file,
                 "score card signing keys (id and hex secret per line, newest first): "
                 "scoring-svc signs cards, storage-svc keeps only cards that verify")
      ->check(CLI::ExistingFile);
}

bool IsLoopback(const std::string& address) {
  std::string host = address.substr(0, address.rfind(':'));
  if (host.rfind("dns:", 0) == 0 || host.rfind("ipv4:", 0) == 0)
    host = host.substr(host.find(':') + 1);
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

absl::StatusOr<std::unique_ptr<auth::TokenTable>> LoadTokens(const std::string& program,
                                                             const ServerOptions& options) {
  if (options.tokens_file.empty()) {
    std::cerr << program << ": WARNING: no --tokens: calls are not authenticated "
              << "(development only)\n";
    return nullptr;
  }
  auto tokens = auth::TokenTable::Load(options.tokens_file);
  if (!tokens.ok()) return absl::InvalidArgumentError(tokens.status().message());
  std::cerr << program << ": " << tokens->size() << " tokens from " << options.tokens_file << "\n";
  return std::make_unique<auth::TokenTable>(*std::move(tokens));
}

absl::StatusOr<std::unique_ptr<auth::SigningKeys>> LoadSigningKeys(const std::string& program,
                                                                   const ServerOptions& options) {
  if (options.signing_keys_file.empty()) {
    std::cerr << program << ": WARNING: no --signing-keys: score cards are not signed or "
              << "verified (development only)\n";
    return nullptr;
  }
  auto keys = auth::SigningKeys::Load(options.signing_keys_file);
  if (!keys.ok()) return absl::InvalidArgumentError(keys.status().message());
  return std::make_unique<auth::SigningKeys>(*std::move(keys));
}

absl::StatusOr<std::optional<auth::Principal>> Caller(const grpc::ServerContextBase& context,
                                                      const auth::TokenTable* tokens) {
  if (tokens == nullptr) return std::optional<auth::Principal>();
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(auth::kAuthorizationMetadata);
  std::string value = it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
  auto principal = tokens->Authenticate(value);
  if (!principal.ok()) return principal.status();
  return std::optional<auth::Principal>(*std::move(principal));
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsCredentials(
    const ServerOptions& options, std::vector<std::string>* warnings) {
  // A PEM file of the flag's: INVALID_ARGUMENT (the server does not start)
  // if it cannot be read or is empty.
  auto read = [](const std::string& path, absl::string_view flag, std::string* out) {
    absl::StatusOr<std::string> text = base::ReadFile(path, flag, kMaxPemBytes);
    if (!text.ok()) return absl::InvalidArgumentError(text.status().message());
    if (text->empty())
      return absl::InvalidArgumentError(absl::StrCat(flag, " ", path, " is empty"));
    *out = *std::move(text);
    return absl::OkStatus();
  };
  if (options.tls_cert.empty() || options.tls_key.empty()) {
    return absl::InvalidArgumentError("TLS needs both --tls-cert and --tls-key");
  }
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  if (absl::Status read_cert = read(options.tls_cert, "--tls-cert", &pair.cert_chain);
      !read_cert.ok()) {
    return read_cert;
  }
  if (absl::Status read_key = read(options.tls_key, "--tls-key", &pair.private_key);
      !read_key.ok()) {
    return read_key;
  }
  if (absl::Status checked =
          CheckCertificateAndKey(pair.cert_chain, pair.private_key, absl::Now(), warnings);
      !checked.ok()) {
    return checked;
  }
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_key_cert_pairs.push_back(pair);
  if (!options.tls_client_ca.empty()) {
    if (absl::Status read_ca = read(options.tls_client_ca, "--tls-client-ca", &ssl.pem_root_certs);
        !read_ca.ok()) {
      return read_ca;
    }
    if (absl::Status checked = CheckCertificates(ssl.pem_root_certs, "--tls-client-ca");
        !checked.ok()) {
      return checked;
    }
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

void BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

void StopLockOrderTracking() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

namespace {

// The credentials to listen with: TLS as options.tls_* say, or plaintext
// where that is allowed. INVALID_ARGUMENT for what cannot be served.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListenCredentials(
    const std::string& program, const ServerOptions& options) {
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    std::vector<std::string> warnings;
    auto created = TlsCredentials(options, &warnings);
    if (!created.ok()) return created.status();
    for (const std::string& warning : warnings) std::cerr << program << ": " << warning << "\n";
    std::cerr << program << ": serving TLS"
              << (options.tls_client_ca.empty() ? "" : ", client certificates required") << "\n";
    return created;
  }
  if (!options.tls_client_ca.empty()) {
    return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
  }
  if (!IsLoopback(options.listen)) {
    if (!options.allow_plaintext_remote) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing to serve plaintext on ", options.listen,
          ", which is not a loopback address; pass --allow-plaintext-remote to do so anyway "
          "(development only)"));
    }
    std::cerr << program << ": WARNING: serving plaintext on non-loopback address "
              << options.listen << "\n";
  }
  return grpc::InsecureServerCredentials();
}

// Keeps the health services' statuses as Served::health says, telling the
// log of every change after the first.
class HealthKeeper {
 public:
  HealthKeeper(const Served& served, std::vector<HealthService*> services)
      : served_(served), services_(std::move(services)) {
    for (const std::string& name : served.service_names) serving_[name] = true;
    serving_[""] = true;
  }

  void Update(bool first) {
    std::map<std::string, bool> now = serving_;
    if (served_.health) {
      for (const auto& [name, is_serving] : served_.health()) now[name] = is_serving;
    }
    for (const auto& [name, is_serving] : now) {
      auto it = serving_.find(name);
      if (!first && it != serving_.end() && it->second == is_serving) continue;
      if (!first) {
        std::cerr << served_.program << ": health of " << (name.empty() ? "the server" : name)
                  << ": " << (is_serving ? "SERVING" : "NOT_SERVING") << std::endl;
      }
      for (HealthService* each : services_) each->SetServing(name, is_serving);
    }
    serving_ = std::move(now);
  }

 private:
  const Served& served_;
  const std::vector<HealthService*> services_;
  std::map<std::string, bool> serving_;
};

// Writes `text` to `path` whole or not at all (a reader polls for it).
void WriteAtomically(const std::string& path, const std::string& text) {
  std::string temporary = path + ".tmp";
  std::ofstream(temporary) << text;
  std::rename(temporary.c_str(), path.c_str());
}

// Waits for SIGTERM or SIGINT (blocked by BlockShutdownSignals), calling
// `tick` four times a second meanwhile; returns the signal, or 0 once the
// gRPC listener has failed.
int AwaitShutdown(const std::function<void()>& tick) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  const timespec poll = {0, 250 * 1000 * 1000};
  while (!listener_failed) {
    int received = sigtimedwait(&signals, nullptr, &poll);
    if (received >= 0) return received;
    tick();
  }
  return 0;
}

}  // namespace

int RunServer(const ServerOptions& options, const Served& served) {
  const std::string& program = served.program;
  gpr_set_log_function(WatchGrpcLog);
  RaiseFileLimit();
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ListenCredentials(program, options);
  if (!credentials.ok()) {
    std::cerr << program << ": " << credentials.status().message() << "\n";
    return 2;
  }
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  HealthService health;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, *credentials, &port);
  // gRPC's default, SO_REUSEPORT, lets a second server bind a port in use
  // and share its calls, each with its own data: a busy port is an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(MaxAnswerBytes(options.max_message_bytes));
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, kHandshakeTimeoutMs);
  if (options.max_connection_age_seconds > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               options.max_connection_age_seconds * 1000);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               std::max(options.shutdown_grace_seconds, 1) * 1000);
  }
  for (grpc::Service* service : served.services) builder.RegisterService(service);
  builder.RegisterService(&health);
  CallMetrics metrics;
  const bool serve_metrics = !options.metrics_listen.empty();
  if (options.call_log || serve_metrics) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(CallLogFactory(program, served.tokens, serve_metrics ? &metrics : nullptr,
                                      options.call_log));
    builder.experimental().SetInterceptorCreators(std::move(creators));
  }
  std::unique_ptr<MetricsServer> metrics_server;
  if (serve_metrics) {
    auto started = MetricsServer::Start(program, options, [&metrics, &served] {
      return metrics.Text() + (served.extra_metrics ? served.extra_metrics() : std::string());
    });
    if (!started.ok()) {
      std::cerr << program << ": " << started.status().message() << "\n";
      return 2;
    }
    metrics_server = *std::move(started);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::cerr << program << ": cannot listen on " << options.listen
              << " (in use by another server, or not an address of this host)\n";
    return 1;
  }
  // A listener that cannot start after the server did: stop the server as
  // on SIGTERM (nothing has been served yet) and exit as for a bad address.
  auto abandon = [&](const std::string& why) {
    std::cerr << program << ": " << why << "\n";
    server->Shutdown();
    server->Wait();
    if (served.on_shutdown) served.on_shutdown();
    return 2;
  };
  // Kubernetes' gRPC probes speak plaintext only: a second server that
  // answers health checks and nothing else, so no TLS is needed for it.
  HealthService probe_health;
  std::unique_ptr<grpc::Server> probe_server;
  if (!options.health_listen.empty()) {
    grpc::ServerBuilder probe_builder;
    int probe_port = 0;
    probe_builder.AddListeningPort(options.health_listen, grpc::InsecureServerCredentials(),
                                   &probe_port);
    probe_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    probe_builder.RegisterService(&probe_health);
    probe_server = probe_builder.BuildAndStart();
    if (probe_server == nullptr || probe_port == 0) {
      return abandon(absl::StrCat("cannot listen for health checks on ", options.health_listen));
    }
    std::cerr << program << ": plaintext health checks on "
              << options.health_listen.substr(0, options.health_listen.rfind(':')) << ":"
              << probe_port << std::endl;
  }
  std::unique_ptr<HttpGateway> gateway;
  if (!options.http_listen.empty()) {
    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(MaxAnswerBytes(options.max_message_bytes));
    arguments.SetMaxSendMessageSize(options.max_message_bytes);
    auto started = HttpGateway::Start(program, options, served.service_names,
                                      server->InProcessChannel(arguments), served.tokens);
    if (!started.ok()) return abandon(std::string(started.status().message()));
    gateway = *std::move(started);
  }
  HealthKeeper health_keeper(served, {&health, &probe_health});
  health_keeper.Update(/*first=*/true);

  std::string bound =
      options.listen.substr(0, options.listen.rfind(':')) + ":" + std::to_string(port);
  if (!options.port_file.empty()) WriteAtomically(options.port_file, bound + "\n");
  std::cout << program << " listening on " << bound << std::endl;

  const int received = AwaitShutdown([&health_keeper] { health_keeper.Update(/*first=*/false); });
  int exit_code = 0;
  if (received == 0) {
    std::cerr << program << ": the gRPC listener ran out of file descriptors and no longer "
              << "accepts connections (a flood of connections?); stopping so that the supervisor "
              << "starts the service again (exit code 1)" << std::endl;
    exit_code = 1;
  } else {
    std::cerr << program << ": " << (received == SIGTERM ? "SIGTERM" : "SIGINT")
              << ", shutting down (grace " << options.shutdown_grace_seconds << "s)" << std::endl;
  }
  auto shutdown_start = std::chrono::steady_clock::now();
  health.Shutdown();
  probe_health.Shutdown();
  // No new HTTP requests; those in flight have the grace to finish.
  if (gateway) gateway->Stop(std::chrono::seconds(options.shutdown_grace_seconds));
  gateway.reset();
  server->Shutdown(std::chrono::system_clock::now() +
                   std::chrono::seconds(options.shutdown_grace_seconds));
  server->Wait();
  if (probe_server) probe_server->Shutdown(std::chrono::system_clock::now());
  if (served.on_shutdown) served.on_shutdown();
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - shutdown_start);
  // An idle client connection can hold the graceful close for a few
  // seconds: gRPC waits for the client to acknowledge the GOAWAY.
  std::cerr << program << ": stopped (shutdown took " << took.count() << " ms)" << std::endl;
  return exit_code;
}

}  // namespace jixiao::rpc
