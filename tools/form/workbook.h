// The scheme's 自评表 as an Excel/WPS workbook: written for a department to
// fill in, and read back exactly.
//
//   form::WriteWorkbook(scheme, report, "LH-CZJ-2020.xlsx");   // blank, or a stored report
//   std::vector<form::CellProblem> problems;
//   auto imported = form::ReadWorkbook(bytes, &problems);   // problems name sheet and cell
//
// Sheets (layout.h has their columns): 说明 (how to fill it in), 封面 (who
// reports), 基础数据 (every figure the scheme reads, under its headings; last
// year's marked 上年), 定性指标 (every checklist item, 是/否 and 佐证), 绩效目标
// (rows for each targets block), 人工评分 (manual indicators, when the scheme
// has any), 自评得分 (the department's own score per indicator), 文字说明 (the
// report's text). Input cells are unlocked and shaded, the rest protected;
// every row carries its field id in a hidden last column (the report path,
// "procurement.actual", "figures.initial_budget", "identity.submitter", or a
// checklist item's or indicator's id), so rows may be moved or sorted.
// Figures are text cells: what is typed is what is kept.
//
// Reading is strict: a figure cell holds a decimal, as typed (a text cell)
// or as shown (a number cell: 15 significant digits, and the decimals of the
// cell's number format); "12,000" or "12000万元" in a text cell is taken with
// a warning; anything else is a problem naming the sheet and cell. Every
// problem is reported at once. A workbook is at most 16 MiB, and no part of
// it inflates past 64 MiB (256 MiB in all): checked as it is read, so a zip
// bomb costs no more.

#ifndef JIXIAO_TOOLS_FORM_WORKBOOK_H_
#define JIXIAO_TOOLS_FORM_WORKBOOK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jixiao/v1/report.pb.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::form {

// Writes the form of `scheme` to `path`, filled with `report` (its
// identity at least; a stored report's every figure, answer and text).
absl::Status WriteWorkbook(const engine::CompiledScheme& scheme, const v1::Report& report,
                           const std::string& path);

struct CellProblem {
  std::string cell;  // "基础数据!D12"; "基础数据" for a sheet; "" for the file
  std::string message;
};

struct Imported {
  v1::Report report;
  std::vector<CellProblem> warnings;  // taken, but not as written (a unit dropped, a formula)
  // Where each field came from, to name a cell for a problem found later
  // ("procurement.actual" → "基础数据!D12").
  std::vector<std::pair<std::string, std::string>> cells;
};

inline constexpr size_t kMaxWorkbookBytes = 16 << 20;

// The report a filled workbook holds. INVALID_ARGUMENT with `problems` (at
// most 200) if any cell cannot be read.
absl::StatusOr<Imported> ReadWorkbook(absl::string_view bytes, std::vector<CellProblem>* problems);

}  // namespace jixiao::form

#endif  // JIXIAO_TOOLS_FORM_WORKBOOK_H_
