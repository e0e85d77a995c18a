// Full marks when the value meets a standard, none otherwise.

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/rules/rule.h"

namespace jixiao::engine {
namespace {

const char* Symbol(v1::Comparison comparison) {
  switch (comparison) {
    case v1::COMPARISON_AT_LEAST:
      return "≥";
    case v1::COMPARISON_AT_MOST:
      return "≤";
    default:
      return "=";
  }
}

class ThresholdRule : public Rule {
 public:
  ThresholdRule(v1::Comparison comparison, mpq_class standard)
      : comparison_(comparison), standard_(std::move(standard)) {}

  bool TakesValue() const override { return true; }

  RuleOutcome Apply(const RuleContext& context) const override {
    const mpq_class& value = *context.value;
    bool met = comparison_ == v1::COMPARISON_AT_LEAST  ? value >= standard_
               : comparison_ == v1::COMPARISON_AT_MOST ? value <= standard_
                                                       : value == standard_;
    RuleOutcome outcome;
    outcome.score = met ? context.weight : mpq_class(0);
    if (!met) {
      if (context.explain)
        outcome.deductions.push_back(absl::StrCat(
            context.measure_name, " ", context.value_text, " 未达到标准（", Symbol(comparison_),
            " ", WithUnit(standard_, context.unit), "），扣 ", Points(context.weight), " 分"));
    }
    return outcome;
  }

  std::string Describe(const std::string& unit) const override {
    return absl::StrCat(Symbol(comparison_), " ", WithUnit(standard_, unit), " 得满分，否则不得分");
  }

 private:
  const v1::Comparison comparison_;
  const mpq_class standard_;
};

}  // namespace

std::unique_ptr<Rule> CompileThreshold(const v1::ThresholdRule& rule, const mpq_class& weight,
                                       const SchemePath& at, SchemeProblems& problems) {
  bool ok = true;
  if (rule.comparison() == v1::COMPARISON_UNSPECIFIED) {
    problems.Add(at.Field("comparison"), "is required: AT_LEAST, AT_MOST or EQUAL");
    ok = false;
  }
  std::optional<mpq_class> standard = problems.Decimal(rule.standard(), at.Field("standard"));
  if (!ok || !standard) return nullptr;
  return std::make_unique<ThresholdRule>(rule.comparison(), *standard);
}

}  // namespace jixiao::engine
