// The lifecycle of a stored report, one command per step, each a new
// revision:
//   jixiao submit DEPT/YEAR [--explain TEXT]          scores it, saves the card, submits it
//   jixiao return DEPT/YEAR --reason TEXT             a reviewer sends it back
//   jixiao approve DEPT/YEAR [--despite-errors TEXT]  a reviewer approves its fresh card
//   jixiao reopen DEPT/YEAR --reason TEXT             a reviewer reopens an approval
//   jixiao delete DEPT/YEAR                           a department deletes its draft
// storage-svc checks each step (a fresh card to submit or approve, a reason
// for error findings); the commands only say so first, where they can.

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/report/labels.h"
#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/stored_scoring.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

struct StepArgs {
  std::string ref;
  std::string reason;  // --reason, --explain or --despite-errors
  int64_t expect_revision = 0;
};

// The revision a step replaces: --expect-revision, else the latest (1 when
// the caller may not read it: the write is refused too, and says why in
// terms of the step).
absl::StatusOr<int64_t> Expected(StorageClient& client, const StoredRef& ref, int64_t given) {
  if (given > 0) return given;
  absl::StatusOr<v1::ReportRevision> latest = Fetch(client, ref.key, 0);
  if (absl::IsPermissionDenied(latest.status())) return 1;
  if (!latest.ok()) return latest.status();
  return latest->revision();
}

int Print(const GlobalOptions& global, const v1::ReportRevision& revision) {
  if (global.output == "json") {
    std::cout << ToJson(revision, true);
  } else {
    std::cout << Ref(revision.key(), revision.revision()) << " " << StatusName(revision.status())
              << "\n";
  }
  return kOk;
}

int Transition(const GlobalOptions& global, const StepArgs& args, v1::ReportStatus to) {
  std::optional<StoredRef> ref = RequireStorageAndRef(global, args.ref);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  absl::StatusOr<int64_t> expected = Expected(client, *ref, args.expect_revision);
  if (!expected.ok()) return StorageError(global, args.ref, expected.status());
  v1::TransitionReportRequest request;
  *request.mutable_key() = ref->key;
  request.set_expected_revision(*expected);
  request.set_reason(args.reason);
  request.set_to(to);
  v1::TransitionReportResponse response;
  absl::Status status = client.Call(&Stub::TransitionReport, request, response);
  if (!status.ok()) return StorageError(global, args.ref, status);
  return Print(global, response.revision());
}

// Scores the report as it stands (saving its card), then submits it.
int Submit(const GlobalOptions& global, const StepArgs& args) {
  std::optional<StoredRef> ref = RequireStorageAndRef(global, args.ref);
  if (!ref) return kUsage;
  if (!NeedScoring(global, "submit scores the report first")) return kUsage;
  {
    // One that may not read the report may not submit it either: let the
    // submission be refused, saying so, without scoring anything.
    StorageClient client(global.client);
    if (absl::IsPermissionDenied(Fetch(client, ref->key, 0).status())) {
      return Transition(global, args, v1::REPORT_STATUS_SUBMITTED);
    }
  }
  SchemeChoice year_scheme;
  StoredScorer scorer(global, year_scheme);
  StoredRef latest = *ref;
  latest.revision = 0;
  StoredScore scored = scorer.Score(latest);
  if (!scored.status.ok()) return scorer.Error(args.ref, scored);
  const v1::ScoreCard& card = scored.card;
  int errors = 0;
  for (const v1::Finding& finding : card.findings()) {
    if (finding.severity() == v1::SEVERITY_ERROR) ++errors;
  }
  std::cerr << "scored " << Ref(scored.revision.key(), scored.revision.revision()) << ": "
            << card.total_score() << " " << card.grade() << ", " << errors << " error finding"
            << (errors == 1 ? "" : "s") << "\n";
  if (std::vector<std::string> ids = report::UndeclaredFigures(card); !ids.empty()) {
    std::cerr << "jixiao: not submitted: the report "
              << report::FilledInForAnotherTable(
                     absl::StrCat(card.scheme_id(), "@", card.scheme_version()), ids)
              << "; fill in the year's form (jixiao form) and store it again\n";
    return kInvalidInput;  // refused, as storage-svc would, whatever --explain says
  }
  if (errors > 0 && args.reason.empty()) {
    std::cerr << "jixiao: not submitted: fix the figures the findings name (jixiao card "
              << args.ref << "), or submit with --explain TEXT saying why they stand\n";
    return kInvalidInput;  // refused, as storage-svc would: nothing submitted
  }
  StepArgs step = args;
  if (step.expect_revision == 0) step.expect_revision = scored.revision.revision();
  return Transition(global, step, v1::REPORT_STATUS_SUBMITTED);
}

