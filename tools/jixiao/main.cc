// jixiao: the command-line client for Jixiao.
//
//   jixiao score examples/longhua-2019.json                 # offline
//   jixiao --scoring 127.0.0.1:50051 score report.json      # on scoring-svc
//   jixiao --storage 127.0.0.1:50052 submit *.json          # into storage-svc
//   jixiao list --year 2019
//
// This file holds the global options and the table of commands; each
// command (its flags, help and run) is a file of its own in commands/.

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "common/base/files.h"
#include "common/rpc/tls_check.h"
#include "tools/jixiao/command.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"

namespace jixiao::cli {
namespace {

// Every command `jixiao` offers, in the order `jixiao --help` lists them.
// To add a command, write commands/NAME.cc defining kNameCommand, declare it
// in commands/commands.h, and list it here (and in CMakeLists.txt).
//
// An explicit table rather than commands that register themselves from a
// static initializer: the order of --help is written down here instead of
// following the link order (which C++ leaves unspecified between files), and
// a linker cannot drop a command whose object file nothing else refers to,
// as it would from a static library.
// clang-format off
const Command* const kCommands[] = {
    &kFormCommand,
    &kImportCommand,
    &kScoreCommand,
    &kValidateCommand,
    &kTemplateCommand,
    &kSchemeCommand,
    &kSaveCommand,
    &kSubmitCommand,
    &kReturnCommand,
    &kApproveCommand,
    &kReopenCommand,
    &kDeleteCommand,
    &kGetCommand,
    &kListCommand,
    &kHistoryCommand,
    &kDiffCommand,
    &kCardCommand,
    &kRenderCommand,
    &kSummaryCommand,
    &kSiteCommand,
    &kCompareCommand,
    &kWhatIfCommand,
    &kAuditCommand,
    &kChangesCommand,
    &kAdminCommand,
};
// clang-format on

std::string DefaultAuthor() {
  const char* user = std::getenv("USER");
  if (user && *user) return user;
  const passwd* entry = getpwuid(getuid());
  return entry && entry->pw_name ? entry->pw_name : "anonymous";
}

// Sets `token` from the first line of `token_file` if one was given
// (warning if other users may read it), else from JIXIAO_TOKEN; trailing
// white space is dropped. False, having said why, if the file cannot be
// read or holds no token: a command line error.
bool ReadToken(const std::string& token_file, std::string& token) {
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in || !std::getline(in, token)) {
      std::cerr << "jixiao: --token-file " << token_file
                << ": cannot be read, or holds no token (one line: the bearer token)\n";
      return false;
    }
    struct stat info;
    if (::stat(token_file.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      std::cerr << "jixiao: warning: token file " << token_file
                << " can be read by other users (mode " << std::oct << (info.st_mode & 0777)
                << std::dec << "); make it yours alone: chmod 600 " << token_file << "\n";
    }
  } else if (const char* from_env = std::getenv("JIXIAO_TOKEN")) {
    token = from_env;
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
    token.pop_back();
  }
  return true;
}

// The TLS files given, checked before any connection is tried, so that a
// key given for a CA (say) is a command line error that says so, not an
// "unreachable" service. False, having said why, if one is wrong.
bool CheckTlsFiles(const ClientOptions& options) {
  auto read = [](const std::string& path, std::string& out) {
    absl::StatusOr<std::string> text = base::ReadFile(path);
    if (text.ok()) out = *std::move(text);
    return text.ok();
  };
  absl::Status status;
  std::string ca, cert, key;
  if (!options.tls_ca.empty()) {
    status = read(options.tls_ca, ca) ? rpc::CheckCertificates(ca, "--tls-ca")
                                      : absl::InvalidArgumentError("--tls-ca cannot be read");
  }
  if (status.ok() && (!options.tls_cert.empty() || !options.tls_key.empty())) {
    if (options.tls_cert.empty() || options.tls_key.empty()) {
      status = absl::InvalidArgumentError("--tls-cert and --tls-key go together");
    } else if (!read(options.tls_cert, cert) || !read(options.tls_key, key)) {
      status = absl::InvalidArgumentError("--tls-cert or --tls-key cannot be read");
    } else {
      std::vector<std::string> warnings;
      status = rpc::CheckCertificateAndKey(cert, key, absl::Now(), &warnings);
      for (const std::string& warning : warnings) std::cerr << "jixiao: " << warning << "\n";
    }
  }
  if (status.ok()) return true;
  std::cerr << "jixiao: " << status.message() << "\n";
  return false;
}

}  // namespace
}  // namespace jixiao::cli

int main(int argc, char** argv) {
  using namespace jixiao::cli;
  CLI::App app{
      "jixiao: score, check and keep department overall-expenditure performance "
      "self-evaluations (部门整体支出绩效自评).\n"
      "A report is a filled form, an .xlsx workbook (jixiao form writes the blank one), or JSON "
      "in the protobuf JSON mapping of jixiao.v1.Report (see examples/longhua-2019.json); "
      "money in 万元, rates in percent. A stored report is named DEPT/YEAR, or "
      "DEPT/YEAR@REVISION for one revision.",
      "jixiao"};
  // Before the commands are added: they inherit these.
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand

  GlobalOptions global;
  global.client.author = DefaultAuthor();
  app.add_option("--scoring", global.client.scoring,
                 "scoring-svc address (host:port), several separated by commas, or a gRPC name "
                 "such as dns:///scoring:50051; calls are spread round-robin over every "
                 "address. Without it, score and validate run offline with the built-in engine")
      ->envname("JIXIAO_SCORING");
  app.add_option("--storage", global.client.storage, "storage-svc address (host:port)")
      ->envname("JIXIAO_STORAGE");
  app.add_option("--as", global.client.author, "author recorded with writes (default: $USER)")
      ->envname("JIXIAO_AUTHOR");
  std::string token_file;
  app.add_option("--token-file", token_file,
                 "file holding the bearer token (default: the JIXIAO_TOKEN environment variable; "
                 "a token is never taken from the command line)")
      ->envname("JIXIAO_TOKEN_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-ca", global.client.tls_ca,
                 "PEM CA to verify the services with: connect over TLS (default: plaintext)")
      ->envname("JIXIAO_TLS_CA")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", global.client.tls_cert, "PEM client certificate, for mutual TLS")
      ->envname("JIXIAO_TLS_CERT")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", global.client.tls_key, "PEM private key of --tls-cert")
      ->envname("JIXIAO_TLS_KEY")
      ->check(CLI::ExistingFile);
  app.add_option("--output,-o", global.output, "table (for people) or json (for scripts)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app.add_option("--timeout", global.client.timeout_seconds, "seconds a service call may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  CommandRun run = AddCommands(app, kCommands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }
  if (!ReadToken(token_file, global.client.token)) return kUsage;
  if (!CheckTlsFiles(global.client)) return kUsage;
  return run(global);
}
