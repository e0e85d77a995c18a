// The year's summary across departments: ranks (ties share one), grades,
// the scheme's 一级 scores and findings, as CSV and as an HTML page with the
// distribution of the scheme's grades.

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/report/decimal.h"
#include "common/report/labels.h"
#include "google/protobuf/util/time_util.h"
#include "scoring-svc/engine/engine.h"
#include "tools/render/document_parts.h"
#include "tools/render/formatting.h"
#include "tools/render/render.h"
#include "tools/render/svg_charts.h"
#include "tools/render/wording.h"

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
// "良 ≥80 且 <90", "优 ≥90".
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
      // Its lower bound in, its upper out: 80 is 良, not 中.
      label += " ≥" + bands[i].min_text + " 且 <" + bands[i - 1].min_text;
    }
    bins.push_back({bands[i].grade, label, 0});
  }
  return bins;
}

}  // namespace

std::string RankText(const SummaryRow& row, const std::string& unranked) {
  if (row.rank > 0) return std::to_string(row.rank);
  return row.apart.empty() ? unranked : row.apart;
}

std::string ProgressText(const Progress& p) {
  std::string text =
      p.rostered >= 0 ? absl::StrCat("名册 ", p.rostered, " 个部门：未提交 ", p.not_started, "，")
                      : std::string("未设名册：");
  absl::StrAppend(&text, "草稿 ", p.draft, "，已提交 ", p.submitted, "，已退回 ", p.returned,
                  "，审核通过 ", p.approved);
  if (p.off_roster > 0) absl::StrAppend(&text, "；名册外 ", p.off_roster);
  return text;
}

namespace {

// Where a row apart sorts: the ones a reviewer acts on first.
int ApartOrder(const std::string& apart) {
  static const char* const kOrder[] = {"表式不符", "需重新评分", "未评分",
                                       "已退回",   "草稿",       "未提交"};
  for (int i = 0; i < 6; ++i) {
    if (apart == kOrder[i]) return i;
  }
  return 6;
}

}  // namespace

