// The self-evaluation document: one view of the report, its card and its
// scheme (identity, narrative, figures, measures, scores, targets,
// findings), worded by the template set the scheme names
// (templates/SET/report.md.mustache, and report.html.mustache around it for
// HTML). No set is known here: a set's template picks what it prints.

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/report/decimal.h"
#include "common/report/labels.h"
#include "re2/re2.h"
#include "scoring-svc/engine/engine.h"
#include "tools/render/document_parts.h"
#include "tools/render/formatting.h"
#include "tools/render/render.h"
#include "tools/render/svg_charts.h"
#include "tools/render/wording.h"

namespace jixiao::render {
namespace {

std::string Figure(const v1::Decimal& decimal, bool present) {
  return present ? Money(decimal.value()) : kMissing;
}

// A sentence's figures, with "filled" set where any of them is given or any
// of the card's `measures` it states has a value: a template prints the
// sentence where one has, and "（未填报）" alone, in the sentence's place,
// where none has.
mstch::map Sentence(mstch::map figures, const v1::ScoreCard& card,
                    std::initializer_list<absl::string_view> measures = {}) {
  bool filled = false;
  for (const auto& [key, value] : figures) {
    if (const auto* text = boost::get<std::string>(&value); text && *text != kMissing)
      filled = true;
  }
  for (const v1::MeasureResult& m : card.measures()) {
    if (m.status() != v1::MEASURE_STATUS_MISSING &&
        std::find(measures.begin(), measures.end(), m.id()) != measures.end()) {
      filled = true;
    }
  }
  figures["filled"] = filled;
  return figures;
}

std::optional<double> AsDouble(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return std::strtod(text.c_str(), nullptr);  // chart geometry only
}

// A paragraph as Markdown reads it: one that starts "2. " or "- " stays a
// paragraph, as the department wrote it, not a list.
std::string AsParagraph(const std::string& text) {
  static const RE2 list_marker(R"(^(\s*)([0-9]{1,9})([.)]\s))");
  static const RE2 bullet(R"(^(\s*)([-+*]\s))");
  std::string out = text;
  if (!RE2::Replace(&out, list_marker, "\\1\\2\\\\\\3")) RE2::Replace(&out, bullet, "\\1\\\\\\2");
  return out;
}

mstch::array Paragraphs(const v1::Section& section) {
  mstch::array out;
  for (const std::string& p : section.paragraphs()) out.push_back(AsParagraph(p));
  return out;
}

// A section tree as a flat list of headed blocks, depth first.
// `number` is the heading's place among its parent's ("1. ", "（2）"), as
// the form numbers them below a （一） heading.
void Blocks(const v1::Section& section, int depth, bool heading, mstch::array& out,
            const std::string& number = "") {
  if (heading) {
    // A title the department numbered itself keeps its own number.
    static const RE2 numbered(R"(^\s*([0-9]{1,3}\s*[.、．]|[（(][0-9]{1,3}[)）]))");
    const bool own_number = RE2::PartialMatch(section.title(), numbered);
    out.push_back(mstch::map{{"heading", std::string(depth, '#')},
                             {"title", own_number ? section.title() : number + section.title()},
                             {"paragraphs", Paragraphs(section)}});
  } else if (!section.paragraphs().empty()) {
    out.push_back(mstch::map{
        {"heading", std::string()}, {"title", std::string()}, {"paragraphs", Paragraphs(section)}});
  }
  for (int i = 0; i < section.subsections_size(); ++i) {
    const int below = depth + 1;  // #### 1. … then ##### （1）…
    const std::string sub_number = below == 4   ? absl::StrCat(i + 1, ". ")
                                   : below == 5 ? absl::StrCat("（", i + 1, "）")
                                                : std::string();
    Blocks(section.subsections(i), below, true, out, sub_number);
  }
}

// A value of a measure, with its unit, or `absent`.
std::string MeasureValue(const v1::MeasureResult& m, const v1::Value& value, bool present,
                         const char* absent) {
  return present ? report::WithUnit(value.display(), m.unit()) : absent;
}

// The value a document prints for a measure: the verified one; for a
// declared figure that could not be checked because some of its parts were
// left out, that figure marked as not taken; otherwise kMissing.
std::string Verified(const v1::MeasureResult& m) {
  if (m.has_verified()) return report::WithUnit(m.verified().display(), m.unit());
  if (m.has_declared() && !m.declared_derived()) {
    return absl::StrCat("（申报为 ", report::WithUnit(m.declared().display(), m.unit()),
                        "，构成数据不全，无法核实，不予采用）");
  }
  return kMissing;
}

// The card's measures, each as a template sees it: in order ("measures")
// and by id ("measure": {{measure.ID.verified}}), so that a set's wording
// can name the measures of its scheme.
void AddMeasures(const v1::ScoreCard& card, mstch::map& view) {
  mstch::array in_order;
  mstch::map by_id;
  for (const v1::MeasureResult& m : card.measures()) {
    mstch::map entry{{"id", m.id()},
                     {"name", Cell(m.name())},
                     {"unit", m.unit()},
                     // Declared and computed values may not exist for a measure ("—");
                     // a verified value is missing only when the report lacks a figure.
                     {"declared", MeasureValue(m, m.declared(), m.has_declared(), "—")},
                     {"computed", MeasureValue(m, m.computed(), m.has_computed(), "—")},
                     {"verified", Verified(m)},
                     // As declared, "" when nothing was: for "(申报为 …)" notes.
                     {"declared_value", MeasureValue(m, m.declared(), m.has_declared(), "")},
                     {"explanation", Cell(m.explanation())},
                     {"confirmed", m.status() == v1::MEASURE_STATUS_CONFIRMED},
                     {"contradicted", m.status() == v1::MEASURE_STATUS_CONTRADICTED},
                     {"declared_only", m.status() == v1::MEASURE_STATUS_DECLARED_ONLY},
                     {"computed_only", m.status() == v1::MEASURE_STATUS_COMPUTED_ONLY},
                     {"missing", m.status() == v1::MEASURE_STATUS_MISSING}};
    in_order.push_back(entry);
    by_id[m.id()] = entry;
  }
  view["measures"] = in_order;
  view["has_measures"] = !in_order.empty();
  view["measure"] = by_id;
}

// The scheme's checks that failed, by id ({{#check.ID.failed}}…{{/check.ID.failed}}),
// so that a set's wording can flag a figure where it prints it.
void AddChecks(const v1::ScoreCard& card, mstch::map& view) {
  mstch::map by_id;
  for (const v1::Finding& f : card.findings()) {
    if (f.code() == "check_failed") by_id[f.subject()] = mstch::map{{"failed", true}};
  }
  view["check"] = by_id;
}

// {{#line_chart}}TITLE;CATEGORY,CATEGORY,…;SERIES;SERIES…{{/line_chart}}: an
// SVG line chart in HTML, nothing in Markdown. A series is "verified NAME
// ID ID …" or "declared NAME ID ID …" (those values of the measures ID, in
// percent; one per category) or "constant NAME N N …"; the first is drawn
// solid, the others dashed.
mstch::node LineChart(const v1::ScoreCard& card, bool html) {
  return mstch::lambda{[&card, html](const std::string& spec) -> mstch::node {
    if (!html) return std::string();
    std::vector<std::string> parts = absl::StrSplit(spec, ';');
    if (parts.size() < 2) return std::string();
    static const char* const kColors[] = {"#2f6f4f", "#c0772b", "#777777", "#3b6ea5", "#8a4f9e"};
    std::vector<std::string> categories = absl::StrSplit(parts[1], ',');
    for (std::string& c : categories) c = std::string(absl::StripAsciiWhitespace(c));
    std::vector<Series> series;
    for (size_t i = 2; i < parts.size(); ++i) {
      std::vector<std::string> words = absl::StrSplit(parts[i], ' ', absl::SkipWhitespace());
      if (words.size() < 2) continue;
      Series s{words[1], {}, kColors[(i - 2) % 5], static_cast<int>(std::min<size_t>(i - 2, 2))};
      for (size_t w = 2; w < words.size(); ++w) {
        if (words[0] == "constant") {
          s.values.push_back(AsDouble(words[w]));
          continue;
        }
        std::optional<double> value;
        for (const v1::MeasureResult& m : card.measures()) {
          if (m.id() != words[w]) continue;
          if (words[0] == "verified" && m.has_verified()) value = AsDouble(m.verified().display());
          if (words[0] == "declared" && m.has_declared()) value = AsDouble(m.declared().display());
        }
        s.values.push_back(value);
      }
      series.push_back(std::move(s));
    }
    const std::string title(absl::StripAsciiWhitespace(parts[0]));
    return Captioned(LinesSvg(categories, series, title), title);
  }};
}

class ReportView {
 public:
  ReportView(const v1::Report& report, const v1::ScoreCard& card, const v1::Scheme& scheme,
             Format format, const DocumentInfo& info)
      : r_(report),
        card_(card),
        scheme_(scheme),
        info_(info),
        words_(scheme, card),
        html_(format == Format::kHtml) {}

