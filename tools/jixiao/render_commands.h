// Printing documents: `jixiao render` (the self-evaluation report),
// `jixiao summary` (a year across departments), `jixiao compare` (one
// department's two years).

#ifndef JIXIAO_TOOLS_JIXIAO_RENDER_COMMANDS_H_
#define JIXIAO_TOOLS_JIXIAO_RENDER_COMMANDS_H_

#include <string>
#include <vector>

#include "scoring_commands.h"

namespace jixiao::cli {

struct RenderArgs {
  std::vector<std::string> sources;  // files or DEPT/YEAR[@REV]
  std::string format;                // md | html (render, compare); table | csv | html (summary)
  std::string out;                   // file; empty: stdout
  std::string templates;             // directory overriding built-in templates
  std::string scheme;
  int year = 0;  // summary
};

int RunRender(const GlobalOptions& global, const RenderArgs& args);
int RunSummary(const GlobalOptions& global, const RenderArgs& args);
int RunCompare(const GlobalOptions& global, const RenderArgs& args);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_RENDER_COMMANDS_H_