Summary BuildSummary(int fiscal_year, const std::vector<v1::ReportRevision>& reports,
                     const std::vector<v1::ScoreCard>& cards, const v1::Scheme& scheme,
                     const SummaryOptions& options) {
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
    summary.scheme_citation =
        SchemeCitation(summary.scheme_name, scheme.edition(), scheme.version());
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

  // The roster, by code.
  std::map<std::string, const v1::RosterEntry*> rostered;
  if (options.roster != nullptr) {
    summary.progress.rostered = options.roster->entries_size();
    for (const v1::RosterEntry& entry : options.roster->entries()) {
      rostered[entry.department_code()] = &entry;
    }
  }
  auto ranks = [&options](v1::ReportStatus status) {
    if (options.only != v1::REPORT_STATUS_UNSPECIFIED) return status == options.only;
    return status == v1::REPORT_STATUS_SUBMITTED || status == v1::REPORT_STATUS_APPROVED;
  };

  struct Keyed {
    SummaryRow row;
    std::optional<mpq_class> total;                // exact, if ranked
    std::vector<std::optional<mpq_class>> levels;  // exact, if ranked
  };
  std::vector<Keyed> keyed;
  std::set<std::string> stored;
  for (const v1::ReportRevision& revision : reports) {
    const std::string& code = revision.key().department_code();
    stored.insert(code);
    Progress& p = summary.progress;
    // With a roster, the steps count its departments; the others count apart.
    const bool off_roster = options.roster != nullptr && rostered.count(code) == 0;
    if (off_roster) {
      ++p.off_roster;
    } else if (revision.status() == v1::REPORT_STATUS_DRAFT) {
      ++p.draft;
    } else if (revision.status() == v1::REPORT_STATUS_SUBMITTED) {
      ++p.submitted;
    } else if (revision.status() == v1::REPORT_STATUS_RETURNED) {
      ++p.returned;
    } else if (revision.status() == v1::REPORT_STATUS_APPROVED) {
      ++p.approved;
    }
    if (options.only != v1::REPORT_STATUS_UNSPECIFIED && revision.status() != options.only) {
      continue;
    }
    Keyed k;
    k.row.code = code;
    k.row.name = revision.report().identity().department_name();
    k.row.off_roster = off_roster;
    if (auto entry = rostered.find(code); entry != rostered.end()) {
      // The bureau's roster names its departments, whatever a report calls itself.
      k.row.group = entry->second->group();
      k.row.name = entry->second->name();
    }
    if (revision.status() != v1::REPORT_STATUS_UNSPECIFIED) {
      k.row.status = report::StatusLabel(revision.status()).chinese;
    }
    k.row.level_scores.assign(summary.level_names.size(), "");
    k.levels.assign(summary.level_names.size(), std::nullopt);
    auto it = by_code.find(code);
    if (it == by_code.end()) {
      k.row.apart = ranks(revision.status()) ? "未评分" : k.row.status;
    } else {
      const v1::ScoreCard& card = *it->second;
      // Scored earlier content, or under another scheme than the year's.
      k.row.stale =
          !report::ScoredAsItStands(card, revision) ||
          (known && (card.scheme_id() != scheme.id() || card.scheme_version() != scheme.version()));
      k.row.total = card.total_score();
      k.row.declared_total = card.declared_total();
      k.row.grade = card.grade();
      k.row.card_revision = card.report().revision();
      if (card.has_saved_time()) k.row.card_time = BeijingTime(card.saved_time().seconds());
      auto verified = report::ParseDecimal(card.total_score());
      if (auto declared = report::ParseDecimal(card.declared_total());
          declared.ok() && verified.ok()) {
        mpq_class gap = declared->value - verified->value;
        k.row.gap = (gap > 0 ? "+" : "") + report::FormatFixed(gap, 2);
      }
      const Wording words(scheme, card);
      for (const auto& f : card.findings()) {
        if (f.severity() == v1::SEVERITY_ERROR) {
          ++k.row.errors;
          const std::string& subject = f.subject().empty() ? f.code() : f.subject();
          if (std::find(k.row.error_subjects.begin(), k.row.error_subjects.end(), subject) ==
              k.row.error_subjects.end()) {
            k.row.error_subjects.push_back(subject);
            k.row.error_subject_names.push_back(words.NameOf(subject));
          }
        } else if (f.severity() == v1::SEVERITY_WARNING) {
          ++k.row.warnings;
        } else {
          ++k.row.infos;
        }
      }
      for (const auto& i : card.indicators()) {
        if (i.level() != 1) continue;
        auto at = std::find(level_keys.begin(), level_keys.end(), known ? i.id() : i.name());
        if (at == level_keys.end()) continue;
        k.row.level_scores[at - level_keys.begin()] = i.score();
        if (auto score = report::ParseDecimal(i.score()); score.ok()) {
          k.levels[at - level_keys.begin()] = score->value;
        }
      }
      if (!report::UndeclaredFigures(card).empty()) {
        // Filled in for another table, whatever its status: its scores mean
        // nothing here, and are not shown.
        k.row.apart = "表式不符";
        k.row.total = k.row.grade = k.row.gap = "";
        k.row.level_scores.assign(k.row.level_scores.size(), "");
      } else if (!ranks(revision.status())) {
        k.row.apart = k.row.status;
      } else if (k.row.stale) {
        k.row.apart = "需重新评分";
      } else if (verified.ok()) {
        k.total = verified->value;  // compared exactly, as the decimal it is
      } else {
        k.row.apart = "未评分";
      }
    }
    if (!k.total) k.levels.assign(k.levels.size(), std::nullopt);
    keyed.push_back(std::move(k));
  }
  // Rostered departments with nothing stored: counted always, listed when
  // every status is.
  static const v1::Roster kNoRoster;
  for (const v1::RosterEntry& entry : (options.roster ? *options.roster : kNoRoster).entries()) {
    if (stored.count(entry.department_code())) continue;
    ++summary.progress.not_started;
    if (options.only == v1::REPORT_STATUS_UNSPECIFIED) {
      Keyed k;
      k.row.code = entry.department_code();
      k.row.name = entry.name();
      k.row.group = entry.group();
      k.row.apart = "未提交";
      k.row.level_scores.assign(summary.level_names.size(), "");
      keyed.push_back(std::move(k));
    }
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.total.has_value() != b.total.has_value()) return a.total.has_value();
    if (a.total && *a.total != *b.total) return *a.total > *b.total;
    if (!a.total && a.row.apart != b.row.apart) {
      return ApartOrder(a.row.apart) < ApartOrder(b.row.apart);
    }
    return a.row.code < b.row.code;
  });
  int ranked = 0;
  mpq_class total_sum = 0;
  std::vector<mpq_class> level_sums(summary.level_names.size());
  for (size_t i = 0; i < keyed.size(); ++i) {
    Keyed& k = keyed[i];
    if (!k.total) continue;
    k.row.rank =
        (i > 0 && keyed[i - 1].total == k.total) ? keyed[i - 1].row.rank : static_cast<int>(i + 1);
    ++ranked;
    total_sum += *k.total;
    for (size_t l = 0; l < k.levels.size(); ++l) {
      if (k.levels[l]) level_sums[l] += *k.levels[l];
    }
    for (GradeBin& bin : summary.grade_bins) {
      if (bin.grade == k.row.grade) ++bin.count;
    }
  }
  if (ranked > 0) {
    summary.average_total = report::FormatFixed(mpq_class(total_sum / ranked), 2);
    for (const mpq_class& sum : level_sums) {
      summary.level_averages.push_back(report::FormatFixed(mpq_class(sum / ranked), 2));
    }
  }
  for (Keyed& k : keyed) summary.rows.push_back(std::move(k.row));
  return summary;
}

