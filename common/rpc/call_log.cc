#include "common/rpc/call_log.h"

#include <grpcpp/server_context.h>

#include <chrono>
#include <cstdio>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/report/field_violations.h"

namespace jixiao::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

std::string Metadata(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                     const char* key) {
  auto it = metadata.find(key);
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

class CallLog final : public grpc::experimental::Interceptor {
 public:
  CallLog(grpc::experimental::ServerRpcInfo* info, const std::string& service,
          const auth::TokenTable* tokens, CallMetrics* metrics, bool log)
      : info_(info), service_(service), tokens_(tokens), metrics_(metrics), log_(log) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      start_ = std::chrono::steady_clock::now();
      const auto& metadata = *methods->GetRecvInitialMetadata();
      request_id_ = Metadata(metadata, kRequestIdMetadata);
      peer_ = info_->server_context()->peer();
      // Only a call made in process (by the HTTP gateway) may name its peer.
      if (!absl::StartsWith(peer_, "ipv4:") && !absl::StartsWith(peer_, "ipv6:") &&
          !absl::StartsWith(peer_, "unix:")) {
        std::string http_peer = Metadata(metadata, kHttpPeerMetadata);
        if (!http_peer.empty()) peer_ = "http:" + http_peer;
      }
      if (tokens_ != nullptr) {
        auto principal = tokens_->Authenticate(Metadata(metadata, "authorization"));
        principal_ = principal.ok() ? principal->name : "";
      } else {
        principal_ = Metadata(metadata, "jixiao-author");
        if (principal_.empty()) principal_ = "anonymous";
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::StatusCode code = methods->GetSendStatus().error_code();
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      if (metrics_ != nullptr) metrics_->Record(info_->method(), code, seconds);
      if (log_) Write(code, seconds * 1e3);
    }
    methods->Proceed();
  }

 private:
  void Write(grpc::StatusCode code, double latency_ms) {
    std::string line = absl::StrCat(
        "{\"time\":\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
        "\",\"service\":");
    AppendJsonString(service_, line);
    absl::StrAppend(&line, ",\"method\":");
    AppendJsonString(info_->method(), line);
    absl::StrAppend(&line, ",\"code\":\"", StatusCodeName(code),
                    "\",\"latency_ms\":", absl::StrFormat("%.3f", latency_ms), ",\"principal\":");
    AppendJsonString(principal_, line);
    absl::StrAppend(&line, ",\"request_id\":");
    AppendJsonString(request_id_, line);
    absl::StrAppend(&line, ",\"peer\":");
    AppendJsonString(peer_, line);
    line += "}\n";
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  }

  grpc::experimental::ServerRpcInfo* const info_;
  const std::string& service_;
  const auth::TokenTable* const tokens_;
  CallMetrics* const metrics_;
  const bool log_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::string request_id_;
  std::string peer_;
  std::string principal_;
};

class CallLogFactoryImpl final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  CallLogFactoryImpl(std::string service, const auth::TokenTable* tokens, CallMetrics* metrics,
                     bool log)
      : service_(std::move(service)), tokens_(tokens), metrics_(metrics), log_(log) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallLog(info, service_, tokens_, metrics_, log_);
  }

 private:
  const std::string service_;
  const auth::TokenTable* const tokens_;
  CallMetrics* const metrics_;
  const bool log_;
};

}  // namespace

void AppendJsonString(absl::string_view text, std::string& out) {
  const std::string valid = report::ValidUtf8(text);
  out.push_back('"');
  for (char c : valid) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, absl::StrFormat("\\u%04x", static_cast<unsigned char>(c)));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallLogFactory(
    std::string service, const auth::TokenTable* tokens, CallMetrics* metrics, bool log) {
  return std::make_unique<CallLogFactoryImpl>(std::move(service), tokens, metrics, log);
}

}  // namespace jixiao::rpc
