#include "common/rpc/metrics_server.h"

#include <httplib.h>

#include <iostream>

#include "common/rpc/http_listener.h"
#include "common/rpc/server_main.h"

namespace jixiao::rpc {

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& program, const ServerOptions& options, std::function<std::string()> text) {
  HttpConnectionLimits limits;
  limits.max_connections = kMetricsMaxConnections;
  auto http = HttpServer::Create(limits, /*tls_cert=*/"", /*tls_key=*/"", /*tls_client_ca=*/"");
  if (!http.ok()) return http.status();
  std::unique_ptr<MetricsServer> server(new MetricsServer);
  server->http_ = *std::move(http);
  server->http_->http().Get(
      "/metrics", [text](const httplib::Request&, httplib::Response& response) {
        response.set_content(text(), "text/plain; version=0.0.4; charset=utf-8");
      });
  auto where = server->http_->Bind(
      "--metrics-listen", options.metrics_listen, options.metrics_port_file,
      options.allow_plaintext_remote
          ? ""
          : "metrics are plain HTTP, so pass --allow-plaintext-remote to serve them there");
  if (!where.ok()) return where.status();
  std::cerr << program << ": metrics on http://" << *where << "/metrics" << std::endl;
  server->http_->Start();
  return server;
}

MetricsServer::~MetricsServer() = default;  // ~HttpServer stops it

}  // namespace jixiao::rpc
