#include "common/base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace jixiao::base {
namespace {

// "token file /etc/jixiao/tokens", or the path alone.
std::string Named(absl::string_view what, const std::string& path) {
  return what.empty() ? path : absl::StrCat(what, " ", path);
}

absl::Status Unreadable(absl::string_view what, const std::string& path, int error) {
  return absl::NotFoundError(absl::StrCat("cannot read ", Named(what, path), ": ",
                                          std::generic_category().message(error)));
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view what,
                                     size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unreadable(what, path, errno);
  std::string bytes;
  struct stat info;
  // The size is only a hint (files in /proc say 0, and a file may grow
  // while it is read): reading goes on to the end of the file.
  if (::fstat(fd, &info) == 0 && info.st_size > 0) {
    bytes.reserve(std::min(static_cast<size_t>(info.st_size), max_bytes) + 1);
  }
  char buffer[64 * 1024];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int error = errno;
      ::close(fd);
      return Unreadable(what, path, error);
    }
    if (got == 0) break;
    if (bytes.size() + static_cast<size_t>(got) > max_bytes) {
      ::close(fd);
      return absl::InvalidArgumentError(
          absl::StrCat(Named(what, path), " is larger than ", max_bytes, " bytes"));
    }
    bytes.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  return bytes;
}

}  // namespace jixiao::base
