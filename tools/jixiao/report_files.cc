#include "tools/jixiao/report_files.h"

#include <utility>

#include "tools/jixiao/inputs.h"

namespace jixiao::cli {

void AddReportFilesArgs(CLI::App& command, ReportFilesArgs& args, const char* files_help) {
  command.add_option("files", args.files, files_help)->required();
  command.add_option("--scheme", args.scheme,
                     "a scheme file (.textproto), or id[@version]: for files, of a scheme "
                     "scoring-svc holds (default: the built-in dept-overall); for stored reports, "
                     "published in storage-svc (default: the year's assigned scheme)");
  command.add_option("--prior", args.prior,
                     "the same department's report for the year before (JSON), which the "
                     "scheme's prior. paths read; with one report file");
}

absl::StatusOr<std::optional<v1::Report>> ReadPrior(const ReportFilesArgs& args) {
  if (args.prior.empty()) return std::nullopt;
  if (args.files.size() != 1) {
    return absl::InvalidArgumentError(
        "--prior is one department's report for the year before: give it with one report file");
  }
  auto prior = ReadReport(args.prior);
  if (!prior.ok()) return prior.status();
  return *std::move(prior);
}

std::vector<Outcome> ReadAll(const std::vector<std::string>& files) {
  std::vector<Outcome> outcomes;
  for (const std::string& file : files) {
    Outcome& outcome = outcomes.emplace_back();
    outcome.file = file;
    auto report = ReadReport(file);
    if (report.ok()) {
      outcome.report = *std::move(report);
    } else {
      outcome.status = report.status();
    }
  }
  return outcomes;
}

}  // namespace jixiao::cli
