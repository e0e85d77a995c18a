#include "scoring-svc/engine/measures.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/engine.h"
#include "scoring-svc/engine/figure_cache.h"

namespace jixiao::engine {
namespace {

// A rounded value as other formulas see it: the rounded value, with a range
// covering both the true value's range and the rounded value itself.
Evaluation Rounded(const Evaluation& evaluation, int decimals, std::string* text) {
  if (!evaluation.ok()) return evaluation;
  const Interval& v = *evaluation.value;
  Interval rounded;
  rounded.value = v.value.RoundedHalfUp(decimals);
  rounded.bounded = v.bounded;
  if (v.bounded) {
    rounded.lower = v.lower < rounded.value ? v.lower : rounded.value;
    rounded.upper = v.upper > rounded.value ? v.upper : rounded.value;
  }
  if (text != nullptr) *text = report::FormatFixed(v.value.mpq(), decimals);
  return Evaluation::Of(rounded);
}

v1::Finding MakeFinding(v1::Severity severity, std::string code, const CompiledMeasure& m,
                        std::string message) {
  v1::Finding finding;
  finding.set_severity(severity);
  finding.set_code(std::move(code));
  finding.set_subject(m.proto->id());
  finding.set_field_path(m.declared ? m.declared->text() : m.proto->formula());
  finding.set_message(std::move(message));
  return finding;
}

class MeasureEvaluator {
 public:
  MeasureEvaluator(const SchemeParts& scheme, const ReportInputs& reports, bool explain,
                   std::vector<v1::Finding>& findings)
      : scheme_(scheme),
        reports_(reports),
        figures_(*reports.figures),
        explain_(explain),
        findings_(findings),
        values_(scheme.measures.size()) {}

  std::vector<MeasureValues> Run() {
    for (int index : scheme_.measure_order) Evaluate(index);
    return std::move(values_);
  }

 private:
  void Evaluate(int index) {
    const CompiledMeasure& m = scheme_.measures[index];
    const int decimals = m.proto->decimals();
    MeasureValues& out = values_[index];

    if (m.declared) {
      if (const FigureCache::Figure& figure = figures_.Get(*m.declared, reports_);
          figure.value) {
        out.declared = Evaluation::Of(*figure.value);
        out.declared_decimals = figure.decimals;
        out.declared_text = figure.decimal->value();
      }
      if (!out.declared.ok()) out.declared.missing.push_back(m.declared->text());
    }

    Evaluation from_declared;
    bool has_refs = m.formula && !m.formula->measure_refs().empty();
    if (m.formula) {
      out.computed = m.formula->Evaluate(
          reports_,
          [this](int ref, std::string* display) -> const Evaluation& {
            *display = values_[ref].verified_ref_text;
            return values_[ref].verified_ref;
          },
          explain_ ? &out.inputs : nullptr);
      if (has_refs) {
        from_declared = m.formula->Evaluate(
            reports_,
            [this](int ref, std::string* display) -> const Evaluation& {
              *display = values_[ref].declared_ref_text;
              return values_[ref].declared_ref;
            },
            nullptr);
      }
    }

    const std::string& name = m.proto->name();
    const std::string& unit = m.proto->unit();
    if (out.declared.ok() && out.computed.ok()) {
      if (Overlaps(*out.declared.value, *out.computed.value)) {
        out.status = v1::MEASURE_STATUS_CONFIRMED;
        out.verified = out.declared;
        if (explain_)
          out.explanation = absl::StrCat("申报值 ", report::WithUnit(out.declared_text, unit),
                                         " 与按构成数据计算的结果在舍入范围内一致，采用申报值");
      } else {
        out.status = v1::MEASURE_STATUS_CONTRADICTED;
        out.verified = out.computed;
        Contradiction(m, out, from_declared, has_refs);
      }
    } else if (out.declared.ok() && m.formula && PartsGivenInPart(m, out.computed)) {
      // Taking the declared value here would let a department raise its
      // score by deleting the one figure that contradicts it.
      out.status = v1::MEASURE_STATUS_MISSING;
      out.verified = Evaluation{};
      std::string message;
      if (explain_) {
        const std::string why = out.computed.WhyUnavailable();
        const std::string declared = report::WithUnit(out.declared_text, unit);
        out.verified.problem =
            absl::StrCat("申报值 ", declared, " 无法核实：构成数据只填报了一部分，", why);
        out.explanation = absl::StrCat(out.verified.problem, "，不予采用");
        message = absl::StrCat(name, " 申报 ", declared, "，但构成数据只填报了一部分（", why,
                               "），无法核实，不予采用；补齐构成数据后重新评分");
      }
      findings_.push_back(
          MakeFinding(v1::SEVERITY_WARNING, "declared_unverifiable", m, std::move(message)));
    } else if (out.declared.ok()) {
      out.status = v1::MEASURE_STATUS_DECLARED_ONLY;
      out.verified = out.declared;
      if (m.formula) {
        if (explain_)
          out.explanation =
              absl::StrCat("构成数据不全（", out.computed.WhyUnavailable(), "），采用申报值 ",
                           report::WithUnit(out.declared_text, unit));
        findings_.push_back(MakeFinding(
            v1::SEVERITY_INFO, "declared_unverified", m,
            explain_ ? absl::StrCat(name, " 采用申报值 ", report::WithUnit(out.declared_text, unit),
                                    "，无法核实：", out.computed.WhyUnavailable())
                     : std::string()));
      } else {
        if (explain_)
          out.explanation = absl::StrCat("采用申报值 ", report::WithUnit(out.declared_text, unit));
      }
    } else if (out.computed.ok()) {
      out.status = v1::MEASURE_STATUS_COMPUTED_ONLY;
      out.verified = out.computed;
      if (explain_) out.explanation = "未申报，采用按构成数据计算的结果";
      if (has_refs && from_declared.ok()) {
        out.declared = from_declared;
        out.declared_derived = true;
        out.declared_text = report::FormatFixed(from_declared.value->value.mpq(), decimals);
      }
    } else {
      out.status = v1::MEASURE_STATUS_MISSING;
      out.verified = m.formula ? out.computed : out.declared;
      std::string why;
      if (explain_) {
        why = m.formula ? out.computed.WhyUnavailable() : out.declared.WhyUnavailable();
        out.explanation = absl::StrCat("无法取得数值：", why);
      }
      findings_.push_back(
          MakeFinding(v1::SEVERITY_WARNING, "measure_unavailable", m,
                      explain_ ? absl::StrCat(name, " 无法取得数值：", why) : std::string()));
    }

    out.written = out.declared.ok() && !out.declared_derived;
    if (m.formula && !out.written) {
      bool given = false, missing = false;
      ThisYearsFigures(m, given, missing);
      out.written =
          given || std::any_of(m.formula->measure_refs().begin(), m.formula->measure_refs().end(),
                               [this](int ref) { return values_[ref].written; });
    }
    out.verified_ref = Rounded(out.verified, decimals, explain_ ? &out.verified_ref_text : nullptr);
    if (out.declared.ok()) {
      out.declared_ref =
          Rounded(out.declared, decimals, explain_ ? &out.declared_ref_text : nullptr);
    } else {
      out.declared_ref = out.verified_ref;
      out.declared_ref_text = out.verified_ref_text;
    }
  }

