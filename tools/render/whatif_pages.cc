// What-if's answer (`jixiao whatif`) for the people who decide on a draft
// scheme: every department's move as CSV, the same with the grade changes,
// the distributions and each indicator's effect as an .xlsx workbook, and
// all of it as one self-contained HTML page (templates/whatif.html.mustache).

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "common/report/plain_text.h"
#include "tools/render/document_parts.h"
#include "tools/render/formatting.h"
#include "tools/render/render.h"
#include "tools/render/svg_charts.h"
#include "tools/render/workbook.h"

namespace jixiao::render {
namespace {

namespace wv1 = whatif::v1;

// 《NAME》第 V 版（ID@V）.
std::string Cited(const wv1::SchemeUsed& scheme) {
  return absl::StrCat("《", report::OneLine(scheme.name().empty() ? scheme.id() : scheme.name()),
                      "》第 ", scheme.version(), " 版（", report::OneLine(scheme.id()), "@",
                      scheme.version(), "）");
}

const std::vector<std::string>& MoverHeader() {
  static const std::vector<std::string> header = {
      "部门编码", "部门名称",   "修订版本",   "调整前得分", "调整后得分",
      "变动",     "调整前等级", "调整后等级", "调整前名次", "调整后名次"};
  return header;
}

std::vector<std::string> MoverCells(const wv1::Mover& m) {
  return {m.department_code(),
          m.department_name(),
          std::to_string(m.revision()),
          m.before_total(),
          m.after_total(),
          m.change(),
          m.before_grade(),
          m.after_grade(),
          std::to_string(m.before_rank()),
          std::to_string(m.after_rank())};
}

std::string IndicatorNote(const wv1::IndicatorChange& c) {
  if (!c.in_before()) return "调整后新增";
  if (!c.in_after()) return "调整后取消";
  return "";
}

mstch::array Movers(const google::protobuf::RepeatedPtrField<wv1::Mover>& movers) {
  mstch::array rows;
  for (const wv1::Mover& m : movers) {
    auto change = report::ParseDecimal(m.change());
    const char* direction = !change.ok() || change->value == 0 ? ""
                            : change->value < 0                ? "down"
                                                               : "up";
    rows.push_back(mstch::map{{"code", report::OneLine(m.department_code())},
                              {"name", report::OneLine(m.department_name())},
                              {"before_total", m.before_total()},
                              {"after_total", m.after_total()},
                              {"change", m.change()},
                              {"direction", std::string(direction)},
                              {"before_grade", report::OneLine(m.before_grade())},
                              {"after_grade", report::OneLine(m.after_grade())},
                              {"before_rank", std::to_string(m.before_rank())},
                              {"after_rank", std::to_string(m.after_rank())}});
  }
  return rows;
}

std::string Distribution(const google::protobuf::RepeatedPtrField<wv1::GradeCount>& grades,
                         const std::string& title) {
  std::vector<std::pair<std::string, int>> bins;
  for (const wv1::GradeCount& g : grades) bins.emplace_back(report::OneLine(g.grade()), g.count());
  return Captioned(HistogramSvg(bins, title), title + "（部门数）");
}

// A mean as a page prints it: to 2 decimals, as scores are.
std::string TwoDecimals(const std::string& decimal) {
  auto parsed = report::ParseDecimal(decimal);
  return parsed.ok() ? report::FormatFixed(parsed->value, 2) : decimal;
}

}  // namespace

std::string WhatIfCsv(const wv1::WhatIf& result) {
  std::string csv = "\xEF\xBB\xBF";  // UTF-8 byte-order mark, for spreadsheets
  csv += CsvRow(MoverHeader());
  for (const wv1::Mover& m : result.all()) csv += CsvRow(MoverCells(m));
  return csv;
}

absl::Status WhatIfXlsx(const wv1::WhatIf& result, const std::string& path) {
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) return absl::InvalidArgumentError(absl::StrCat("cannot create ", path));
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_format* header = workbook_add_format(book);
  format_set_bold(header);
  format_set_bg_color(header, 0xD9E1F2);
  format_set_border(header, LXW_BORDER_THIN);
  WorkbookCells cells(book);
  // A sheet: its title, a header, and the rows; the columns `text` names
  // (codes, names, grades) are text whatever they look like.
  auto table = [&](const char* name, const std::string& title,
                   const std::vector<std::string>& columns,
                   const std::vector<std::vector<std::string>>& rows, std::set<size_t> text) {
    lxw_worksheet* sheet = workbook_add_worksheet(book, name);
    worksheet_write_string(sheet, 0, 0, WorkbookText(title).c_str(), bold);
    for (size_t c = 0; c < columns.size(); ++c) {
      worksheet_write_string(sheet, 1, static_cast<lxw_col_t>(c), columns[c].c_str(), header);
    }
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t c = 0; c < rows[r].size(); ++c) {
        cells.Write(sheet, static_cast<int>(r + 2), static_cast<int>(c), rows[r][c],
                    text.count(c) > 0);
      }
    }
    worksheet_freeze_panes(sheet, 2, 0);
    worksheet_set_column(sheet, 0, static_cast<lxw_col_t>(columns.size() - 1), 14, nullptr);
    if (!rows.empty()) {
      worksheet_autofilter(sheet, 1, 0, static_cast<lxw_row_t>(rows.size() + 1),
                           static_cast<lxw_col_t>(columns.size() - 1));
    }
  };
  const std::string heading = absl::StrCat(result.fiscal_year(), " 年度：", Cited(result.after()),
                                           "（调整后）对比", Cited(result.before()), "（调整前）");
  std::vector<std::vector<std::string>> movers;
  for (const wv1::Mover& m : result.all()) movers.push_back(MoverCells(m));
  table("部门变动", heading, MoverHeader(), movers, {0, 1, 6, 7});
  std::vector<std::vector<std::string>> grades;
  for (const wv1::GradeChange& g : result.grade_changes()) {
    grades.push_back({g.from(), g.to(), std::to_string(g.count())});
  }
  table("等级变化", "等级变化（部门数）", {"调整前等级", "调整后等级", "部门数"}, grades, {0, 1});
  std::vector<std::vector<std::string>> distribution;
  for (int i = 0; i < std::max(result.before_grades_size(), result.after_grades_size()); ++i) {
    std::vector<std::string> row(4);
    if (i < result.before_grades_size()) {
      row[0] = result.before_grades(i).grade();
      row[1] = std::to_string(result.before_grades(i).count());
    }
    if (i < result.after_grades_size()) {
      row[2] = result.after_grades(i).grade();
      row[3] = std::to_string(result.after_grades(i).count());
    }
    distribution.push_back(std::move(row));
  }
  distribution.push_back({"平均得分", result.before_mean(), "平均得分", result.after_mean()});
  table("等级分布", "等级分布", {"调整前等级", "部门数", "调整后等级", "部门数"}, distribution,
        {0, 2});
  std::vector<std::vector<std::string>> indicators;
  for (const wv1::IndicatorChange& c : result.indicators()) {
    indicators.push_back(
        {c.id(), c.name(), c.mean_change(), std::to_string(c.moved()), IndicatorNote(c)});
  }
  table("指标影响", "各指标的影响", {"指标编码", "指标", "平均变动（分）", "受影响部门数", "说明"},
        indicators, {0, 1, 4});
  lxw_error error = workbook_close(book);
  if (error != LXW_NO_ERROR) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write ", path, ": ", lxw_strerror(error)));
  }
  return absl::OkStatus();
}

