// `jixiao summary`: every department's stored report of a year, ranked
// (ties share a rank), with grades, level scores and findings; as a table,
// CSV for spreadsheets, or an HTML page with the distribution of grades.

#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/documents.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/schemes.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/text_table.h"
#include "tools/render/render.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

struct SummaryArgs {
  int year = 0;
  std::string format;  // table | csv | html
  std::string status;  // only reports of this status; empty: all
  DocumentArgs document;
};

// The summary as data, for -o json.
std::string SummaryJson(const render::Summary& summary) {
  using google::protobuf::Struct;
  Struct out;
  auto set = [](Struct& s, const std::string& key) -> google::protobuf::Value& {
    return (*s.mutable_fields())[key];
  };
  set(out, "fiscal_year").set_number_value(summary.fiscal_year);
  set(out, "scheme_name").set_string_value(summary.scheme_name);
  auto& levels = *set(out, "level_names").mutable_list_value();
  for (const std::string& name : summary.level_names) levels.add_values()->set_string_value(name);
  auto& rows = *set(out, "rows").mutable_list_value();
  for (const render::SummaryRow& row : summary.rows) {
    Struct& r = *rows.add_values()->mutable_struct_value();
    set(r, "rank").set_number_value(row.rank);
    set(r, "stale").set_bool_value(row.stale);
    set(r, "code").set_string_value(row.code);
    set(r, "name").set_string_value(row.name);
    set(r, "total").set_string_value(row.total);
    set(r, "grade").set_string_value(row.grade);
    auto& scores = *set(r, "level_scores").mutable_list_value();
    for (const std::string& score : row.level_scores) scores.add_values()->set_string_value(score);
    set(r, "errors").set_number_value(row.errors);
    set(r, "warnings").set_number_value(row.warnings);
    set(r, "infos").set_number_value(row.infos);
    set(r, "status").set_string_value(row.status);
  }
  return ToJson(out, true);
}

int Run(const GlobalOptions& global, const SummaryArgs& args) {
  if (global.client.storage.empty()) {
    std::cerr << "jixiao: summary reads storage-svc: pass --storage HOST:PORT or set "
                 "JIXIAO_STORAGE\n";
    return kUsage;
  }
  auto templates = LoadTemplates(args.document.templates);
  if (!templates.ok()) return DocumentError("--templates", templates.status(), global);
  StorageClient client(global.client);
  std::vector<v1::ReportRevision> reports;
  v1::ListReportsRequest list;
  list.set_fiscal_year(args.year);
  list.set_page_size(1000);
  if (!args.status.empty()) list.set_status(*ParseStatusName(args.status));  // checked by CLI11
  absl::StatusOr<std::string> read =
      ReadPages(client, &Stub::ListReports, list, /*all=*/true, [&](v1::ListReportsResponse& page) {
        for (auto& r : *page.mutable_reports()) reports.push_back(std::move(r));
      });
  if (!read.ok()) return DocumentError("summary", read.status(), global);
  std::vector<v1::ScoreCard> cards;
  v1::ListScoreCardsRequest card_list;
  card_list.set_fiscal_year(args.year);
  card_list.set_page_size(1000);
  read = ReadPages(client, &Stub::ListScoreCards, card_list, /*all=*/true,
                   [&](v1::ListScoreCardsResponse& page) {
                     for (auto& c : *page.mutable_cards()) cards.push_back(std::move(c));
                   });
  if (!read.ok()) return DocumentError("summary", read.status(), global);

  // The columns and grade bins follow the year's scheme: its assignment,
  // or, for a year without one, the scheme its first card was scored with.
  auto assigned = SchemeForYear(client, args.year, SchemeChoice());
  if (!assigned.ok()) return DocumentError("summary", assigned.status(), global);
  v1::Scheme scheme;
  if (*assigned) {
    scheme = **std::move(assigned);
  } else if (!cards.empty()) {
    auto of_card = SchemeOfCard(global, cards.front());
    if (!of_card.ok()) return DocumentError("summary", of_card.status(), global);
    scheme = *std::move(of_card);
  }
  const std::string& out = args.document.out;
  render::Summary summary = render::BuildSummary(args.year, reports, cards, scheme);
  if (args.format == "csv") return Emit(render::SummaryCsv(summary), out);
  if (args.format == "html") return Emit(render::SummaryHtml(summary, *templates), out);
  if (global.output == "json") return Emit(SummaryJson(summary), out);
  std::vector<std::string> headers = {"名次", "部门编码", "部门名称", "得分", "等级"};
  headers.insert(headers.end(), summary.level_names.begin(), summary.level_names.end());
  for (const char* h : {"错误", "警告", "提示", "状态"}) headers.push_back(h);
  TextTable table(headers);
  for (const render::SummaryRow& row : summary.rows) {
    std::vector<std::string> cells = {render::RankText(row, "—"), row.code, row.name,
                                      row.total.empty() ? "未评分" : row.total, row.grade};
    cells.insert(cells.end(), row.level_scores.begin(), row.level_scores.end());
    cells.push_back(std::to_string(row.errors));
    cells.push_back(std::to_string(row.warnings));
    cells.push_back(std::to_string(row.infos));
    cells.push_back(row.status);
    table.AddRow(cells);
  }
  std::ostringstream text;
  text << args.year << " 年度：" << summary.rows.size() << " 个部门\n";
  table.Print(text);
  return Emit(text.str(), out);
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<SummaryArgs>();
  command.add_option("--year", args->year, "fiscal year")->required();
  command
      .add_option("--format,-f", args->format,
                  "table, csv (UTF-8 with BOM, for Excel and WPS) or html")
      ->check(CLI::IsMember({"table", "csv", "html"}))
      ->default_val("table");
  command.add_option("--status", args->status, "only reports of this status")
      ->check(CLI::IsMember({"draft", "submitted", "returned", "approved"}));
  AddDocumentArgs(command, args->document);
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kSummaryCommand = {
    "summary", "every department's report of a year, ranked, with grades and findings", Define};

}  // namespace jixiao::cli
