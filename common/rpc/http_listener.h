// Binding the services' HTTP servers (metrics, HTTP/JSON) the same way:
// "HOST:PORT", or ":PORT" for loopback; port 0 picks a free one.

#ifndef JIXIAO_COMMON_RPC_HTTP_LISTENER_H_
#define JIXIAO_COMMON_RPC_HTTP_LISTENER_H_

#include <string>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace jixiao::rpc {

// Binds `http` to `listen` (the value of flag `flag`, for messages) and, if
// `port_file` is set, writes the bound "host:port" there; returns it. A
// non-loopback address is refused with `off_loopback_refusal` as the
// reason unless that is empty.
absl::StatusOr<std::string> BindHttp(httplib::Server& http, const std::string& flag,
                                     const std::string& listen, const std::string& port_file,
                                     const std::string& off_loopback_refusal);

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_HTTP_LISTENER_H_