std::vector<std::string> SummaryHeader(const Summary& summary) {
  std::vector<std::string> header = {"名次", "部门编码", "部门名称", "类别",
                                     "得分", "等级",     "自评得分", "差额"};
  header.insert(header.end(), summary.level_names.begin(), summary.level_names.end());
  for (v1::Severity severity : {v1::SEVERITY_ERROR, v1::SEVERITY_WARNING, v1::SEVERITY_INFO}) {
    header.push_back(report::SeverityLabel(severity).chinese);
  }
  for (const char* h : {"错误事项", "状态", "评分所依据的修订版本", "评分时间（北京时间）", "备注"})
    header.push_back(h);
  return header;
}

std::vector<std::string> SummaryCells(const SummaryRow& row, const std::string& unranked) {
  std::vector<std::string> cells = {
      RankText(row, unranked), row.code, row.name, row.group, row.total, row.grade,
      row.declared_total,      row.gap};
  cells.insert(cells.end(), row.level_scores.begin(), row.level_scores.end());
  cells.push_back(row.apart == "未提交" ? "" : std::to_string(row.errors));
  cells.push_back(row.apart == "未提交" ? "" : std::to_string(row.warnings));
  cells.push_back(row.apart == "未提交" ? "" : std::to_string(row.infos));
  cells.push_back(absl::StrJoin(row.error_subject_names, "、"));
  cells.push_back(row.status);
  cells.push_back(row.card_revision > 0 ? std::to_string(row.card_revision) : "");
  cells.push_back(row.card_time);
  std::vector<std::string> notes;
  if (row.stale && row.apart != "需重新评分") notes.push_back("需重新评分");
  if (row.off_roster) notes.push_back("名册外");
  cells.push_back(absl::StrJoin(notes, "；"));
  return cells;
}

std::vector<std::string> SummaryAverageCells(const Summary& summary) {
  if (summary.average_total.empty()) return {};
  // SummaryCells' columns: the name's, the total's, then each level's.
  std::vector<std::string> cells = {"", "", "平均（已排名）", "", summary.average_total, "",
                                    "", ""};
  cells.insert(cells.end(), summary.level_averages.begin(), summary.level_averages.end());
  cells.resize(SummaryHeader(summary).size());
  return cells;
}

