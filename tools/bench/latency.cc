#include "tools/bench/latency.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jixiao::bench {

int64_t Quantile(std::vector<int64_t>& latencies, double q) {
  if (latencies.empty()) return 0;
  std::sort(latencies.begin(), latencies.end());
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(latencies.size())));
  return latencies[std::clamp<size_t>(rank, 1, latencies.size()) - 1];
}

void SummarizeLatencies(std::vector<int64_t>& latencies, RunSummary& summary) {
  summary.p50_ns = Quantile(latencies, 0.50);
  summary.p99_ns = Quantile(latencies, 0.99);
  summary.max_ns = latencies.empty() ? 0 : latencies.back();
}

std::string FormatSummary(const std::string& name, const RunSummary& summary) {
  std::string line = absl::StrFormat(
      "%s requests=%d errors=%d seconds=%.3f per_second=%.0f p50_us=%.1f p99_us=%.1f max_us=%.1f",
      name, summary.requests, summary.errors, summary.seconds, summary.per_second(),
      summary.p50_ns / 1e3, summary.p99_ns / 1e3, summary.max_ns / 1e3);
  auto per_request_us = [&](const char* field, int64_t ns) {
    if (ns >= 0 && summary.requests > 0) {
      absl::StrAppendFormat(&line, " %s=%.1f", field,
                            static_cast<double>(ns) / 1e3 / static_cast<double>(summary.requests));
    }
  };
  per_request_us("client_cpu_us", summary.client_cpu_ns);
  per_request_us("prepare_cpu_us", summary.prepare_cpu_ns);
  per_request_us("server_cpu_us", summary.watched_cpu_ns);
  if (summary.watched_switches >= 0 && summary.requests > 0) {
    absl::StrAppendFormat(
        &line, " server_switches=%.2f",
        static_cast<double>(summary.watched_switches) / static_cast<double>(summary.requests));
  }
  if (summary.reply_bytes >= 0 && summary.requests > 0) {
    absl::StrAppendFormat(
        &line, " reply_bytes=%.0f",
        static_cast<double>(summary.reply_bytes) / static_cast<double>(summary.requests));
  }
  if (summary.errors > 0) absl::StrAppend(&line, "\n", name, " first_error=", summary.first_error);
  return line;
}

}  // namespace jixiao::bench
