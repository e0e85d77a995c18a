// scoring-svc: the stateless scoring service.
//
//   scoring-svc --listen 127.0.0.1:50051 --schemes /etc/jixiao/schemes

#include <grpcpp/grpcpp.h>

#include <iostream>

#include "CLI/CLI.hpp"
#include "common/base/files.h"
#include "common/rpc/server_main.h"
#include "scoring-svc/server/scheme_registry.h"
#include "scoring-svc/server/scoring_service.h"

int main(int argc, char** argv) {
  jixiao::rpc::BlockShutdownSignals();
  jixiao::rpc::StopLockOrderTracking();
  CLI::App app{
      "scoring-svc: computes Jixiao score cards. Stateless: it takes a report and a scheme "
      "(inline, by id among those it loaded, or its default) and returns the card.",
      "scoring-svc"};
  jixiao::rpc::ServerOptions server;
  std::string schemes_dir;
  std::string default_scheme;
  jixiao::rpc::AddServerFlags(app, server);
  app.add_option("--schemes", schemes_dir,
                 "directory of *.textproto scheme files to load besides the built-in one")
      ->check(CLI::ExistingDirectory);
  app.add_option("--default-scheme", default_scheme,
                 "scheme used when a request names none, as id or id@version "
                 "(default: the built-in dept-overall@1)");
  size_t scheme_cache = 64;
  app.add_option("--scheme-cache", scheme_cache,
                 "inline schemes (sent with a request) kept compiled, least recently used "
                 "dropped first; 0 compiles every time")
      ->capture_default_str();
  std::string storage, storage_ca, storage_cert, storage_key;
  app.add_option("--storage", storage,
                 "storage-svc's host:port, for ScoreStored (POST /v1/reports/DEPT/YEAR:score): "
                 "score a stored report and save its card in one call, as the caller");
  app.add_option("--storage-tls-ca", storage_ca,
                 "CA certificate (PEM) storage-svc's certificate is checked against: TLS to "
                 "storage-svc (plaintext without)")
      ->check(CLI::ExistingFile);
  app.add_option("--storage-tls-cert", storage_cert,
                 "client certificate (PEM) for storage-svc, if it asks for one")
      ->check(CLI::ExistingFile);
  app.add_option("--storage-tls-key", storage_key, "the client certificate's private key (PEM)")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);

  auto registry = jixiao::scoring::SchemeRegistry::Load(schemes_dir, default_scheme, scheme_cache);
  if (!registry.ok()) {
    std::cerr << "scoring-svc: " << registry.status().message() << "\n";
    return 2;
  }
  auto tokens = jixiao::rpc::LoadTokens("scoring-svc", server);
  auto signing_keys = jixiao::rpc::LoadSigningKeys("scoring-svc", server);
  for (const absl::Status& status : {tokens.status(), signing_keys.status()}) {
    if (!status.ok()) {
      std::cerr << "scoring-svc: " << status.message() << "\n";
      return 2;
    }
  }
  std::shared_ptr<grpc::Channel> storage_channel;
  if (!storage.empty()) {
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!storage_ca.empty()) {
      grpc::SslCredentialsOptions ssl;
      for (auto [path, pem] : {std::pair{&storage_ca, &ssl.pem_root_certs},
                               std::pair{&storage_cert, &ssl.pem_cert_chain},
                               std::pair{&storage_key, &ssl.pem_private_key}}) {
        if (path->empty()) continue;
        auto read = jixiao::base::ReadFile(*path, "TLS file", 1 << 20);
        if (!read.ok()) {
          std::cerr << "scoring-svc: " << read.status().message() << "\n";
          return 2;
        }
        *pem = *std::move(read);
      }
      credentials = grpc::SslCredentials(ssl);
    }
    storage_channel = grpc::CreateChannel(storage, credentials);
  }
  jixiao::scoring::ScoringServiceImpl service(*registry, tokens->get(), signing_keys->get(),
                                              storage_channel);
  jixiao::rpc::Served served;
  served.program = "scoring-svc";
  served.services = {&service};
  served.service_names = {"jixiao.v1.ScoringService"};
  served.tokens = tokens->get();
  served.extra_metrics = [&registry] { return registry->inline_cache().MetricsText(); };
  return jixiao::rpc::RunServer(server, served);
}
