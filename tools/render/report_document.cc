// The self-evaluation document: the report's sections, its figures with the
// verified values in place, the quarterly table, the score table and the
// findings (templates/report.md.mustache, and report.html.mustache around
// it for HTML).

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/labels.h"
#include "tools/render/document_parts.h"
#include "tools/render/formatting.h"
#include "tools/render/render.h"
#include "tools/render/svg_charts.h"

namespace jixiao::render {
namespace {

const char* const kQuarterNames[] = {"第一季度", "第二季度", "第三季度", "第四季度"};
const char* const kQuarterShort[] = {"一季度", "二季度", "三季度", "四季度"};
const char* const kTimeProgress[] = {"25%", "50%", "75%", "100%"};
constexpr char kMissing[] = "（未填报）";

std::string Figure(const v1::Decimal& decimal, bool present) {
  return present ? Money(decimal.value()) : kMissing;
}

const v1::MeasureResult* FindMeasure(const v1::ScoreCard& card, const std::string& id) {
  for (const auto& m : card.measures()) {
    if (m.id() == id) return &m;
  }
  return nullptr;
}

// The verified value of a measure, with its unit, or the missing mark.
std::string Verified(const v1::ScoreCard& card, const std::string& id) {
  const v1::MeasureResult* m = FindMeasure(card, id);
  if (m == nullptr || !m->has_verified()) return kMissing;
  return m->unit() == "%" ? Percent(m->verified().display()) : m->verified().display();
}

std::optional<double> AsDouble(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return std::strtod(text.c_str(), nullptr);  // chart geometry only
}

mstch::array Paragraphs(const v1::Section& section) {
  mstch::array out;
  for (const std::string& p : section.paragraphs()) out.push_back(p);
  return out;
}

// A section tree as a flat list of headed blocks, depth first.
void Blocks(const v1::Section& section, int depth, bool heading, mstch::array& out) {
  if (heading) {
    out.push_back(mstch::map{{"heading", std::string(depth, '#')},
                             {"title", section.title()},
                             {"paragraphs", Paragraphs(section)}});
  } else if (!section.paragraphs().empty()) {
    out.push_back(mstch::map{
        {"heading", std::string()}, {"title", std::string()}, {"paragraphs", Paragraphs(section)}});
  }
  for (const v1::Section& sub : section.subsections()) Blocks(sub, depth + 1, true, out);
}

class ReportView {
 public:
  ReportView(const v1::Report& report, const v1::ScoreCard& card, Format format)
      : r_(report), card_(card), html_(format == Format::kHtml) {}

  mstch::map Build() {
    const v1::Identity& id = r_.identity();
    mstch::map view{
        {"department_name", id.department_name()},
        {"fiscal_year", std::to_string(id.fiscal_year())},
        {"legal_representative", id.legal_representative()},
        {"submitter", id.submitter()},
        {"phone", id.phone()},
        {"we", SelfReference(id.department_name())},
    };
    mstch::array preamble;
    for (const std::string& p : r_.narrative().preamble()) preamble.push_back(p);
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
    mstch::array delivery;
    Blocks(n.delivery(), 3, false, delivery);
    view["delivery"] = delivery;
    AddFigures(view);
    AddQuarters(view);
    AddScores(view);
    return view;
  }

