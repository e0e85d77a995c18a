#include "common/base/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace jixiao::base {

std::string FindProgram(const std::string& program) {
  const char* path = getenv("PATH");
  std::string dirs = path == nullptr ? "/usr/bin:/bin" : path;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (end > start && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

absl::StatusOr<std::string> RunChild(const std::vector<std::string>& argv,
                                     const ChildLimits& limits) {
  const std::string program = argv.empty() ? "" : FindProgram(argv[0]);
  if (program.empty()) return absl::NotFoundError("not installed");
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0)
    return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  }
  std::vector<std::string> args_copy = argv;
  std::vector<char*> args;
  for (std::string& a : args_copy) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  if (pid == 0) {
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    if (limits.max_memory > 0) {
      struct rlimit memory = {limits.max_memory, limits.max_memory};
      setrlimit(RLIMIT_AS, &memory);
    }
    struct rlimit cpu = {rlim_t(limits.max_seconds), rlim_t(limits.max_seconds) + 1};
    setrlimit(RLIMIT_CPU, &cpu);
    execv(program.c_str(), args.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  std::string text, errors, overrun;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.max_seconds);
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0 && overrun.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      overrun = absl::StrCat("did not finish within ", limits.max_seconds, " s");
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      if (i == 0) {
        text.append(buffer, n);
        if (text.size() > limits.max_output) {
          overrun = absl::StrCat("printed more than ", limits.max_output, " bytes");
        }
      } else if (errors.size() < 4096) {
        errors.append(buffer, std::min<size_t>(n, 4096 - errors.size()));
      }
    }
  }
  for (pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  if (!overrun.empty()) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!overrun.empty()) return absl::ResourceExhaustedError(overrun);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return absl::ResourceExhaustedError(absl::StrCat(
        "stopped by signal ", sig, sig == SIGXCPU ? " (its time limit)" : "",
        sig == SIGKILL || sig == SIGSEGV || sig == SIGABRT ? " (possibly its memory limit)" : ""));
  }
  if (WEXITSTATUS(status) != 0) {
    std::string why(absl::StripAsciiWhitespace(errors));
    if (why.empty()) why = absl::StrCat("exit status ", WEXITSTATUS(status));
    return absl::AbortedError(why);
  }
  return text;
}

}  // namespace jixiao::base
