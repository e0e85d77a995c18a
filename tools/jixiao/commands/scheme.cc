// `jixiao scheme`: the schemes there are (`list`: the built-in one and
// those published in storage-svc, with the years each scores) and what one
// asks for (`show`: the form a department fills for it).

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/schemes.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/text_table.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;
using google::protobuf::Struct;
using google::protobuf::Value;

void Set(Struct& object, const std::string& key, const std::string& text) {
  (*object.mutable_fields())[key].set_string_value(text);
}
void Set(Struct& object, const std::string& key, double number) {
  (*object.mutable_fields())[key].set_number_value(number);
}
void Set(Struct& object, const std::string& key, bool flag) {
  (*object.mutable_fields())[key].set_bool_value(flag);
}
google::protobuf::ListValue& List(Struct& object, const std::string& key) {
  return *(*object.mutable_fields())[key].mutable_list_value();
}

// --- list ---------------------------------------------------------------

int RunList(const GlobalOptions& global) {
  struct Row {
    std::string id, name;
    int version = 0;
    bool built_in = false;
    std::vector<int> years;
  };
  std::map<std::pair<std::string, int>, Row> rows;
  const v1::Scheme& built_in = engine::DefaultScheme()->proto();
  rows[{built_in.id(), built_in.version()}] = {
      built_in.id(), built_in.name(), built_in.version(), true, {}};
  if (!global.client.storage.empty()) {
    StorageClient client(global.client);
    v1::ListStoredSchemesRequest list;
    list.set_page_size(100);
    absl::StatusOr<std::string> read =
        ReadPages(client, &Stub::ListSchemes, list, /*all=*/true,
                  [&](const v1::ListStoredSchemesResponse& page) {
                    for (const v1::Scheme& scheme : page.schemes()) {
                      Row& row = rows[{scheme.id(), scheme.version()}];
                      row.id = scheme.id();
                      row.version = scheme.version();
                      row.name = scheme.name();
                    }
                  });
    if (!read.ok()) return StorageError(global, "scheme list", read.status());
    v1::ListSchemeAssignmentsResponse assignments;
    absl::Status status =
        client.Call(&Stub::ListSchemeAssignments, v1::ListSchemeAssignmentsRequest(), assignments);
    if (!status.ok()) return StorageError(global, "scheme list", status);
    for (const v1::SchemeAssignment& a : assignments.assignments()) {
      rows[{a.scheme_id(), a.scheme_version()}].years.push_back(a.fiscal_year());
    }
  }
  if (global.output == "json") {
    Struct out;
    auto& list = List(out, "schemes");
    for (const auto& [key, row] : rows) {
      Struct& item = *list.add_values()->mutable_struct_value();
      Set(item, "id", row.id);
      Set(item, "version", static_cast<double>(row.version));
      Set(item, "name", row.name);
      Set(item, "built_in", row.built_in);
      auto& years = List(item, "years");
      for (int year : row.years) years.add_values()->set_number_value(year);
    }
    std::cout << ToJson(out, true);
    return kOk;
  }
  TextTable table({"指标体系", "名称", "来源", "评价年度"});
  for (const auto& [key, row] : rows) {
    table.AddRow({absl::StrCat(row.id, "@", row.version), row.name,
                  row.built_in ? "内置" : "已发布", absl::StrJoin(row.years, ", ")});
  }
  table.Print(std::cout);
  if (global.client.storage.empty()) {
    std::cout << "(only the built-in scheme: pass --storage to list those published)\n";
  }
  return kOk;
}

// --- show ---------------------------------------------------------------

std::string Reads(const engine::FormInput& input) {
  if (input.this_year && input.last_year) return "本年、上年";
  if (input.last_year) return "上年";
  if (input.this_year) return "本年";
  return "（未引用）";
}

Struct FormJson(const v1::Scheme& scheme, const engine::SchemeForm& form) {
  Struct out;
  Set(out, "scheme", absl::StrCat(scheme.id(), "@", scheme.version()));
  Set(out, "name", scheme.name());
  auto& inputs = List(out, "inputs");
  for (const engine::FormInput& input : form.inputs) {
    Struct& item = *inputs.add_values()->mutable_struct_value();
    Set(item, "path", input.path);
    Set(item, "name", input.name);
    Set(item, "unit", input.unit);
    Set(item, "group", input.group);
    Set(item, "note", input.note);
    Set(item, "declared_figure", input.declared_figure);
    Set(item, "required", input.required);
    Set(item, "this_year", input.this_year);
    Set(item, "last_year", input.last_year);
    auto& by = List(item, "read_by");
    for (const std::string& id : input.read_by) by.add_values()->set_string_value(id);
  }
  auto& checklist = List(out, "checklist");
  for (const engine::FormItem& f : form.checklist) {
    Struct& item = *checklist.add_values()->mutable_struct_value();
    Set(item, "id", f.id);
    Set(item, "text", f.text);
    Set(item, "points", f.points);
    Set(item, "deduction", f.deduction);
    Set(item, "indicator_id", f.indicator_id);
  }
  for (const auto& [key, leaves] :
       {std::pair{"manual", &form.manual}, std::pair{"targets", &form.targets}}) {
    auto& list = List(out, key);
    for (const engine::FormIndicator& leaf : *leaves) {
      Struct& item = *list.add_values()->mutable_struct_value();
      Set(item, "indicator_id", leaf.id);
      Set(item, "name", leaf.name);
      Set(item, "weight", leaf.weight);
    }
  }
  return out;
}

