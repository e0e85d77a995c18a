// One department's two years side by side: every indicator either card
// holds, with the exact change of its score, and the scheme's own figures
// by group, with the exact change of each.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/engine.h"
#include "tools/render/document_parts.h"
#include "tools/render/formatting.h"
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

std::optional<mpq_class> Exact(const std::string& text) {
  auto value = report::ParseDecimal(text);
  if (!value.ok()) return std::nullopt;
  return value->value;
}

// The change of `b` over `a` in percent, to 2 places; "" unless both are
// decimals and `a` is not zero.
std::string RelativeChange(const std::string& a, const std::string& b) {
  auto from = Exact(a);
  auto to = Exact(b);
  if (!from || !to || sgn(*from) == 0) return "";
  const mpq_class change = (*to - *from) / abs(*from) * 100;
  const std::string text = report::FormatFixed(change, 2) + "%";
  return sgn(change) < 0 ? text : "+" + text;
}

// The verified value of a measure, as the card displays it (no unit).
const v1::MeasureResult* MeasureOf(const v1::ScoreCard& card, const std::string& id) {
  for (const v1::MeasureResult& m : card.measures()) {
    if (m.id() == id) return &m;
  }
  return nullptr;
}

// An indicator's value change: 个百分点 for rates, else the unit.
std::string ValueChange(const v1::ScoreCard& card_a, const v1::IndicatorResult& a,
                        const v1::ScoreCard& card_b, const v1::IndicatorResult* b) {
  if (b == nullptr || a.measure_id().empty() || a.measure_id() != b->measure_id()) return "";
  const v1::MeasureResult* ma = MeasureOf(card_a, a.measure_id());
  const v1::MeasureResult* mb = MeasureOf(card_b, b->measure_id());
  if (ma == nullptr || mb == nullptr || !ma->has_verified() || !mb->has_verified()) return "";
  const std::string change = Change(ma->verified().display(), mb->verified().display());
  if (change.empty()) return "";
  return change + (ma->unit() == "%" ? " 个百分点" : ma->unit().empty() ? "" : " " + ma->unit());
}

// Marks the `count` rows of `rows` whose |change| is largest (and not 0).
void MarkLargest(std::vector<std::pair<mpq_class, mstch::map*>>& moves, size_t count) {
  std::stable_sort(moves.begin(), moves.end(),
                   [](const auto& x, const auto& y) { return abs(x.first) > abs(y.first); });
  for (size_t i = 0; i < moves.size() && i < count; ++i) {
    if (sgn(moves[i].first) != 0) (*moves[i].second)["big"] = true;
  }
}

}  // namespace

