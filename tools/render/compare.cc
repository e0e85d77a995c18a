// One department's two years side by side: every indicator either card
// holds, with the exact change of its score, and the scheme's own figures
// by group, with the exact change of each.

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "tools/render/document_parts.h"
#include "tools/render/render.h"

namespace jixiao::render {
namespace {

// The exact change from `a` to `b`, signed, with their decimals; "" unless
// both are decimals.
std::string Change(const std::string& a, const std::string& b) {
  auto from = report::ParseDecimal(a);
  auto to = report::ParseDecimal(b);
  if (!from.ok() || !to.ok()) return "";
  mpq_class change = to->value - from->value;
  std::string text = report::FormatFixed(change, std::max(from->decimals, to->decimals));
  return sgn(change) < 0 ? text : "+" + text;
}

std::string Indent(int level) {
  std::string indent;
  for (int k = 1; k < level; ++k) indent += "　";  // full-width space
  return indent;
}

std::string FigureValue(const v1::Report& report, const std::string& id) {
  auto it = report.figures().find(id);
  return it == report.figures().end() ? "" : it->second.value();
}

}  // namespace

std::string RenderCompare(const v1::Report& report_a, const v1::ScoreCard& card_a,
                          const v1::Report& report_b, const v1::ScoreCard& card_b,
                          const v1::Scheme& scheme, Format format, const Templates& templates) {
  std::map<std::string, const v1::IndicatorResult*> b_by_id;
  for (const auto& i : card_b.indicators()) b_by_id[i.id()] = &i;
  mstch::array rows;
  std::set<std::string> shown;
  for (const auto& a : card_a.indicators()) {
    shown.insert(a.id());
    auto it = b_by_id.find(a.id());
    const v1::IndicatorResult* b = it == b_by_id.end() ? nullptr : it->second;
    rows.push_back(mstch::map{{"indent", Indent(a.level())},
                              {"name", Cell(a.name())},
                              {"weight", a.weight()},
                              {"value_a", Cell(a.value())},
                              {"score_a", a.score()},
                              {"value_b", b ? Cell(b->value()) : std::string()},
                              {"score_b", b ? b->score() : std::string()},
                              {"change", b ? Change(a.score(), b->score()) : std::string()}});
  }
  // Indicators only the second card holds (its scheme grew), after the rest.
  for (const auto& b : card_b.indicators()) {
    if (shown.count(b.id())) continue;
    rows.push_back(mstch::map{{"indent", Indent(b.level())},
                              {"name", Cell(b.name())},
                              {"weight", b.weight()},
                              {"value_a", std::string()},
                              {"score_a", std::string()},
                              {"value_b", Cell(b.value())},
                              {"score_b", b.score()},
                              {"change", std::string()}});
  }
  mstch::array groups;
  for (const FigureGroup& group : GroupFigures(scheme, {&report_a, &report_b})) {
    mstch::array figures;
    for (const v1::FigureSpec& figure : group.figures) {
      figures.push_back(mstch::map{{"name", Cell(figure.name())},
                                   {"unit", Cell(figure.unit())},
                                   {"value_a", Cell(FigureText(report_a, figure))},
                                   {"value_b", Cell(FigureText(report_b, figure))},
                                   {"change", Change(FigureValue(report_a, figure.id()),
                                                     FigureValue(report_b, figure.id()))}});
    }
    groups.push_back(mstch::map{{"group", group.name}, {"figures", figures}});
  }
  std::string scheme_name =
      card_a.scheme_name().empty() ? card_a.scheme_id() : card_a.scheme_name();
  mstch::map view{{"department_name", report_a.identity().department_name()},
                  {"scheme_name", scheme_name},
                  {"year_a", std::to_string(card_a.report().fiscal_year())},
                  {"year_b", std::to_string(card_b.report().fiscal_year())},
                  {"rows", rows},
                  {"has_figures", !groups.empty()},
                  {"figure_groups", groups},
                  {"total_weight", card_a.total_weight()},
                  {"total_a", card_a.total_score()},
                  {"total_b", card_b.total_score()},
                  {"total_change", Change(card_a.total_score(), card_b.total_score())},
                  {"grade_a", card_a.grade()},
                  {"grade_b", card_b.grade()}};
  bool html = format == Format::kHtml;
  std::string markdown = Mustache(templates.Get("compare.md.mustache"), view, html);
  if (!html) return markdown;
  mstch::map page{{"department_name", report_a.identity().department_name()},
                  {"fiscal_year",
                   absl::StrCat(card_a.report().fiscal_year(), "–", card_b.report().fiscal_year())},
                  {"body", MarkdownToHtml(markdown)}};
  return Mustache(templates.Get("report.html.mustache"), page, true);
}

}  // namespace jixiao::render