  mstch::map Build() {
    const v1::Identity& id = r_.identity();
    mstch::map view{
        {"department_code", id.department_code()},
        {"department_name", id.department_name()},
        {"fiscal_year", std::to_string(id.fiscal_year())},
        {"legal_representative", id.legal_representative()},
        {"submitter", id.submitter()},
        {"phone", id.phone()},
        {"we", SelfReference(id.department_name())},
        {"mark", info_.mark},
        {"revision", info_.revision > 0 ? std::to_string(info_.revision) : std::string()},
        {"date", info_.date},
        {"back_link", info_.back_link},
        {"html", html_},
    };
    mstch::array preamble;
    for (const std::string& p : r_.narrative().preamble()) preamble.push_back(AsParagraph(p));
    view["preamble"] = preamble;
    const v1::Narrative& n = r_.narrative();
    view["functions"] = Paragraphs(n.functions());
    view["key_tasks"] = Paragraphs(n.key_tasks());
    view["budget_preparation"] = Paragraphs(n.budget_preparation());
    view["target_setting"] = Paragraphs(n.target_setting());
    view["performance_goals"] = Paragraphs(n.performance_goals());
    view["key_work"] = Paragraphs(n.key_work());
    view["effectiveness"] = Paragraphs(n.effectiveness());
    view["experience"] = Paragraphs(n.experience());
    view["problems_and_measures"] = Paragraphs(n.problems_and_measures());
    view["plans"] = Paragraphs(n.plans());
    // {{#text.ID}}{{#paragraphs}}…{{/paragraphs}}{{/text.ID}}: the department's
    // text under indicator ID's heading; absent where it wrote none.
    mstch::map by_indicator;
    for (const v1::IndicatorText& text : n.indicators()) {
      mstch::array paragraphs;
      for (const std::string& p : text.paragraphs()) paragraphs.push_back(AsParagraph(p));
      if (!paragraphs.empty())
        by_indicator[text.indicator_id()] = mstch::map{{"paragraphs", paragraphs}};
    }
    view["text"] = by_indicator;
    mstch::array delivery;
    Blocks(n.delivery(), 3, false, delivery);
    view["delivery"] = delivery;
    AddFormFigures(view);
    AddSchemeFigures(view);
    AddMeasures(card_, view);
    AddChecks(card_, view);
    view["line_chart"] = LineChart(card_, html_);
    AddScores(view);
    return view;
  }