  // Whether this year's report has some of the figures m's formula reads
  // (`given`), and lacks some (`missing`); last year's are not looked at.
  void ThisYearsFigures(const CompiledMeasure& m, bool& given, bool& missing) const {
    for (const FieldPath& path : m.formula->fields()) {
      if (path.prior()) continue;
      (figures_.Get(path, reports_).decimal != nullptr ? given : missing) = true;
    }
  }

  // Whether the department gave some of the parts a formula reads and left
  // out others: some of this report's figures, or something of the measures
  // the formula refers to, are there, and some are missing (a measure whose
  // parts were given in part is both). Last year's figures do not
  // count either way: their absence is not this report's omission. A formula
  // that fails on given parts (a zero divisor) is not an omission either.
  bool PartsGivenInPart(const CompiledMeasure& m, const Evaluation& computed) const {
    if (computed.missing.empty()) return false;
    bool given = false;
    bool missing = false;
    ThisYearsFigures(m, given, missing);
    for (int ref : m.formula->measure_refs()) {
      const MeasureValues& values = values_[ref];
      if (values.verified_ref.ok() || values.written) given = true;
      if (!values.verified_ref.ok()) missing = true;
    }
    return given && missing;
  }

  void Contradiction(const CompiledMeasure& m, MeasureValues& out, const Evaluation& from_declared,
                     bool has_refs) {
    const int decimals = m.proto->decimals();
    const std::string& unit = m.proto->unit();
    const Interval& declared = *out.declared.value;
    const Interval& computed = *out.computed.value;
    bool inherited = has_refs && from_declared.ok() && Overlaps(declared, *from_declared.value);
    v1::Finding finding =
        MakeFinding(inherited ? v1::SEVERITY_WARNING : v1::SEVERITY_ERROR,
                    inherited ? "declared_inherits_contradiction" : "declared_contradicted", m, "");
    if (!explain_) {  // the finding's severity and code, no words
      findings_.push_back(std::move(finding));
      return;
    }
    std::string computed_text = report::FormatFixed(computed.value.mpq(), decimals);
    // Show ranges with two more decimals than the measure, so that
    // non-overlapping ranges never print as touching.
    int range_decimals = std::max(decimals, out.declared_decimals) + 2;
    std::string tolerance = absl::StrCat(
        "申报值 ", out.declared_text, " 代表 ", DescribeRange(declared, range_decimals),
        "；按构成数据（含其舍入误差）计算应在 ", DescribeRange(computed, range_decimals), " 内");
    const std::string inputs = DescribeInputs(scheme_, out.inputs);
    if (inherited) {
      finding.set_message(absl::StrCat(m.proto->name(), " 申报 ",
                                       report::WithUnit(out.declared_text, unit),
                                       "，系由与构成数据不符的申报值算得；按核实后的数据应为 ",
                                       report::WithUnit(computed_text, unit), "（", inputs, "）"));
    } else {
      finding.set_message(absl::StrCat(
          m.proto->name(), " 申报 ", report::WithUnit(out.declared_text, unit),
          "，与构成数据不符：按 ", m.proto->formula(), " 计算为 ",
          report::WithUnit(computed_text, unit), "（", inputs, "），不是数字舍入所致"));
    }
    finding.set_declared(out.declared_text);
    finding.set_computed(computed_text);
    finding.set_tolerance(tolerance);
    findings_.push_back(std::move(finding));
    if (explain_)
      out.explanation =
          absl::StrCat("申报值 ", report::WithUnit(out.declared_text, unit),
                       " 与构成数据不符，采用计算值 ", report::WithUnit(computed_text, unit));
  }

