// `jixiao status`: move a stored report through its lifecycle (submit,
// return, approve), or delete a draft; each is a new revision.

#include <iostream>
#include <memory>

#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

struct StatusArgs {
  std::string ref;
  std::string action;  // submit | return | approve | delete
  std::string reason;
  int64_t expect_revision = 0;
};

int Run(const GlobalOptions& global, const StatusArgs& args) {
  std::optional<StoredRef> ref = RequireStorageAndRef(global, args.ref);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  int64_t expected = args.expect_revision;
  if (expected == 0) {
    absl::StatusOr<v1::ReportRevision> latest = Fetch(client, ref->key, 0);
    if (absl::IsPermissionDenied(latest.status())) {
      // Not one's own report: the write below is refused too, and says why
      // in terms of what was asked (submit, approve, ...), not of a read.
      expected = 1;
    } else if (!latest.ok()) {
      return StorageError(global, args.ref, latest.status());
    } else {
      expected = latest->revision();
    }
  }
  absl::Status status;
  v1::ReportRevision revision;
  if (args.action == "delete") {
    v1::DeleteReportRequest request;
    *request.mutable_key() = ref->key;
    request.set_expected_revision(expected);
    v1::DeleteReportResponse response;
    status = client.Call(&Stub::DeleteReport, request, response);
    revision = response.revision();
  } else {
    v1::TransitionReportRequest request;
    *request.mutable_key() = ref->key;
    request.set_expected_revision(expected);
    request.set_reason(args.reason);
    request.set_to(args.action == "submit"   ? v1::REPORT_STATUS_SUBMITTED
                   : args.action == "return" ? v1::REPORT_STATUS_RETURNED
                                             : v1::REPORT_STATUS_APPROVED);
    v1::TransitionReportResponse response;
    status = client.Call(&Stub::TransitionReport, request, response);
    revision = response.revision();
  }
  if (!status.ok()) return StorageError(global, args.ref, status);
  if (global.output == "json") {
    std::cout << ToJson(revision, true);
  } else {
    std::cout << Ref(revision.key(), revision.revision()) << " " << StatusName(revision.status())
              << "\n";
  }
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<StatusArgs>();
  command.add_option("action", args->action, "submit, return, approve or delete")
      ->required()
      ->check(CLI::IsMember({"submit", "return", "approve", "delete"}));
  command.add_option("report", args->ref, "DEPT/YEAR")->required();
  command.add_option("--reason", args->reason, "why (required to return a report)");
  command.add_option("--expect-revision", args->expect_revision,
                     "the revision you looked at; refused if the report has moved on");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kStatusCommand = {
    "status",
    "move a report through its lifecycle: draft → submit → (return → submit) → approve; "
    "delete removes a draft",
    Define};

}  // namespace jixiao::cli
