// `jixiao admin roster`: record which departments must report for a fiscal
// year, from a CSV file (code, name, optional group), or show the year's
// roster. The summary then lists every rostered department, those with
// nothing stored as 未提交.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/csv.h"
#include "common/base/files.h"
#include "common/report/check_report.h"
#include "common/report/field_violations.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/text_table.h"

namespace jixiao::cli {
namespace {

struct RosterArgs {
  int year = 0;
  std::string file;  // empty: show the year's roster
};

// A header row, if the file has one: its first field names the code
// column, or its second the name column.
bool IsHeader(const base::CsvRecord& record) {
  auto is = [](const std::string& field, std::initializer_list<const char*> names) {
    std::string text = absl::AsciiStrToLower(absl::StripAsciiWhitespace(field));
    for (const char* name : names) {
      if (text == name) return true;
    }
    return false;
  };
  return is(record.fields[0], {"code", "department_code", "dept_code", "department", "dept", "代码",
                               "编码", "部门代码", "单位代码", "部门编码", "单位编码"}) ||
         (record.fields.size() > 1 &&
          is(record.fields[1], {"name", "department_name", "dept_name", "名称", "部门名称",
                                "单位名称", "部门", "单位"}));
}

// A roster file's departments, with the line each came from.
struct RosterFile {
  std::vector<v1::RosterEntry> entries;
  std::vector<int> lines;
};

// The roster in `text`; an error names the file's line and column.
absl::StatusOr<RosterFile> ParseRoster(const std::string& path, const std::string& text) {
  base::CsvLimits limits;
  limits.max_records = 20001;  // the store takes 20000 departments, and a header
  limits.max_fields = 8;
  limits.max_field_bytes = 512;
  auto records = base::ParseCsv(text, limits);
  if (!records.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, " ", records.status().message()));
  }
  RosterFile roster;
  for (size_t i = 0; i < records->size(); ++i) {
    const base::CsvRecord& record = (*records)[i];
    if (i == 0 && IsHeader(record)) continue;
    auto where = [&](absl::string_view column) {
      return absl::StrCat(path, " line ", record.line, ", column ", column, ": ");
    };
    if (record.fields.size() < 2 || record.fields.size() > 3) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, " line ", record.line, ": has ", record.fields.size(),
          " fields; a roster line is CODE,NAME or CODE,NAME,GROUP (e.g. LH-CZJ,区财政局,行政)"));
    }
    v1::RosterEntry entry;
    entry.set_department_code(std::string(absl::StripAsciiWhitespace(record.fields[0])));
    entry.set_name(std::string(absl::StripAsciiWhitespace(record.fields[1])));
    if (record.fields.size() == 3) {
      entry.set_group(std::string(absl::StripAsciiWhitespace(record.fields[2])));
    }
    if (entry.department_code().empty()) {
      return absl::InvalidArgumentError(where("1 (code)") + "the department code is empty");
    }
    if (i == 0) {
      // Not a header this program knows, and not a department code either:
      // a header it would otherwise take for a department.
      if (std::string problem = report::DepartmentCodeProblem(entry.department_code());
          !problem.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where("1 (code)"), "\"", report::ValidUtf8(entry.department_code()), "\" ",
                         problem, " (a header line names its columns code,name,group)"));
      }
    }
    if (entry.name().empty()) {
      return absl::InvalidArgumentError(where("2 (name)") + "the department name is empty");
    }
    if (report::ValidUtf8(entry.department_code()) != entry.department_code() ||
        report::ValidUtf8(entry.name()) != entry.name() ||
        report::ValidUtf8(entry.group()) != entry.group()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, " line ", record.line, ": is not UTF-8 (save the file as \"CSV UTF-8\")"));
    }
    roster.entries.push_back(std::move(entry));
    roster.lines.push_back(record.line);
  }
  if (roster.entries.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, " lists no department"));
  }
  return roster;
}

