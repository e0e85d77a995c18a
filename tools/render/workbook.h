// Cells of the .xlsx workbooks the render library writes (libxlsxwriter):
// a decimal as the spreadsheet's number, shown with the decimals it was
// given, so that a spreadsheet sorts and sums it; anything else as text,
// within what a cell holds. Not for callers outside tools/render.

#ifndef JIXIAO_TOOLS_RENDER_WORKBOOK_H_
#define JIXIAO_TOOLS_RENDER_WORKBOOK_H_

#include <xlsxwriter.h>

#include <map>
#include <string>
#include <utility>

namespace jixiao::render {

// Text for a workbook cell: as it is, or, past the 32,767 a cell holds,
// cut at a character's boundary and marked （已截断）.
std::string WorkbookText(const std::string& text);

// Writes the cells of one workbook, keeping a number format per count of
// decimals ("0", "0.00", ...) and sign: a number written "+1.50" keeps its
// plus sign in the cell ("+0.00;-0.00;0.00").
class WorkbookCells {
 public:
  explicit WorkbookCells(lxw_workbook* book) : book_(book) {}

  // `text` at (row, col): a decimal ("97.06", a signed gap "+0.83") as a
  // number, unless `as_text` (a code or a name, "00123" staying so);
  // anything else as WorkbookText in `text_format`. Nothing for "".
  void Write(lxw_worksheet* sheet, int row, int col, const std::string& text, bool as_text = false,
             lxw_format* text_format = nullptr);

 private:
  lxw_workbook* book_;
  std::map<std::pair<int, bool>, lxw_format*> numbers_;  // by decimals, plus sign
};

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_WORKBOOK_H_
