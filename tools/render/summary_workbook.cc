// The year's summary as an .xlsx workbook for the bureau (libxlsxwriter):
// the progress line, then one row per department under a frozen header
// with filters; scores are numbers shown with the decimals they were
// given, so a spreadsheet sorts and sums them.

#include <xlsxwriter.h>

#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "tools/render/document_parts.h"
#include "tools/render/render.h"

namespace jixiao::render {
namespace {

// Decimals of a decimal string ("97.06" → 2, a signed gap "+0.83" too); -1
// if it is not a number (a rank apart, a name).
int DecimalsOf(const std::string& text) {
  absl::string_view unsigned_text = text;
  if (!unsigned_text.empty() && unsigned_text[0] == '+') unsigned_text.remove_prefix(1);
  auto scanned = report::ScanDecimal(unsigned_text);
  return scanned.ok() ? scanned->decimals() : -1;
}

}  // namespace

std::string WorkbookText(const std::string& text) {
  constexpr size_t kMaxCellBytes = 32767;  // Excel's limit, which libxlsxwriter enforces
  if (text.size() <= kMaxCellBytes) return text;
  const std::string mark = "…（已截断）";
  size_t cut = kMaxCellBytes - mark.size();
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + mark;
}

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
  // A number format per count of decimals: "0", "0.00", ...
  std::map<int, lxw_format*> numbers;
  auto number_format = [&](int decimals) {
    auto [it, fresh] = numbers.emplace(decimals, nullptr);
    if (fresh) {
      it->second = workbook_add_format(book);
      std::string code =
          decimals == 0 ? "0" : "0." + std::string(static_cast<size_t>(decimals), '0');
      format_set_num_format(it->second, code.c_str());
    }
    return it->second;
  };
  auto cell = [&](int row, int col, const std::string& text, lxw_format* format = nullptr) {
    // A code or a name is text, whatever it looks like ("00123" stays so).
    int decimals = col == 1 || col == 2 ? -1 : DecimalsOf(text);
    if (decimals >= 0) {
      // The decimal as the spreadsheet's number, shown with its decimals.
      worksheet_write_number(sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col),
                             std::strtod(text.c_str(), nullptr), number_format(decimals));
    } else if (!text.empty()) {
      worksheet_write_string(sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col),
                             WorkbookText(text).c_str(), format);
    }
  };
  std::string heading = absl::StrCat(summary.fiscal_year, " 年度部门整体支出绩效自评汇总");
  if (!summary.scheme_name.empty()) absl::StrAppend(&heading, "（", summary.scheme_name, "）");
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
  if (!summary.average_total.empty()) {
    ++row;  // below the filtered table
    cell(row, 2, "平均（已排名）");
    cell(row, 4, summary.average_total);
    for (size_t i = 0; i < summary.level_averages.size(); ++i) {
      cell(row, static_cast<int>(8 + i), summary.level_averages[i]);
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
