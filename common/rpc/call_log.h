// One structured log line per call: a gRPC server interceptor that writes,
// when a call's status is sent, a JSON object on stderr:
//
//   {"time":"2026-11-26T01:30:00.123Z","service":"scoring-svc",
//    "method":"/jixiao.v1.ScoringService/Score","code":"OK","latency_ms":0.652,
//    "principal":"lh","request_id":"8f3a…","peer":"ipv4:127.0.0.1:40312"}
//
// `principal` is the bearer token's principal when the server has a token
// table ("" if the token is missing or unknown), otherwise what the caller
// declares in `jixiao-author` ("anonymous" if nothing). `request_id` is the
// caller's `x-request-id` metadata, so a call can be followed from client to
// server; "" if absent. Every string is escaped as JSON requires, and
// invalid UTF-8 from a caller is replaced.

#ifndef JIXIAO_COMMON_RPC_CALL_LOG_H_
#define JIXIAO_COMMON_RPC_CALL_LOG_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "common/auth/tokens.h"
#include "common/rpc/metrics.h"

namespace jixiao::rpc {

inline constexpr char kRequestIdMetadata[] = "x-request-id";
// Set by the HTTP gateway on the calls it makes in process: the HTTP
// client's address, logged as the peer ("http:ADDRESS:PORT").
inline constexpr char kHttpPeerMetadata[] = "jixiao-http-peer";

// Appends `text` to `out` as a JSON string, quotes included.
void AppendJsonString(absl::string_view text, std::string& out);

// Creates the interceptor for every call of a server: it records each call
// in `metrics` (if not null) and, if `log`, writes its line. `tokens` may be
// null; both must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallLogFactory(
    std::string service, const auth::TokenTable* tokens, CallMetrics* metrics, bool log);

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_CALL_LOG_H_
