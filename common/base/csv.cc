#include "common/base/csv.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace jixiao::base {

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text, const CsvLimits& limits) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> records;
  int line = 1;
  auto fail = [&line](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", why));
  };
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    CsvRecord record;
    record.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      std::string field;
      bool quoted = false;
      if (i < n && text[i] == '"') {
        quoted = true;
        const int opened = line;
        ++i;
        while (true) {
          if (i >= n) {
            line = opened;
            return fail("a quoted field is not closed");
          }
          char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field.push_back('"');
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
          if (field.size() > limits.max_field_bytes) {
            return fail(absl::StrCat("a field is longer than ", limits.max_field_bytes, " bytes"));
          }
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') return fail("a quote inside a field that does not start with one");
          field.push_back(text[i++]);
          if (field.size() > limits.max_field_bytes) {
            return fail(absl::StrCat("a field is longer than ", limits.max_field_bytes, " bytes"));
          }
        }
      }
      // After a field: a comma, the end of the record, or the end of text.
      if (i >= n) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
      } else if (text[i] == '\n' || (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')) {
        i += text[i] == '\r' ? 2 : 1;
        end_of_record = true;
      } else if (text[i] == '\r') {
        return fail("a carriage return not followed by a line feed");
      } else {
        return fail(quoted ? "text after a quoted field's closing quote" : "unexpected character");
      }
      record.fields.push_back(std::move(field));
      if (record.fields.size() > limits.max_fields) {
        return fail(absl::StrCat("a record has more than ", limits.max_fields, " fields"));
      }
    }
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) {
      if (records.size() == limits.max_records) {
        return fail(absl::StrCat("more than ", limits.max_records, " records"));
      }
      records.push_back(std::move(record));
    }
    ++line;
  }
  return records;
}

}  // namespace jixiao::base
