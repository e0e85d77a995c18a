// What a report must satisfy on its own, before any scheme: the identity
// and size limits every service and the store enforce alike.

#ifndef JIXIAO_COMMON_REPORT_CHECK_REPORT_H_
#define JIXIAO_COMMON_REPORT_CHECK_REPORT_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "jixiao/v1/report.pb.h"

namespace jixiao::report {

// Department codes and scheme ids are "codes": one or more of
// [A-Za-z0-9._-], at least one a letter or digit, so that they can end a key
// and name a file ("." and ".." are no codes). Callers bound the length (64
// for a department code, 128 for an id).
bool IsCode(absl::string_view text);
inline constexpr size_t kMaxDepartmentCodeLength = 64;

// Limits on what one report may hold; anything larger is refused.
inline constexpr size_t kMaxTextBytes = 64 * 1024;  // one string field
inline constexpr int kMaxListItems = 1000;          // one repeated field
inline constexpr int kMinFiscalYear = 2000;
inline constexpr int kMaxFiscalYear = 2100;
inline constexpr int kMaxRatePercent = 1000;  // a declared rate, in percent
inline constexpr size_t kMaxFigureIdLength = 64;  // a key of Report.figures

// What is wrong with a department code or a fiscal year, as CheckReport
// says it of a report's identity; empty if nothing. For checking a report's
// key (code and year) without a report.
std::string DepartmentCodeProblem(const std::string& code);
std::string FiscalYearProblem(int year);

// Checks a report on its own, without a scheme: identity present, every
// figure (Report.figures too, each under a code of at most
// kMaxFigureIdLength) a well-formed non-negative decimal, every declared
// rate at most kMaxRatePercent, satisfaction at most 100%, sizes within the
// limits above.
// OK, or INVALID_ARGUMENT with a violation per bad field.
absl::Status CheckReport(const v1::Report& report);

}  // namespace jixiao::report

#endif  // JIXIAO_COMMON_REPORT_CHECK_REPORT_H_
