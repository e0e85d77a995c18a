#include "metrics_server.h"

#include <httplib.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "http_listener.h"
#include "server_main.h"

namespace jixiao::rpc {

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& program, const ServerOptions& options, std::function<std::string()> text) {
  std::unique_ptr<MetricsServer> server(new MetricsServer);
  server->http_ = std::make_unique<httplib::Server>();
  server->http_->Get("/metrics", [text](const httplib::Request&, httplib::Response& response) {
    response.set_content(text(), "text/plain; version=0.0.4; charset=utf-8");
  });
  auto where = BindHttp(*server->http_, "--metrics-listen", options.metrics_listen,
                        options.metrics_port_file,
                        options.allow_plaintext_remote
                            ? ""
                            : "metrics are plain HTTP, so pass --allow-plaintext-remote to serve "
                              "them there");
  if (!where.ok()) return where.status();
  std::cerr << program << ": metrics on http://" << *where << "/metrics" << std::endl;
  httplib::Server* http = server->http_.get();
  server->thread_ = std::thread([http] { http->listen_after_bind(); });
  return server;
}

MetricsServer::~MetricsServer() {
  http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace jixiao::rpc
