// Small configuration files of records: one per line, fields separated by
// spaces, '#' starting a comment line. The token file and the signing-key
// file are of this kind.

#ifndef JIXIAO_COMMON_AUTH_RECORDS_FILE_H_
#define JIXIAO_COMMON_AUTH_RECORDS_FILE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jixiao::auth {

// Calls `record` with the fields of every line that is neither blank nor a
// comment. The first error it returns stops the walk and comes back as
// INVALID_ARGUMENT "<source>:<line>: <message>".
absl::Status ForEachRecord(
    absl::string_view text, absl::string_view source,
    const std::function<absl::Status(const std::vector<absl::string_view>& fields)>& record);

}  // namespace jixiao::auth

#endif  // JIXIAO_COMMON_AUTH_RECORDS_FILE_H_
