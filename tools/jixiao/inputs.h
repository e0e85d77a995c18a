// Reading what the user points the CLI at: report JSON files (or "-" for
// standard input) and schemes (a .textproto file, or "id[@version]").

#ifndef JIXIAO_TOOLS_JIXIAO_INPUTS_H_
#define JIXIAO_TOOLS_JIXIAO_INPUTS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/scoring_service.pb.h"
#include "jixiao/v1/storage_service.pb.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::cli {

// Reads a report: a filled form (.xlsx, `jixiao form`), or JSON in the
// protobuf JSON mapping (snake_case or lowerCamelCase field names).
// INVALID_ARGUMENT lists every problem, one per line, each with its place:
// the JSON's line and column, or the workbook's sheet and cell (a form's
// figures are checked as CheckReport checks them, so a bad figure is
// named by its cell). A form's warnings (a unit dropped, a formula's value
// used) are printed on stderr. What a template (`jixiao template`) left
// blank is read as not given: figures whose value is "", and target rows
// with no name, target or actual.
absl::StatusOr<v1::Report> ReadReport(const std::string& path);

// A scheme chosen on the command line.
struct SchemeChoice {
  // Loaded from a file (and compiled, so that its errors have lines).
  std::shared_ptr<const engine::CompiledScheme> file;
  // Or named, for a server to resolve.
  std::optional<v1::SchemeRef> ref;
};

// Puts the chosen scheme into a ScoreRequest or ValidateRequest: inline if
// it came from a file, by reference if named, nothing for the default.
template <typename Request>
void ApplyScheme(const SchemeChoice& choice, Request& request) {
  if (choice.file) {
    *request.mutable_scheme() = choice.file->proto();
  } else if (choice.ref) {
    *request.mutable_scheme_ref() = *choice.ref;
  }
}

// "" → the default; an existing file → loaded; otherwise "id[@version]".
absl::StatusOr<SchemeChoice> ChooseScheme(const std::string& text);

// The scheme to use offline: the file, or the built-in one if named.
absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> OfflineScheme(
    const SchemeChoice& choice);

// A stored report named on the command line: DEPT/YEAR, or DEPT/YEAR@REV
// for one revision (0: the latest).
struct StoredRef {
  v1::ReportKey key;
  int64_t revision = 0;
  std::string text;
};

// Parses "LH-ZWFWSJGLJ/2019" or "LH-ZWFWSJGLJ/2019@3"; nullopt if `text`
// is not of that form.
std::optional<StoredRef> ParseStoredRef(const std::string& text);

// `text` as a stored report if it names one: neither an existing file nor
// "-", and of that form.
std::optional<StoredRef> AsStoredRef(const std::string& text);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_INPUTS_H_
