#include "tools/jixiao/command.h"

#include <utility>
#include <vector>

#include "tools/jixiao/exit_codes.h"

namespace jixiao::cli {

const CLI::Validator kNamesAPath(
    [](std::string& value) {
      return value.empty() ? std::string("needs a name, not an empty string") : std::string();
    },
    "PATH");

CommandRun AddCommands(CLI::App& parent, absl::Span<const Command* const> commands) {
  std::vector<std::pair<const CLI::App*, CommandRun>> defined;
  for (const Command* command : commands) {
    CLI::App* app = parent.add_subcommand(command->name, command->description);
    defined.emplace_back(app, command->define(*app));
  }
  return [defined = std::move(defined)](const GlobalOptions& global) {
    for (const auto& [app, run] : defined) {
      if (app->parsed()) return run(global);
    }
    return static_cast<int>(kUsage);
  };
}

}  // namespace jixiao::cli
