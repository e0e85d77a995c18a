// `jixiao get`: show a stored report's revision (who wrote it, when, its
// status), or with --report the report itself, as JSON that submit takes.

#include <iostream>
#include <memory>
#include <utility>

#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

struct GetArgs {
  std::string ref;
  bool report_only = false;
};

int Run(const GlobalOptions& global, const GetArgs& args) {
  std::optional<StoredRef> ref = RequireStorageAndRef(global, args.ref);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  absl::StatusOr<v1::ReportRevision> revision = Fetch(client, ref->key, ref->revision);
  if (!revision.ok()) return StorageError(global, args.ref, revision.status());
  if (args.report_only) {
    std::cout << ToJson(revision->report(), true);
  } else if (global.output == "json") {
    // Who, when and what status, and whose report: the report itself (up to
    // 16 MiB) only with --report.
    v1::Identity identity = std::move(*revision->mutable_report()->mutable_identity());
    revision->clear_report();
    *revision->mutable_report()->mutable_identity() = std::move(identity);
    std::cout << ToJson(*revision, true);
  } else {
    std::cout << "report    " << Ref(revision->key(), revision->revision()) << "  "
              << revision->report().identity().department_name() << "\n"
              << "status    " << StatusName(revision->status()) << "\n"
              << "author    " << revision->author() << "\n"
              << "time      " << Time(*revision) << "\n";
    if (!revision->reason().empty()) std::cout << "reason    " << revision->reason() << "\n";
    std::cout << "(the report itself: jixiao get --report " << args.ref << ")\n";
  }
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<GetArgs>();
  command.add_option("report", args->ref, "DEPT/YEAR or DEPT/YEAR@REVISION")->required();
  command.add_flag("--report", args->report_only,
                   "print only the report, as JSON that submit takes back");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kGetCommand = {"get", "show a stored report (the latest revision, or @REV)", Define};

}  // namespace jixiao::cli
