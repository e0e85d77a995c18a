#include "metrics_server.h"

#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "server_main.h"

namespace jixiao::rpc {

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& program, const ServerOptions& options, std::function<std::string()> text) {
  std::string address = options.metrics_listen;
  if (!address.empty() && address[0] == ':') address = "127.0.0.1" + address;
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--metrics-listen ", options.metrics_listen, ": expected HOST:PORT"));
  }
  std::string host = address.substr(0, colon);
  int port = std::atoi(address.c_str() + colon + 1);
  if (!IsLoopback(address) && !options.allow_plaintext_remote) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics-listen ", address,
        " is not a loopback address; metrics are plain HTTP, so pass --allow-plaintext-remote "
        "to serve them there"));
  }
  std::unique_ptr<MetricsServer> server(new MetricsServer);
  server->http_ = std::make_unique<httplib::Server>();
  server->http_->Get("/metrics", [text](const httplib::Request&, httplib::Response& response) {
    response.set_content(text(), "text/plain; version=0.0.4; charset=utf-8");
  });
  int bound = port == 0 ? server->http_->bind_to_any_port(host)
                        : (server->http_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for metrics on ", address));
  }
  std::string where = absl::StrCat(host, ":", bound);
  if (!options.metrics_port_file.empty()) {
    std::string temporary = options.metrics_port_file + ".tmp";
    std::ofstream(temporary) << where << "\n";
    std::rename(temporary.c_str(), options.metrics_port_file.c_str());
  }
  std::cerr << program << ": metrics on http://" << where << "/metrics" << std::endl;
  httplib::Server* http = server->http_.get();
  server->thread_ = std::thread([http] { http->listen_after_bind(); });
  return server;
}

MetricsServer::~MetricsServer() {
  http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace jixiao::rpc