 private:
  void AddFigures(mstch::map& view) {
    if (r_.has_budget()) {
      const v1::Budget& b = r_.budget();
      view["budget"] = mstch::map{
          {"income", Figure(b.income(), b.has_income())},
          {"general_public_appropriation",
           Figure(b.general_public_appropriation(), b.has_general_public_appropriation())},
          {"expenditure", Figure(b.expenditure(), b.has_expenditure())},
          {"basic_expenditure", Figure(b.basic_expenditure(), b.has_basic_expenditure())},
          {"project_expenditure", Figure(b.project_expenditure(), b.has_project_expenditure())}};
    }
    if (r_.has_final_accounts()) {
      const v1::FinalAccounts& f = r_.final_accounts();
      view["final_accounts"] = mstch::map{
          {"income", Figure(f.income(), f.has_income())},
          {"expenditure", Figure(f.expenditure(), f.has_expenditure())},
          {"basic_expenditure", Figure(f.basic_expenditure(), f.has_basic_expenditure())},
          {"personnel", Figure(f.personnel(), f.has_personnel())},
          {"daily_public", Figure(f.daily_public(), f.has_daily_public())},
          {"project_expenditure", Figure(f.project_expenditure(), f.has_project_expenditure())},
          {"capital_construction", Figure(f.capital_construction(), f.has_capital_construction())}};
    }
    if (r_.has_carry_over()) {
      const v1::CarryOver& c = r_.carry_over();
      view["carry_over"] = mstch::map{{"opening", Figure(c.opening(), c.has_opening())},
                                      {"closing", Figure(c.closing(), c.has_closing())}};
    }
    if (r_.has_procurement()) {
      const v1::Procurement& p = r_.procurement();
      view["procurement"] = mstch::map{{"budget", Figure(p.budget(), p.has_budget())},
                                       {"actual", Figure(p.actual(), p.has_actual())},
                                       {"rate", Verified(card_, "procurement_execution_rate")}};
    }
    if (r_.has_fixed_assets()) {
      view["fixed_assets"] = mstch::map{{"rate", Verified(card_, "fixed_asset_utilisation_rate")}};
    }
    if (r_.has_headcount()) {
      view["headcount"] =
          mstch::map{{"fiscal_control_rate", Verified(card_, "fiscal_staff_control_rate")},
                     {"hired_rate", Verified(card_, "hired_staff_rate")}};
    }
    if (r_.has_three_public()) {
      const v1::ThreePublic& t = r_.three_public();
      mstch::map three{{"budget", Figure(t.total().budget(), t.total().has_budget())},
                       {"actual", Figure(t.total().actual(), t.total().has_actual())},
                       {"rate", Verified(card_, "three_public_control_rate")}};
      if (t.vehicles().has_budget())
        three["vehicles_budget"] = Money(t.vehicles().budget().value());
      if (t.vehicles().has_actual())
        three["vehicles_actual"] = Money(t.vehicles().actual().value());
      view["three_public"] = three;
    }
    if (r_.has_daily_public()) {
      const v1::DailyPublic& d = r_.daily_public();
      view["daily_public"] =
          mstch::map{{"adjusted_budget", Figure(d.adjusted_budget(), d.has_adjusted_budget())},
                     {"actual", Figure(d.actual(), d.has_actual())},
                     {"rate", Verified(card_, "daily_public_control_rate")}};
    }
    if (r_.has_project_expenditure()) {
      const v1::ProjectExpenditure& p = r_.project_expenditure();
      view["project"] =
          mstch::map{{"adjusted_budget", Figure(p.adjusted_budget(), p.has_adjusted_budget())},
                     {"actual", Figure(p.actual(), p.has_actual())},
                     {"rate", Verified(card_, "project_execution_rate")}};
    }
    if (r_.has_petitions()) {
      view["petitions"] = mstch::map{{"rate", Verified(card_, "petition_response_rate")}};
    }
    if (r_.has_satisfaction()) {
      view["satisfaction"] = mstch::map{
          {"rate", Verified(card_, "satisfaction_rate")},
          {"source",
           r_.satisfaction().source().empty() ? std::string() : r_.satisfaction().source() + "。"}};
    }
  }

