// What the document commands (render, summary, compare) share: their --out
// and --templates options, loading templates, getting a report with its
// card, writing the document, and reporting a failure.

#ifndef JIXIAO_TOOLS_JIXIAO_DOCUMENTS_H_
#define JIXIAO_TOOLS_JIXIAO_DOCUMENTS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/score_card.pb.h"
#include "tools/jixiao/command.h"
#include "tools/render/render.h"

namespace jixiao::cli {

struct DocumentArgs {
  std::string out;        // file; empty: standard output
  std::string templates;  // directory overriding built-in templates; empty: none
};

// Declares --out and --templates on `command`, bound to `args`, which must
// outlive parsing.
void AddDocumentArgs(CLI::App& command, DocumentArgs& args);

// The built-in templates, or those of `directory` (when not empty) in their
// place.
absl::StatusOr<render::Templates> LoadTemplates(const std::string& directory);

// A report, the card to print with it, and the scheme the card was scored
// with (empty, id "", for a file scored by scoring-svc with a scheme only it
// holds: documents then follow the card alone).
struct Scored {
  v1::Report report;
  v1::ScoreCard card;
  v1::Scheme scheme;
  render::DocumentInfo info;  // a file: 草稿, dated today; stored: its status, revision, date
};

// A year as storage-svc holds it: every report's latest revision, the
// latest card of each, the roster (if set), the year's scheme (assigned,
// else the first card's), and the summary built from them with reports of
// status `only` (unspecified: all).
struct Year {
  std::vector<v1::ReportRevision> reports;
  std::vector<v1::ScoreCard> cards;
  std::optional<v1::Roster> roster;
  v1::Scheme scheme;
  render::Summary summary;
};
absl::StatusOr<Year> LoadYear(const GlobalOptions& global, int fiscal_year,
                              v1::ReportStatus only = v1::REPORT_STATUS_UNSPECIFIED);

// A date as an official document's 落款 writes it, in Arabic numerals and
// without spaces (GB/T 9704): "2026年12月1日".
std::string DocumentDate(const absl::CivilDay& day);
// The day `seconds` since the epoch falls on in Beijing time (UTC+8, the
// time of the official file), so written.
std::string DocumentDate(int64_t seconds);

// The scheme `card` names: the built-in one, or the version published in
// --storage (FAILED_PRECONDITION saying so when there is no --storage).
absl::StatusOr<v1::Scheme> SchemeOfCard(const GlobalOptions& global, const v1::ScoreCard& card);

// `source` is a report file (or "-"), scored now (offline, or on --scoring,
// with `scheme_text` as ChooseScheme takes it); or DEPT/YEAR[@REV], read
// from --storage with the card stored for that revision (NOT_FOUND, saying
// to score it, if there is none). `prior_file`, for a report file only, is
// last year's report the scheme's prior. paths read (a stored report's card
// was scored with last year's stored one).
absl::StatusOr<Scored> LoadScored(const GlobalOptions& global, const std::string& source,
                                  const std::string& scheme_text,
                                  const std::string& prior_file = "");

// `html` printed to PDF by headless Chromium (Debian's chromium, the
// browser the tests load pages in): A4, as the page's print stylesheet
// lays it out, nothing fetched. FAILED_PRECONDITION naming the package
// when Chromium is not installed.
absl::StatusOr<std::string> PrintToPdf(const std::string& html);

// Writes `text` to the file `path` whole or not at all: into a file beside
// it, then renamed over it. On failure, says so on stderr ("jixiao: cannot
// write PATH: REASON") and returns false.
bool WriteWhole(const std::string& path, const std::string& text);

// Has `write` make the file at PATH.partial, then renames it to `path`: a
// failure leaves `path` as it was (and a link at `path` is replaced, never
// followed). False, with the reason on standard error, on failure.
bool WriteWholeWith(const std::string& path,
                    const std::function<absl::Status(const std::string& partial)>& write);

// Writes `text` to standard output, or to the file `out` (saying so on
// stderr). kOk, or kFailure if the file cannot be written.
int Emit(const std::string& text, const std::string& out);

// Prints `status` about `what` (PrintError) and returns its exit code.
int DocumentError(const std::string& what, const absl::Status& status, const GlobalOptions& global);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_DOCUMENTS_H_
