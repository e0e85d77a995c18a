// Inline schemes compiled once: a caller that sends its own scheme with
// every report (a bulk run, a department's draft scheme) pays for compiling
// it on the first request only. Keyed by the scheme's exact bytes
// (deterministic serialization), so two schemes share an entry only if they
// are the same scheme; the least recently used entry goes first, and entries
// are dropped so that their schemes' bytes stay within kMaxCachedBytes
// (a scheme itself may be up to 4 MiB: counted by entries alone, a cache of
// large schemes would hold gigabytes). Thread-safe.

#ifndef JIXIAO_SCORING_SVC_SERVER_SCHEME_CACHE_H_
#define JIXIAO_SCORING_SVC_SERVER_SCHEME_CACHE_H_

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/status/statusor.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::scoring {

class SchemeCache {
 public:
  // The schemes' serialized bytes the cache may hold in all.
  static constexpr size_t kMaxCachedBytes = 32 << 20;

  // Holds at most `capacity` compiled schemes; 0 compiles every time.
  explicit SchemeCache(size_t capacity) : capacity_(capacity) {}

  // The compiled `scheme`, from the cache or compiled now (and kept). A
  // scheme that does not compile is not kept: its error comes back.
  absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> Compile(const v1::Scheme& scheme);

  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
    size_t entries = 0;
  };
  Stats stats() const;

  // The stats in Prometheus' text format: jixiao_scheme_cache_hits_total,
  // jixiao_scheme_cache_misses_total and jixiao_scheme_cache_entries.
  std::string MetricsText() const;

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const engine::CompiledScheme>>;

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> recent_;  // most recently used first; guarded by mutex_
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;  // guarded by mutex_
  int64_t hits_ = 0;                                                   // guarded by mutex_
  int64_t misses_ = 0;                                                 // guarded by mutex_
  size_t bytes_ = 0;  // of the keys held; guarded by mutex_
};

}  // namespace jixiao::scoring

#endif  // JIXIAO_SCORING_SVC_SERVER_SCHEME_CACHE_H_
