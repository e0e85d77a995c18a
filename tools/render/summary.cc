// The year's summary across departments: ranks (ties share one), grades,
// the scheme's 一级 scores and findings, as CSV and as an HTML page with the
// distribution of the scheme's grades.

#include <algorithm>
#include <optional>

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/report/decimal.h"
#include "common/report/labels.h"
#include "scoring-svc/engine/engine.h"
#include "tools/render/document_parts.h"
#include "tools/render/render.h"
#include "tools/render/svg_charts.h"

namespace jixiao::render {

namespace {

struct Band {
  std::string grade;
  mpq_class min_score;
  std::string min_text;  // as the scheme writes it
};

// The grade bands a scheme scores with, highest first (the engine's
// defaults for a scheme that declares none).
std::vector<Band> GradeBands(const v1::Scheme& scheme) {
  std::vector<Band> bands;
  for (const v1::GradeBand& band : engine::GradeBandsOf(scheme)) {
    auto min = report::ParseDecimal(band.min_score());
    bands.push_back({band.grade(), min.ok() ? min->value : mpq_class(0), band.min_score()});
  }
  return bands;
}

// Lowest first, each band labelled with the scores it takes: "差 <60",
// "良 80–90", "优 ≥90".
std::vector<GradeBin> BinsOf(const std::vector<Band>& bands) {
  std::vector<GradeBin> bins;
  for (size_t i = bands.size(); i-- > 0;) {
    std::string label = bands[i].grade;
    if (bands.size() == 1) {
      // one grade for every score
    } else if (i == 0) {
      label += " ≥" + bands[i].min_text;
    } else if (bands[i].min_score == 0) {
      label += " <" + bands[i - 1].min_text;
    } else {
      label += " " + bands[i].min_text + "–" + bands[i - 1].min_text;
    }
    bins.push_back({bands[i].grade, label, 0});
  }
  return bins;
}

}  // namespace

std::string RankText(const SummaryRow& row, const std::string& unranked) {
  if (row.rank > 0) return std::to_string(row.rank);
  return row.stale ? "需重新评分" : unranked;
}

Summary BuildSummary(int fiscal_year, const std::vector<v1::ReportRevision>& reports,
                     const std::vector<v1::ScoreCard>& cards, const v1::Scheme& scheme) {
  Summary summary;
  summary.fiscal_year = fiscal_year;
  const bool known = !scheme.id().empty();
  std::map<std::string, const v1::ScoreCard*> by_code;
  for (const v1::ScoreCard& card : cards) by_code[card.report().department_code()] = &card;
  // The level columns, each with the key a card's 一级 indicator is matched
  // by: the scheme's ids, or (scheme not known) the names the cards hold.
  std::vector<std::string> level_keys;
  if (known) {
    summary.scheme_name = scheme.name().empty() ? scheme.id() : scheme.name();
    for (const v1::Indicator& i : scheme.indicators()) {
      level_keys.push_back(i.id());
      summary.level_names.push_back(i.name());
    }
  } else {
    for (const v1::ScoreCard& card : cards) {
      for (const auto& i : card.indicators()) {
        if (i.level() == 1 && std::find(summary.level_names.begin(), summary.level_names.end(),
                                        i.name()) == summary.level_names.end()) {
          summary.level_names.push_back(i.name());
        }
      }
    }
    level_keys = summary.level_names;
  }
  if (known) {
    summary.grade_bins = BinsOf(GradeBands(scheme));
  } else {
    // The grades the cards were given, lowest first by the lowest total
    // that earned each.
    std::map<std::string, mpq_class> lowest;
    for (const v1::ScoreCard& card : cards) {
      auto total = report::ParseDecimal(card.total_score());
      if (card.grade().empty() || !total.ok()) continue;
      auto [it, inserted] = lowest.emplace(card.grade(), total->value);
      if (!inserted && total->value < it->second) it->second = total->value;
    }
    std::vector<std::pair<std::string, mpq_class>> grades(lowest.begin(), lowest.end());
    std::stable_sort(grades.begin(), grades.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [grade, total] : grades) summary.grade_bins.push_back({grade, grade, 0});
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
    if (revision.status() != v1::REPORT_STATUS_UNSPECIFIED) {
      k.row.status = report::StatusLabel(revision.status()).chinese;
    }
    auto it = by_code.find(k.row.code);
    k.row.level_scores.assign(summary.level_names.size(), "");
    if (it != by_code.end()) {
      const v1::ScoreCard& card = *it->second;
      const int64_t content =
          revision.content_revision() > 0 ? revision.content_revision() : revision.revision();
      k.row.stale = card.report().revision() < content;
      k.row.total = card.total_score();
      k.row.grade = card.grade();
      for (const auto& i : card.indicators()) {
        if (i.level() != 1) continue;
        auto at = std::find(level_keys.begin(), level_keys.end(), known ? i.id() : i.name());
        if (at != level_keys.end()) k.row.level_scores[at - level_keys.begin()] = i.score();
      }
      for (GradeBin& bin : summary.grade_bins) {
        if (bin.grade == card.grade() && !k.row.stale) ++bin.count;
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
      if (auto total = report::ParseDecimal(card.total_score()); total.ok() && !k.row.stale) {
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
  for (v1::Severity severity : {v1::SEVERITY_ERROR, v1::SEVERITY_WARNING, v1::SEVERITY_INFO}) {
    header.push_back(report::SeverityLabel(severity).chinese);
  }
  header.push_back("状态");
  std::vector<std::string> quoted;
  for (const auto& h : header) quoted.push_back(quote(h));
  csv += absl::StrJoin(quoted, ",") + "\r\n";
  for (const SummaryRow& row : summary.rows) {
    std::vector<std::string> fields = {RankText(row, ""), row.code, row.name, row.total, row.grade};
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
  std::vector<std::pair<std::string, int>> bins;
  for (const GradeBin& bin : summary.grade_bins) bins.emplace_back(bin.label, bin.count);
  for (const SummaryRow& row : summary.rows) {
    mstch::array levels;
    for (const auto& s : row.level_scores) levels.push_back(s);
    rows.push_back(mstch::map{{"rank", RankText(row, "—")},
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
    if (!row.total.empty()) ++scored;
    if (row.errors > 0) ++flagged;
  }
  mstch::array level_names;
  for (const auto& n : summary.level_names) level_names.push_back(n);
  mstch::map view{{"fiscal_year", std::to_string(summary.fiscal_year)},
                  {"scheme_name", summary.scheme_name},
                  {"count", std::to_string(summary.rows.size())},
                  {"scored", std::to_string(scored)},
                  {"flagged", std::to_string(flagged)},
                  {"level_names", level_names},
                  {"rows", rows},
                  {"chart", HistogramSvg(bins, "得分分布（按等级）")}};
  return Mustache(templates.Get("summary.html.mustache"), view, true);
}

}  // namespace jixiao::render
