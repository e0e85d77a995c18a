#include "render.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "decimal.h"
#include "formatting.h"
#include "mstch/mstch.hpp"
#include "svg_charts.h"

namespace jixiao::render {

// Defined in the generated builtin_templates.cc.
const std::map<std::string, std::string>& BuiltInTemplates();

namespace {

const char* const kQuarterNames[] = {"第一季度", "第二季度", "第三季度", "第四季度"};
const char* const kQuarterShort[] = {"一季度", "二季度", "三季度", "四季度"};
const char* const kTimeProgress[] = {"25%", "50%", "75%", "100%"};
constexpr char kMissing[] = "（未填报）";

// Renders with mstch, escaping {{values}} for HTML or not at all.
std::string Mustache(const std::string& text, const mstch::node& view, bool html_escape) {
  static std::mutex mutex;  // mstch's escape function is global
  std::lock_guard<std::mutex> lock(mutex);
  mstch::config::escape = html_escape ? std::function<std::string(const std::string&)>(HtmlEscape)
                                      : [](const std::string& s) { return s; };
  return mstch::render(text, view);
}

std::string Figure(const v1::Decimal& decimal, bool present) {
  return present ? Money(decimal.value()) : kMissing;
}

// A table cell: no line breaks, pipes escaped.
std::string Cell(std::string text) {
  absl::StrReplaceAll({{"|", "\\|"}, {"\n", " "}}, &text);
  return text;
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

const char* SeverityName(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_ERROR:
      return "错误";
    case v1::SEVERITY_WARNING:
      return "警告";
    default:
      return "提示";
  }
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
      findings.push_back(mstch::map{{"severity", std::string(SeverityName(f.severity()))},
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

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Templates Templates::BuiltIn() {
  Templates templates;
  templates.templates_ = BuiltInTemplates();
  return templates;
}

absl::StatusOr<Templates> Templates::WithOverrides(const std::string& directory) {
  Templates templates = BuiltIn();
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr)
    return absl::NotFoundError(absl::StrCat("cannot read template directory ", directory));
  closedir(dir);
  for (auto& [name, text] : templates.templates_) {
    bool ok = false;
    std::string override_text = ReadFile(directory + "/" + name, &ok);
    if (ok) text = override_text;
  }
  return templates;
}

const std::string& Templates::Get(const std::string& name) const {
  static const std::string empty;
  auto it = templates_.find(name);
  return it == templates_.end() ? empty : it->second;
}

std::string MarkdownToHtml(const std::string& markdown) {
  cmark_gfm_core_extensions_ensure_registered();
  const int options = CMARK_OPT_UNSAFE;  // keeps the charts; text is escaped beforehand
  cmark_parser* parser = cmark_parser_new(options);
  cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension("table"));
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  cmark_node* document = cmark_parser_finish(parser);
  char* html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser));
  std::string out(html);
  free(html);
  cmark_node_free(document);
  cmark_parser_free(parser);
  return out;
}

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

Summary BuildSummary(int fiscal_year, const std::vector<v1::ReportRevision>& reports,
                     const std::vector<v1::ScoreCard>& cards) {
  Summary summary;
  summary.fiscal_year = fiscal_year;
  std::map<std::string, const v1::ScoreCard*> by_code;
  for (const v1::ScoreCard& card : cards) by_code[card.report().department_code()] = &card;
  for (const v1::ScoreCard& card : cards) {
    for (const auto& i : card.indicators()) {
      if (i.level() == 1 && std::find(summary.level_names.begin(), summary.level_names.end(),
                                      i.name()) == summary.level_names.end()) {
        summary.level_names.push_back(i.name());
      }
    }
  }
  struct Keyed {
    SummaryRow row;
    std::optional<mpq_class> total;  // exact; none if not scored
  };
  std::vector<Keyed> keyed;
  for (const v1::ReportRevision& revision : reports) {
    Keyed k;
    k.row.code = revision.key().department_code();
    k.row.name = revision.report().identity().department_name();
    switch (revision.status()) {
      case v1::REPORT_STATUS_DRAFT:
        k.row.status = "草稿";
        break;
      case v1::REPORT_STATUS_SUBMITTED:
        k.row.status = "已提交";
        break;
      case v1::REPORT_STATUS_RETURNED:
        k.row.status = "已退回";
        break;
      case v1::REPORT_STATUS_APPROVED:
        k.row.status = "已审核";
        break;
      default:
        break;
    }
    auto it = by_code.find(k.row.code);
    k.row.level_scores.assign(summary.level_names.size(), "");
    if (it != by_code.end()) {
      const v1::ScoreCard& card = *it->second;
      k.row.total = card.total_score();
      k.row.grade = card.grade();
      for (const auto& i : card.indicators()) {
        auto at = std::find(summary.level_names.begin(), summary.level_names.end(), i.name());
        if (i.level() == 1 && at != summary.level_names.end()) {
          k.row.level_scores[at - summary.level_names.begin()] = i.score();
        }
      }
      for (const auto& f : card.findings()) {
        if (f.severity() == v1::SEVERITY_ERROR)
          ++k.row.errors;
        else if (f.severity() == v1::SEVERITY_WARNING)
          ++k.row.warnings;
        else
          ++k.row.infos;
      }
      // Totals are compared exactly, as the decimals they are.
      if (auto total = engine::ParseDecimal(card.total_score()); total.ok()) {
        k.total = total->value;
      }
    }
    keyed.push_back(std::move(k));
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.total.has_value() != b.total.has_value()) return a.total.has_value();
    if (a.total && *a.total != *b.total) return *a.total > *b.total;
    return a.row.code < b.row.code;
  });
  for (size_t i = 0; i < keyed.size(); ++i) {
    if (!keyed[i].total) continue;
    keyed[i].row.rank = (i > 0 && keyed[i - 1].total == keyed[i].total) ? keyed[i - 1].row.rank
                                                                        : static_cast<int>(i + 1);
  }
  for (Keyed& k : keyed) summary.rows.push_back(std::move(k.row));
  return summary;
}

