#include "scoring-svc/server/scheme_registry.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/report/scheme_ref.h"

namespace jixiao::scoring {

absl::StatusOr<SchemeRegistry> SchemeRegistry::Load(const std::string& directory,
                                                    const std::string& default_ref,
                                                    size_t inline_cache_size) {
  SchemeRegistry registry;
  registry.inline_cache_ = std::make_shared<SchemeCache>(inline_cache_size);
  std::shared_ptr<const engine::CompiledScheme> builtin = engine::DefaultScheme();
  registry.schemes_[{builtin->id(), builtin->version()}] = builtin;
  if (!directory.empty()) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
      if (entry.path().extension() == ".textproto") files.push_back(entry.path());
    }
    if (error) {
      return absl::NotFoundError(
          absl::StrCat("cannot read scheme directory ", directory, ": ", error.message()));
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> scheme =
          engine::LoadSchemeFile(file.string());
      if (!scheme.ok()) return scheme.status();
      auto key = std::make_pair((*scheme)->id(), (*scheme)->version());
      auto [it, inserted] = registry.schemes_.emplace(key, *scheme);
      if (!inserted && it->second != builtin) {
        return absl::InvalidArgumentError(absl::StrCat(file.string(), ": scheme ", key.first, " v",
                                                       key.second, " is defined twice"));
      }
      it->second = *scheme;  // a file may restate the built-in scheme
    }
  }
  registry.default_ = builtin;
  if (!default_ref.empty()) {
    absl::StatusOr<v1::SchemeRef> ref = report::ParseSchemeRef(default_ref);
    if (!ref.ok()) return ref.status();
    absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> found = registry.Find(*ref);
    if (!found.ok()) return found.status();
    registry.default_ = *found;
  }
  return registry;
}

absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> SchemeRegistry::Find(
    const v1::SchemeRef& ref) const {
  std::shared_ptr<const engine::CompiledScheme> found;
  for (const auto& [key, scheme] : schemes_) {
    if (key.first != ref.id()) continue;
    if (ref.version() == 0 || key.second == ref.version()) found = scheme;  // newest last
  }
  if (found == nullptr) {
    std::string wanted = ref.version() ? absl::StrCat(ref.id(), "@", ref.version()) : ref.id();
    return absl::NotFoundError(absl::StrCat("no scheme ", wanted, " on this server"));
  }
  return found;
}

v1::ListSchemesResponse SchemeRegistry::List() const {
  v1::ListSchemesResponse response;
  for (const auto& [key, scheme] : schemes_) {
    v1::SchemeRef* ref = response.add_schemes();
    ref->set_id(key.first);
    ref->set_version(key.second);
  }
  response.mutable_default_scheme()->set_id(default_->id());
  response.mutable_default_scheme()->set_version(default_->version());
  return response;
}

}  // namespace jixiao::scoring
