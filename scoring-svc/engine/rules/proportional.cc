// Proportional: score = weight × min(value / standard, 1)
// ("按完成比例计算得分，满分为止").

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/rules/rule.h"

namespace jixiao::engine {
namespace {

class ProportionalRule : public Rule {
 public:
  explicit ProportionalRule(mpq_class standard) : standard_(std::move(standard)) {}

  bool TakesValue() const override { return true; }

  RuleOutcome Apply(const RuleContext& context) const override {
    RuleOutcome outcome;
    outcome.score = Clamp(context.weight * *context.value / standard_, context.weight);
    mpq_class lost = context.weight - outcome.score;
    if (lost > 0) {
      if (context.explain)
        outcome.deductions.push_back(absl::StrCat(context.measure_name, " ", context.value_text,
                                                  " 未达到标准 ", WithUnit(standard_, context.unit),
                                                  "，按完成比例得分，扣 ", Points(lost), " 分"));
    }
    return outcome;
  }

  std::string Describe(const std::string& unit) const override {
    return absl::StrCat("按完成比例得分：分值 × 实际值 ÷ ", WithUnit(standard_, unit),
                        "，满分为止");
  }

 private:
  const mpq_class standard_;
};

}  // namespace

std::unique_ptr<Rule> CompileProportional(const v1::ProportionalRule& rule, const mpq_class& weight,
                                          const SchemePath& at, SchemeProblems& problems) {
  std::optional<mpq_class> standard = problems.Decimal(rule.standard(), at.Field("standard"));
  if (!standard) return nullptr;
  if (*standard <= 0) {
    problems.Add(at.Field("standard"), "must be greater than 0 (it divides the value)");
    return nullptr;
  }
  return std::make_unique<ProportionalRule>(*standard);
}

}  // namespace jixiao::engine
