#include "scoring-svc/engine/checks.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/measures.h"

namespace jixiao::engine {
namespace {

// The most decimals among a formula's inputs, for display.
int DisplayDecimals(const std::vector<FormulaInput>& inputs) {
  int decimals = 0;
  for (const FormulaInput& input : inputs) {
    absl::StatusOr<report::ReportedDecimal> parsed = report::ParseDecimal(input.value);
    if (parsed.ok()) decimals = std::max(decimals, parsed->decimals);
  }
  return decimals;
}

// Whether some values within the two ranges satisfy the comparison.
bool Holds(v1::Comparison comparison, const Interval& left, const Interval& right) {
  if (!left.bounded || !right.bounded) return true;
  switch (comparison) {
    case v1::COMPARISON_AT_MOST:
      return left.lower <= right.upper;
    case v1::COMPARISON_AT_LEAST:
      return left.upper >= right.lower;
    default:
      return Overlaps(left, right);
  }
}

const char* Relation(v1::Comparison comparison) {
  switch (comparison) {
    case v1::COMPARISON_AT_MOST:
      return "≤";
    case v1::COMPARISON_AT_LEAST:
      return "≥";
    default:
      return "=";
  }
}

}  // namespace

void RunChecks(const SchemeParts& scheme, const ReportInputs& reports,
               const std::vector<MeasureValues>& measures, bool explain,
               std::vector<v1::Finding>& findings) {
  auto verified = [&measures](int ref, std::string* display) -> const Evaluation& {
    *display = measures[ref].verified_ref_text;
    return measures[ref].verified_ref;
  };
  for (const CompiledCheck& check : scheme.checks) {
    std::vector<FormulaInput> left_inputs, right_inputs;
    Evaluation left = check.left.Evaluate(reports, verified, explain ? &left_inputs : nullptr);
    Evaluation right = check.right.Evaluate(reports, verified, explain ? &right_inputs : nullptr);
    v1::Finding finding;
    finding.set_subject(check.proto->id());
    // Without `explain`, severity, code and subject alone.
    if (!left.ok() || !right.ok()) {
      finding.set_severity(v1::SEVERITY_INFO);
      finding.set_code("check_skipped");
      if (explain) {
        std::vector<std::string> why;
        if (!left.ok()) why.push_back(left.WhyUnavailable());
        if (!right.ok()) why.push_back(right.WhyUnavailable());
        finding.set_field_path(check.proto->right());
        finding.set_message(
            absl::StrCat(check.proto->name(), "：未核对，", absl::StrJoin(why, "；")));
      }
      findings.push_back(std::move(finding));
      continue;
    }
    if (Holds(check.proto->comparison(), *left.value, *right.value)) continue;
    finding.set_severity(check.severity);
    finding.set_code("check_failed");
    if (!explain) {
      findings.push_back(std::move(finding));
      continue;
    }
    finding.set_field_path(check.proto->right());
    int left_decimals = DisplayDecimals(left_inputs);
    int right_decimals = DisplayDecimals(right_inputs);
    int decimals = std::max(left_decimals, right_decimals);
    std::string left_text = report::FormatFixed(left.value->value.mpq(), left_decimals);
    std::string right_text = report::FormatFixed(right.value->value.mpq(), right_decimals);
    // "核对“NAME”未通过：A 为 x，B 为 y，相差 d，不是数字舍入所致", with A's
    // inputs in brackets where A is a formula rather than one figure. The
    // name says what should hold, so it is quoted, not asserted.
    const std::string& left_formula = check.proto->left();
    bool left_is_a_figure = left_inputs.size() == 1 && left_inputs[0].path == left_formula;
    mpq_class difference = (left.value->value - right.value->value).mpq();
    if (difference < 0) difference = -difference;
    finding.set_message(absl::StrCat(
        "核对“", check.proto->name(), "”未通过：", left_formula, " 为 ",
        report::WithUnit(left_text, check.unit),
        left_is_a_figure ? "" : absl::StrCat("（", DescribeInputs(scheme, left_inputs), "）"), "，",
        check.proto->right(), " 为 ", report::WithUnit(right_text, check.unit), "，",
        check.proto->comparison() == v1::COMPARISON_AT_MOST ||
                check.proto->comparison() == v1::COMPARISON_AT_LEAST
            ? absl::StrCat("不满足 ", Relation(check.proto->comparison()), "（已计入舍入误差）")
            : absl::StrCat("相差 ",
                           report::WithUnit(report::FormatFixed(difference, decimals), check.unit),
                           "，不是数字舍入所致")));
    // A formula against a figure: the figure is what was declared, the
    // formula's value what it computes. Two figures: neither is computed,
    // and the message gives both.
    if (!left_is_a_figure) {
      finding.set_declared(right_text);
      finding.set_computed(left_text);
    }
    finding.set_tolerance(absl::StrCat("左边应在 ", DescribeRange(*left.value, decimals + 1),
                                       " 内，右边代表 ",
                                       DescribeRange(*right.value, decimals + 1)));
    findings.push_back(std::move(finding));
  }
}

}  // namespace jixiao::engine
