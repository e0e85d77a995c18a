// Reading comma-separated values (RFC 4180) as spreadsheets save them:
// fields separated by commas, records by CRLF or LF; a field in double
// quotes may hold commas, line breaks and doubled quotes (""). A UTF-8 byte
// order mark at the start (Excel's "CSV UTF-8") is skipped.
//
//   absl::StatusOr<std::vector<base::CsvRecord>> records = base::ParseCsv(text);
//   for (const base::CsvRecord& r : *records) use(r.line, r.fields);
//
// Errors name the line: INVALID_ARGUMENT "line 7: a quoted field is not
// closed" (or a quote inside an unquoted field, text after a closing
// quote, a field or record beyond the limits). Empty lines are skipped.
// Pure; thread-safe.

#ifndef JIXIAO_COMMON_BASE_CSV_H_
#define JIXIAO_COMMON_BASE_CSV_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jixiao::base {

struct CsvRecord {
  int line = 0;  // where the record starts, from 1
  std::vector<std::string> fields;
};

struct CsvLimits {
  size_t max_records = 100000;
  size_t max_fields = 64;  // per record
  size_t max_field_bytes = 4096;
};

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text,
                                                const CsvLimits& limits = {});

}  // namespace jixiao::base

#endif  // JIXIAO_COMMON_BASE_CSV_H_
