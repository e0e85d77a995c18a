// What a load run measured: how many requests, how many failed, how long it
// took, and the latency distribution.

#ifndef JIXIAO_TOOLS_BENCH_LATENCY_H_
#define JIXIAO_TOOLS_BENCH_LATENCY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace jixiao::bench {

struct RunSummary {
  int64_t requests = 0;  // answered, successfully or not
  int64_t errors = 0;
  double seconds = 0;
  int64_t p50_ns = 0;
  int64_t p99_ns = 0;
  int64_t max_ns = 0;
  std::string first_error;  // the first failure's code and message
  // CPU time over the run, in nanoseconds: the load tool's own, less what it
  // spent generating requests (kept apart in prepare_cpu_ns); and, with a
  // watched process, that process's. -1 where not measured.
  int64_t client_cpu_ns = -1;
  int64_t prepare_cpu_ns = -1;
  int64_t watched_cpu_ns = -1;
  // The watched process's context switches over the run (voluntary and
  // not, all its threads); -1 where not measured.
  int64_t watched_switches = -1;
  // The answers' bytes over the run (their messages, serialized); -1 where
  // not measured.
  int64_t reply_bytes = -1;

  double per_second() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

// The q-quantile (0 < q <= 1) of `latencies` by nearest rank: the smallest
// value with at least q of all values at or below it. Sorts `latencies`.
int64_t Quantile(std::vector<int64_t>& latencies, double q);

// Fills p50, p99 and max from `latencies` (sorted in place).
void SummarizeLatencies(std::vector<int64_t>& latencies, RunSummary& summary);

// One line, "name requests=… errors=… seconds=… per_second=… p50_us=…
// p99_us=… max_us=…", then the CPU times measured, per request:
// "client_cpu_us=… prepare_cpu_us=… server_cpu_us=… server_switches=…"
// (server: the watched process; switches: its context switches), "reply_bytes=…" (an
// answer's mean size) where measured, then "first_error=…" if any
// failed. Machine-readable by `tools/dev bench`.
std::string FormatSummary(const std::string& name, const RunSummary& summary);

}  // namespace jixiao::bench

#endif  // JIXIAO_TOOLS_BENCH_LATENCY_H_
