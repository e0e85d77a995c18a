#include "tests/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/base/files.h"

namespace jixiao::testing {
namespace {

std::vector<char*> Argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return argv;
}

int ShellStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string ReadFile(const std::string& path) { return base::ReadFile(path).value_or(""); }

std::string ReadAddress(const std::string& port_file) {
  std::string address = ReadFile(port_file);
  address.erase(address.find_last_not_of('\n') + 1);
  return address;
}

std::string BinPath(const std::string& name) { return std::string(JIXIAO_BIN_DIR) + "/" + name; }
std::string SourcePath(const std::string& relative) {
  return std::string(JIXIAO_SOURCE_DIR) + "/" + relative;
}

namespace {

// The directories MakeTempDir made, removed when the test program exits
// (not in a forked child, which leaves by exec or _exit). Set
// JIXIAO_KEEP_TEST_DIRS to keep them for a look.
class TempDirs {
 public:
  ~TempDirs() {
    if (std::getenv("JIXIAO_KEEP_TEST_DIRS") != nullptr) return;
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& dir : dirs_) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }
  void Add(const std::string& dir) {
    std::lock_guard<std::mutex> lock(mutex_);
    dirs_.push_back(dir);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> dirs_;
};

TempDirs& MadeDirs() {
  static TempDirs dirs;
  return dirs;
}

}  // namespace

std::string MakeTempDir(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) return "";
  MadeDirs().Add(made);
  return made;
}

SecuredServices StartSecuredServices(const std::string& dir,
                                     const std::vector<std::string>& storage_flags,
                                     const std::vector<std::string>& scoring_flags) {
  SecuredServices services;
  std::vector<std::string> storage = {"--data-dir",    dir + "/db",      "--tokens",
                                      dir + "/tokens", "--signing-keys", dir + "/keys"};
  storage.insert(storage.end(), storage_flags.begin(), storage_flags.end());
  services.storage = std::make_unique<ServerProcess>(BinPath("storage-svc"), storage);
  std::vector<std::string> scoring = {"--tokens", dir + "/tokens", "--signing-keys", dir + "/keys"};
  scoring.insert(scoring.end(), scoring_flags.begin(), scoring_flags.end());
  services.scoring = std::make_unique<ServerProcess>(BinPath("scoring-svc"), scoring);
  return services;
}

ServerProcess::ServerProcess(const std::string& binary, std::vector<std::string> args) {
  dir_ = MakeTempDir("jixiao-server");
  std::string port_file = dir_ + "/addr";
  std::string log = dir_ + "/log";
  std::vector<std::string> all = {binary, "--listen", "127.0.0.1:0", "--port-file", port_file};
  all.insert(all.end(), args.begin(), args.end());
  pid_ = fork();
  if (pid_ == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv = Argv(all);
    execv(argv[0], argv.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string addr = ReadFile(port_file);
    if (!addr.empty() && addr.back() == '\n') {
      address_ = addr.substr(0, addr.size() - 1);
      return;
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

int ServerProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return ShellStatus(status);
}

std::string ServerProcess::Log() const { return ReadFile(dir_ + "/log"); }

CommandResult RunCommand(const std::vector<std::string>& args, const std::string& input) {
  std::string dir = MakeTempDir("jixiao-run");
  std::string in = dir + "/in", out = dir + "/out", err = dir + "/err";
  std::ofstream(in) << input;
  pid_t pid = fork();
  if (pid == 0) {
    int fd_in = open(in.c_str(), O_RDONLY);
    int fd_out = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fd_err = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd_in, 0);
    dup2(fd_out, 1);
    dup2(fd_err, 2);
    std::vector<std::string> copy = args;
    std::vector<char*> argv = Argv(copy);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = ShellStatus(status);
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return result;
}

HttpAnswer Curl(const std::string& address, const std::string& verb, const std::string& path,
                const std::vector<std::string>& headers, const std::string& body) {
  std::vector<std::string> argv = {"/usr/bin/curl", "-sS", "-X", verb, "-w", "\n%{http_code}"};
  for (const std::string& header : headers) argv.insert(argv.end(), {"-H", header});
  if (!body.empty()) argv.insert(argv.end(), {"--data-binary", "@-"});
  argv.push_back("http://" + address + path);
  CommandResult result = RunCommand(argv, body);
  HttpAnswer answer;
  size_t last_line = result.out.rfind('\n');
  if (last_line == std::string::npos) return answer;
  answer.status = std::atoi(result.out.c_str() + last_line + 1);
  answer.body = result.out.substr(0, last_line);
  return answer;
}

}  // namespace jixiao::testing
