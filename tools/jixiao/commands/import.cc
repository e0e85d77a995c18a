// `jixiao import`: last years' reports into draft reports. A document
// (.txt, .md, .docx, .pdf) is converted to text and read by extraction rules
// (tools/extract): every figure with the line and sentence it came from,
// what is not found listed missing, what is found twice differently listed
// as a conflict and left out, what is only implied proposed. A filled form
// (.xlsx) is read cell by cell, as `jixiao save FILE.xlsx` reads it.

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/csv.h"
#include "common/base/files.h"
#include "common/report/check_report.h"
#include "common/report/plain_text.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tools/extract/convert.h"
#include "tools/extract/document.h"
#include "tools/extract/extract.h"
#include "tools/extract/rules.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/documents.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/inputs.h"
#include "tools/jixiao/text_table.h"

namespace jixiao::cli {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

struct ImportArgs {
  std::string file;
  std::string dir;
  std::string department;
  std::string departments;  // --dir: a CSV of file,department
  int year = 0;
  std::string rules;
  bool accept_inferred = false;
  std::string out;
  std::string out_dir;
  bool text = false;
  bool print_rules = false;
};

// One document read: the extraction, or why it could not be read.
struct Imported {
  absl::Status status;
  extract::Extraction extraction;
  std::vector<std::string> notes;
};

Imported ImportDocument(const std::string& path, const extract::RuleSet& rules,
                        const ImportArgs& args, const std::string& department) {
  Imported out;
  absl::StatusOr<std::string> text = extract::DocumentText(path);
  if (!text.ok()) {
    out.status = text.status();
    return out;
  }
  const extract::Format format = extract::FormatOf(path);
  const extract::Markup markup = format == extract::Format::kPdf    ? extract::Markup::kPlain
                                 : format == extract::Format::kDocx ? extract::Markup::kPandoc
                                                                    : extract::Markup::kMarkdown;
  const extract::Document document = extract::Segment(*text, markup);
  out.extraction = extract::Extract(document, rules, {.accept_inferred = args.accept_inferred});
  v1::Report& report = out.extraction.report;
  report.mutable_identity()->set_department_code(department);
  if (args.year != 0) {
    const int stated = report.identity().fiscal_year();
    if (stated != 0 && stated != args.year) {
      out.notes.push_back(
          absl::StrCat(path, ": the document says ", stated, "; --year ", args.year, " is used"));
    }
    report.mutable_identity()->set_fiscal_year(args.year);
    auto& missing = out.extraction.missing;
    missing.erase(std::remove(missing.begin(), missing.end(), "identity.fiscal_year"),
                  missing.end());
  }
  if (document.blocks.empty()) out.notes.push_back(path + ": holds no text (a scanned PDF?)");
  // What a draft cannot be saved without is missing whatever the rules read.
  auto& missing = out.extraction.missing;
  for (const char* path : {"identity.department_name", "identity.fiscal_year"}) {
    const bool unset = std::string(path) == "identity.fiscal_year"
                           ? report.identity().fiscal_year() == 0
                           : report.identity().department_name().empty();
    if (unset && std::find(missing.begin(), missing.end(), path) == missing.end()) {
      missing.insert(missing.begin(), path);
    }
  }
  return out;
}

// The converter's errors name the file themselves ("a.md:2:8: not UTF-8").
void PrintImportError(const std::string& path, const absl::Status& status) {
  if (absl::StartsWith(status.message(), path)) {
    std::cerr << "jixiao: " << status.message() << "\n";
  } else {
    PrintError(path, status, "", "");
  }
}

std::string ReportJson(const v1::Report& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  return StableJson(report, options);
}

Value ReadingValue(const extract::Reading& r) {
  Value v;
  auto& fields = *v.mutable_struct_value()->mutable_fields();
  fields["path"].set_string_value(r.path);
  fields["value"].set_string_value(r.value);
  fields["line"].set_number_value(r.line);
  fields["text"].set_string_value(r.text);
  return v;
}

Value ListOf(const std::vector<extract::Reading>& readings) {
  Value list;
  list.mutable_list_value();
  for (const auto& r : readings) *list.mutable_list_value()->add_values() = ReadingValue(r);
  return list;
}

// {"report": ..., "figures": [...], "missing": [...], "conflicts": [...], "inferred": [...]}
Value ExtractionValue(const extract::Extraction& e) {
  Value out;
  auto& fields = *out.mutable_struct_value()->mutable_fields();
  google::protobuf::util::JsonStringToMessage(ReportJson(e.report), &fields["report"]);
  fields["figures"] = ListOf(e.figures);
  Value& missing = fields["missing"];
  missing.mutable_list_value();
  for (const auto& path : e.missing)
    missing.mutable_list_value()->add_values()->set_string_value(path);
  Value& conflicts = fields["conflicts"];
  conflicts.mutable_list_value();
  for (const auto& c : e.conflicts) {
    Value& conflict = *conflicts.mutable_list_value()->add_values();
    auto& cf = *conflict.mutable_struct_value()->mutable_fields();
    cf["path"].set_string_value(c.path);
    cf["readings"] = ListOf(c.readings);
  }
  Value& notes = fields["notes"];
  notes.mutable_list_value();
  for (const auto& note : e.notes) notes.mutable_list_value()->add_values()->set_string_value(note);
  fields["inferred"] = ListOf(e.inferred);
  for (auto& v : *fields["inferred"].mutable_list_value()->mutable_values()) {
    (*v.mutable_struct_value()->mutable_fields())["accepted"].set_bool_value(e.inferred_accepted);
  }
  return out;
}

// `text` cut to `width` terminal columns, with an ellipsis if it was.
std::string ShortText(const std::string& text, int width = 60) {
  if (report::DisplayWidth(text) <= width) return text;
  std::string out;
  int shown = 0;
  for (size_t i = 0; i < text.size();) {
    size_t n = 1;
    const unsigned char c = text[i];
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    const std::string ch = text.substr(i, n);
    shown += report::DisplayWidth(ch);
    if (shown > width - 1) break;
    out += ch;
    i += n;
  }
  return out + "…";
}

void PrintExtraction(const extract::Extraction& e, std::ostream& out) {
  TextTable figures({"field", "value", "line", "read from"},
                    {TextTable::Align::kLeft, TextTable::Align::kLeft, TextTable::Align::kRight});
  for (const auto& r : e.figures) {
    figures.AddRow({r.path, ShortText(r.value, 24), std::to_string(r.line), ShortText(r.text)});
  }
  out << e.figures.size() << (e.figures.size() == 1 ? " field" : " fields") << " read:\n";
  if (!e.figures.empty()) figures.Print(out);
  if (!e.inferred.empty()) {
    out << "\n"
        << e.inferred.size() << " implied, not stated; "
        << (e.inferred_accepted ? "kept (--accept-inferred):\n"
                                : "left out: confirm them, or import with --accept-inferred:\n");
    TextTable inferred(
        {"field", "value", "line", "evidence"},
        {TextTable::Align::kLeft, TextTable::Align::kLeft, TextTable::Align::kRight});
    for (const auto& r : e.inferred) {
      inferred.AddRow({r.path, r.value, std::to_string(r.line), ShortText(r.text)});
    }
    inferred.Print(out);
  }
  if (!e.conflicts.empty()) {
    out << "\n"
        << e.conflicts.size() << (e.conflicts.size() == 1 ? " field is" : " fields are")
        << " stated differently in different places; left out, for you to settle:\n";
    TextTable conflicts(
        {"field", "value", "line", "read from"},
        {TextTable::Align::kLeft, TextTable::Align::kLeft, TextTable::Align::kRight});
    for (const auto& c : e.conflicts) {
      for (const auto& r : c.readings) {
        conflicts.AddRow(
            {c.path, ShortText(r.value, 24), std::to_string(r.line), ShortText(r.text)});
      }
    }
    conflicts.Print(out);
  }
  if (!e.missing.empty()) {
    out << "\n"
        << e.missing.size() << " not found in the document (missing, not guessed):\n  "
        << absl::StrJoin(e.missing, "\n  ") << "\n";
  }
  if (!e.notes.empty()) {
    out << "\n"
        << e.notes.size() << (e.notes.size() == 1 ? " thing" : " things")
        << " seen and not read:\n  " << absl::StrJoin(e.notes, "\n  ") << "\n";
  }
}

absl::StatusOr<std::shared_ptr<const extract::RuleSet>> LoadRules(const std::string& path) {
  if (path.empty()) return extract::BuiltInRules();
  auto text = base::ReadFile(path, "rules file", extract::kMaxRulesBytes);
  if (!text.ok()) return absl::InvalidArgumentError(text.status().message());
  return extract::CompileRules(*text, path);
}

int WriteDraft(const v1::Report& report, const std::string& out) {
  return WriteWhole(out, ReportJson(report) + "\n") ? kOk : kFailure;
}

int ImportOne(const GlobalOptions& global, const ImportArgs& args, const extract::RuleSet& rules) {
  const std::string problem = report::DepartmentCodeProblem(args.department);
  if (!problem.empty()) {
    std::cerr << "jixiao: --department " << problem
              << (args.department.empty()
                      ? ": a document does not say its department's code; give the code the year's "
                        "roster (jixiao admin roster) lists it under"
                      : "")
              << "\n";
    return kUsage;
  }
  if (!args.out.empty()) {
    std::error_code same;
    if (std::filesystem::equivalent(args.file, args.out, same)) {
      std::cerr << "jixiao: --out " << args.out << " is the document being imported\n";
      return kUsage;
    }
  }
  Imported imported = ImportDocument(args.file, rules, args, args.department);
  if (!imported.status.ok()) {
    PrintImportError(args.file, imported.status);
    return ExitCodeFor(imported.status);
  }
  for (const auto& note : imported.notes) std::cerr << "jixiao: " << note << "\n";
  if (!args.out.empty()) {
    if (int code = WriteDraft(imported.extraction.report, args.out); code != kOk) return code;
  }
  if (global.output == "json") {
    std::cout << StableJson(ExtractionValue(imported.extraction), [] {
      google::protobuf::util::JsonPrintOptions o;
      o.add_whitespace = true;
      o.preserve_proto_field_names = true;
      return o;
    }());
    return kOk;
  }
  PrintExtraction(imported.extraction, std::cout);
  if (!args.out.empty()) {
    std::cout << "\nthe draft is in " << args.out << ": jixiao validate " << args.out
              << ", then jixiao save " << args.out << "\n";
  }
  return kOk;
}

// --dir: every document in the directory, one line each.
int ImportDirectory(const GlobalOptions& global, const ImportArgs& args,
                    const extract::RuleSet& rules) {
  std::map<std::string, std::string> codes;  // file name -> department code
  if (!args.departments.empty()) {
    auto text = base::ReadFile(args.departments, "departments file", size_t{8} << 20);
    if (!text.ok()) {
      std::cerr << "jixiao: " << text.status().message() << "\n";
      return kInvalidInput;
    }
    auto records = base::ParseCsv(*text);
    if (!records.ok()) {
      std::cerr << "jixiao: " << args.departments << ": " << records.status().message() << "\n";
      return kInvalidInput;
    }
    for (const auto& r : *records) {
      if (r.fields.size() != 2) {
        std::cerr << "jixiao: " << args.departments << ":" << r.line
                  << ": expected two fields, file,department\n";
        return kInvalidInput;
      }
      if (r.line == 1 && r.fields[0] == "file") continue;  // a header
      if (!codes.emplace(r.fields[0], r.fields[1]).second) {
        std::cerr << "jixiao: " << args.departments << ":" << r.line << ": " << r.fields[0]
                  << " is named twice; a document has one department\n";
        return kInvalidInput;
      }
    }
  } else if (std::string problem = report::DepartmentCodeProblem(args.department);
             !problem.empty()) {
    std::cerr << "jixiao: --dir needs --department CODE (every document one department's) or "
                 "--departments FILE.csv (file,department)\n";
    return kUsage;
  }
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(args.dir, error)) {
    const auto format = extract::FormatOf(entry.path().string());
    if (entry.is_regular_file() && format != extract::Format::kUnknown &&
        format != extract::Format::kWorkbook) {
      files.push_back(entry.path());
    }
  }
  if (error) {
    std::cerr << "jixiao: " << args.dir << ": " << error.message() << "\n";
    return kInvalidInput;
  }
  std::sort(files.begin(), files.end());
  for (const auto& [name, code] : codes) {
    if (!std::filesystem::exists(std::filesystem::path(args.dir) / name)) {
      std::cerr << "jixiao: " << args.departments << " names " << name << ", which is not in "
                << args.dir << "\n";
    }
  }
  if (!args.out_dir.empty()) std::filesystem::create_directories(args.out_dir, error);
  int code = kOk;
  Value summary;
  summary.mutable_list_value();
  for (const auto& file : files) {
    const std::string name = file.filename().string();
    std::string department = args.department;
    if (!args.departments.empty()) department = codes.count(name) ? codes[name] : "";
    std::string line = name + ": ";
    Value& entry = *summary.mutable_list_value()->add_values();
    auto& fields = *entry.mutable_struct_value()->mutable_fields();
    fields["file"].set_string_value(file.string());
    // One file's error is its line (or its "error" in JSON); the others go on.
    auto fail = [&](const std::string& why, int exit) {
      fields["error"].set_string_value(why);
      if (global.output != "json") std::cout << name << ": error: " << why << "\n";
      code = std::max(code, exit);
    };
    if (std::string problem = report::DepartmentCodeProblem(department); !problem.empty()) {
      fail("no department code for it in " + args.departments, kInvalidInput);
      continue;
    }
    Imported imported = ImportDocument(file.string(), rules, args, department);
    if (!imported.status.ok()) {
      fail(std::string(imported.status.message()), ExitCodeFor(imported.status));
      continue;
    }
    const auto& e = imported.extraction;
    std::vector<std::string> conflicting;
    for (const auto& c : e.conflicts) conflicting.push_back(c.path);
    absl::StrAppend(&line, e.figures.size(), " read, ", e.missing.size(), " missing, ",
                    e.conflicts.size(), e.conflicts.size() == 1 ? " conflict" : " conflicts");
    if (!conflicting.empty()) absl::StrAppend(&line, " (", absl::StrJoin(conflicting, ", "), ")");
    absl::StrAppend(&line, ", ", e.inferred.size(), " implied, ", e.notes.size(), " not read");
    if (!args.out_dir.empty()) {
      // NAME.json; NAME.EXT.json when two documents share a name (2020.md, 2020.docx).
      const std::string stem = file.stem().string();
      const bool shared = std::count_if(files.begin(), files.end(), [&](const auto& other) {
                            return other.stem().string() == stem;
                          }) > 1;
      const std::string out =
          (std::filesystem::path(args.out_dir) / (shared ? name : stem)).string() + ".json";
      if (WriteDraft(e.report, out) != kOk) {
        fail("cannot write " + out, kFailure);
        continue;
      }
      absl::StrAppend(&line, " -> ", out);
      fields["out"].set_string_value(out);
    }
    fields["figures"].set_number_value(e.figures.size());
    fields["missing"].set_number_value(e.missing.size());
    fields["inferred"].set_number_value(e.inferred.size());
    auto& notes = *fields["notes"].mutable_list_value();
    for (const auto& note : e.notes) notes.add_values()->set_string_value(note);
    auto& list = *fields["conflicts"].mutable_list_value();
    for (const auto& path : conflicting) list.add_values()->set_string_value(path);
    if (global.output != "json") std::cout << line << "\n";
  }
  if (global.output == "json") {
    google::protobuf::util::JsonPrintOptions o;
    o.add_whitespace = true;
    std::cout << StableJson(summary, o);
  }
  return code;
}

