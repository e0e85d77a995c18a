// Running the real binaries from tests: start a server on a free loopback
// port and stop it with a signal; run a CLI command and capture its output.

#ifndef JIXIAO_TESTS_PROCESS_H_
#define JIXIAO_TESTS_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace jixiao::testing {

// Where CMake put the binaries, and the source tree.
std::string BinPath(const std::string& name);
std::string SourcePath(const std::string& relative);

// The whole file; "" if it cannot be read.
std::string ReadFile(const std::string& path);

// The host:port a server wrote to a --port-file (or --http-port-file,
// --metrics-port-file), without the newline; "" if none yet.
std::string ReadAddress(const std::string& port_file);

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it
// when the test program exits, unless JIXIAO_KEEP_TEST_DIRS is set.
std::string MakeTempDir(const std::string& prefix);

// A server started with --listen 127.0.0.1:0 --port-file, running until
// Stop() or destruction (SIGKILL then).
class ServerProcess {
 public:
  // Starts `binary` with `args` plus the listen flags; waits until it
  // writes its port file (or exits). address() is empty if it failed.
  ServerProcess(const std::string& binary, std::vector<std::string> args);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }
  // Sends `signal` and waits; returns the exit status as a shell shows it
  // (the exit code, or 128 + signal number).
  int Stop(int signal);
  // Everything the server wrote to stdout and stderr so far.
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  std::string dir_;
  std::string address_;
};

// storage-svc (data in DIR/db) and scoring-svc, both authenticating with
// DIR/tokens and signing or verifying cards with DIR/keys, which the caller
// writes first. Either address is empty if it failed to start.
struct SecuredServices {
  std::unique_ptr<ServerProcess> storage;
  std::unique_ptr<ServerProcess> scoring;
};
// `storage_flags` and `scoring_flags` are added to each one's command line.
SecuredServices StartSecuredServices(const std::string& dir,
                                     const std::vector<std::string>& storage_flags = {},
                                     const std::vector<std::string>& scoring_flags = {});

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with the rest as arguments, `input` on stdin.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input = "");

// An HTTP answer: its status code (0 if curl got none) and body.
struct HttpAnswer {
  int status = 0;
  std::string body;
};

// curl -X VERB http://ADDRESS PATH, with each of `headers` ("Name: value")
// and `body` (none if empty) — a real HTTP client, not the server's code.
HttpAnswer Curl(const std::string& address, const std::string& verb, const std::string& path,
                const std::vector<std::string>& headers, const std::string& body = "");

}  // namespace jixiao::testing

#endif  // JIXIAO_TESTS_PROCESS_H_
