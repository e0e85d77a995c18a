#include "common/auth/records_file.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace jixiao::auth {

absl::Status ForEachRecord(
    absl::string_view text, absl::string_view source,
    const std::function<absl::Status(const std::vector<absl::string_view>& fields)>& record) {
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    absl::Status status = record(fields);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", number, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace jixiao::auth
