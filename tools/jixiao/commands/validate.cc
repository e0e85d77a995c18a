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
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/stored_scoring.h"

namespace jixiao::cli {
namespace {

// Validates stored reports on scoring-svc, each with its year's scheme and
// last year's stored report; nothing is saved.
int ValidateStored(const GlobalOptions& global, const std::vector<StoredRef>& refs,
                   const ReportFilesArgs& args, const SchemeChoice& choice) {
  if (!NeedStorage(global)) return kUsage;
  if (!NeedScoring(global, "validating a stored report needs scoring-svc too")) return kUsage;
  if (!args.prior.empty()) {
    std::cerr << "jixiao: a stored report is validated with last year's stored report; --prior "
                 "is for report files\n";
    return kUsage;
  }
  StoredScorer scorer(global, choice);
  int code = kOk;
  for (size_t i = 0; i < refs.size(); ++i) {
    v1::ValidateResponse findings;
    StoredScore validated = scorer.Validate(refs[i], findings);
    if (!validated.status.ok()) {
      code = std::max(code, scorer.Error(refs[i].text, validated));
      continue;
    }
    std::vector<v1::Finding> all(findings.findings().begin(), findings.findings().end());
    if (engine::HasErrors(all)) code = std::max<int>(code, kErrorFindings);
    if (global.output == "json") {
      std::cout << ToJson(findings, refs.size() == 1) << (refs.size() > 1 ? "\n" : "");
      continue;
    }
    if (refs.size() > 1) std::cout << (i ? "\n" : "") << "== " << refs[i].text << "\n";
    PrintFindings(findings.findings(), std::cout);
  }
  return code;
}

int Run(const GlobalOptions& global, const ReportFilesArgs& args) {
  auto choice = ChooseScheme(args.scheme);
  if (!choice.ok()) {
    PrintError("--scheme", choice.status());
    return ExitCodeFor(choice.status());
  }
  // As for score: what is neither a file nor "-" but reads as DEPT/YEAR is
  // a stored report.
  std::vector<StoredRef> stored;
  for (const std::string& arg : args.files) {
    if (auto ref = AsStoredRef(arg)) stored.push_back(*ref);
  }
  if (!stored.empty()) {
    if (stored.size() != args.files.size()) {
      std::cerr << "jixiao: validate either files or stored reports, not both\n";
      return kUsage;
    }
    return ValidateStored(global, stored, args, *choice);
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
  AddReportFilesArgs(
      command, *args,
      "filled forms (.xlsx) or report JSON files (- reads standard input), or stored reports "
      "DEPT/YEAR[@REV]");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kValidateCommand = {
    "validate",
    "check reports' figures against each other and print the findings, no scores; stored "
    "reports (DEPT/YEAR[@REV]) with their year's scheme and last year's report",
    Define};

}  // namespace jixiao::cli
