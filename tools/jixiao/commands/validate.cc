// `jixiao validate`: check report files' figures against each other, offline
// with the engine or on a scoring-svc with --scoring, and print the
// findings, without scores.

#include <iostream>
#include <memory>
#include <utility>

#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/card_printer.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/inputs.h"
#include "tools/jixiao/report_files.h"

namespace jixiao::cli {
namespace {

int Run(const GlobalOptions& global, const ReportFilesArgs& args) {
  auto choice = ChooseScheme(args.scheme);
  if (!choice.ok()) {
    PrintError("--scheme", choice.status());
    return ExitCodeFor(choice.status());
  }
  auto prior = ReadPrior(args);
  if (!prior.ok()) {
    PrintError("--prior", prior.status());
    return ExitCodeFor(prior.status());
  }
  engine::ScoreOptions options;
  if (*prior) options.prior = &**prior;
  std::vector<Outcome> outcomes = ReadAll(args.files);
  int code = kOk;
  std::unique_ptr<ScoringClient> client;
  if (!global.client.scoring.empty()) client = std::make_unique<ScoringClient>(global.client);
  auto offline = OfflineScheme(*choice);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    Outcome& outcome = outcomes[i];
    if (outcome.status.ok()) {
      if (client) {
        v1::ValidateRequest request;
        *request.mutable_report() = outcome.report;
        if (*prior) *request.mutable_prior() = **prior;
        ApplyScheme(*choice, request);
        outcome.status = client->Validate(request, outcome.findings);
      } else if (!offline.ok()) {
        outcome.status = offline.status();
      } else {
        auto findings = engine::ValidateReport(outcome.report, **offline, options);
        if (findings.ok()) {
          for (auto& f : *findings) *outcome.findings.add_findings() = std::move(f);
        } else {
          outcome.status = findings.status();
        }
      }
    }
    if (!outcome.status.ok()) {
      PrintError(outcome.file, outcome.status, global.client.scoring,
                 "--scoring or JIXIAO_SCORING");
      code = std::max(code, ExitCodeFor(outcome.status));
      continue;
    }
    std::vector<v1::Finding> findings(outcome.findings.findings().begin(),
                                      outcome.findings.findings().end());
    if (engine::HasErrors(findings)) code = std::max<int>(code, kErrorFindings);
    if (global.output == "json") {
      std::cout << ToJson(outcome.findings, outcomes.size() == 1)
                << (outcomes.size() > 1 ? "\n" : "");
      continue;
    }
    if (outcomes.size() > 1) std::cout << (i ? "\n" : "") << "== " << outcome.file << "\n";
    PrintFindings(outcome.findings.findings(), std::cout);
  }
  return code;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<ReportFilesArgs>();
  AddReportFilesArgs(command, *args, "report JSON files; - reads standard input");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kValidateCommand = {
    "validate", "check reports' figures against each other and print the findings, no scores",
    Define};

}  // namespace jixiao::cli
