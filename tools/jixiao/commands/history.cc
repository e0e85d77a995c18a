// `jixiao history`: every revision of a stored report, with its author,
// time and reason.

#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/report/labels.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/text_table.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

int Run(const GlobalOptions& global, const std::string& text) {
  std::optional<StoredRef> ref = RequireStorageAndRef(global, text);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  v1::GetReportHistoryRequest request;
  *request.mutable_key() = ref->key;
  request.set_page_size(1000);
  TextTable table({"rev", "kind", "status", "author", "time", "reason"});
  absl::StatusOr<std::string> read =
      ReadPages(client, &Stub::GetReportHistory, request, /*all=*/true,
                [&](const v1::GetReportHistoryResponse& page) {
                  for (const v1::ReportRevision& r : page.revisions()) {
                    if (global.output == "json") {
                      std::cout << ToJson(r, false) << "\n";
                    } else {
                      const report::Label kind = report::RevisionKindLabel(r);
                      table.AddRow({std::to_string(r.revision()),
                                    absl::StrCat(kind.english, " ", kind.chinese),
                                    StatusName(r.status()), r.author(), Time(r), r.reason()});
                    }
                  }
                });
  if (!read.ok()) return StorageError(global, text, read.status());
  if (global.output != "json") table.Print(std::cout);
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto ref = std::make_shared<std::string>();
  command.add_option("report", *ref, "DEPT/YEAR")->required();
  return [ref](const GlobalOptions& global) { return Run(global, *ref); };
}

}  // namespace

const Command kHistoryCommand = {"history", "every revision of a report", Define};

}  // namespace jixiao::cli