// Field violations of the store's answer ("entries[3].name") named by the
// file's line instead.
int RosterRefused(const GlobalOptions& global, const std::string& path,
                  const std::vector<int>& lines, const absl::Status& status) {
  std::vector<report::FieldViolation> violations = report::ViolationsOf(status);
  if (violations.empty()) return StorageError(global, path, status);
  std::cerr << "jixiao: roster " << path << " refused:\n";
  for (const report::FieldViolation& v : violations) {
    int index = -1;
    std::string column = v.field;
    if (sscanf(v.field.c_str(), "entries[%d]", &index) == 1 && index >= 0 &&
        index < static_cast<int>(lines.size())) {
      column = v.field.substr(v.field.find(']') + 2);
      // "repeats entries[0]'s D1" → "repeats line 2's D1"
      std::string description = v.description;
      int other = -1;
      size_t at = description.find("entries[");
      if (at != std::string::npos && sscanf(description.c_str() + at, "entries[%d]", &other) == 1 &&
          other >= 0 && other < static_cast<int>(lines.size())) {
        description.replace(at, description.find(']', at) + 1 - at,
                            absl::StrCat("line ", lines[other]));
      }
      std::cerr << "  line " << lines[index] << ", " << column << ": " << description << "\n";
    } else {
      std::cerr << "  " << v.field << ": " << v.description << "\n";
    }
  }
  return kInvalidInput;
}

int Show(const GlobalOptions& global, const v1::Roster& roster) {
  if (global.output == "json") {
    std::cout << ToJson(roster, true);
    return kOk;
  }
  TextTable table({"代码", "名称", "类别"});
  for (const v1::RosterEntry& entry : roster.entries()) {
    table.AddRow({entry.department_code(), entry.name(), entry.group()});
  }
  std::cout << "fiscal year " << roster.fiscal_year() << ": " << roster.entries_size()
            << " departments (set by " << roster.author() << ")\n";
  table.Print(std::cout);
  return kOk;
}

int Run(const GlobalOptions& global, const RosterArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  StorageClient client(global.client);
  if (args.file.empty()) {
    v1::GetRosterRequest request;
    request.set_fiscal_year(args.year);
    v1::GetRosterResponse response;
    absl::Status status = client.Call(&v1::StorageService::Stub::GetRoster, request, response);
    if (!status.ok()) return StorageError(global, absl::StrCat("roster ", args.year), status);
    return Show(global, response.roster());
  }
  // 20000 departments of a few hundred bytes each at most.
  auto text = base::ReadFile(args.file, "roster file", 8 << 20);
  if (!text.ok()) {
    std::cerr << "jixiao: " << text.status().message() << "\n";
    return absl::IsNotFound(text.status()) ? kFailure : kInvalidInput;
  }
  auto roster = ParseRoster(args.file, *text);
  if (!roster.ok()) {
    std::cerr << "jixiao: " << roster.status().message() << "\n";
    return kInvalidInput;
  }
  v1::SetRosterRequest request;
  request.set_fiscal_year(args.year);
  for (v1::RosterEntry& entry : roster->entries) *request.add_entries() = std::move(entry);
  v1::SetRosterResponse response;
  absl::Status status = client.Call(&v1::StorageService::Stub::SetRoster, request, response);
  if (!status.ok()) return RosterRefused(global, args.file, roster->lines, status);
  if (global.output == "json") {
    std::cout << ToJson(response.roster(), true);
    return kOk;
  }
  std::cout << "fiscal year " << args.year << ": " << response.roster().entries_size()
            << " departments must report\n";
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<RosterArgs>();
  command.add_option("--year", args->year, "fiscal year")->required();
  command.add_option("file", args->file,
                     "CSV file, UTF-8: one department per line, CODE,NAME[,GROUP] (e.g. "
                     "LH-CZJ,区财政局,行政), an optional header line first (code,name,group). "
                     "Replaces the year's roster. Without it: show the year's roster");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kAdminRosterCommand = {
    "roster",
    "set which departments must report for a fiscal year (from a CSV file), or show it: the "
    "summary then lists each of them, those with nothing stored as 未提交",
    Define};

}  // namespace jixiao::cli
