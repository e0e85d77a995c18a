// `jixiao summary`: a year's review. The progress over the year's roster;
// submitted and approved reports with fresh cards ranked (ties share a
// rank), with declared and verified totals, level scores and their
// averages, findings; every other department listed apart with the reason.
// As a table, CSV for spreadsheets, JSON, or an HTML page.

#include <iostream>
#include <memory>
#include <optional>
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
  auto strings = [](google::protobuf::Value& value, const std::vector<std::string>& items) {
    auto& list = *value.mutable_list_value();
    for (const std::string& item : items) list.add_values()->set_string_value(item);
  };
  set(out, "fiscal_year").set_number_value(summary.fiscal_year);
  set(out, "scheme_name").set_string_value(summary.scheme_name);
  strings(set(out, "level_names"), summary.level_names);
  set(out, "average_total").set_string_value(summary.average_total);
  strings(set(out, "level_averages"), summary.level_averages);
  Struct& progress = *set(out, "progress").mutable_struct_value();
  const render::Progress& p = summary.progress;
  if (p.rostered >= 0) {
    set(progress, "rostered").set_number_value(p.rostered);
    set(progress, "not_started").set_number_value(p.not_started);
  }
  set(progress, "draft").set_number_value(p.draft);
  set(progress, "submitted").set_number_value(p.submitted);
  set(progress, "returned").set_number_value(p.returned);
  set(progress, "approved").set_number_value(p.approved);
  set(progress, "off_roster").set_number_value(p.off_roster);
  auto& rows = *set(out, "rows").mutable_list_value();
  for (const render::SummaryRow& row : summary.rows) {
    Struct& r = *rows.add_values()->mutable_struct_value();
    set(r, "rank").set_number_value(row.rank);
    set(r, "apart").set_string_value(row.apart);
    set(r, "stale").set_bool_value(row.stale);
    set(r, "off_roster").set_bool_value(row.off_roster);
    set(r, "code").set_string_value(row.code);
    set(r, "name").set_string_value(row.name);
    set(r, "group").set_string_value(row.group);
    set(r, "total").set_string_value(row.total);
    set(r, "declared_total").set_string_value(row.declared_total);
    set(r, "gap").set_string_value(row.gap);
    set(r, "grade").set_string_value(row.grade);
    set(r, "card_revision").set_number_value(static_cast<double>(row.card_revision));
    set(r, "card_time").set_string_value(row.card_time);
    strings(set(r, "level_scores"), row.level_scores);
    set(r, "errors").set_number_value(row.errors);
    strings(set(r, "error_subjects"), row.error_subjects);
    set(r, "warnings").set_number_value(row.warnings);
    set(r, "infos").set_number_value(row.infos);
    set(r, "status").set_string_value(row.status);
  }
  return ToJson(out, true);
}

// The summary as a terminal reads it: the progress line, the ranked
// table with its averages, then the rows apart.
std::string SummaryText(const render::Summary& summary) {
  std::ostringstream text;
  text << summary.fiscal_year << " 年度";
  if (!summary.scheme_name.empty()) text << "（" << summary.scheme_name << "）";
  text << "\n" << render::ProgressText(summary.progress) << "\n";
  std::vector<std::string> header = render::SummaryHeader(summary);
  TextTable ranked(header), apart(header);
  int ranked_rows = 0, apart_rows = 0;
  for (const render::SummaryRow& row : summary.rows) {
    (row.rank > 0 ? ranked : apart).AddRow(render::SummaryCells(row, "—"));
    ++(row.rank > 0 ? ranked_rows : apart_rows);
  }
  if (std::vector<std::string> average = render::SummaryAverageCells(summary); !average.empty()) {
    ranked.AddRow(average);
  }
  text << "\n排名 " << ranked_rows << " 个部门（已提交、审核通过且评分为最新）\n";
  if (ranked_rows > 0) ranked.Print(text);
  if (apart_rows > 0) {
    text << "\n未排名 " << apart_rows << " 个部门\n";
    apart.Print(text);
  }
  return text.str();
}

int Run(const GlobalOptions& global, const SummaryArgs& args) {
  if (global.client.storage.empty()) {
    std::cerr << "jixiao: summary reads storage-svc: pass --storage HOST:PORT or set "
                 "JIXIAO_STORAGE\n";
    return kUsage;
  }
  auto templates = LoadTemplates(args.document.templates);
  if (!templates.ok()) return DocumentError("--templates", templates.status(), global);
  const v1::ReportStatus only =
      args.status.empty() ? v1::REPORT_STATUS_UNSPECIFIED : *ParseStatusName(args.status);
  auto year = LoadYear(global, args.year, only);  // --status is checked by CLI11
  if (!year.ok()) return DocumentError("summary", year.status(), global);
  const render::Summary& summary = year->summary;
  // Like every command that shows a card: 3 when one shown as it stands
  // has error findings.
  int code = kOk;
  for (const render::SummaryRow& row : summary.rows) {
    if (row.errors > 0 && !row.stale) code = kErrorFindings;
  }
  const std::string& out = args.document.out;
  int emitted;
  if (args.format == "xlsx") {
    if (out.empty()) {
      std::cerr << "jixiao: -f xlsx writes a workbook: name it with --out FILE.xlsx\n";
      return kUsage;
    }
    if (!WriteWholeWith(out, [&](const std::string& partial) {
          return render::SummaryXlsx(summary, partial);
        })) {
      return kFailure;
    }
    std::cerr << "wrote " << out << "\n";
    emitted = kOk;
  } else if (args.format == "csv") {
    emitted = Emit(render::SummaryCsv(summary), out);
  } else if (args.format == "html") {
    emitted = Emit(render::SummaryHtml(summary, *templates), out);
  } else if (global.output == "json") {
    emitted = Emit(SummaryJson(summary), out);
  } else {
    emitted = Emit(SummaryText(summary), out);
  }
  return emitted != kOk ? emitted : code;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<SummaryArgs>();
  command.add_option("--year", args->year, "fiscal year")->required();
  command
      .add_option("--format,-f", args->format,
                  "table, csv (UTF-8 with BOM, for Excel and WPS), xlsx (a workbook: needs "
                  "--out) or html")
      ->check(CLI::IsMember({"table", "csv", "xlsx", "html"}))
      ->default_val("table");
  command
      .add_option("--status", args->status,
                  "only reports of this status, ranked among themselves (default: every report, "
                  "submitted and approved ones ranked, the rest listed apart)")
      ->check(CLI::IsMember({"draft", "submitted", "returned", "approved"}));
  AddDocumentArgs(command, args->document);
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kSummaryCommand = {
    "summary",
    "a year's review: progress over the roster, submitted and approved reports ranked (declared "
    "and verified totals, errors, card revision), the rest listed apart (未提交, 未评分, "
    "需重新评分, drafts); exit 3 if a card shown has error findings",
    Define};

}  // namespace jixiao::cli