int Run(const GlobalOptions& global, const ImportArgs& args) {
  if (args.year != 0) {
    if (std::string problem = report::FiscalYearProblem(args.year); !problem.empty()) {
      std::cerr << "jixiao: --year " << args.year << ": " << problem << "\n";
      return kUsage;
    }
  }
  if (args.print_rules) {
    std::cout << extract::BuiltInRulesText();
    return kOk;
  }
  if (args.file.empty() == args.dir.empty()) {
    std::cerr << "jixiao: give a FILE to import, or --dir DIR\n";
    return kUsage;
  }
  if (!args.file.empty() && extract::FormatOf(args.file) == extract::Format::kWorkbook) {
    absl::StatusOr<v1::Report> report = ReadReport(args.file);
    if (!report.ok()) {
      PrintError(args.file, report.status(), "", "");
      return ExitCodeFor(report.status());
    }
    return Emit(ReportJson(*report), args.out);
  }
  if (args.text) {
    absl::StatusOr<std::string> text = extract::DocumentText(args.file);
    if (!text.ok()) {
      PrintImportError(args.file, text.status());
      return ExitCodeFor(text.status());
    }
    int number = 0;
    for (absl::string_view line : absl::StrSplit(*text, '\n')) {
      std::cout << absl::StrFormat("%5d  ", ++number) << line << "\n";
    }
    return kOk;
  }
  auto rules = LoadRules(args.rules);
  if (!rules.ok()) {
    std::cerr << "jixiao: " << rules.status().message() << "\n";
    return kInvalidInput;
  }
  return args.dir.empty() ? ImportOne(global, args, **rules)
                          : ImportDirectory(global, args, **rules);
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<ImportArgs>();
  command.add_option("file", args->file,
                     "a self-evaluation document (.txt, .md, .docx, .pdf), or a filled form "
                     "(.xlsx)");
  command.add_option("--dir", args->dir, "import every document in this directory, one line each");
  command.add_option("--department", args->department,
                     "the department's code (a document does not say it)");
  command.add_option("--departments", args->departments,
                     "with --dir: a CSV of file,department naming each document's department");
  command.add_option("--year", args->year, "the fiscal year (default: as the document states it)");
  command.add_option("--rules", args->rules,
                     "extraction rules for another style of report (protobuf text format; "
                     "--print-rules shows the built-in ones)");
  command.add_flag("--accept-inferred", args->accept_inferred,
                   "keep what is implied, not stated (counted tasks, checklist answers "
                   "with their evidence) in the draft");
  command
      .add_option("--out", args->out,
                  "write the draft report JSON here (a form's report JSON goes to standard "
                  "output without it); never the document itself")
      ->check(kNamesAPath);
  command.add_option("--out-dir", args->out_dir, "with --dir: write each draft here, as NAME.json")
      ->check(kNamesAPath);
  command.add_flag("--text", args->text,
                   "print the document's text as converted, with the line numbers that "
                   "provenance refers to, and stop");
  command.add_flag("--print-rules", args->print_rules, "print the built-in rules and stop");
  command.footer(
      "A document's figures are read with the sentence and line they come from. A figure "
      "stated twice differently is listed as a conflict and left out; one not found is "
      "listed missing; nothing is guessed. .docx needs pandoc, .pdf needs pdftotext "
      "(poppler-utils). See docs/import.md.");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kImportCommand = {
    "import",
    "read last years' reports (.docx, .pdf, .md, .txt) into draft reports, each figure with "
    "its source sentence; or a filled form (.xlsx)",
    Define};

}  // namespace jixiao::cli
