// One department's two years side by side, with the exact change of every
// score.

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "tools/render/document_parts.h"
#include "tools/render/render.h"

namespace jixiao::render {

std::string RenderCompare(const v1::Report& report_a, const v1::ScoreCard& card_a,
                          const v1::ScoreCard& card_b, Format format, const Templates& templates) {
  // The exact change from score `a` to score `b`, signed, with their decimals.
  auto diff = [](const std::string& a, const std::string& b) -> std::string {
    auto from = report::ParseDecimal(a);
    auto to = report::ParseDecimal(b);
    if (!from.ok() || !to.ok()) return "";
    mpq_class change = to->value - from->value;
    std::string text = report::FormatFixed(change, std::max(from->decimals, to->decimals));
    return sgn(change) < 0 ? text : "+" + text;
  };
  std::map<std::string, const v1::IndicatorResult*> b_by_id;
  for (const auto& i : card_b.indicators()) b_by_id[i.id()] = &i;
  mstch::array rows;
  for (const auto& a : card_a.indicators()) {
    auto it = b_by_id.find(a.id());
    const v1::IndicatorResult* b = it == b_by_id.end() ? nullptr : it->second;
    std::string indent;
    for (int k = 1; k < a.level(); ++k) indent += "　";
    rows.push_back(mstch::map{{"indent", indent},
                              {"name", Cell(a.name())},
                              {"weight", a.weight()},
                              {"value_a", Cell(a.value())},
                              {"score_a", a.score()},
                              {"value_b", b ? Cell(b->value()) : std::string()},
                              {"score_b", b ? b->score() : std::string()},
                              {"change", b ? diff(a.score(), b->score()) : std::string()}});
  }
  mstch::map view{{"department_name", report_a.identity().department_name()},
                  {"year_a", std::to_string(card_a.report().fiscal_year())},
                  {"year_b", std::to_string(card_b.report().fiscal_year())},
                  {"rows", rows},
                  {"total_weight", card_a.total_weight()},
                  {"total_a", card_a.total_score()},
                  {"total_b", card_b.total_score()},
                  {"total_change", diff(card_a.total_score(), card_b.total_score())},
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
