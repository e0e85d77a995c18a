#include "common/rpc/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jixiao::rpc {

const char* StatusCodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  auto index = static_cast<size_t>(code);
  return index < sizeof(kNames) / sizeof(kNames[0]) ? kNames[index] : "UNKNOWN";
}

void CallMetrics::Record(const std::string& method, grpc::StatusCode code, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Method& m = methods_[method];
  ++m.by_code[static_cast<int>(code)];
  ++m.count;
  m.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++m.buckets[i];
      break;
    }
  }
}

std::string CallMetrics::Text() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string text =
      "# HELP jixiao_rpc_requests_total Calls answered, by method and status code.\n"
      "# TYPE jixiao_rpc_requests_total counter\n";
  for (const auto& [method, m] : methods_) {
    for (const auto& [code, n] : m.by_code) {
      absl::StrAppend(&text, "jixiao_rpc_requests_total{method=\"", method, "\",code=\"",
                      StatusCodeName(static_cast<grpc::StatusCode>(code)), "\"} ", n, "\n");
    }
  }
  absl::StrAppend(&text,
                  "# HELP jixiao_rpc_latency_seconds Time from a call's arrival to its status.\n"
                  "# TYPE jixiao_rpc_latency_seconds histogram\n");
  for (const auto& [method, m] : methods_) {
    int64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += m.buckets[i];
      absl::StrAppend(&text, "jixiao_rpc_latency_seconds_bucket{method=\"", method, "\",le=\"",
                      absl::StrFormat("%g", kBuckets[i]), "\"} ", cumulative, "\n");
    }
    absl::StrAppend(&text, "jixiao_rpc_latency_seconds_bucket{method=\"", method,
                    "\",le=\"+Inf\"} ", m.count, "\n");
    absl::StrAppend(&text, "jixiao_rpc_latency_seconds_sum{method=\"", method, "\"} ",
                    absl::StrFormat("%.9f", m.sum), "\n");
    absl::StrAppend(&text, "jixiao_rpc_latency_seconds_count{method=\"", method, "\"} ", m.count,
                    "\n");
  }
  return text;
}

}  // namespace jixiao::rpc
