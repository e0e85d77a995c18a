#include "scoring-svc/server/scheme_cache.h"

#include "absl/strings/str_cat.h"
#include "common/report/deterministic.h"

namespace jixiao::scoring {
namespace {

}  // namespace

absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> SchemeCache::Compile(
    const v1::Scheme& scheme) {
  if (capacity_ == 0) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++misses_;
    }
    return engine::CompileScheme(scheme, "request");
  }
  std::string key = report::DeterministicBytes(scheme);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = index_.find(key);
    if (found != index_.end()) {
      ++hits_;
      recent_.splice(recent_.begin(), recent_, found->second);
      return found->second->second;
    }
    ++misses_;
  }
  // Compiled outside the lock, so that other schemes are served meanwhile.
  // Two callers may compile the same new scheme at once; the first is kept.
  auto compiled = engine::CompileScheme(scheme, "request");
  if (!compiled.ok()) return compiled.status();
  std::lock_guard<std::mutex> lock(mutex_);
  if (index_.count(key) == 0 && key.size() <= kMaxCachedBytes / 4) {
    bytes_ += key.size();
    recent_.emplace_front(key, *compiled);
    index_.emplace(std::move(key), recent_.begin());
    while (recent_.size() > capacity_ || bytes_ > kMaxCachedBytes) {
      bytes_ -= recent_.back().first.size();
      index_.erase(recent_.back().first);
      recent_.pop_back();
    }
  }
  return compiled;
}

SchemeCache::Stats SchemeCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {hits_, misses_, recent_.size()};
}

std::string SchemeCache::MetricsText() const {
  Stats now = stats();
  return absl::StrCat(
      "# HELP jixiao_scheme_cache_hits_total Inline schemes found already compiled.\n"
      "# TYPE jixiao_scheme_cache_hits_total counter\n"
      "jixiao_scheme_cache_hits_total ",
      now.hits,
      "\n# HELP jixiao_scheme_cache_misses_total Inline schemes compiled for the request.\n"
      "# TYPE jixiao_scheme_cache_misses_total counter\n"
      "jixiao_scheme_cache_misses_total ",
      now.misses,
      "\n# HELP jixiao_scheme_cache_entries Compiled inline schemes held.\n"
      "# TYPE jixiao_scheme_cache_entries gauge\n"
      "jixiao_scheme_cache_entries ",
      now.entries, "\n");
}

}  // namespace jixiao::scoring