 private:
  // The standard form's fields (Report.budget …), for a set that words them.
  void AddFormFigures(mstch::map& view) {
    {
      const v1::Budget& b = r_.budget();
      view["budget"] = Sentence(
          mstch::map{
              {"income", Figure(b.income(), b.has_income())},
              {"general_public_appropriation",
               Figure(b.general_public_appropriation(), b.has_general_public_appropriation())},
              {"expenditure", Figure(b.expenditure(), b.has_expenditure())},
              {"basic_expenditure", Figure(b.basic_expenditure(), b.has_basic_expenditure())},
              {"project_expenditure",
               Figure(b.project_expenditure(), b.has_project_expenditure())}},
          card_);
    }
    {
      const v1::FinalAccounts& f = r_.final_accounts();
      view["final_accounts"] = Sentence(
          mstch::map{
              {"income", Figure(f.income(), f.has_income())},
              {"expenditure", Figure(f.expenditure(), f.has_expenditure())},
              {"basic_expenditure", Figure(f.basic_expenditure(), f.has_basic_expenditure())},
              {"personnel", Figure(f.personnel(), f.has_personnel())},
              {"daily_public", Figure(f.daily_public(), f.has_daily_public())},
              {"project_expenditure", Figure(f.project_expenditure(), f.has_project_expenditure())},
              {"capital_construction",
               Figure(f.capital_construction(), f.has_capital_construction())}},
          card_);
    }
    {
      const v1::CarryOver& c = r_.carry_over();
      view["carry_over"] = Sentence(mstch::map{{"opening", Figure(c.opening(), c.has_opening())},
                                               {"closing", Figure(c.closing(), c.has_closing())}},
                                    card_);
    }
    {
      const v1::Procurement& p = r_.procurement();
      view["procurement"] = Sentence(mstch::map{{"budget", Figure(p.budget(), p.has_budget())},
                                                {"actual", Figure(p.actual(), p.has_actual())}},
                                     card_, {"procurement_execution_rate"});
    }
    view["fixed_assets"] = true;
    view["headcount"] = true;
    {
      const v1::ThreePublic& t = r_.three_public();
      mstch::map three{{"budget", Figure(t.total().budget(), t.total().has_budget())},
                       {"actual", Figure(t.total().actual(), t.total().has_actual())}};
      three["vehicles_budget"] = Figure(t.vehicles().budget(), t.vehicles().has_budget());
      three["vehicles_actual"] = Figure(t.vehicles().actual(), t.vehicles().has_actual());
      // The other two parts, named where the report gives them.
      auto part = [&three](const char* key, const v1::Decimal& value, bool present) {
        if (present) three[key] = Figure(value, true);
      };
      part("abroad_budget", t.abroad().budget(), t.abroad().has_budget());
      part("abroad_actual", t.abroad().actual(), t.abroad().has_actual());
      part("receptions_budget", t.receptions().budget(), t.receptions().has_budget());
      part("receptions_actual", t.receptions().actual(), t.receptions().has_actual());
      view["three_public"] = Sentence(std::move(three), card_, {"three_public_control_rate"});
    }
    {
      const v1::DailyPublic& d = r_.daily_public();
      view["daily_public"] =
          Sentence({{"adjusted_budget", Figure(d.adjusted_budget(), d.has_adjusted_budget())},
                    {"actual", Figure(d.actual(), d.has_actual())}},
                   card_, {"daily_public_control_rate"});
    }
    {
      const v1::Quarter* quarters[] = {&r_.quarterly().q1(), &r_.quarterly().q2(),
                                       &r_.quarterly().q3(), &r_.quarterly().q4()};
      static constexpr absl::string_view kProgress[] = {"q1_progress", "q2_progress", "q3_progress",
                                                        "q4_progress"};
      static constexpr absl::string_view kExecution[] = {"q1_execution_rate", "q2_execution_rate",
                                                         "q3_execution_rate", "q4_execution_rate"};
      mstch::map quarterly;
      for (int q = 0; q < 4; ++q) {
        quarterly[absl::StrCat("q", q + 1)] = Sentence(
            {{"annual_budget",
              Figure(quarters[q]->annual_budget(), quarters[q]->has_annual_budget())},
             {"spending",
              Figure(quarters[q]->cumulative_spending(), quarters[q]->has_cumulative_spending())}},
            card_, {kProgress[q], kExecution[q]});
      }
      view["quarterly"] = quarterly;
    }
    {
      const v1::ProjectExpenditure& p = r_.project_expenditure();
      view["project"] =
          Sentence({{"adjusted_budget", Figure(p.adjusted_budget(), p.has_adjusted_budget())},
                    {"actual", Figure(p.actual(), p.has_actual())}},
                   card_, {"project_execution_rate"});
    }
    view["petitions"] = true;
    {
      view["satisfaction"] = mstch::map{{"source", r_.satisfaction().source().empty()
                                                       ? std::string()
                                                       : r_.satisfaction().source() + "。"}};
    }
  }