std::string RenderCompare(const v1::Report& report_a, const v1::ScoreCard& card_a,
                          const v1::Report& report_b, const v1::ScoreCard& card_b,
                          const v1::Scheme& scheme, Format format, const Templates& templates,
                          bool changed_only, const DocumentInfo* info_a,
                          const DocumentInfo* info_b) {
  std::map<std::string, const v1::IndicatorResult*> b_by_id;
  for (const auto& i : card_b.indicators()) b_by_id[i.id()] = &i;
  std::vector<mstch::map> rows;
  std::set<std::string> shown;
  for (const auto& a : card_a.indicators()) {
    shown.insert(a.id());
    auto it = b_by_id.find(a.id());
    const v1::IndicatorResult* b = it == b_by_id.end() ? nullptr : it->second;
    const std::string change = b ? Change(a.score(), b->score()) : std::string();
    const std::string value_change = ValueChange(card_a, a, card_b, b);
    auto nonzero = [](const std::string& text) {  // "+6.47 个百分点": its number is not 0
      const auto value = Exact(text.substr(0, text.find(' ')));
      return value && sgn(*value) != 0;
    };
    const bool moved = b == nullptr || nonzero(change) || nonzero(value_change);
    if (changed_only && !moved) continue;
    rows.push_back(mstch::map{{"indent", Indent(a.level())},
                              {"name", Cell(a.name())},
                              {"weight", a.weight()},
                              {"value_a", Cell(a.value())},
                              {"score_a", a.score()},
                              {"value_b", b ? Cell(b->value()) : std::string()},
                              {"score_b", b ? b->score() : std::string()},
                              {"value_change", value_change},
                              {"change", change},
                              {"leaf", a.leaf()}});
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
                              {"value_change", std::string()},
                              {"change", std::string()},
                              {"leaf", b.leaf()}});
  }
  // The three leaves whose scores moved most.
  std::vector<std::pair<mpq_class, mstch::map*>> score_moves;
  for (mstch::map& row : rows) {
    const auto& change = boost::get<std::string>(row["change"]);
    if (boost::get<bool>(row["leaf"]) && !change.empty())
      score_moves.emplace_back(*Exact(change), &row);
  }
  MarkLargest(score_moves, 3);
  // The standard form's amounts, by group: what moved, in 万元 and in percent.
  std::vector<mstch::map> money;
  std::string group;
  for (const engine::StandardField& field : engine::StandardFields()) {
    if (field.unit != "万元") continue;
    const v1::Decimal* a = engine::FigureAt(report_a, field.path);
    const v1::Decimal* b = engine::FigureAt(report_b, field.path);
    if (a == nullptr && b == nullptr) continue;
    const std::string va = a ? a->value() : "", vb = b ? b->value() : "";
    const std::string change = Change(va, vb);
    if (changed_only && !change.empty() && sgn(*Exact(change)) == 0) continue;
    // "二季度：累计支出数" is the form's row under its heading; 其中： stays.
    std::string name = field.name;
    if (name.rfind("其中：", 0) != 0) name = absl::StrReplaceAll(name, {{"：", ""}});
    money.push_back(mstch::map{{"group", field.group == group ? std::string() : field.group},
                               {"name", name},
                               {"value_a", va.empty() ? std::string(kMissing) : Money(va)},
                               {"value_b", vb.empty() ? std::string(kMissing) : Money(vb)},
                               {"change", report::WithThousands(change)},
                               {"exact_change", change},
                               {"relative", RelativeChange(va, vb)}});
    group = field.group;
  }
  std::vector<std::pair<mpq_class, mstch::map*>> money_moves;
  for (mstch::map& row : money) {
    const auto& change = boost::get<std::string>(row["exact_change"]);
    if (!change.empty()) money_moves.emplace_back(*Exact(change), &row);
  }
  MarkLargest(money_moves, 3);
  mstch::array groups;
  for (const FigureGroup& group : GroupFigures(scheme, {&report_a, &report_b})) {
    mstch::array figures;
    for (const v1::FigureSpec& figure : group.figures) {
      const std::string a = FigureValue(report_a, figure.id()),
                        b = FigureValue(report_b, figure.id());
      const std::string change = Change(a, b);
      if (changed_only && !change.empty() && sgn(*Exact(change)) == 0) continue;
      figures.push_back(mstch::map{{"name", Cell(figure.name())},
                                   {"unit", Cell(figure.unit())},
                                   {"value_a", Cell(FigureText(report_a, figure))},
                                   {"value_b", Cell(FigureText(report_b, figure))},
                                   {"change", change},
                                   {"relative", RelativeChange(a, b)}});
    }
    groups.push_back(mstch::map{{"group", group.name}, {"figures", figures}});
  }
  mstch::array row_array(rows.begin(), rows.end());
  mstch::array money_array(money.begin(), money.end());
  std::string scheme_name =
      card_a.scheme_name().empty() ? card_a.scheme_id() : card_a.scheme_name();
  mstch::map view{{"department_name", report_a.identity().department_name()},
                  {"scheme_citation",
                   SchemeCitation(scheme_name, card_a.scheme_edition(), card_a.scheme_version())},
                  {"year_a", std::to_string(card_a.report().fiscal_year())},
                  {"year_b", std::to_string(card_b.report().fiscal_year())},
                  {"rows", row_array},
                  {"money", money_array},
                  {"has_money", !money_array.empty()},
                  {"changed_only", changed_only},
                  {"has_figures", !groups.empty()},
                  {"figure_groups", groups},
                  {"total_weight", card_a.total_weight()},
                  {"total_a", card_a.total_score()},
                  {"total_b", card_b.total_score()},
                  {"total_change", Change(card_a.total_score(), card_b.total_score())},
                  {"grade_a", card_a.grade()},
                  {"grade_b", card_b.grade()}};
  // Each side's standing: what a reader must know before trusting its scores.
  auto standing = [](const DocumentInfo* info, const v1::ScoreCard& card) {
    int errors = 0;
    for (const v1::Finding& f : card.findings()) errors += f.severity() == v1::SEVERITY_ERROR;
    std::string text = info->mark.empty() ? "审核通过" : info->mark;
    if (info->revision > 0) absl::StrAppend(&text, "（修订版本 ", info->revision, "）");
    absl::StrAppend(&text,
                    errors > 0 ? absl::StrCat("，有错误发现 ", errors, " 项") : "，无错误发现");
    return text;
  };
  if (info_a != nullptr && info_b != nullptr) {
    view["standing_a"] = standing(info_a, card_a);
    view["standing_b"] = standing(info_b, card_b);
    view["has_standing"] = true;
  }
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
