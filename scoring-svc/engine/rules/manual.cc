// Manual: a reviewer's (or the department's self-assessed) score within
// [0, weight], with a reason, from the report's manual_scores. The scorer
// checks the range before rules run (score_report.cc).

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/rules/rule.h"

namespace jixiao::engine {
namespace {

class ManualRule : public Rule {
 public:
  bool TakesValue() const override { return false; }

  RuleOutcome Apply(const RuleContext& context) const override {
    RuleOutcome outcome;
    const v1::ManualScore* manual = nullptr;
    for (const v1::ManualScore& m : context.report->manual_scores()) {
      if (m.indicator_id() == context.indicator_id) manual = &m;
    }
    absl::StatusOr<report::ReportedDecimal> score =
        manual ? report::ParseDecimal(manual->score().value())
               : absl::StatusOr<report::ReportedDecimal>();
    if (manual == nullptr || !score.ok()) {
      outcome.score = 0;
      if (context.explain) outcome.deductions.push_back("尚无人工评分，暂计 0 分");
      AddFinding(outcome.findings, v1::SEVERITY_WARNING, "manual_score_missing",
                 context.indicator_id, "manual_scores",
                 absl::StrCat("指标 ", context.indicator_id, " 需人工评分，报告中没有"));
      return outcome;
    }
    outcome.score = Clamp(score->value, context.weight);
    mpq_class lost = context.weight - outcome.score;
    if (lost > 0) {
      std::string by =
          manual->assessor().empty() ? "" : absl::StrCat("（", manual->assessor(), "）");
      if (context.explain)
        outcome.deductions.push_back(
            absl::StrCat("人工评分扣 ", Points(lost), " 分：", manual->reason(), by));
    }
    return outcome;
  }

  std::string Describe(const std::string&) const override {
    return "人工评分，0 至满分之间，须注明理由";
  }
};

}  // namespace

std::unique_ptr<Rule> CompileManual(const v1::ManualRule&, const mpq_class&, const SchemePath&,
                                    SchemeProblems&) {
  return std::make_unique<ManualRule>();
}

}  // namespace jixiao::engine
