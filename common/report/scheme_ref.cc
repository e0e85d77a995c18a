#include "common/report/scheme_ref.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/report/deterministic.h"

namespace jixiao::report {

absl::StatusOr<v1::SchemeRef> ParseSchemeRef(const std::string& text) {
  v1::SchemeRef ref;
  size_t at = text.find('@');
  ref.set_id(text.substr(0, at));
  if (ref.id().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("scheme reference \"", text, "\" has no id; write id or id@version"));
  }
  if (at != std::string::npos) {
    int version = 0;
    if (!absl::SimpleAtoi(text.substr(at + 1), &version) || version < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scheme reference \"", text, "\": the version after '@' must be a number, 1 or more"));
    }
    ref.set_version(version);
  }
  return ref;
}

std::string SchemeDigest(const v1::Scheme& scheme) { return DeterministicDigest(scheme); }

}  // namespace jixiao::report