std::string WhatIfHtml(const wv1::WhatIf& result, const Templates& templates) {
  mstch::array grade_changes, indicators, failures;
  for (const wv1::GradeChange& g : result.grade_changes()) {
    grade_changes.push_back(mstch::map{{"from", report::OneLine(g.from())},
                                       {"to", report::OneLine(g.to())},
                                       {"count", std::to_string(g.count())}});
  }
  for (const wv1::IndicatorChange& c : result.indicators()) {
    if (c.moved() == 0 && c.in_before() && c.in_after()) continue;
    indicators.push_back(mstch::map{{"name", report::OneLine(c.name())},
                                    {"mean_change", c.mean_change()},
                                    {"moved", std::to_string(c.moved())},
                                    {"note", IndicatorNote(c)}});
  }
  for (const wv1::Failure& f : result.failures()) {
    failures.push_back(mstch::map{{"report", report::OneLine(f.report())},
                                  {"message", report::OneLine(f.message())}});
  }
  mstch::map view{{"fiscal_year", std::to_string(result.fiscal_year())},
                  {"before", Cited(result.before())},
                  {"after", Cited(result.after())},
                  {"reports", std::to_string(result.reports())},
                  {"grade_changed", std::to_string(result.grade_changed())},
                  {"rank_changed", std::to_string(result.rank_changed())},
                  {"before_mean", TwoDecimals(result.before_mean())},
                  {"after_mean", TwoDecimals(result.after_mean())},
                  {"has_grade_changes", !grade_changes.empty()},
                  {"grade_changes", grade_changes},
                  {"before_chart", Distribution(result.before_grades(), "调整前等级分布")},
                  {"after_chart", Distribution(result.after_grades(), "调整后等级分布")},
                  {"has_largest", result.largest_size() > 0},
                  {"largest", Movers(result.largest())},
                  {"indicators", indicators},
                  {"has_all", result.all_size() > 0},
                  {"all", Movers(result.all())},
                  {"has_failures", !failures.empty()},
                  {"failure_count", std::to_string(failures.size())},
                  {"failures", failures}};
  return NumberFigures(Mustache(templates.Get("whatif.html.mustache"), view, true));
}

}  // namespace jixiao::render
