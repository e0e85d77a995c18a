// Schemes and last year's reports as storage-svc holds them, for the
// commands that score stored reports or describe a scheme: resolving a
// scheme reference (the built-in scheme, or a published version), the
// scheme a fiscal year is assigned, and the previous year's report a
// scheme's prior. paths read.

#ifndef JIXIAO_TOOLS_JIXIAO_SCHEMES_H_
#define JIXIAO_TOOLS_JIXIAO_SCHEMES_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "jixiao/v1/scoring_service.pb.h"
#include "jixiao/v1/storage_service.pb.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/command.h"
#include "tools/jixiao/inputs.h"

namespace jixiao::cli {

// The built-in scheme if `ref` names it (version 0 or its own); else null.
const v1::Scheme* BuiltInScheme(const v1::SchemeRef& ref);

// The scheme `ref` names: the built-in one, else the version published in
// storage-svc (0: the newest). NOT_FOUND says which.
absl::StatusOr<v1::Scheme> FetchScheme(StorageClient& storage, const v1::SchemeRef& ref);

// The scheme to score a stored report of `fiscal_year` with, sent inline:
// the file or the reference chosen on the command line (resolved in
// storage-svc), else the year's assignment. nullopt when the year has none
// and nothing was chosen: scoring-svc's default scheme.
absl::StatusOr<std::optional<v1::Scheme>> SchemeForYear(StorageClient& storage, int fiscal_year,
                                                        const SchemeChoice& choice);

// A scheme named on the command line for reading it: a file (loaded and
// checked), or ID[@VERSION] (the built-in one, or fetched from --storage).
absl::StatusOr<v1::Scheme> SchemeByName(const GlobalOptions& global, const std::string& text);

// Last year's report for a report of `key`: the latest approved revision of
// the same department's report for fiscal year − 1, else its latest
// revision; nullopt if there is none (or it was deleted).
absl::StatusOr<std::optional<v1::ReportRevision>> FetchPrior(StorageClient& storage,
                                                             const v1::ReportKey& key);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_SCHEMES_H_
