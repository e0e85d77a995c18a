// `jixiao template`: the blank report a scheme asks a department for, as
// JSON to fill in: every figure the scheme reads of this year's report
// present with an empty value, every checklist item listed (not met, no
// evidence), every manual indicator and every target block with an empty
// row. What is left blank reads as not given (ReadReport), so a filled-in
// template validates as it stands.

#include <iostream>
#include <memory>
#include <string>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "scoring-svc/engine/engine.h"
#include "tools/form/report_paths.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/documents.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/schemes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

struct TemplateArgs {
  std::string scheme;
  std::string department;
  int year = 0;
  std::string out;
};

v1::Report Blank(const engine::SchemeForm& form, const TemplateArgs& args) {
  v1::Report report;
  v1::Identity& identity = *report.mutable_identity();
  identity.set_department_code(args.department);
  identity.set_fiscal_year(args.year);
  for (const engine::FormInput& input : form.inputs) {
    // Every declared figure, and the standard figures read from this year's report.
    if (input.declared_figure ||
        (input.this_year && form::KindOf(input.path) == form::PathKind::kFigure)) {
      form::SetAt(report, input.path, "");
    }
  }
  report.mutable_self_evaluation()->mutable_total()->set_value("");  // 自评得分
  for (const engine::FormItem& item : form.checklist) {
    v1::ChecklistAnswer& answer = *report.add_checklist();
    answer.set_item_id(item.id);
    answer.set_met(false);
  }
  for (const engine::FormIndicator& leaf : form.manual) {
    v1::ManualScore& score = *report.add_manual_scores();
    score.set_indicator_id(leaf.id);
    score.mutable_score()->set_value("");
  }
  for (const engine::FormIndicator& leaf : form.targets) {
    v1::PerformanceTarget& row = *report.add_targets();
    row.set_indicator_id(leaf.id);
    row.set_direction(v1::PerformanceTarget::DIRECTION_AT_LEAST);
    row.mutable_target()->set_value("");
    row.mutable_actual()->set_value("");
  }
  return report;
}

int Run(const GlobalOptions& global, const TemplateArgs& args) {
  auto scheme = SchemeByName(global, args.scheme);
  if (!scheme.ok()) return StorageError(global, args.scheme, scheme.status());
  auto compiled = engine::CompileScheme(*scheme, args.scheme);
  if (!compiled.ok()) return StorageError(global, args.scheme, compiled.status());
  v1::Report report = Blank(engine::FormOf(**compiled), args);
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;  // met: false, evidence: "", ...
  return Emit(StableJson(report, options), args.out);  // figures in id order
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<TemplateArgs>();
  command
      .add_option("--scheme", args->scheme,
                  "a scheme file (.textproto), or ID[@VERSION] (built-in, or published in "
                  "--storage)")
      ->required();
  command.add_option("--department", args->department, "department code to fill in");
  command.add_option("--year", args->year, "fiscal year to fill in")->check(CLI::Range(2000, 2100));
  command.add_option("--out", args->out, "write to this file instead of standard output")
      ->check(kNamesAPath);
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kTemplateCommand = {
    "template",
    "write the blank report JSON a scheme asks for: every figure it reads (empty), every "
    "checklist item, manual indicator and target block; fill it in and validate it",
    Define};

}  // namespace jixiao::cli
