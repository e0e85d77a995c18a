// Reading a whole file into memory: configuration (tokens, keys, schemes,
// certificates), report files and templates.
//
//   absl::StatusOr<std::string> text = base::ReadFile(path, "scheme file");
//   if (!text.ok()) return text.status();  // "cannot read scheme file PATH: ..."
//
// Give `max_bytes` where a path comes from a user and a file far larger than
// any sensible one (or /dev/zero) must not fill memory.

#ifndef JIXIAO_COMMON_BASE_FILES_H_
#define JIXIAO_COMMON_BASE_FILES_H_

#include <cstddef>
#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jixiao::base {

inline constexpr size_t kNoSizeLimit = std::numeric_limits<size_t>::max();

// The bytes of the file at `path`, exactly as stored (no newline
// translation). `what` (may be empty) names the file in errors ("token
// file"). Errors:
//   NOT_FOUND "cannot read WHAT PATH: REASON" if the file cannot be opened or
//     read, REASON being the system's ("No such file or directory",
//     "Permission denied", "Is a directory");
//   INVALID_ARGUMENT "WHAT PATH is larger than MAX_BYTES bytes" if it holds
//     more than `max_bytes` bytes; no more than max_bytes + 1 are read.
// Thread-safe.
absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view what = "",
                                     size_t max_bytes = kNoSizeLimit);

}  // namespace jixiao::base

#endif  // JIXIAO_COMMON_BASE_FILES_H_
