// Naming a scheme: the "id@version" a person writes, and the digest that
// identifies a scheme's exact rules.

#ifndef JIXIAO_COMMON_REPORT_SCHEME_REF_H_
#define JIXIAO_COMMON_REPORT_SCHEME_REF_H_

#include <string>

#include "absl/status/statusor.h"
#include "jixiao/v1/scoring_service.pb.h"

namespace jixiao::report {

// Parses "id" or "id@version" (version 0 if absent: the newest).
absl::StatusOr<v1::SchemeRef> ParseSchemeRef(const std::string& text);

// SHA-256 (32 raw bytes) of a scheme's deterministic serialization: what
// identifies its exact rules. A card records the digest of the scheme it was
// scored with, its signature covers it, and storage-svc keeps a card only if
// the digest is that of the scheme published under the card's id and
// version (or of the built-in scheme), so a card scored under rules eased by
// hand cannot pass as one scored under the official scheme.
std::string SchemeDigest(const v1::Scheme& scheme);

}  // namespace jixiao::report

#endif  // JIXIAO_COMMON_REPORT_SCHEME_REF_H_