void PrintForm(const v1::Scheme& scheme, const engine::SchemeForm& form, std::ostream& out) {
  out << scheme.id() << "@" << scheme.version() << "  " << scheme.name() << "\n";
  if (!scheme.description().empty()) out << scheme.description() << "\n";
  out << "\n一、填报数据（" << form.inputs.size() << " 项；上年：取自上年报告，无需重复填写）\n";
  std::string group = "\x01";
  for (const engine::FormInput& input : form.inputs) {
    if (input.group != group) {
      group = input.group;
      out << "【" << (group.empty() ? "其他" : group) << "】\n";
    }
    out << "  " << input.path << "  " << input.name;
    if (!input.unit.empty()) out << "（" << input.unit << "）";
    out << "  " << Reads(input);
    if (input.declared_figure) out << (input.required ? "  必填" : "  选填");
    if (!input.read_by.empty()) out << "  用于 " << absl::StrJoin(input.read_by, "、");
    out << "\n";
    if (!input.note.empty()) out << "      " << input.note << "\n";
  }
  out << "\n二、定性项目（checklist：逐项填写是否达到及佐证，" << form.checklist.size()
      << " 项）\n";
  for (const engine::FormItem& item : form.checklist) {
    out << "  " << item.id << "  " << item.text;
    if (!item.points.empty()) out << "（" << item.points << " 分）";
    if (!item.deduction.empty()) out << "（未满足扣 " << item.deduction << " 分）";
    out << "  〔" << item.indicator_name << "〕\n";
  }
  out << "\n三、人工评分指标（manual_scores：分数及理由，" << form.manual.size() << " 项）\n";
  for (const engine::FormIndicator& leaf : form.manual) {
    out << "  " << leaf.id << "  " << leaf.name << "（" << leaf.weight << " 分）\n";
  }
  out << "\n四、绩效目标（targets：每行 名称、≥/≤/=、目标值、单位、实际值，" << form.targets.size()
      << " 个指标）\n";
  for (const engine::FormIndicator& leaf : form.targets) {
    out << "  " << leaf.id << "  " << leaf.name << "（" << leaf.weight << " 分）\n";
  }
}

int RunShow(const GlobalOptions& global, const std::string& name) {
  auto scheme = SchemeByName(global, name);
  if (!scheme.ok()) return StorageError(global, name, scheme.status());
  auto compiled = engine::CompileScheme(*scheme, name);
  if (!compiled.ok()) return StorageError(global, name, compiled.status());
  engine::SchemeForm form = engine::FormOf(**compiled);
  if (global.output == "json") {
    std::cout << ToJson(FormJson(*scheme, form), true);
  } else {
    PrintForm(*scheme, form, std::cout);
  }
  return kOk;
}

CommandRun DefineList(CLI::App&) {
  return [](const GlobalOptions& global) { return RunList(global); };
}

CommandRun DefineShow(CLI::App& command) {
  auto name = std::make_shared<std::string>();
  command
      .add_option("scheme", *name,
                  "a scheme file (.textproto), or ID[@VERSION] (built-in, or published in "
                  "--storage)")
      ->required();
  return [name](const GlobalOptions& global) { return RunShow(global, *name); };
}

const Command kSchemeListCommand = {
    "list", "the built-in scheme and those published in storage-svc, with the years each scores",
    DefineList};
const Command kSchemeShowCommand = {
    "show",
    "the form a scheme asks a department to fill: every report field and declared figure it "
    "reads (grouped, with names and units; last year's marked 上年), checklist items, manual "
    "indicators and target blocks",
    DefineShow};
const Command* const kSchemeCommands[] = {&kSchemeListCommand, &kSchemeShowCommand};

CommandRun Define(CLI::App& command) {
  command.require_subcommand(1);
  return AddCommands(command, kSchemeCommands);
}

}  // namespace

const Command kSchemeCommand = {
    "scheme", "list the schemes, or show the form one asks a department to fill", Define};

}  // namespace jixiao::cli
