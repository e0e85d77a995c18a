// `jixiao score` and `jixiao validate`: offline with the engine, or on a
// scoring-svc with --scoring.

#ifndef JIXIAO_TOOLS_JIXIAO_SCORING_COMMANDS_H_
#define JIXIAO_TOOLS_JIXIAO_SCORING_COMMANDS_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace jixiao::cli {

struct GlobalOptions {
  std::string scoring;           // scoring-svc address; empty: offline
  std::string output = "table";  // table | json
  double timeout_seconds = 10;
  int max_message_bytes = 16 * 1024 * 1024;
};

struct ScoringArgs {
  std::vector<std::string> files;
  std::string scheme;
  bool stream = false;
};

// Both return an ExitCode (exit_codes.h).
int RunScore(const GlobalOptions& global, const ScoringArgs& args);
int RunValidate(const GlobalOptions& global, const ScoringArgs& args);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_SCORING_COMMANDS_H_
