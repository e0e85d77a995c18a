// ScoreReport and ValidateReport: measures, checks, indicators, totals,
// grade and findings for one report.
//
// Rounding: a rule is applied to the measure's value as displayed (rounded
// to the measure's decimals), so a reader can check every score from the
// table; each leaf score is rounded once to the scheme's score_decimals, and
// the totals are sums of the rounded leaf scores, so the table adds up.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/check_report.h"
#include "common/report/decimal.h"
#include "common/report/field_violations.h"
#include "common/report/labels.h"
#include "scoring-svc/engine/checks.h"
#include "scoring-svc/engine/compiled_scheme.h"
#include "scoring-svc/engine/engine.h"
#include "scoring-svc/engine/figure_cache.h"
#include "scoring-svc/engine/measures.h"

namespace jixiao::engine {
namespace {

// The code of a finding for a figure the scheme does not declare.

// Report.figures against Scheme.figures: a figure the scheme does not
// declare is an error (a bureau's form was filled for another table, or an
// id is misspelt); a required one missing, a warning. In id order.
void AddFigureFindings(const v1::Report& report, const SchemeParts& scheme,
                       std::vector<v1::Finding>& findings) {
  std::vector<const std::string*> undeclared;
  for (const auto& [id, figure] : report.figures()) {
    if (!scheme.figure_ids.contains(id)) undeclared.push_back(&id);
  }
  std::sort(undeclared.begin(), undeclared.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* id : undeclared) {
    AddFinding(findings, v1::SEVERITY_ERROR, report::kFigureUndeclaredCode, *id,
               absl::StrCat("figures.", *id),
               absl::StrCat("数据项 figures.", *id, " 不在指标体系 ", scheme.proto.id(),
                            " 中：请核对编码，或改用该指标体系的填报模板"));
  }
  for (const v1::FigureSpec& spec : scheme.proto.figures()) {
    if (!spec.required() || report.figures().contains(spec.id())) continue;
    AddFinding(findings, v1::SEVERITY_WARNING, "figure_missing", spec.id(),
               absl::StrCat("figures.", spec.id()),
               absl::StrCat("必填数据项 ", spec.name(), "（figures.", spec.id(), "）未填报"));
  }
}

// Checks that depend on the scheme: manual scores name manual indicators
// and lie within their weight.
absl::Status CheckAgainstScheme(const v1::Report& report, const SchemeParts& scheme,
                                std::vector<v1::Finding>& findings) {
  std::vector<report::FieldViolation> violations;
  for (int i = 0; i < report.manual_scores_size(); ++i) {
    const v1::ManualScore& m = report.manual_scores(i);
    std::string at = absl::StrCat("manual_scores[", i, "]");
    auto it = scheme.indicator_index.find(m.indicator_id());
    if (it == scheme.indicator_index.end() ||
        !scheme.indicators[it->second].proto->rule().has_manual()) {
      violations.push_back(
          {at + ".indicator_id",
           absl::StrCat("scheme ", scheme.proto.id(), " v", scheme.proto.version(),
                        " has no manually scored indicator \"", m.indicator_id(), "\"")});
      continue;
    }
    const mpq_class& weight = scheme.indicators[it->second].weight;
    absl::StatusOr<report::ReportedDecimal> score = report::ParseDecimal(m.score().value());
    if (score.ok() && score->value > weight) {
      violations.push_back(
          {at + ".score.value", absl::StrCat("must lie within [0, ", Points(weight),
                                             "], the weight of ", m.indicator_id())});
    }
  }
  if (!violations.empty()) {
    return report::InvalidArgumentWithViolations(
        absl::StrCat("report's manual scores do not fit scheme ", scheme.proto.id()), violations);
  }
  for (int i = 0; i < report.checklist_size(); ++i) {
    if (scheme.checklist_item_ids.contains(report.checklist(i).item_id())) continue;
    AddFinding(findings, v1::SEVERITY_WARNING, "checklist_unknown_item",
               report.checklist(i).item_id(), absl::StrCat("checklist[", i, "].item_id"),
               absl::StrCat("清单项 ", report.checklist(i).item_id(), " 不在指标体系 ",
                            scheme.proto.id(), " 中，未计分"));
  }
  for (int i = 0; i < report.narrative().indicators_size(); ++i) {
    const std::string& id = report.narrative().indicators(i).indicator_id();
    if (scheme.indicator_index.contains(id)) continue;
    AddFinding(findings, v1::SEVERITY_WARNING, "text_unknown_indicator", id,
               absl::StrCat("narrative.indicators[", i, "].indicator_id"),
               absl::StrCat("报告中写在指标 ", id, " 下的文字，在指标体系 ", scheme.proto.id(),
                            " 中没有这一指标，文档不会印出"));
  }
  for (int i = 0; i < report.targets_size(); ++i) {
    const std::string& id = report.targets(i).indicator_id();
    auto it = scheme.indicator_index.find(id);
    if (it != scheme.indicator_index.end() &&
        scheme.indicators[it->second].proto->rule().has_targets()) {
      continue;
    }
    AddFinding(findings, v1::SEVERITY_WARNING, "target_unknown_indicator", id,
               absl::StrCat("targets[", i, "].indicator_id"),
               absl::StrCat("绩效目标“", report.targets(i).name(), "”所属指标 ", id, " 在指标体系 ",
                            scheme.proto.id(), " 中不按绩效目标计分，未计分"));
  }
  AddFigureFindings(report, scheme, findings);
  return absl::OkStatus();
}

struct Evaluated {
  std::vector<v1::Finding> findings;
  std::vector<MeasureValues> measures;
};

// Last year's report: checked as a report is, and of the same department
// for the year before.
absl::Status CheckPrior(const v1::Report& report, const v1::Report& prior) {
  if (absl::Status status = report::CheckReport(prior); !status.ok()) {
    return report::PrefixFields(status, "prior.");
  }
  std::vector<report::FieldViolation> violations;
  if (prior.identity().department_code() != report.identity().department_code()) {
    violations.push_back({"prior.identity.department_code",
                          absl::StrCat("is \"", prior.identity().department_code(),
                                       "\"; last year's report must be of the same department, \"",
                                       report.identity().department_code(), "\"")});
  }
  if (prior.identity().fiscal_year() != report.identity().fiscal_year() - 1) {
    violations.push_back(
        {"prior.identity.fiscal_year",
         absl::StrCat("is ", prior.identity().fiscal_year(), "; last year's report ", "is of ",
                      report.identity().fiscal_year() - 1)});
  }
  if (violations.empty()) return absl::OkStatus();
  return report::InvalidArgumentWithViolations("prior report is not last year's", violations);
}

absl::StatusOr<Evaluated> Evaluate(const v1::Report& report, const v1::Report* prior,
                                   const SchemeParts& scheme, bool explain) {
  if (absl::Status status = report::CheckReport(report); !status.ok()) return status;
  if (prior != nullptr) {
    if (absl::Status status = CheckPrior(report, *prior); !status.ok()) return status;
  }
  Evaluated result;
  if (absl::Status status = CheckAgainstScheme(report, scheme, result.findings); !status.ok()) {
    return status;
  }
  if (prior == nullptr && !scheme.prior_paths.empty()) {
    AddFinding(result.findings, v1::SEVERITY_WARNING, "prior_missing", scheme.proto.id(),
               scheme.prior_paths.front(),
               absl::StrCat("上年报告缺失：指标体系 ", scheme.proto.id(), " 需要上年数据（",
                            absl::StrJoin(scheme.prior_paths, "、"), "），依据它们的指标无法计算"));
  }
  FigureCache figures(scheme.field_slots.size());
  const ReportInputs reports{&report, prior, &figures};
  result.measures = EvaluateMeasures(scheme, reports, explain, result.findings);
  RunChecks(scheme, reports, result.measures, explain, result.findings);
  return result;
}

void SortFindings(std::vector<v1::Finding>& findings) {
  std::stable_sort(
      findings.begin(), findings.end(),
      [](const v1::Finding& a, const v1::Finding& b) { return a.severity() > b.severity(); });
}

// Scores one leaf indicator into `out`; returns its exact score.
mpq_class ScoreLeaf(const CompiledIndicator& indicator, const SchemeParts& scheme,
                    const std::vector<MeasureValues>& measures, const v1::Report& report,
                    bool explain, v1::IndicatorResult& out, std::vector<v1::Finding>& findings) {
  RuleContext context;
  context.explain = explain;
  context.weight = indicator.weight;
  context.report = &report;
  context.indicator_id = indicator.proto->id();
  mpq_class value;
  std::string unit;
  if (indicator.measure >= 0) {
    const CompiledMeasure& measure = scheme.measures[indicator.measure];
    const MeasureValues& values = measures[indicator.measure];
    unit = measure.proto->unit();
    context.measure_name = measure.proto->name();
    context.unit = unit;
    out.set_measure_id(measure.proto->id());
    bool declared = indicator.basis == v1::VALUE_BASIS_DECLARED && values.declared.ok();
    out.set_basis(declared ? v1::VALUE_BASIS_DECLARED : v1::VALUE_BASIS_VERIFIED);
    const Evaluation& chosen = declared ? values.declared : values.verified;
    if (!chosen.ok()) {
      if (!explain) return 0;
      out.set_rule(indicator.rule_text);
      out.add_deductions(absl::StrCat("无法取得 ", measure.proto->name(), " 的数值（",
                                      chosen.WhyUnavailable(), "），扣 ", indicator.weight_text,
                                      " 分"));
      return 0;
    }
    int decimals = measure.proto->decimals();
    value = chosen.value->value.RoundedHalfUp(decimals).mpq();
    context.value = &value;
    if (explain) {
      bool as_written = declared || values.status == v1::MEASURE_STATUS_CONFIRMED ||
                        values.status == v1::MEASURE_STATUS_DECLARED_ONLY;
      std::string number = as_written && !values.declared_derived
                               ? values.declared_text
                               : report::FormatFixed(chosen.value->value.mpq(), decimals);
      context.value_text = report::WithUnit(number, unit);
      out.set_value(context.value_text);
    }
  }
  RuleOutcome outcome = indicator.rule->Apply(context);
  if (!explain) {
    for (v1::Finding& finding : outcome.findings) findings.push_back(std::move(finding));
    return outcome.score;
  }
  out.set_rule(indicator.rule_text);
  for (std::string& deduction : outcome.deductions) out.add_deductions(std::move(deduction));
  for (v1::ChecklistItemResult& item : outcome.items) *out.add_items() = std::move(item);
  for (v1::TargetResult& target : outcome.targets) *out.add_targets() = std::move(target);
  for (v1::Finding& finding : outcome.findings) findings.push_back(std::move(finding));
  return outcome.score;
}

void CompareSelfEvaluation(const v1::Report& report, const SchemeParts& scheme, v1::ScoreCard& card,
                           std::vector<v1::Finding>& findings) {
  const v1::SelfEvaluation& self = report.self_evaluation();
  for (int i = 0; i < self.scores_size(); ++i) {
    const v1::DeclaredScore& declared = self.scores(i);
    auto it = scheme.indicator_index.find(declared.indicator_id());
    if (it == scheme.indicator_index.end()) continue;
    v1::IndicatorResult& result = *card.mutable_indicators(it->second);
    result.set_declared_score(declared.score().value());
  }
  if (self.has_total()) {
    card.set_declared_total(self.total().value());
    absl::StatusOr<report::ReportedDecimal> total = report::ParseDecimal(self.total().value());
    absl::StatusOr<report::ReportedDecimal> computed = report::ParseDecimal(card.total_score());
    if (total.ok() && computed.ok() && total->value != computed->value) {
      v1::Finding& finding = AddFinding(
          findings, v1::SEVERITY_INFO, "self_score_differs", "total", "self_evaluation.total",
          absl::StrCat("自评得分 ", self.total().value(), " 与按 ", scheme.proto.id(),
                       " 计算的得分 ", card.total_score(), " 不同"));
      finding.set_declared(self.total().value());
      finding.set_computed(card.total_score());
    }
  }
}

}  // namespace

absl::StatusOr<v1::ScoreCard> ScoreReport(const v1::Report& report, const CompiledScheme& compiled,
                                          const ScoreOptions& options) {
  const SchemeParts& scheme = PartsOf(compiled);
  const bool explain = options.detail == ScoreOptions::Detail::kFull;
  absl::StatusOr<Evaluated> evaluated = Evaluate(report, options.prior, scheme, explain);
  if (!evaluated.ok()) return evaluated.status();
  std::vector<v1::Finding>& findings = evaluated->findings;

  v1::ScoreCard card;
  card.set_scheme_id(scheme.proto.id());
  card.set_scheme_version(scheme.proto.version());
  card.set_scheme_name(scheme.proto.name());
  card.set_scheme_edition(scheme.proto.edition());
  card.set_scheme_sha256(scheme.sha256);
  card.set_summary(!explain);
  card.mutable_report()->set_department_code(report.identity().department_code());
  card.mutable_report()->set_fiscal_year(report.identity().fiscal_year());
  card.mutable_report()->set_revision(options.report_revision);
  if (options.prior != nullptr) {
    v1::ReportRef& prior = *card.mutable_prior_report();
    prior.set_department_code(options.prior->identity().department_code());
    prior.set_fiscal_year(options.prior->identity().fiscal_year());
    prior.set_revision(options.prior_revision);
  }

  const int score_decimals = scheme.proto.score_decimals();
  const size_t n = scheme.indicators.size();
  std::vector<mpq_class> rounded(n);
  for (size_t i = 0; i < n; ++i) card.add_indicators();
  // Children come after their parent in tree order: walk backwards so that
  // every parent sees its children's rounded scores.
  for (size_t k = n; k-- > 0;) {
    const CompiledIndicator& indicator = scheme.indicators[k];
    v1::IndicatorResult& out = *card.mutable_indicators(k);
    out.set_id(indicator.proto->id());
    out.set_level(indicator.level);
    out.set_weight(indicator.weight_text);
    out.set_leaf(indicator.children.empty());
    if (explain) {
      out.set_name(indicator.proto->name());
      if (indicator.parent >= 0) {
        out.set_parent_id(scheme.indicators[indicator.parent].proto->id());
      }
    }
    if (indicator.children.empty()) {
      mpq_class exact =
          ScoreLeaf(indicator, scheme, evaluated->measures, report, explain, out, findings);
      rounded[k] = report::RoundHalfUp(Clamp(exact, indicator.weight), score_decimals);
    } else {
      rounded[k] = 0;
      for (int child : indicator.children) rounded[k] += rounded[child];
    }
    out.set_score(report::FormatFixed(rounded[k], score_decimals));
  }
  mpq_class total = 0;
  for (size_t k = 0; k < n; ++k) {
    if (scheme.indicators[k].parent < 0) total += rounded[k];
  }
  card.set_total_score(report::FormatFixed(total, score_decimals));
  card.set_total_weight(scheme.total_weight_text);
  for (const CompiledGrade& grade : scheme.grades) {
    if (total >= grade.min_score) {
      card.set_grade(grade.grade);
      break;
    }
  }
  if (explain) {
    for (size_t i = 0; i < scheme.measures.size(); ++i) {
      *card.add_measures() = ToMeasureResult(scheme.measures[i], evaluated->measures[i]);
    }
  }
  CompareSelfEvaluation(report, scheme, card, findings);
  SortFindings(findings);
  for (v1::Finding& finding : findings) {
    v1::Finding& out = *card.add_findings();
    if (explain) {
      out = std::move(finding);
      continue;
    }
    out.set_severity(finding.severity());
    out.set_code(std::move(*finding.mutable_code()));
    out.set_subject(std::move(*finding.mutable_subject()));
  }
  return card;
}

absl::StatusOr<std::vector<v1::Finding>> ValidateReport(const v1::Report& report,
                                                        const CompiledScheme& compiled,
                                                        const ScoreOptions& options) {
  // Scoring is cheap; validating through it gives exactly the card's findings.
  absl::StatusOr<v1::ScoreCard> card = ScoreReport(report, compiled, options);
  if (!card.ok()) return card.status();
  return std::vector<v1::Finding>(card->findings().begin(), card->findings().end());
}

bool HasErrors(const std::vector<v1::Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const v1::Finding& f) { return f.severity() == v1::SEVERITY_ERROR; });
}

bool HasErrors(const v1::ScoreCard& card) {
  return std::any_of(card.findings().begin(), card.findings().end(),
                     [](const v1::Finding& f) { return f.severity() == v1::SEVERITY_ERROR; });
}

}  // namespace jixiao::engine
