// The year's summary across departments: ranks (ties share one), grades,
// level scores and findings, as CSV and as an HTML page with the grades'
// distribution.

#include <algorithm>
#include <optional>

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/report/decimal.h"
#include "common/report/labels.h"
#include "tools/render/document_parts.h"
#include "tools/render/render.h"
#include "tools/render/svg_charts.h"

namespace jixiao::render {

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
    if (revision.status() != v1::REPORT_STATUS_UNSPECIFIED) {
      k.row.status = report::StatusLabel(revision.status()).chinese;
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
      if (auto total = report::ParseDecimal(card.total_score()); total.ok()) {
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
      if (auto parsed = report::ParseDecimal(row.total); parsed.ok()) {
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

}  // namespace jixiao::render
