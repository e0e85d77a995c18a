// Scoring rules: how a leaf indicator turns its value into points.
//
// One file per rule kind (threshold.cc, linear_deduction.cc, ...), each with
// a Compile function that checks the rule's parameters when the scheme is
// loaded, and a Rule whose Apply is pure arithmetic on exact rationals.
// Every Apply returns a score within [0, weight] and a reason for every point
// lost. Thread-safe: rules are immutable after compilation.

#ifndef JIXIAO_SCORING_SVC_ENGINE_RULES_RULE_H_
#define JIXIAO_SCORING_SVC_ENGINE_RULES_RULE_H_

#include <gmpxx.h>

#include <memory>
#include <string>
#include <vector>

#include "common/report/decimal.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/scheme.pb.h"
#include "jixiao/v1/score_card.pb.h"
#include "scoring-svc/engine/scheme_problems.h"

namespace jixiao::engine {

struct RuleContext {
  // The scored value as displayed (rounded to the measure's decimals); null
  // for rules that take no value (checklist, manual) and when the value is
  // unavailable.
  const mpq_class* value = nullptr;
  std::string value_text;    // "88.53%", for reasons
  std::string measure_name;  // "政府采购执行率"
  std::string unit;          // "%"
  mpq_class weight;
  const v1::Report* report = nullptr;
  std::string indicator_id;
  // False for a summary card: the score alone, no reason strings.
  bool explain = true;
};

struct RuleOutcome {
  mpq_class score;                      // exact, within [0, weight]
  std::vector<std::string> deductions;  // why each point was lost
  std::vector<v1::ChecklistItemResult> items;
  std::vector<v1::TargetResult> targets;
  std::vector<v1::Finding> findings;
};

class Rule {
 public:
  virtual ~Rule() = default;
  // Whether the indicator must name a measure (false: checklist, manual,
  // targets).
  virtual bool TakesValue() const = 0;
  // Called only with a value when TakesValue().
  virtual RuleOutcome Apply(const RuleContext& context) const = 0;
  // The rule in words, for the score card, with the measure's `unit`:
  // "≥ 100% 得满分；每低 1 个百分点扣 0.1 分，扣完为止".
  virtual std::string Describe(const std::string& unit) const = 0;
};

// Compiles `rule` for an indicator of `weight`. Reports each bad parameter
// to `problems` at its place under `at`, and returns null if there was any.
std::unique_ptr<Rule> CompileRule(const v1::Rule& rule, const mpq_class& weight,
                                  const SchemePath& at, SchemeProblems& problems);

// Per kind; called by CompileRule.
std::unique_ptr<Rule> CompileThreshold(const v1::ThresholdRule&, const mpq_class& weight,
                                       const SchemePath&, SchemeProblems&);
std::unique_ptr<Rule> CompileLinearDeduction(const v1::LinearDeductionRule&,
                                             const mpq_class& weight, const SchemePath&,
                                             SchemeProblems&);
std::unique_ptr<Rule> CompileProportional(const v1::ProportionalRule&, const mpq_class& weight,
                                          const SchemePath&, SchemeProblems&);
std::unique_ptr<Rule> CompileBands(const v1::BandsRule&, const mpq_class& weight, const SchemePath&,
                                   SchemeProblems&);
std::unique_ptr<Rule> CompileChecklist(const v1::ChecklistRule&, const mpq_class& weight,
                                       const SchemePath&, SchemeProblems&);
std::unique_ptr<Rule> CompileManual(const v1::ManualRule&, const mpq_class& weight,
                                    const SchemePath&, SchemeProblems&);
std::unique_ptr<Rule> CompileTargets(const v1::TargetsRule&, const mpq_class& weight,
                                     const SchemePath&, SchemeProblems&);

// Shared by the rule kinds.
// Writes a score or parameter with no trailing zeros: "0.1", "2", "1.147".
std::string Points(const mpq_class& value);
// A value with its unit: "100%", "3 万元", "5".
std::string WithUnit(const mpq_class& value, const std::string& unit);
// A difference with its unit: "1.91 个百分点" for "%", "3 万元" otherwise.
std::string Difference(const mpq_class& value, const std::string& unit);
// Clamps to [0, weight].
mpq_class Clamp(const mpq_class& score, const mpq_class& weight);
// Appends a finding of `severity` and `code` about `subject` (an indicator,
// measure, item or figure id) and the report field `field_path`.
v1::Finding& AddFinding(std::vector<v1::Finding>& findings, v1::Severity severity, std::string code,
                        std::string subject, std::string field_path, std::string message);

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_RULES_RULE_H_
