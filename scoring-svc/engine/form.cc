// FormOf: what a scheme reads, as a department fills it in.

#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scoring-svc/engine/compiled_scheme.h"
#include "scoring-svc/engine/engine.h"
#include "scoring-svc/engine/field_path.h"

namespace jixiao::engine {
namespace {

// The standard form's fields, as its paper table names them, in report
// order: path, name, unit. A group's heading is the entry whose path is the
// group's own name.
struct FormField {
  const char* path;
  const char* name;
  const char* unit;
};
constexpr FormField kStandardFields[] = {
    {"budget", "部门预算", ""},
    {"budget.income", "部门预算收入", "万元"},
    {"budget.general_public_appropriation", "其中：一般公共预算拨款收入", "万元"},
    {"budget.expenditure", "部门预算支出", "万元"},
    {"budget.basic_expenditure", "其中：基本支出", "万元"},
    {"budget.project_expenditure", "其中：项目支出", "万元"},
    {"final_accounts", "部门决算", ""},
    {"final_accounts.income", "收入决算数", "万元"},
    {"final_accounts.expenditure", "支出决算数", "万元"},
    {"final_accounts.basic_expenditure", "基本支出决算数", "万元"},
    {"final_accounts.personnel", "其中：人员经费", "万元"},
    {"final_accounts.daily_public", "其中：日常公用经费", "万元"},
    {"final_accounts.project_expenditure", "项目支出决算数", "万元"},
    {"final_accounts.capital_construction", "其中：基本建设类项目支出", "万元"},
    {"carry_over", "财政拨款结转和结余", ""},
    {"carry_over.opening", "年初财政拨款结转和结余", "万元"},
    {"carry_over.closing", "年末财政拨款结转和结余", "万元"},
    {"procurement", "政府采购", ""},
    {"procurement.budget", "政府采购预算金额", "万元"},
    {"procurement.actual", "实际政府采购金额", "万元"},
    {"procurement.declared_execution_rate", "政府采购执行率申报数", "%"},
    {"three_public", "“三公”经费", ""},
    {"three_public.total.budget", "“三公”经费合计预算数", "万元"},
    {"three_public.total.actual", "“三公”经费合计决算数", "万元"},
    {"three_public.abroad.budget", "因公出国（境）费预算数", "万元"},
    {"three_public.abroad.actual", "因公出国（境）费决算数", "万元"},
    {"three_public.vehicles.budget", "公务用车购置及运行维护费预算数", "万元"},
    {"three_public.vehicles.actual", "公务用车购置及运行维护费决算数", "万元"},
    {"three_public.receptions.budget", "公务接待费预算数", "万元"},
    {"three_public.receptions.actual", "公务接待费决算数", "万元"},
    {"three_public.declared_control_rate", "“三公”经费控制率申报数", "%"},
    {"daily_public", "日常公用经费", ""},
    {"daily_public.adjusted_budget", "日常公用经费调整预算数", "万元"},
    {"daily_public.actual", "日常公用经费决算数", "万元"},
    {"daily_public.declared_control_rate", "日常公用经费控制率申报数", "%"},
    {"quarterly", "分季预算执行", ""},
    {"quarterly.q1.annual_budget", "第一季度：部门年度预算数", "万元"},
    {"quarterly.q1.cumulative_spending", "第一季度：累计支出数", "万元"},
    {"quarterly.q1.declared_progress", "第一季度：资金支出进度申报数", "%"},
    {"quarterly.q1.declared_execution_rate", "第一季度：预算执行率申报数", "%"},
    {"quarterly.q2.annual_budget", "第二季度：部门年度预算数", "万元"},
    {"quarterly.q2.cumulative_spending", "第二季度：累计支出数", "万元"},
    {"quarterly.q2.declared_progress", "第二季度：资金支出进度申报数", "%"},
    {"quarterly.q2.declared_execution_rate", "第二季度：预算执行率申报数", "%"},
    {"quarterly.q3.annual_budget", "第三季度：部门年度预算数", "万元"},
    {"quarterly.q3.cumulative_spending", "第三季度：累计支出数", "万元"},
    {"quarterly.q3.declared_progress", "第三季度：资金支出进度申报数", "%"},
    {"quarterly.q3.declared_execution_rate", "第三季度：预算执行率申报数", "%"},
    {"quarterly.q4.annual_budget", "第四季度：部门年度预算数", "万元"},
    {"quarterly.q4.cumulative_spending", "第四季度：累计支出数", "万元"},
    {"quarterly.q4.declared_progress", "第四季度：资金支出进度申报数", "%"},
    {"quarterly.q4.declared_execution_rate", "第四季度：预算执行率申报数", "%"},
    {"quarterly.declared_mean_execution_rate", "各季预算执行率平均申报数", "%"},
    {"project_expenditure", "项目支出执行率", ""},
    {"project_expenditure.adjusted_budget", "项目支出执行率：调整后预算数", "万元"},
    {"project_expenditure.actual", "项目支出执行率：决算数", "万元"},
    {"project_expenditure.declared_execution_rate", "项目支出执行率申报数", "%"},
    {"fixed_assets", "固定资产", ""},
    {"fixed_assets.in_use", "实际在用固定资产总额", "万元"},
    {"fixed_assets.total", "所有固定资产总额", "万元"},
    {"fixed_assets.declared_utilisation_rate", "固定资产利用率申报数", "%"},
    {"headcount", "人员", ""},
    {"headcount.authorised", "编制数", "人"},
    {"headcount.fiscally_supported", "财政供养人员数（在职）", "人"},
    {"headcount.hired", "聘用人员数", "人"},
    {"headcount.total", "在职人员总数", "人"},
    {"headcount.declared_fiscal_control_rate", "财政供养人员控制率申报数", "%"},
    {"headcount.declared_hired_rate", "聘用人员控制率申报数", "%"},
    {"key_tasks", "重点工作", ""},
    {"key_tasks.planned", "计划重点工作任务数", "项"},
    {"key_tasks.completed", "完成数", "项"},
    {"key_tasks.declared_completion_rate", "重点工作完成率申报数", "%"},
    {"petitions", "群众信访", ""},
    {"petitions.received", "收到信访件数", "件"},
    {"petitions.answered_in_time", "按时办结回复件数", "件"},
    {"petitions.declared_response_rate", "信访办理回复率申报数", "%"},
    {"satisfaction", "满意度", ""},
    {"satisfaction.rate", "公众或服务对象满意度", "%"},
    {"self_evaluation", "自评得分", ""},
};

// The path without its ".value" or "prior." (a FieldPath's text may be
// either form of a figure).
std::string FormPath(const FieldPath& path) {
  std::string text = path.text();
  if (absl::StartsWith(text, "prior.")) text.erase(0, 6);
  if (absl::EndsWith(text, ".value")) text.resize(text.size() - 6);
  return text;
}

}  // namespace

SchemeForm FormOf(const CompiledScheme& compiled) {
  const SchemeParts& parts = PartsOf(compiled);
  struct Reads {
    bool this_year = false, last_year = false;
    std::vector<std::string> by;
  };
  std::map<std::string, Reads> reads;
  auto add = [&reads](const FieldPath& path, const std::string& by) {
    Reads& r = reads[FormPath(path)];
    (path.prior() ? r.last_year : r.this_year) = true;
    if (r.by.empty() || r.by.back() != by) r.by.push_back(by);
  };
  for (const CompiledMeasure& m : parts.measures) {
    if (m.formula) {
      for (const FieldPath& path : m.formula->fields()) add(path, m.proto->id());
    }
    if (m.declared) add(*m.declared, m.proto->id());
  }
  for (const CompiledCheck& c : parts.checks) {
    for (const FieldPath& path : c.left.fields()) add(path, c.proto->id());
    for (const FieldPath& path : c.right.fields()) add(path, c.proto->id());
  }

  SchemeForm form;
  auto fill = [&reads](FormInput& input) {
    auto it = reads.find(input.path);
    if (it == reads.end()) return;
    input.this_year = it->second.this_year;
    input.last_year = it->second.last_year;
    input.read_by = it->second.by;
    reads.erase(it);
  };
  std::string group;
  for (const FormField& field : kStandardFields) {
    if (std::string(field.path).find('.') == std::string::npos) {
      group = field.name;
      continue;
    }
    if (reads.count(field.path) == 0) continue;
    FormInput& input = form.inputs.emplace_back();
    input.path = field.path;
    input.name = field.name;
    input.unit = field.unit;
    input.group = group;
    fill(input);
  }
  // Standard fields the table does not name (none today), by path.
  std::vector<std::string> rest;
  for (const auto& [path, unused] : reads) {
    if (!absl::StartsWith(path, "figures.")) rest.push_back(path);
  }
  for (const std::string& path : rest) {
    FormInput& input = form.inputs.emplace_back();
    input.path = path;
    input.name = path;
    input.group = path.substr(0, path.find('.'));
    fill(input);
  }
  for (const v1::FigureSpec& figure : parts.proto.figures()) {
    FormInput& input = form.inputs.emplace_back();
    input.path = absl::StrCat("figures.", figure.id());
    input.name = figure.name().empty() ? figure.id() : figure.name();
    input.unit = figure.unit();
    input.group = figure.group();
    input.note = figure.note();
    input.declared_figure = true;
    input.required = figure.required();
    fill(input);
  }

  for (const CompiledIndicator& indicator : parts.indicators) {
    const v1::Indicator& proto = *indicator.proto;
    if (!proto.children().empty()) continue;
    const v1::Rule& rule = proto.rule();
    if (rule.has_checklist()) {
      const bool deduct = rule.checklist().mode() == v1::ChecklistRule::MODE_DEDUCT;
      for (const v1::ChecklistItem& item : rule.checklist().items()) {
        form.checklist.push_back({item.id(), item.text(), deduct ? "" : item.points(),
                                  deduct ? rule.checklist().deduction() : "", proto.id(),
                                  proto.name()});
      }
    } else if (rule.has_manual()) {
      form.manual.push_back({proto.id(), proto.name(), indicator.weight_text});
    } else if (rule.has_targets()) {
      form.targets.push_back({proto.id(), proto.name(), indicator.weight_text});
    }
  }
  return form;
}

std::vector<StandardField> StandardFields() {
  std::vector<StandardField> out;
  std::string group;
  for (const FormField& field : kStandardFields) {
    if (std::string(field.path).find('.') == std::string::npos) {
      group = field.name;
      continue;
    }
    out.push_back({field.path, field.name, field.unit, group});
  }
  return out;
}

const v1::Decimal* FigureAt(const v1::Report& report, const std::string& path) {
  if (absl::StartsWith(path, "figures.")) {
    auto it = report.figures().find(path.substr(sizeof("figures.") - 1));
    return it == report.figures().end() ? nullptr : &it->second;
  }
  auto compiled = FieldPath::Compile(path, v1::Report::descriptor());
  return compiled.ok() ? compiled->Find(report) : nullptr;
}

std::string StandardFieldName(absl::string_view path) {
  for (const FormField& field : kStandardFields) {
    if (path == field.path) return field.name;
  }
  return "";
}

std::string FigureUnit(const v1::Scheme& scheme, absl::string_view path) {
  absl::ConsumePrefix(&path, "prior.");
  absl::ConsumeSuffix(&path, ".value");
  if (absl::ConsumePrefix(&path, "figures.")) {
    for (const v1::FigureSpec& spec : scheme.figures()) {
      if (path == spec.id()) return spec.unit();
    }
    return "";
  }
  for (const FormField& field : kStandardFields) {
    if (path == field.path) return field.unit;
  }
  return "";
}

}  // namespace jixiao::engine
