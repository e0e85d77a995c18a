// `jixiao changes`: the store's changes feed, for a platform that mirrors
// it: every revision written and every card saved, in commit order, after
// a cursor. Each line starts with its sequence; resume from the last one
// printed with --since. With --follow it waits for more, and rides out
// restarts of storage-svc.

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/report/check_report.h"
#include "common/report/plain_text.h"
#include "google/protobuf/util/time_util.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

struct ChangesArgs {
  int64_t since = 0;
  bool follow = false;
  double interval = 2;  // seconds between polls once up to date
  int year = 0;
  std::string department;
};

// One line: sequence, time, author, what.
std::string Line(const v1::Change& change) {
  google::protobuf::Timestamp seconds = change.time();
  seconds.set_nanos(0);
  // Every field one line: a reason with a line break cannot forge a change.
  std::string line =
      absl::StrCat(change.sequence(), "  ", google::protobuf::util::TimeUtil::ToString(seconds),
                   "  ", report::OneLine(change.author()), "  ");
  if (change.has_card()) {
    const v1::CardSaved& card = change.card();
    absl::StrAppend(&line, "card    ", Ref(change.key(), card.revision()), "  ", card.total_score(),
                    " ", card.grade(), "  ", card.scheme_id(), "@", card.scheme_version());
    if (card.error_findings() > 0) {
      absl::StrAppend(&line, "  ", card.error_findings(),
                      card.error_findings() == 1 ? " error" : " errors");
    }
  } else {
    const v1::ReportRevision& revision = change.revision();
    absl::StrAppend(&line, "report  ", Ref(change.key(), revision.revision()), "  ",
                    StatusName(revision.status()));
    if (!revision.reason().empty()) {
      absl::StrAppend(&line, "  ", report::OneLine(revision.reason()));
    }
  }
  return line;
}

int Run(const GlobalOptions& global, const ChangesArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  if (args.since < 0) {
    std::cerr << "jixiao: --since takes a change's sequence, 0 or more\n";
    return kUsage;
  }
  if (!args.department.empty() && !report::DepartmentCodeProblem(args.department).empty()) {
    std::cerr << "jixiao: --department: " << report::DepartmentCodeProblem(args.department) << "\n";
    return kUsage;
  }
  if (args.interval < 0.1 || args.interval > 3600) {
    std::cerr << "jixiao: --interval takes seconds, from 0.1 to 3600\n";
    return kUsage;
  }
  StorageClient client(global.client);
  v1::ListChangesRequest request;
  request.set_after(args.since);
  request.set_page_size(1000);
  request.set_fiscal_year(args.year);
  request.set_department_code(args.department);
  const auto pause = std::chrono::milliseconds(static_cast<int64_t>(args.interval * 1000));
  bool said_unreachable = false;
  while (true) {
    v1::ListChangesResponse response;
    absl::Status status = client.Call(&v1::StorageService::Stub::ListChanges, request, response);
    if (!status.ok()) {
      // Following, a storage-svc that is down (restarting) is waited for.
      // (A storage-svc shutting down cancels the calls it is serving.)
      if (args.follow && (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
                          absl::IsCancelled(status))) {
        if (!said_unreachable) {
          std::cerr << "jixiao: storage-svc unreachable (" << status.message()
                    << "); retrying from change " << request.after() << "\n";
          said_unreachable = true;
        }
        std::this_thread::sleep_for(pause);
        continue;
      }
      return StorageError(global, "changes", status);
    }
    if (said_unreachable) {
      std::cerr << "jixiao: storage-svc is back\n";
      said_unreachable = false;
    }
    for (const v1::Change& change : response.changes()) {
      std::cout << (global.output == "json" ? ToJson(change, false) : Line(change)) << "\n";
    }
    std::cout.flush();
    request.set_after(response.next_after());
    if (response.more()) continue;
    if (!args.follow) break;
    std::this_thread::sleep_for(pause);
  }
  if (global.output != "json") {
    std::cerr << "up to date at change " << request.after() << "; go on with --since "
              << request.after() << "\n";
  }
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<ChangesArgs>();
  command.add_option("--since", args->since,
                     "the sequence of the last change already seen (0: from the first)");
  command.add_flag("--follow,-f", args->follow,
                   "keep waiting for new changes (Ctrl-C stops), riding out restarts of "
                   "storage-svc");
  command.add_option("--interval", args->interval,
                     "with --follow, seconds between asks once up to date (default 2)");
  command.add_option("--year", args->year, "only this fiscal year's reports");
  command.add_option("--department", args->department,
                     "only this department's reports (a department's token sees only its own)");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kChangesCommand = {
    "changes",
    "every revision written and card saved, in commit order, after a cursor (--since), one per "
    "line starting with its sequence; --follow waits for more. For platforms that mirror the "
    "store",
    Define};

}  // namespace jixiao::cli
