#include "tools/jixiao/text_table.h"

#include <algorithm>

#include "common/report/plain_text.h"

namespace jixiao::cli {

int DisplayWidth(const std::string& utf8) {
  int width = 0;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = utf8[i];
    uint32_t code;
    int length;
    if (c < 0x80) {
      code = c, length = 1;
    } else if ((c >> 5) == 0x6) {
      code = c & 0x1F, length = 2;
    } else if ((c >> 4) == 0xE) {
      code = c & 0x0F, length = 3;
    } else {
      code = c & 0x07, length = 4;
    }
    for (int k = 1; k < length && i + k < utf8.size(); ++k)
      code = (code << 6) | (utf8[i + k] & 0x3F);
    i += length;
    bool wide = (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
                (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
                (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF60) ||
                (code >= 0xFFE0 && code <= 0xFFE6) || (code >= 0x20000 && code <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return width;
}

TextTable::TextTable(std::vector<std::string> headers, std::vector<Align> align)
    : headers_(std::move(headers)), align_(std::move(align)) {
  align_.resize(headers_.size(), Align::kLeft);
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  // A cell is one line whatever it holds: a name or reason with a line
  // break or an escape sequence cannot forge a row or move the cursor.
  for (std::string& cell : cells) cell = report::OneLine(cell);
  rows_.push_back(std::move(cells));
}

void TextTable::Print(std::ostream& out) const {
  std::vector<int> widths(headers_.size(), 0);
  auto measure = [&widths](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      bool last = i + 1 == row.size();
      std::string pad(widths[i] - DisplayWidth(row[i]), ' ');
      if (align_[i] == Align::kRight) {
        line += pad + row[i];
      } else {
        line += row[i];
        if (!last) line += pad;
      }
      if (!last) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print(headers_);
  for (const auto& row : rows_) print(row);
}

}  // namespace jixiao::cli
