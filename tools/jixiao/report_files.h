// What `jixiao score` and `jixiao validate` share: their report-file and
// --scheme arguments, and reading every file into an Outcome of its own.

#ifndef JIXIAO_TOOLS_JIXIAO_REPORT_FILES_H_
#define JIXIAO_TOOLS_JIXIAO_REPORT_FILES_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/scoring_service.pb.h"

namespace jixiao::cli {

struct ReportFilesArgs {
  std::vector<std::string> files;  // report JSON files; "-" is standard input
  std::string scheme;              // as ChooseScheme (inputs.h) takes it
};

// Declares the required positional "files" (described by `files_help`) and
// --scheme on `command`, bound to `args`, which must outlive parsing.
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

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_REPORT_FILES_H_
