// `jixiao list`: stored reports, the latest revision of each, filtered by
// year, department and status, each with its card's total and whether it
// is fresh; one page, or with --all every page.

#include <cctype>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/text_table.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

struct ListArgs {
  int year = 0;
  std::string department;
  std::string status;
  int page_size = 0;
  std::string page_token;
  bool all = false;
};

// The report's card as the list shows it: "97.06 优" for the report as it
// stands, "97.06 需重新评分 (@2)" for an earlier content's, 未评分 without
// one.
std::string CardCell(StorageClient& client, const v1::ReportRevision& report) {
  if (report.status() == v1::REPORT_STATUS_DELETED) return "";
  v1::GetScoreCardRequest request;
  *request.mutable_key() = report.key();
  v1::GetScoreCardResponse response;
  absl::Status status = client.Call(&Stub::GetScoreCard, request, response);
  if (absl::IsNotFound(status)) return "未评分";
  if (!status.ok()) return "?";
  const v1::ScoreCard& card = response.card();
  if (response.stale()) {
    return absl::StrCat(card.total_score(), " 需重新评分 (@", card.report().revision(), ")");
  }
  return absl::StrCat(card.total_score(), " ", card.grade());
}

int Run(const GlobalOptions& global, const ListArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  v1::ListReportsRequest request;
  request.set_fiscal_year(args.year);
  request.set_department_code(args.department);
  request.set_page_size(args.page_size);
  request.set_page_token(args.page_token);
  if (!args.status.empty()) {
    std::optional<v1::ReportStatus> status = ParseStatusName(args.status);
    if (!status) {
      std::cerr << "jixiao: unknown status \"" << args.status
                << "\"; use draft, submitted, returned, approved or deleted\n";
      return kUsage;
    }
    request.set_status(*status);
  }
  StorageClient client(global.client);
  TextTable table({"report", "rev", "status", "card 评分", "department 部门", "author", "time"});
  absl::StatusOr<std::string> next = ReadPages(
      client, &Stub::ListReports, request, args.all, [&](const v1::ListReportsResponse& page) {
        for (const v1::ReportRevision& r : page.reports()) {
          if (global.output == "json") {
            std::cout << ToJson(r, false) << "\n";
          } else {
            table.AddRow({Ref(r.key()), std::to_string(r.revision()), StatusName(r.status()),
                          CardCell(client, r), r.report().identity().department_name(), r.author(),
                          Time(r)});
          }
        }
      });
  if (!next.ok()) return StorageError(global, "list", next.status());
  if (global.output != "json") table.Print(std::cout);
  if (!next->empty()) std::cerr << "more: --page-token " << *next << "  (or --all)\n";
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<ListArgs>();
  command.add_option("--year", args->year, "fiscal year");
  command.add_option("--department", args->department, "department code");
  command.add_option("--status", args->status, "draft, submitted, returned, approved or deleted");
  command.add_option("--page-size", args->page_size, "reports per page (default 100, max 1000)");
  command.add_option("--page-token", args->page_token, "continue a listing");
  command.add_flag("--all", args->all, "every page");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kListCommand = {
    "list",
    "list stored reports, latest revision of each, with its card's total (需重新评分 when the card "
    "is of earlier content, 未评分 without one)",
    Define};

}  // namespace jixiao::cli
