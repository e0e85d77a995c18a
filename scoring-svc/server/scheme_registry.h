// The schemes a scoring-svc holds: the built-in default and every
// *.textproto file of the --schemes directory, loaded once at start, and a
// cache of the inline schemes requests carry. Thread-safe: immutable after
// Load, but for the cache, which locks.

#ifndef JIXIAO_SCORING_SVC_SERVER_SCHEME_REGISTRY_H_
#define JIXIAO_SCORING_SVC_SERVER_SCHEME_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "jixiao/v1/scoring_service.pb.h"
#include "scoring-svc/engine/engine.h"
#include "scoring-svc/server/scheme_cache.h"

namespace jixiao::scoring {

class SchemeRegistry {
 public:
  // Loads the built-in scheme and, if `directory` is not empty, every
  // *.textproto file in it. A file that does not load, or that repeats an
  // id and version already held, fails the whole load with its reason.
  // `default_ref` ("id" or "id@version"; empty: the built-in scheme) names
  // the scheme used when a request names none.
  // Inline schemes are compiled once and kept, up to `inline_cache_size`
  // of them (scheme_cache.h).
  static absl::StatusOr<SchemeRegistry> Load(const std::string& directory,
                                             const std::string& default_ref,
                                             size_t inline_cache_size = 64);

  // The scheme a request asks for: inline (compiled, or from the cache), by
  // reference (version 0: the newest), or the default. INVALID_ARGUMENT for
  // a bad inline scheme, NOT_FOUND for an unknown reference.
  template <typename Request>
  absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> Resolve(
      const Request& request) const {
    if (request.has_scheme()) return inline_cache_->Compile(request.scheme());
    if (request.has_scheme_ref()) return Find(request.scheme_ref());
    return default_;
  }

  absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> Find(
      const v1::SchemeRef& ref) const;

  v1::ListSchemesResponse List() const;
  const engine::CompiledScheme& default_scheme() const { return *default_; }
  const SchemeCache& inline_cache() const { return *inline_cache_; }

 private:
  std::map<std::pair<std::string, int>, std::shared_ptr<const engine::CompiledScheme>> schemes_;
  std::shared_ptr<const engine::CompiledScheme> default_;
  std::shared_ptr<SchemeCache> inline_cache_;  // shared by copies; thread-safe
};

}  // namespace jixiao::scoring

#endif  // JIXIAO_SCORING_SVC_SERVER_SCHEME_REGISTRY_H_
