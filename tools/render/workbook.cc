#include "tools/render/workbook.h"

#include <cstdlib>

#include "absl/strings/string_view.h"
#include "common/report/decimal.h"

namespace jixiao::render {

std::string WorkbookText(const std::string& text) {
  constexpr size_t kMaxCellBytes = 32767;  // Excel's limit, which libxlsxwriter enforces
  if (text.size() <= kMaxCellBytes) return text;
  const std::string mark = "…（已截断）";
  size_t cut = kMaxCellBytes - mark.size();
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + mark;
}

void WorkbookCells::Write(lxw_worksheet* sheet, int row, int col, const std::string& text,
                          bool as_text, lxw_format* text_format) {
  if (text.empty()) return;
  const auto r = static_cast<lxw_row_t>(row);
  const auto c = static_cast<lxw_col_t>(col);
  absl::string_view unsigned_text = text;
  const bool plus = unsigned_text[0] == '+';
  if (plus) unsigned_text.remove_prefix(1);
  auto scanned = report::ScanDecimal(unsigned_text);
  if (as_text || !scanned.ok()) {
    worksheet_write_string(sheet, r, c, WorkbookText(text).c_str(), text_format);
    return;
  }
  const int decimals = scanned->decimals();
  auto [it, fresh] = numbers_.emplace(std::make_pair(decimals, plus), nullptr);
  if (fresh) {
    it->second = workbook_add_format(book_);
    const std::string code =
        decimals == 0 ? "0" : "0." + std::string(static_cast<size_t>(decimals), '0');
    const std::string format = plus ? "+" + code + ";-" + code + ";" + code : code;
    format_set_num_format(it->second, format.c_str());
  }
  worksheet_write_number(sheet, r, c, std::strtod(text.c_str(), nullptr), it->second);
}

}  // namespace jixiao::render
