#include "scoring-svc/engine/rules/rule.h"

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"

namespace jixiao::engine {

std::unique_ptr<Rule> CompileRule(const v1::Rule& rule, const mpq_class& weight,
                                  const SchemePath& at, SchemeProblems& problems) {
  switch (rule.kind_case()) {
    case v1::Rule::kThreshold:
      return CompileThreshold(rule.threshold(), weight, at.Field("threshold"), problems);
    case v1::Rule::kLinearDeduction:
      return CompileLinearDeduction(rule.linear_deduction(), weight, at.Field("linear_deduction"),
                                    problems);
    case v1::Rule::kProportional:
      return CompileProportional(rule.proportional(), weight, at.Field("proportional"), problems);
    case v1::Rule::kBands:
      return CompileBands(rule.bands(), weight, at.Field("bands"), problems);
    case v1::Rule::kChecklist:
      return CompileChecklist(rule.checklist(), weight, at.Field("checklist"), problems);
    case v1::Rule::kManual:
      return CompileManual(rule.manual(), weight, at.Field("manual"), problems);
    case v1::Rule::kTargets:
      return CompileTargets(rule.targets(), weight, at.Field("targets"), problems);
    case v1::Rule::KIND_NOT_SET:
      break;
  }
  problems.Add(at,
               "a leaf indicator needs a rule: one of threshold, linear_deduction, "
               "proportional, bands, checklist, manual, targets");
  return nullptr;
}

std::string Points(const mpq_class& value) { return report::FormatShortest(value, 4); }

std::string WithUnit(const mpq_class& value, const std::string& unit) {
  return report::WithUnit(Points(value), unit);
}

std::string Difference(const mpq_class& value, const std::string& unit) {
  if (unit == "%") return absl::StrCat(Points(value), " 个百分点");
  return unit.empty() ? Points(value) : absl::StrCat(Points(value), " ", unit);
}

mpq_class Clamp(const mpq_class& score, const mpq_class& weight) {
  if (score < 0) return 0;
  if (score > weight) return weight;
  return score;
}

v1::Finding& AddFinding(std::vector<v1::Finding>& findings, v1::Severity severity, std::string code,
                        std::string subject, std::string field_path, std::string message) {
  v1::Finding& finding = findings.emplace_back();
  finding.set_severity(severity);
  finding.set_code(std::move(code));
  finding.set_subject(std::move(subject));
  finding.set_field_path(std::move(field_path));
  finding.set_message(std::move(message));
  return finding;
}

}  // namespace jixiao::engine