std::string SummaryCsv(const Summary& summary) {
  std::string csv = "\xEF\xBB\xBF";  // UTF-8 byte-order mark
  csv += CsvRow(SummaryHeader(summary));
  for (const SummaryRow& row : summary.rows) csv += CsvRow(SummaryCells(row, ""));
  if (std::vector<std::string> average = SummaryAverageCells(summary); !average.empty()) {
    // After a blank line, as the workbook puts it below its table: a sort or
    // a script reading the departments' rows stops before it.
    csv += "\r\n" + CsvRow(average);
  }
  return csv;
}

std::string SummaryHtml(const Summary& summary, const Templates& templates,
                        const std::set<std::string>* documents) {
  const bool links = documents != nullptr;
  mstch::array ranked, apart;
  int scored = 0, flagged = 0;
  std::vector<std::pair<std::string, int>> bins;
  for (const GradeBin& bin : summary.grade_bins) bins.emplace_back(bin.label, bin.count);
  for (const SummaryRow& row : summary.rows) {
    mstch::array levels;
    for (const auto& s : row.level_scores) levels.push_back(s);
    const bool not_started = row.apart == "未提交";
    mstch::map cells{{"rank", RankText(row, "—")},
                     {"code", row.code},
                     {"name", row.name},
                     {"group", row.group},
                     {"total", row.total},
                     {"grade", row.grade},
                     {"declared", row.declared_total},
                     {"gap", row.gap},
                     {"levels", levels},
                     {"errors", not_started ? std::string() : std::to_string(row.errors)},
                     {"subjects", absl::StrJoin(row.error_subject_names, "、")},
                     {"warnings", not_started ? std::string() : std::to_string(row.warnings)},
                     {"infos", not_started ? std::string() : std::to_string(row.infos)},
                     {"status", row.status},
                     {"card_revision",
                      row.card_revision > 0 ? std::to_string(row.card_revision) : std::string()},
                     {"card_time", row.card_time},
                     {"off_roster", row.off_roster},
                     {"stale", row.stale && row.apart != "需重新评分"},
                     {"flagged", row.errors > 0}};
    // A department code is a file name (report::IsCode): its page's folder.
    if (links && !not_started) cells["link"] = row.code + "/index.html";
    if (links && documents->count(row.code) != 0) cells["document"] = row.code + "/report.html";
    (row.rank > 0 ? ranked : apart).push_back(std::move(cells));
    if (row.rank > 0) ++scored;
    if (row.rank > 0 && row.errors > 0) ++flagged;
  }
  // The page's columns are the table's and the CSV's, but for 备注, which the
  // page writes beside the department's name.
  std::vector<std::string> columns = SummaryHeader(summary);
  columns.pop_back();
  const size_t name_column = 2;
  auto header_cells = [&](const std::string& first) {
    mstch::array cells;
    for (size_t i = 0; i < columns.size(); ++i) {
      cells.push_back(
          mstch::map{{"text", i == 0 ? first : columns[i]}, {"name", i == name_column}});
    }
    return cells;
  };
  mstch::array average;
  if (std::vector<std::string> cells = SummaryAverageCells(summary); !cells.empty()) {
    cells.resize(columns.size());
    for (size_t i = 0; i < cells.size(); ++i) {
      average.push_back(
          mstch::map{{"text", cells[i]}, {"n", i != name_column && !cells[i].empty()}});
    }
  }
  mstch::map view{{"fiscal_year", std::to_string(summary.fiscal_year)},
                  {"scheme_name", summary.scheme_name},
                  {"scheme_citation", summary.scheme_citation},
                  {"count", std::to_string(summary.rows.size())},
                  {"scored", std::to_string(scored)},
                  {"flagged", std::to_string(flagged)},
                  {"progress", ProgressText(summary.progress)},
                  {"header", header_cells(columns[0])},
                  {"apart_header", header_cells("原因")},
                  {"average", average},
                  {"has_average", !average.empty()},
                  {"rows", ranked},
                  {"apart", apart},
                  {"has_apart", !apart.empty()},
                  {"links", links},
                  {"chart", Captioned(HistogramSvg(bins, "得分分布（按等级，已排名部门）"),
                                      "已排名部门的等级分布")}};
  return NumberFigures(Mustache(templates.Get("summary.html.mustache"), view, true));
}

}  // namespace jixiao::render