  const SchemeParts& scheme_;
  const ReportInputs& reports_;
  FigureCache& figures_;  // reports_.figures
  const bool explain_;  // false: no explanations, inputs or finding messages
  std::vector<v1::Finding>& findings_;
  std::vector<MeasureValues> values_;
};

}  // namespace

std::vector<MeasureValues> EvaluateMeasures(const SchemeParts& scheme, const ReportInputs& reports,
                                            bool explain, std::vector<v1::Finding>& findings) {
  return MeasureEvaluator(scheme, reports, explain, findings).Run();
}

v1::Value ToValue(const Interval& interval, int decimals) {
  v1::Value value;
  const mpq_class exact = interval.value.mpq();
  value.set_exact(report::FormatExact(exact));
  value.set_display(report::FormatFixed(exact, decimals));
  if (interval.bounded) {
    value.set_lower(report::FormatExact(interval.lower.mpq()));
    value.set_upper(report::FormatExact(interval.upper.mpq()));
  }
  return value;
}

v1::MeasureResult ToMeasureResult(const CompiledMeasure& measure, const MeasureValues& values) {
  const int decimals = measure.proto->decimals();
  v1::MeasureResult result;
  result.set_id(measure.proto->id());
  result.set_name(measure.proto->name());
  result.set_unit(measure.proto->unit());
  result.set_formula(measure.proto->formula());
  result.set_status(values.status);
  if (values.declared.ok()) {
    *result.mutable_declared() = ToValue(*values.declared.value, decimals);
    // A declared figure is shown as the department wrote it.
    result.mutable_declared()->set_display(values.declared_text);
    result.set_declared_derived(values.declared_derived);
  }
  if (values.computed.ok()) *result.mutable_computed() = ToValue(*values.computed.value, decimals);
  if (values.verified.ok()) {
    *result.mutable_verified() = ToValue(*values.verified.value, decimals);
    if (values.status == v1::MEASURE_STATUS_CONFIRMED ||
        values.status == v1::MEASURE_STATUS_DECLARED_ONLY) {
      result.mutable_verified()->set_display(values.declared_text);
    }
  }
  for (const FormulaInput& input : values.inputs) {
    auto* out = result.add_inputs();
    out->set_path(input.path);
    out->set_value(input.value);
  }
  result.set_explanation(values.explanation);
  return result;
}

std::string DescribeInputs(const SchemeParts& scheme, const std::vector<FormulaInput>& inputs) {
  std::vector<std::string> parts;
  for (const FormulaInput& input : inputs) {
    if (input.value.empty()) {
      parts.push_back(absl::StrCat(input.path, " = 缺失"));
      continue;
    }
    std::string unit;
    if (absl::string_view id = input.path; absl::ConsumePrefix(&id, "@")) {
      for (const CompiledMeasure& m : scheme.measures) {
        if (m.proto->id() == id) unit = m.proto->unit();
      }
    } else {
      unit = FigureUnit(scheme.proto, input.path);
    }
    parts.push_back(absl::StrCat(input.path, " = ", report::WithUnit(input.value, unit)));
  }
  return absl::StrJoin(parts, "，");
}

}  // namespace jixiao::engine