  // The scheme's own figures (Report.figures), by group.
  // Every figure the scheme reads from this year's report, by the heading
  // it is shown under: the standard form's fields (部门预算, 政府采购, …)
  // and the scheme's declared figures; then those the report holds that
  // the scheme does not declare. Just the declared figures where the scheme
  // does not compile here.
  void AddSchemeFigures(mstch::map& view) {
    auto compiled = engine::CompileScheme(scheme_, "document");
    if (!compiled.ok()) {
      AddDeclaredFigures(view);
      return;
    }
    std::vector<std::pair<std::string, mstch::array>> by_group;  // first appearance first
    for (const engine::FormInput& input : engine::FormOf(**compiled).inputs) {
      if (!input.this_year && !input.declared_figure) continue;  // a declared one is on the form
      if (!input.declared_figure && input.name == input.path) continue;  // no name to print
      auto group = std::find_if(by_group.begin(), by_group.end(),
                                [&](const auto& g) { return g.first == input.group; });
      if (group == by_group.end()) group = by_group.insert(by_group.end(), {input.group, {}});
      const v1::Decimal* value = engine::FigureAt(r_, input.path);
      group->second.push_back(mstch::map{
          {"name", Cell(input.name)},
          {"unit", Cell(input.unit)},
          {"value", Cell(value == nullptr ? std::string(kMissing)
                                          : report::WithUnit(value->value(), input.unit))},
          {"note", Cell(input.note)}});
    }
    mstch::array groups;
    for (auto& [name, figures] : by_group) {
      groups.push_back(mstch::map{{"group", name}, {"figures", std::move(figures)}});
    }
    view["has_figures"] = !groups.empty();
    view["figure_groups"] = groups;
  }

