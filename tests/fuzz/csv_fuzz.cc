// The CSV reader (rosters): any bytes give records within the limits or an
// error naming a line, never a crash or a hang.

#include <cstddef>
#include <cstdint>

#include "common/base/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jixiao::base::CsvLimits limits;
  limits.max_records = 50;
  limits.max_fields = 8;
  limits.max_field_bytes = 64;
  auto records = jixiao::base::ParseCsv({reinterpret_cast<const char*>(data), size}, limits);
  if (records.ok()) {
    if (records->size() > limits.max_records) __builtin_trap();
    for (const auto& record : *records) {
      if (record.fields.empty() || record.fields.size() > limits.max_fields) __builtin_trap();
      if (record.line < 1) __builtin_trap();
    }
  }
  return 0;
}