  void AddQuarters(mstch::map& view) {
    if (!r_.has_quarterly()) return;
    const v1::Quarter* quarters[] = {&r_.quarterly().q1(), &r_.quarterly().q2(),
                                     &r_.quarterly().q3(), &r_.quarterly().q4()};
    mstch::array rows;
    Series verified{"资金支出进度（核实）", {}, "#2f6f4f", false};
    Series declared{"资金支出进度（申报）", {}, "#c0772b", true};
    Series time{"序时进度", {25.0, 50.0, 75.0, 100.0}, "#777777", true};
    for (int q = 0; q < 4; ++q) {
      std::string progress_id = absl::StrCat("q", q + 1, "_progress");
      std::string rate_id = absl::StrCat("q", q + 1, "_execution_rate");
      const v1::MeasureResult* progress = FindMeasure(card_, progress_id);
      const v1::MeasureResult* rate = FindMeasure(card_, rate_id);
      mstch::map row{
          {"name", std::string(kQuarterNames[q])},
          {"short_name", std::string(kQuarterShort[q])},
          {"annual_budget", Figure(quarters[q]->annual_budget(), quarters[q]->has_annual_budget())},
          {"spending",
           Figure(quarters[q]->cumulative_spending(), quarters[q]->has_cumulative_spending())},
          {"progress", Verified(card_, progress_id)},
          {"time_progress", std::string(kTimeProgress[q])},
          {"rate", Verified(card_, rate_id)}};
      if (progress && progress->status() == v1::MEASURE_STATUS_CONTRADICTED) {
        row["declared_note"] =
            absl::StrCat("资金支出进度 ", Percent(progress->declared().display()), "、执行率 ",
                         rate ? Percent(rate->declared().display()) : "");
      }
      rows.push_back(row);
      verified.values.push_back(progress && progress->has_verified()
                                    ? AsDouble(progress->verified().display())
                                    : std::nullopt);
      declared.values.push_back(progress && progress->has_declared()
                                    ? AsDouble(progress->declared().display())
                                    : std::nullopt);
    }
    mstch::map quarterly{{"rows", rows}, {"mean_rate", Verified(card_, "budget_execution_rate")}};
    const v1::MeasureResult* mean = FindMeasure(card_, "budget_execution_rate");
    if (mean && mean->status() == v1::MEASURE_STATUS_CONTRADICTED) {
      quarterly["mean_declared_note"] = Percent(mean->declared().display());
    }
    quarterly["quarter_chart"] =
        html_ ? LinesSvg({"第一季度", "第二季度", "第三季度", "第四季度"},
                         {verified, declared, time}, "分季资金支出进度与序时进度")
              : std::string();
    view["quarterly"] = quarterly;
  }

  void AddScores(mstch::map& view) {
    view["scheme_id"] = card_.scheme_id();
    view["scheme_version"] = std::to_string(card_.scheme_version());
    view["scheme_name"] = card_.scheme_name().empty() ? card_.scheme_id() : card_.scheme_name();
    view["total_weight"] = card_.total_weight();
    view["total_score"] = card_.total_score();
    view["grade"] = card_.grade();
    if (!card_.declared_total().empty()) view["declared_total"] = card_.declared_total();
    mstch::array levels, indicators;
    std::vector<ScoreBar> bars;
    for (const v1::IndicatorResult& i : card_.indicators()) {
      std::string indent;
      for (int k = 1; k < i.level(); ++k) indent += "　";  // full-width space
      indicators.push_back(mstch::map{{"indent", indent},
                                      {"name", Cell(i.name())},
                                      {"weight", i.weight()},
                                      {"score", i.score()},
                                      {"value", Cell(i.value())},
                                      {"deductions", Cell(absl::StrJoin(i.deductions(), "；"))}});
      if (i.level() == 1) {
        levels.push_back(
            mstch::map{{"name", i.name()}, {"weight", i.weight()}, {"score", i.score()}});
      }
      if (i.level() <= 2) {
        bars.push_back({i.name(), AsDouble(i.score()).value_or(0), AsDouble(i.weight()).value_or(0),
                        absl::StrCat(i.score(), " / ", i.weight()), i.level()});
      }
    }
    view["levels"] = levels;
    view["indicators"] = indicators;
    view["score_chart"] = html_ ? ScoreBarsSvg(bars, "一级、二级指标得分与分值") : std::string();
    mstch::array findings;
    for (const v1::Finding& f : card_.findings()) {
      findings.push_back(
          mstch::map{{"severity", std::string(report::SeverityLabel(f.severity()).chinese)},
                     {"subject", Cell(f.subject())},
                     {"message", Cell(f.message())},
                     {"declared", Cell(f.declared())},
                     {"computed", Cell(f.computed())}});
    }
    view["has_findings"] = !findings.empty();
    view["findings"] = findings;
  }

  const v1::Report& r_;
  const v1::ScoreCard& card_;
  const bool html_;
};

}  // namespace

std::string RenderReport(const v1::Report& report, const v1::ScoreCard& card, Format format,
                         const Templates& templates) {
  bool html = format == Format::kHtml;
  mstch::map view = ReportView(report, card, format).Build();
  // In HTML every value is escaped before cmark sees it, so no text from a
  // report can become markup; the charts are the only raw HTML.
  std::string markdown = Mustache(templates.Get("report.md.mustache"), view, html);
  if (!html) return markdown;
  view["body"] = MarkdownToHtml(markdown);
  return Mustache(templates.Get("report.html.mustache"), view, true);
}

}  // namespace jixiao::render
