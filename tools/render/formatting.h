// How a document words amounts, rates, times and its own department, and
// writes CSV and HTML text. A value with any other unit is
// report::WithUnit's.

#ifndef JIXIAO_TOOLS_RENDER_FORMATTING_H_
#define JIXIAO_TOOLS_RENDER_FORMATTING_H_

#include <cstdint>
#include <string>
#include <vector>

namespace jixiao::render {

// An amount in 万元 as a document prints it: "23,604.86 万元"; "" if empty.
std::string Money(const std::string& decimal);

// A rate as a document prints it: "88.53%"; "" if empty.
std::string Percent(const std::string& decimal);

// A scheme cited as a person cites a table: by its name and edition
// (《部门整体支出绩效评价指标体系》2019 年版), or its version where it names no
// edition (《…》第 2 版).
std::string SchemeCitation(const std::string& name, const std::string& edition, int version);

// A time as the year's pages give it, in Beijing time to the minute:
// "2026-12-02 12:37".
std::string BeijingTime(int64_t unix_seconds);

// How the department refers to itself, from its name: 我局, 我委, 我办, 我院,
// 我中心, otherwise 我单位.
std::string SelfReference(const std::string& department_name);

// One CSV line (RFC 4180, ending "\r\n"): fields quoted where they hold a
// comma, quote or line break; a field a spreadsheet would take for a
// formula (=, +, -, @, a tab or a carriage return first) begins with ' so
// that it stays text (a department's name must not run in the reviewer's
// spreadsheet), but a number ("-0.32", "+1.50") stays a number.
std::string CsvRow(const std::vector<std::string>& fields);

// Escapes text for HTML element content and attribute values.
std::string HtmlEscape(const std::string& text);

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_FORMATTING_H_