  void AddDeclaredFigures(mstch::map& view) {
    mstch::array groups;
    for (const FigureGroup& group : GroupFigures(scheme_, {&r_})) {
      mstch::array figures;
      for (const v1::FigureSpec& figure : group.figures) {
        figures.push_back(mstch::map{{"id", figure.id()},
                                     {"name", Cell(figure.name())},
                                     {"unit", Cell(figure.unit())},
                                     {"value", Cell(FigureText(r_, figure))},
                                     {"note", Cell(figure.note())}});
      }
      groups.push_back(mstch::map{{"group", group.name}, {"figures", figures}});
    }
    view["has_figures"] = !groups.empty();
    view["figure_groups"] = groups;
  }

  void AddScores(mstch::map& view) {
    view["scheme_id"] = card_.scheme_id();
    view["scheme_version"] = std::to_string(card_.scheme_version());
    view["scheme_name"] = card_.scheme_name().empty() ? card_.scheme_id() : card_.scheme_name();
    // Cited as a person cites a table: by its name and edition
    // (《…指标体系》2019 年版), or its version where it names no edition.
    view["scheme_citation"] = SchemeCitation(
        card_.scheme_name().empty() ? words_.NameOf(card_.scheme_id()) : card_.scheme_name(),
        card_.scheme_edition(), card_.scheme_version());
    view["total_weight"] = card_.total_weight();
    view["total_score"] = card_.total_score();
    view["grade"] = card_.grade();
    if (!card_.declared_total().empty()) view["declared_total"] = card_.declared_total();
    // The department's own 一级 scores, as its 自评表 gives them:
    // "部门决策 25 分、部门管理 18.89 分".
    std::vector<std::string> declared_levels;
    for (const v1::IndicatorResult& i : card_.indicators()) {
      if (i.level() != 1) continue;
      for (const v1::DeclaredScore& d : r_.self_evaluation().scores()) {
        if (d.indicator_id() == i.id() && d.has_score()) {
          declared_levels.push_back(absl::StrCat(i.name(), " ", d.score().value(), " 分"));
        }
      }
    }
    view["declared_levels"] = absl::StrJoin(declared_levels, "、");
    mstch::array levels, indicators, targets;
    std::vector<ScoreBar> bars;
    std::vector<LostPoints> lost;
    for (const v1::IndicatorResult& i : card_.indicators()) {
      std::string indent;
      for (int k = 1; k < i.level(); ++k) indent += "　";  // full-width space
      indicators.push_back(mstch::map{{"indent", indent},
                                      {"name", Cell(i.name())},
                                      {"weight", i.weight()},
                                      {"score", i.score()},
                                      {"value", Cell(i.value())},
                                      {"rule", Cell(words_.Words(i.rule()))},
                                      {"deductions", Cell(Deductions(i, words_))}});
      if (i.level() == 1) {
        levels.push_back(
            mstch::map{{"name", i.name()}, {"weight", i.weight()}, {"score", i.score()}});
      }
      if (i.level() <= 2) {
        bars.push_back({i.name(), AsDouble(i.score()).value_or(0), AsDouble(i.weight()).value_or(0),
                        absl::StrCat(i.score(), " / ", i.weight()), i.level()});
      }
      if (i.leaf()) {
        auto weight = report::ParseDecimal(i.weight());
        auto score = report::ParseDecimal(i.score());
        if (weight.ok() && score.ok() && score->value < weight->value) {
          const mpq_class shortfall = weight->value - score->value;
          lost.push_back({i.name(), shortfall.get_d(),
                          absl::StrCat("扣 ", report::FormatFixed(shortfall, score->decimals),
                                       " 分（得 ", i.score(), " / ", i.weight(), "）")});
          lost_total_ += shortfall;
          lost_decimals_ = std::max(lost_decimals_, score->decimals);
        }
      }
      for (const v1::TargetResult& t : i.targets()) {
        targets.push_back(mstch::map{
            {"indicator", Cell(i.name())},
            {"name", Cell(t.name())},
            {"direction", t.direction()},
            {"target", Cell(report::WithUnit(t.target(), t.unit()))},
            {"actual", t.actual().empty() ? std::string(kMissing)
                                          : Cell(report::WithUnit(t.actual(), t.unit()))},
            {"unit", Cell(t.unit())},
            {"attained", Percent(t.attained())},
            {"share", t.share()},
            {"points", t.points()}});
      }
    }
    std::stable_sort(lost.begin(), lost.end(),
                     [](const LostPoints& a, const LostPoints& b) { return a.lost > b.lost; });
    view["levels"] = levels;
    view["indicators"] = indicators;
    view["has_targets"] = !targets.empty();
    view["targets"] = targets;
    if (html_) {
      view["score_chart"] =
          lost.empty()
              ? std::string()
              : Captioned(LostPointsSvg(lost, "扣分的指标"),
                          "各末级指标扣分（共扣 " + LostTotal() + " 分），按扣分多少排列") +
                    Captioned(ScoreBarsSvg(bars, "一级、二级指标得分与分值"),
                              "一级、二级指标得分与分值（条长为分值，填色为得分：满分深色，未满分"
                              "浅色）");
    } else {
      view["score_chart"] = std::string();
    }
    mstch::array findings;
    for (const v1::Finding& f : card_.findings()) {
      const std::string unit = FindingUnit(card_, scheme_, f);
      findings.push_back(
          mstch::map{{"severity", std::string(report::SeverityLabel(f.severity()).chinese)},
                     {"subject", Cell(words_.NameOf(f.subject()))},
                     {"message", Cell(words_.Words(f.message()))},
                     {"declared", Cell(report::WithUnit(f.declared(), unit))},
                     {"computed", Cell(report::WithUnit(f.computed(), unit))}});
    }
    view["has_findings"] = !findings.empty();
    view["findings"] = findings;
  }

