// The year's summary as an .xlsx workbook for the bureau (libxlsxwriter):
// the progress line, then one row per department under a frozen header
// with filters; scores are numbers shown with the decimals they were
// given, so a spreadsheet sorts and sums them.

#include "absl/strings/str_cat.h"
#include "tools/render/render.h"
#include "tools/render/workbook.h"

namespace jixiao::render {

absl::Status SummaryXlsx(const Summary& summary, const std::string& path) {
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) return absl::InvalidArgumentError(absl::StrCat("cannot create ", path));
  lxw_worksheet* sheet =
      workbook_add_worksheet(book, absl::StrCat(summary.fiscal_year, " 年度").c_str());
  lxw_format* title = workbook_add_format(book);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* header = workbook_add_format(book);
  format_set_bold(header);
  format_set_bg_color(header, 0xD9E1F2);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_text_wrap(header);
  lxw_format* apart = workbook_add_format(book);
  format_set_font_color(apart, 0x595959);
  WorkbookCells cells(book);
  auto cell = [&](int row, int col, const std::string& text, lxw_format* format = nullptr) {
    // A code or a name is text, whatever it looks like ("00123" stays so).
    cells.Write(sheet, row, col, text, col == 1 || col == 2, format);
  };
  std::string heading = absl::StrCat(summary.fiscal_year, " 年度部门整体支出绩效自评汇总");
  if (!summary.scheme_citation.empty()) {
    absl::StrAppend(&heading, "（", summary.scheme_citation, "）");
  }
  worksheet_write_string(sheet, 0, 0, heading.c_str(), title);
  worksheet_write_string(sheet, 1, 0, ProgressText(summary.progress).c_str(), nullptr);
  const std::vector<std::string> columns = SummaryHeader(summary);
  constexpr int kHeaderRow = 2;
  for (size_t c = 0; c < columns.size(); ++c) {
    worksheet_write_string(sheet, kHeaderRow, static_cast<lxw_col_t>(c), columns[c].c_str(),
                           header);
  }
  worksheet_set_column(sheet, 0, 0, 12, nullptr);
  worksheet_set_column(sheet, 1, 1, 16, nullptr);
  worksheet_set_column(sheet, 2, 2, 30, nullptr);
  int row = kHeaderRow + 1;
  for (const SummaryRow& r : summary.rows) {
    std::vector<std::string> cells = SummaryCells(r, "");
    for (size_t c = 0; c < cells.size(); ++c) {
      cell(row, static_cast<int>(c), cells[c], r.rank > 0 ? nullptr : apart);
    }
    ++row;
  }
  const int last = row - 1;
  worksheet_freeze_panes(sheet, kHeaderRow + 1, 3);
  worksheet_autofilter(sheet, kHeaderRow, 0, static_cast<lxw_row_t>(std::max(last, kHeaderRow)),
                       static_cast<lxw_col_t>(columns.size() - 1));
  if (std::vector<std::string> average = SummaryAverageCells(summary); !average.empty()) {
    ++row;  // below the filtered table
    for (size_t c = 0; c < average.size(); ++c) {
      if (!average[c].empty()) cell(row, static_cast<int>(c), average[c]);
    }
  }
  lxw_error error = workbook_close(book);
  if (error != LXW_NO_ERROR) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write ", path, ": ", lxw_strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace jixiao::render
