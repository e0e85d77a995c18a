// Evaluating a scheme's measures over one report: the declared value, the
// value computed from the parts, and the verified value chosen between them.
//
// For each measure, in dependency order:
//  - declared: the declared field, as written; or, for a measure with no
//    declared field whose formula refers to other measures, the formula
//    over their declared values ("declared (derived)").
//  - computed: the formula over report figures and the verified values of
//    the measures it refers to, with the range its true value lies in given
//    the rounding of every input.
//  - verified: the declared value when the computed range overlaps the
//    declared figure's own rounding range (CONFIRMED); the computed value when
//    they do not overlap (CONTRADICTED, a finding); the declared value when
//    the parts are missing (DECLARED_ONLY); the computed value when nothing
//    was declared (COMPUTED_ONLY). When some of the parts were given and
//    others left out, the declared value is not taken either (MISSING, a
//    warning): deleting a figure must not raise a score.
// A contradiction is an error, unless the declared value does follow from
// the declared values of the measures it refers to: then the department's
// arithmetic was right and the error lies upstream, so it is a warning.

#ifndef JIXIAO_SCORING_SVC_ENGINE_MEASURES_H_
#define JIXIAO_SCORING_SVC_ENGINE_MEASURES_H_

#include <vector>

#include "jixiao/v1/score_card.pb.h"
#include "scoring-svc/engine/compiled_scheme.h"

namespace jixiao::engine {

struct MeasureValues {
  Evaluation declared;
  bool declared_derived = false;
  int declared_decimals = 0;  // of the declared figure, as written
  std::string declared_text;  // the declared figure as written
  Evaluation computed;
  Evaluation verified;
  v1::MeasureStatus status = v1::MEASURE_STATUS_UNSPECIFIED;
  std::vector<FormulaInput> inputs;
  std::string explanation;
  // Something of it was written in the report: its declared figure, a figure
  // of this year's its formula reads, or something of a measure it refers to.
  bool written = false;

  // What other formulas see: the verified (or declared) value rounded to the
  // measure's decimals, its range widened to include the rounding.
  Evaluation verified_ref;
  std::string verified_ref_text;
  Evaluation declared_ref;
  std::string declared_ref_text;
};

// A formula's inputs as a finding gives them, each with its unit:
// "quarterly.q2.cumulative_spending = 10,442 万元，@q1_progress = 30.02%";
// "缺失" for one with no value.
std::string DescribeInputs(const SchemeParts& scheme, const std::vector<FormulaInput>& inputs);

// Evaluates every measure of `scheme` over `reports`, indexed like
// SchemeParts::measures, appending findings for contradictions and for
// values that could not be verified. Without `explain`, the same values and
// findings (severity, code, subject) with no words: no explanations, inputs,
// display texts or finding messages. `reports.figures` is required: the
// score's FigureCache, which its checks read too.
std::vector<MeasureValues> EvaluateMeasures(const SchemeParts& scheme, const ReportInputs& reports,
                                            bool explain, std::vector<v1::Finding>& findings);

// The score card's view of one measure.
v1::MeasureResult ToMeasureResult(const CompiledMeasure& measure, const MeasureValues& values);

// The Value message for an evaluation, displayed with `decimals`.
v1::Value ToValue(const Interval& interval, int decimals);

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_MEASURES_H_
