// `jixiao audit`: storage-svc's audit trail (every write, oldest first),
// filtered by principal, target and time; for reviewers and admins.

#include <iostream>
#include <memory>

#include "google/protobuf/util/time_util.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/text_table.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

struct AuditArgs {
  std::string principal;
  std::string target;
  std::string since;  // RFC 3339, e.g. 2026-01-01T00:00:00Z
  bool all = false;
};

int Run(const GlobalOptions& global, const AuditArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  v1::ListAuditRequest request;
  request.set_principal(args.principal);
  request.set_target_prefix(args.target);
  request.set_page_size(1000);
  if (!args.since.empty() &&
      !google::protobuf::util::TimeUtil::FromString(args.since, request.mutable_since())) {
    std::cerr << "jixiao: --since takes an RFC 3339 time, e.g. 2026-01-01T00:00:00Z\n";
    return kUsage;
  }
  StorageClient client(global.client);
  TextTable table({"time", "principal", "method", "target", "detail"});
  absl::StatusOr<std::string> next = ReadPages(
      client, &Stub::ListAudit, request, args.all, [&](const v1::ListAuditResponse& page) {
        for (const v1::AuditRecord& r : page.records()) {
          if (global.output == "json") {
            std::cout << ToJson(r, false) << "\n";
            continue;
          }
          google::protobuf::Timestamp seconds = r.time();
          seconds.set_nanos(0);
          table.AddRow({google::protobuf::util::TimeUtil::ToString(seconds), r.principal(),
                        r.method(), r.target(), r.detail()});
        }
      });
  if (!next.ok()) return StorageError(global, "audit", next.status());
  if (global.output != "json") table.Print(std::cout);
  if (!next->empty()) std::cerr << "more: use --all\n";
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<AuditArgs>();
  command.add_option("--principal", args->principal, "only this principal's writes");
  command.add_option("--target", args->target, "only targets starting with this, e.g. DEPT/2019");
  command.add_option("--since", args->since, "only from this time on (RFC 3339)");
  command.add_flag("--all", args->all, "every page");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kAuditCommand = {
    "audit", "who did what when: every write to storage-svc, oldest first (reviewers, admins)",
    Define};

}  // namespace jixiao::cli
