#include "tools/jixiao/card_printer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/decimal.h"
#include "common/report/labels.h"
#include "tools/jixiao/text_table.h"

namespace jixiao::cli {
namespace {

using report::WithUnit;

const char* StatusLabel(v1::MeasureStatus status) {
  switch (status) {
    case v1::MEASURE_STATUS_CONFIRMED:
      return "一致";
    case v1::MEASURE_STATUS_CONTRADICTED:
      return "不符";
    case v1::MEASURE_STATUS_DECLARED_ONLY:
      return "仅申报";
    case v1::MEASURE_STATUS_COMPUTED_ONLY:
      return "仅计算";
    case v1::MEASURE_STATUS_MISSING:
      return "缺失";
    default:
      return "";
  }
}

}  // namespace

void PrintScoreCard(const v1::Report& report, const v1::ScoreCard& card, std::ostream& out) {
  out << report.identity().department_name() << " " << report.identity().fiscal_year()
      << " 年度部门整体支出绩效评分  (scheme " << card.scheme_id() << " v" << card.scheme_version();
  if (card.report().revision() > 0) out << ", revision " << card.report().revision();
  if (card.has_prior_report()) {
    out << "; last year's report " << card.prior_report().fiscal_year();
    if (card.prior_report().revision() > 0) out << " revision " << card.prior_report().revision();
  }
  out << ")\n\n";

  TextTable table({"指标 indicator", "数值 value", "得分/分值 score", "扣分原因 points lost"},
                  {TextTable::Align::kLeft, TextTable::Align::kRight, TextTable::Align::kRight,
                   TextTable::Align::kLeft});
  for (const v1::IndicatorResult& i : card.indicators()) {
    std::string name = std::string(2 * (i.level() - 1), ' ') + i.name();
    table.AddRow({name, i.value(), absl::StrCat(i.score(), " / ", i.weight()),
                  absl::StrJoin(i.deductions(), "；")});
  }
  table.Print(out);
  out << "\n总分 total " << card.total_score() << " / " << card.total_weight() << "   等级 grade "
      << card.grade();
  if (!card.declared_total().empty())
    out << "   (自评 self-declared " << card.declared_total() << ")";
  out << "\n\n";

  TextTable measures({"核验 measure", "申报 declared", "计算 computed", "采用 verified", "状态"},
                     {TextTable::Align::kLeft, TextTable::Align::kRight, TextTable::Align::kRight,
                      TextTable::Align::kRight, TextTable::Align::kLeft});
  for (const v1::MeasureResult& m : card.measures()) {
    std::string declared = WithUnit(m.declared().display(), m.unit());
    if (m.declared_derived() && !declared.empty()) declared += " (derived)";
    measures.AddRow({m.name(), declared, WithUnit(m.computed().display(), m.unit()),
                     WithUnit(m.verified().display(), m.unit()), StatusLabel(m.status())});
  }
  measures.Print(out);
  out << "\n";
  PrintFindings(card.findings(), out);
}

void PrintFindings(const google::protobuf::RepeatedPtrField<v1::Finding>& findings,
                   std::ostream& out) {
  if (findings.empty()) {
    out << "发现 findings: none\n";
    return;
  }
  out << "发现 findings (" << findings.size() << "):\n";
  for (const v1::Finding& f : findings) {
    out << "  [" << report::SeverityLabel(f.severity()).chinese << " "
        << report::SeverityLabel(f.severity()).english << "] " << f.subject();
    if (!f.field_path().empty() && f.field_path() != f.subject())
      out << " (" << f.field_path() << ")";
    out << ": " << f.message() << "\n";
    if (!f.tolerance().empty()) out << "      容差 tolerance: " << f.tolerance() << "\n";
  }
}

}  // namespace jixiao::cli