std::string SummaryCsv(const Summary& summary) {
  auto quote = [](const std::string& field) {
    if (field.find_first_of(",\"\n") == std::string::npos) return field;
    return "\"" + absl::StrReplaceAll(field, {{"\"", "\"\""}}) + "\"";
  };
  std::string csv = "\xEF\xBB\xBF";  // UTF-8 byte-order mark
  std::vector<std::string> header = {"名次", "部门编码", "部门名称", "得分", "等级"};
  header.insert(header.end(), summary.level_names.begin(), summary.level_names.end());
  for (const char* h : {"错误", "警告", "提示", "状态"}) header.push_back(h);
  std::vector<std::string> quoted;
  for (const auto& h : header) quoted.push_back(quote(h));
  csv += absl::StrJoin(quoted, ",") + "\r\n";
  for (const SummaryRow& row : summary.rows) {
    std::vector<std::string> fields = {row.rank ? std::to_string(row.rank) : "", row.code, row.name,
                                       row.total, row.grade};
    fields.insert(fields.end(), row.level_scores.begin(), row.level_scores.end());
    fields.push_back(std::to_string(row.errors));
    fields.push_back(std::to_string(row.warnings));
    fields.push_back(std::to_string(row.infos));
    fields.push_back(row.status);
    quoted.clear();
    for (const auto& f : fields) quoted.push_back(quote(f));
    csv += absl::StrJoin(quoted, ",") + "\r\n";
  }
  return csv;
}

std::string SummaryHtml(const Summary& summary, const Templates& templates) {
  mstch::array rows;
  int scored = 0, flagged = 0;
  std::vector<std::pair<std::string, int>> bins = {
      {"差 <60", 0}, {"中 60–80", 0}, {"良 80–90", 0}, {"优 ≥90", 0}};
  for (const SummaryRow& row : summary.rows) {
    mstch::array levels;
    for (const auto& s : row.level_scores) levels.push_back(s);
    rows.push_back(mstch::map{{"rank", row.rank ? std::to_string(row.rank) : std::string("—")},
                              {"code", row.code},
                              {"name", row.name},
                              {"total", row.total.empty() ? std::string("未评分") : row.total},
                              {"grade", row.grade},
                              {"levels", levels},
                              {"errors", std::to_string(row.errors)},
                              {"warnings", std::to_string(row.warnings)},
                              {"infos", std::to_string(row.infos)},
                              {"status", row.status},
                              {"flagged", row.errors > 0}});
    if (!row.total.empty()) {
      ++scored;
      if (auto parsed = engine::ParseDecimal(row.total); parsed.ok()) {
        const mpq_class& total = parsed->value;
        bins[total >= 90 ? 3 : total >= 80 ? 2 : total >= 60 ? 1 : 0].second++;
      }
    }
    if (row.errors > 0) ++flagged;
  }
  mstch::array level_names;
  for (const auto& n : summary.level_names) level_names.push_back(n);
  mstch::map view{{"fiscal_year", std::to_string(summary.fiscal_year)},
                  {"count", std::to_string(summary.rows.size())},
                  {"scored", std::to_string(scored)},
                  {"flagged", std::to_string(flagged)},
                  {"level_names", level_names},
                  {"rows", rows},
                  {"chart", HistogramSvg(bins, "得分分布（按等级）")}};
  return Mustache(templates.Get("summary.html.mustache"), view, true);
}

std::string RenderCompare(const v1::Report& report_a, const v1::ScoreCard& card_a,
                          const v1::ScoreCard& card_b, Format format, const Templates& templates) {
  // The exact change from score `a` to score `b`, signed, with their decimals.
  auto diff = [](const std::string& a, const std::string& b) -> std::string {
    auto from = engine::ParseDecimal(a);
    auto to = engine::ParseDecimal(b);
    if (!from.ok() || !to.ok()) return "";
    mpq_class change = to->value - from->value;
    std::string text = engine::FormatFixed(change, std::max(from->decimals, to->decimals));
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