  const v1::Report& r_;
  const v1::ScoreCard& card_;
  const v1::Scheme& scheme_;
  std::string LostTotal() const { return report::FormatFixed(lost_total_, lost_decimals_); }

  const DocumentInfo& info_;
  const Wording words_;
  mpq_class lost_total_ = 0;
  int lost_decimals_ = 0;
  const bool html_;
};

// The Markdown with no more than one blank line in a row: the lines a
// template keeps for HTML alone (wrappers, charts) leave none behind.
std::string OneBlankLine(std::string_view markdown) {
  std::string out;
  out.reserve(markdown.size());
  int newlines = 0;
  for (char c : markdown) {
    newlines = c == '\n' ? newlines + 1 : 0;
    if (newlines <= 2) out += c;
  }
  return out;
}

}  // namespace

std::string Deductions(const v1::IndicatorResult& i, const Wording& words) {
  static const RE2 points(R"((扣 )([0-9]+(?:[.][0-9]+)?)( 分))");
  auto weight = report::ParseDecimal(i.weight());
  auto score = report::ParseDecimal(i.score());
  std::vector<std::string> reasons;
  for (const std::string& reason : i.deductions()) {
    std::string text = words.Words(reason);
    // The last "扣 X 分" is the reason's own points; earlier ones are the rule's.
    re2::StringPiece m[3];
    size_t last = std::string::npos, at = 0;
    while (at < text.size() && points.Match(text, at, text.size(), RE2::UNANCHORED, m, 3)) {
      last = m[2].data() - text.data();
      at = m[0].data() + m[0].size() - text.data();
    }
    if (last != std::string::npos && weight.ok() && score.ok()) {
      const size_t length = text.find(" 分", last) - last;
      auto lost = report::ParseDecimal(text.substr(last, length));
      if (lost.ok()) {
        const mpq_class shown = i.deductions_size() == 1
                                    ? mpq_class(weight->value - score->value)
                                    : report::RoundHalfUp(lost->value, score->decimals);
        text.replace(last, length, report::FormatFixed(shown, score->decimals));
      }
    }
    reasons.push_back(std::move(text));
  }
  return absl::StrJoin(reasons, "；");
}

std::string RenderReport(const v1::Report& report, const v1::ScoreCard& card,
                         const v1::Scheme& scheme, Format format, const Templates& templates,
                         const DocumentInfo& info) {
  bool html = format == Format::kHtml;
  mstch::map view = ReportView(report, card, scheme, format, info).Build();
  // In HTML every value is escaped before cmark sees it, so no text from a
  // report can become markup; the charts are the only raw HTML.
  const std::string& set = scheme.document_templates();
  std::string markdown = Mustache(templates.Get("report.md.mustache", set), view, html);
  // A set spaces each figure off from the words before it ("收入 23,604.86
  // 万元"); a figure not given needs no such space ("收入（未填报）").
  static const RE2 spaced_missing(absl::StrCat(R"(([^\s|]) )", kMissing));
  RE2::GlobalReplace(&markdown, spaced_missing, "\\1（未填报）");
  if (!html) return OneBlankLine(markdown);
  view["body"] = NumberFigures(MarkdownToHtml(markdown));
  return Mustache(templates.Get("report.html.mustache", set), view, true);
}

}  // namespace jixiao::render
