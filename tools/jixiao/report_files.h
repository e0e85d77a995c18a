// What `jixiao score` and `jixiao validate` share: their report-file and
// --scheme arguments, and reading every file into an Outcome of its own.

#ifndef JIXIAO_TOOLS_JIXIAO_REPORT_FILES_H_
#define JIXIAO_TOOLS_JIXIAO_REPORT_FILES_H_

#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/scoring_service.pb.h"

namespace jixiao::cli {

struct ReportFilesArgs {
  std::vector<std::string> files;  // report JSON files; "-" is standard input
  std::string scheme;              // as ChooseScheme (inputs.h) takes it
  std::string prior;               // last year's report file; empty: none
};

// Declares the required positional "files" (described by `files_help`),
// --scheme and --prior on `command`, bound to `args`, which must outlive
// parsing.
void AddReportFilesArgs(CLI::App& command, ReportFilesArgs& args, const char* files_help);

// What became of one file.
struct Outcome {
  std::string file;
  absl::Status status;
  v1::Report report;
  v1::ScoreResponse response;     // score
  v1::ValidateResponse findings;  // validate
};

// Reads every file, in order, into one Outcome each; a file that cannot be
// read gets its status now (and no report).
std::vector<Outcome> ReadAll(const std::vector<std::string>& files);

// Last year's report from --prior: nullopt without one. INVALID_ARGUMENT
// if it is given with several report files (it is one department's), or
// cannot be read.
absl::StatusOr<std::optional<v1::Report>> ReadPrior(const ReportFilesArgs& args);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_REPORT_FILES_H_
