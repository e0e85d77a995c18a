// Fuzzes report JSON import as the CLI reads it (report::ParseJson, with
// line and column for every problem): any text must parse or be refused
// with problems inside the text, and a parsed report must be checked,
// refused or scored without crashing.

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/report/check_report.h"
#include "common/report/json_input.h"
#include "scoring-svc/engine/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  jixiao::v1::Report report;
  std::vector<jixiao::report::JsonProblem> problems;
  if (!jixiao::report::ParseJson(text, &report, &problems).ok()) {
    if (problems.empty() || problems.size() > 101) __builtin_trap();
    int lines = 1;
    for (char c : text) lines += c == '\n';
    for (const auto& p : problems) {
      if (p.line < 1 || p.line > lines || p.column < 1) __builtin_trap();
    }
    return 0;
  }
  if (!problems.empty()) __builtin_trap();
  if (!jixiao::report::CheckReport(report).ok()) return 0;
  (void)jixiao::engine::ScoreReport(report, *jixiao::engine::DefaultScheme(), {});
  return 0;
}
