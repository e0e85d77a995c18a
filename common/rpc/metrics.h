// Per-method call counts and latency histograms, written in Prometheus'
// text exposition format for a service's /metrics page.
//
// Thread-safe.

#ifndef JIXIAO_COMMON_RPC_METRICS_H_
#define JIXIAO_COMMON_RPC_METRICS_H_

#include <grpcpp/support/status.h>

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace jixiao::rpc {

class CallMetrics {
 public:
  // Latency buckets' upper bounds, in seconds.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  void Record(const std::string& method, grpc::StatusCode code, double seconds);

  // jixiao_rpc_requests_total{method,code} and jixiao_rpc_latency_seconds
  // {method} (a histogram), with HELP and TYPE lines.
  std::string Text() const;

 private:
  struct Method {
    std::map<int, int64_t> by_code;
    std::array<int64_t, kBuckets.size()> buckets{};  // not cumulative
    int64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Method> methods_;
};

// "OK", "INVALID_ARGUMENT", ...
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_METRICS_H_
