// Fuzzes reading a filled form (.xlsx): any bytes give a report, or
// problems each naming where; never a crash, a hang, or memory past the
// reader's limits.

#include <cstddef>
#include <cstdint>
#include <string>

#include "tools/form/workbook.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<jixiao::form::CellProblem> problems;
  auto imported = jixiao::form::ReadWorkbook(
      absl::string_view(reinterpret_cast<const char*>(data), size), &problems);
  if (imported.ok() != problems.empty()) __builtin_trap();
  return 0;
}
