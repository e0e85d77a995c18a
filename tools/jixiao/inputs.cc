#include "tools/jixiao/inputs.h"

#include <filesystem>
#include <iostream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/files.h"
#include "common/report/check_report.h"
#include "common/report/field_violations.h"
#include "common/report/json_input.h"
#include "common/report/scheme_ref.h"
#include "google/protobuf/util/json_util.h"
#include "tools/form/workbook.h"

namespace jixiao::cli {

namespace {

// Far above any report the services take (a request holds at most
// --max-message-bytes, 16 MiB unless raised), and low enough that a wrong
// path (a disk image, /dev/zero) is refused instead of filling memory.
constexpr size_t kMaxReportFileBytes = 256 << 20;

}  // namespace

namespace {

// What a template leaves blank and nobody filled in is not given: a figure
// whose value is "" (in Report.figures too), and a performance-target row
// with neither name, target nor actual.
void ClearBlanks(google::protobuf::Message& message) {
  using google::protobuf::FieldDescriptor;
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->type() != FieldDescriptor::TYPE_MESSAGE || field->is_map()) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        ClearBlanks(*reflection->MutableRepeatedMessage(&message, field, i));
      }
      continue;
    }
    google::protobuf::Message* child = reflection->MutableMessage(&message, field);
    if (auto* figure = dynamic_cast<v1::Decimal*>(child)) {
      if (figure->value().empty()) reflection->ClearField(&message, field);
    } else {
      ClearBlanks(*child);
    }
  }
}

void ClearBlanks(v1::Report& report) {
  ClearBlanks(static_cast<google::protobuf::Message&>(report));
  auto& figures = *report.mutable_figures();
  for (auto it = figures.begin(); it != figures.end();) {
    it = it->second.value().empty() ? figures.erase(it) : std::next(it);
  }
  auto& targets = *report.mutable_targets();
  for (int i = targets.size() - 1; i >= 0; --i) {
    const v1::PerformanceTarget& row = targets[i];
    if (row.name().empty() && !row.has_target() && !row.has_actual()) targets.DeleteSubrange(i, 1);
  }
}

}  // namespace

namespace {

// A filled form: every cell that cannot be read, and every figure
// CheckReport refuses, named by sheet and cell.
absl::StatusOr<v1::Report> ReadForm(const std::string& name, const std::string& bytes) {
  std::vector<form::CellProblem> problems;
  absl::StatusOr<form::Imported> imported = form::ReadWorkbook(bytes, &problems);
  if (imported.ok()) {
    for (const form::CellProblem& w : imported->warnings) {
      std::cerr << "jixiao: warning: " << name << ": " << w.cell << ": " << w.message << "\n";
    }
    absl::Status checked = report::CheckReport(imported->report);
    for (const report::FieldViolation& v : report::ViolationsOf(checked)) {
      // The cell the field came from: the longest recorded path it starts with.
      std::string cell;
      size_t matched = 0;
      for (const auto& [field, at] : imported->cells) {
        if (field.size() > matched && absl::StartsWith(v.field, field)) {
          cell = at;
          matched = field.size();
        }
      }
      problems.push_back({cell, absl::StrCat(v.field, ": ", v.description)});
    }
    if (problems.empty()) {
      ClearBlanks(imported->report);
      return std::move(imported->report);
    }
  }
  std::string message = absl::StrCat("not a valid form (", problems.size(),
                                     problems.size() == 1 ? " problem)" : " problems)");
  if (problems.empty()) absl::StrAppend(&message, ": ", imported.status().message());
  for (const form::CellProblem& p : problems) {
    absl::StrAppend(&message, "\n  ", name, p.cell.empty() ? "" : ": " + p.cell, ": ", p.message);
  }
  return absl::InvalidArgumentError(message);
}

}  // namespace

absl::StatusOr<v1::Report> ReadReport(const std::string& path) {
  std::string text;
  if (path == "-") {
    std::ostringstream in;
    in << std::cin.rdbuf();
    text = in.str();
  } else {
    absl::StatusOr<std::string> file = base::ReadFile(path, "", kMaxReportFileBytes);
    if (!file.ok()) return absl::InvalidArgumentError(file.status().message());
    text = *std::move(file);
  }
  const std::string name = path == "-" ? "<stdin>" : path;
  if (absl::StartsWith(text, "PK") || absl::EndsWith(path, ".xlsx") ||
      absl::EndsWith(path, ".xls")) {
    return ReadForm(name, text);
  }
  v1::Report report;
  std::vector<report::JsonProblem> problems;
  if (!report::ParseJson(text, &report, &problems).ok()) {
    // One line per problem, as compilers write them: an editor jumps to each.
    std::string message = absl::StrCat("not a valid report (", problems.size(),
                                       problems.size() == 1 ? " problem)" : " problems)");
    for (const report::JsonProblem& p : problems) {
      absl::StrAppend(&message, "\n  ", name, ":", p.line, ":", p.column, ": ",
                      p.path.empty() ? "" : p.path + ": ", p.message);
    }
    return absl::InvalidArgumentError(message);
  }
  ClearBlanks(report);
  return report;
}

absl::StatusOr<SchemeChoice> ChooseScheme(const std::string& text) {
  SchemeChoice choice;
  if (text.empty()) return choice;
  std::error_code error;
  if (std::filesystem::is_regular_file(text, error)) {
    auto scheme = engine::LoadSchemeFile(text);
    if (!scheme.ok()) return scheme.status();
    choice.file = *scheme;
    return choice;
  }
  bool looks_like_file = text.find('/') != std::string::npos ||
                         (text.size() > 10 && text.substr(text.size() - 10) == ".textproto");
  if (looks_like_file) {
    return absl::InvalidArgumentError(absl::StrCat("no scheme file ", text));
  }
  auto ref = report::ParseSchemeRef(text);
  if (!ref.ok()) return ref.status();
  choice.ref = *ref;
  return choice;
}

absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> OfflineScheme(
    const SchemeChoice& choice) {
  if (choice.file) return choice.file;
  std::shared_ptr<const engine::CompiledScheme> builtin = engine::DefaultScheme();
  if (!choice.ref) return builtin;
  if (choice.ref->id() == builtin->id() &&
      (choice.ref->version() == 0 || choice.ref->version() == builtin->version())) {
    return builtin;
  }
  return absl::NotFoundError(
      absl::StrCat("offline, only the built-in scheme ", builtin->id(), "@", builtin->version(),
                   " or a scheme file can be used; to use scheme ", choice.ref->id(),
                   " held by a server, pass --scoring ADDR"));
}

std::optional<StoredRef> AsStoredRef(const std::string& text) {
  std::error_code error;
  if (text == "-" || std::filesystem::exists(text, error)) return std::nullopt;
  return ParseStoredRef(text);
}

std::optional<StoredRef> ParseStoredRef(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || text.find('/', slash + 1) != std::string::npos) {
    return std::nullopt;
  }
  StoredRef ref;
  ref.text = text;
  std::string code = text.substr(0, slash);
  if (!report::IsCode(code)) return std::nullopt;
  std::string rest = text.substr(slash + 1);
  size_t at = rest.find('@');
  int year = 0;
  if (!absl::SimpleAtoi(rest.substr(0, at), &year)) return std::nullopt;
  if (at != std::string::npos && !absl::SimpleAtoi(rest.substr(at + 1), &ref.revision)) {
    return std::nullopt;
  }
  ref.key.set_department_code(code);
  ref.key.set_fiscal_year(year);
  return ref;
}

}  // namespace jixiao::cli
