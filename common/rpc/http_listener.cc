#include "http_listener.h"

#include <httplib.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "server_main.h"

namespace jixiao::rpc {

absl::StatusOr<std::string> BindHttp(httplib::Server& http, const std::string& flag,
                                     const std::string& listen, const std::string& port_file,
                                     const std::string& off_loopback_refusal) {
  std::string address = listen;
  if (!address.empty() && address[0] == ':') address = "127.0.0.1" + address;
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " ", listen, ": expected HOST:PORT"));
  }
  if (!IsLoopback(address) && !off_loopback_refusal.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", address, " is not a loopback address; ", off_loopback_refusal));
  }
  std::string host = address.substr(0, colon);
  int port = std::atoi(address.c_str() + colon + 1);
  int bound = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  std::string where = absl::StrCat(host, ":", bound);
  if (!port_file.empty()) {
    std::string temporary = port_file + ".tmp";
    std::ofstream(temporary) << where << "\n";
    std::rename(temporary.c_str(), port_file.c_str());
  }
  return where;
}

}  // namespace jixiao::rpc
