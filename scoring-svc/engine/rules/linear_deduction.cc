// Linear deduction from a standard: "每低于一个百分点扣 0.1 分，扣完为止".

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/rules/rule.h"

namespace jixiao::engine {
namespace {

using Direction = v1::LinearDeductionRule::Direction;
using Steps = v1::LinearDeductionRule::Steps;

mpz_class Floor(const mpq_class& q) {
  mpz_class result;
  mpz_fdiv_q(result.get_mpz_t(), q.get_num_mpz_t(), q.get_den_mpz_t());
  return result;
}

mpz_class Ceil(const mpq_class& q) {
  mpz_class result;
  mpz_cdiv_q(result.get_mpz_t(), q.get_num_mpz_t(), q.get_den_mpz_t());
  return result;
}

class LinearDeductionRule : public Rule {
 public:
  LinearDeductionRule(mpq_class standard, Direction direction, mpq_class points, mpq_class step,
                      Steps steps)
      : standard_(std::move(standard)),
        below_(direction != v1::LinearDeductionRule::DIRECTION_DEDUCT_ABOVE),
        points_(std::move(points)),
        step_(std::move(step)),
        steps_(steps) {}

  bool TakesValue() const override { return true; }

  RuleOutcome Apply(const RuleContext& context) const override {
    RuleOutcome outcome;
    mpq_class shortfall = below_ ? standard_ - *context.value : *context.value - standard_;
    if (shortfall <= 0) {
      outcome.score = context.weight;
      return outcome;
    }
    mpq_class steps = shortfall / step_;
    if (steps_ == v1::LinearDeductionRule::STEPS_WHOLE) steps = Floor(steps);
    if (steps_ == v1::LinearDeductionRule::STEPS_STARTED) steps = Ceil(steps);
    mpq_class deduction = steps * points_;
    outcome.score = Clamp(context.weight - deduction, context.weight);
    mpq_class lost = context.weight - outcome.score;
    if (lost > 0) {
      if (context.explain)
        outcome.deductions.push_back(
            absl::StrCat(context.measure_name, " ", context.value_text, below_ ? " 低于" : " 高于",
                         "标准 ", WithUnit(standard_, context.unit),
                         // "低于标准 100% 5.41 个百分点"; "高于标准 0 个，相差 2 个"
                         context.unit == "%" ? " " : "，相差 ", Difference(shortfall, context.unit),
                         "，", Rate(context.unit), "，扣 ", Points(lost), " 分",
                         deduction > context.weight ? "（扣完为止）" : ""));
    }
    return outcome;
  }

  std::string Describe(const std::string& unit) const override {
    return absl::StrCat(below_ ? "≥ " : "≤ ", WithUnit(standard_, unit), " 得满分；", Rate(unit),
                        "，扣完为止");
  }

 private:
  std::string Rate(const std::string& unit) const {
    const char* counting = steps_ == v1::LinearDeductionRule::STEPS_WHOLE ? "（满一档才扣）"
                           : steps_ == v1::LinearDeductionRule::STEPS_STARTED ? "（不足一档按一档）"
                                                                              : "";
    return absl::StrCat("每", below_ ? "低" : "高", " ", Difference(step_, unit), "扣 ",
                        Points(points_), " 分", counting);
  }

  const mpq_class standard_;
  const bool below_;
  const mpq_class points_;
  const mpq_class step_;
  const Steps steps_;
};

}  // namespace

std::unique_ptr<Rule> CompileLinearDeduction(const v1::LinearDeductionRule& rule,
                                             const mpq_class& weight, const SchemePath& at,
                                             SchemeProblems& problems) {
  bool ok = true;
  if (rule.direction() == v1::LinearDeductionRule::DIRECTION_UNSPECIFIED) {
    problems.Add(at.Field("direction"), "is required: DEDUCT_BELOW or DEDUCT_ABOVE");
    ok = false;
  }
  std::optional<mpq_class> standard = problems.Decimal(rule.standard(), at.Field("standard"));
  std::optional<mpq_class> points = problems.Decimal(rule.points(), at.Field("points"));
  if (points && *points <= 0) {
    problems.Add(at.Field("points"), "must be greater than 0");
    ok = false;
  }
  mpq_class step = 1;
  if (!rule.step().empty()) {
    std::optional<mpq_class> parsed = problems.Decimal(rule.step(), at.Field("step"));
    if (!parsed) {
      ok = false;
    } else if (*parsed <= 0) {
      problems.Add(at.Field("step"), "must be greater than 0");
      ok = false;
    } else {
      step = *parsed;
    }
  }
  if (!ok || !standard || !points) return nullptr;
  return std::make_unique<LinearDeductionRule>(*standard, rule.direction(), *points, step,
                                               rule.steps());
}

}  // namespace jixiao::engine
