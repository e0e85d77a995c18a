// `jixiao score` and `jixiao validate`: offline with the engine, or on a
// scoring-svc with --scoring. `score` also takes stored reports (DEPT/YEAR
// or DEPT/YEAR@REVISION): read from storage-svc, scored on scoring-svc, and
// the card saved back with the revision it scored.

#ifndef JIXIAO_TOOLS_JIXIAO_SCORING_COMMANDS_H_
#define JIXIAO_TOOLS_JIXIAO_SCORING_COMMANDS_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "clients.h"

namespace jixiao::cli {

struct GlobalOptions {
  ClientOptions client;
  std::string output = "table";  // table | json
};

struct ScoringArgs {
  std::vector<std::string> files;
  std::string scheme;
  bool stream = false;
  int streams = 4;  // streams at once for several files, spread over replicas
};

// Both return an ExitCode (exit_codes.h).
int RunScore(const GlobalOptions& global, const ScoringArgs& args);
int RunValidate(const GlobalOptions& global, const ScoringArgs& args);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_SCORING_COMMANDS_H_