int Delete(const GlobalOptions& global, const StepArgs& args) {
  std::optional<StoredRef> ref = RequireStorageAndRef(global, args.ref);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  absl::StatusOr<int64_t> expected = Expected(client, *ref, args.expect_revision);
  if (!expected.ok()) return StorageError(global, args.ref, expected.status());
  v1::DeleteReportRequest request;
  *request.mutable_key() = ref->key;
  request.set_expected_revision(*expected);
  v1::DeleteReportResponse response;
  absl::Status status = client.Call(&Stub::DeleteReport, request, response);
  if (!status.ok()) return StorageError(global, args.ref, status);
  return Print(global, response.revision());
}

std::shared_ptr<StepArgs> AddStepArgs(CLI::App& command) {
  auto args = std::make_shared<StepArgs>();
  command.add_option("report", args->ref, "DEPT/YEAR")->required();
  command.add_option("--expect-revision", args->expect_revision,
                     "the revision you looked at; refused if the report has moved on");
  return args;
}

CommandRun DefineSubmit(CLI::App& command) {
  auto args = AddStepArgs(command);
  command.add_option("--explain", args->reason,
                     "why the card's error findings stand; kept with the revision and shown to "
                     "the reviewer (needed to submit a report with error findings)");
  return [args](const GlobalOptions& global) { return Submit(global, *args); };
}

CommandRun DefineReturn(CLI::App& command) {
  auto args = AddStepArgs(command);
  command.add_option("--reason", args->reason, "what to fix; shown to the department")->required();
  return [args](const GlobalOptions& global) {
    return Transition(global, *args, v1::REPORT_STATUS_RETURNED);
  };
}

CommandRun DefineApprove(CLI::App& command) {
  auto args = AddStepArgs(command);
  command.add_option("--despite-errors", args->reason,
                     "why the report is approved although its card has error findings; kept "
                     "in the audit trail (needed to approve such a report)");
  return [args](const GlobalOptions& global) {
    return Transition(global, *args, v1::REPORT_STATUS_APPROVED);
  };
}

CommandRun DefineReopen(CLI::App& command) {
  auto args = AddStepArgs(command);
  command.add_option("--reason", args->reason, "why the approval is undone; audited")->required();
  return [args](const GlobalOptions& global) {
    return Transition(global, *args, v1::REPORT_STATUS_RETURNED);
  };
}

CommandRun DefineDelete(CLI::App& command) {
  auto args = AddStepArgs(command);
  return [args](const GlobalOptions& global) { return Delete(global, *args); };
}

}  // namespace

const Command kSubmitCommand = {
    "submit",
    "hand a stored report to the finance bureau: scores it as it stands (saving the card), "
    "then submits it; a card with error findings needs --explain",
    DefineSubmit};
const Command kReturnCommand = {
    "return", "send a submitted report back to its department, with --reason (reviewers)",
    DefineReturn};
const Command kApproveCommand = {
    "approve",
    "approve a submitted report on its fresh card; one with error findings needs "
    "--despite-errors REASON (reviewers)",
    DefineApprove};
const Command kReopenCommand = {
    "reopen", "undo an approval: the report goes back to its department, with --reason (reviewers)",
    DefineReopen};
const Command kDeleteCommand = {"delete", "delete a draft (its revisions stay readable)",
                                DefineDelete};

}  // namespace jixiao::cli
