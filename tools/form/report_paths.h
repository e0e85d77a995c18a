// Fields of a report named by path, as the workbook's 字段 column names
// them: "procurement.actual" (a figure), "figures.initial_budget" (a
// declared figure), "self_evaluation.scores.decision" (the department's own
// score of an indicator), "identity.submitter" or "satisfaction.source"
// (text); `jixiao template` and `jixiao import`'s rules use the same paths.

#ifndef JIXIAO_TOOLS_FORM_REPORT_PATHS_H_
#define JIXIAO_TOOLS_FORM_REPORT_PATHS_H_

#include <string>
#include <vector>

#include "jixiao/v1/report.pb.h"

namespace jixiao::form {

enum class PathKind { kNone, kFigure, kText, kYear };

// What `path` names in a report: a figure (Decimal), a text field, the
// fiscal year, or nothing.
PathKind KindOf(const std::string& path);

// The value at `path` ("" if unset).
std::string ValueAt(const v1::Report& report, const std::string& path);

// Sets the value at `path`; false if KindOf(path) is kNone (or, for the
// year, the text is not a whole number).
bool SetAt(v1::Report& report, const std::string& path, const std::string& value);

// Every standard figure path of the report message, in field order
// ("budget.income", ..., "satisfaction.rate"): those a workbook lists
// besides the scheme's when a report holds them.
std::vector<std::string> StandardFigurePaths();

}  // namespace jixiao::form

#endif  // JIXIAO_TOOLS_FORM_REPORT_PATHS_H_
