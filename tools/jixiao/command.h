// What a jixiao command is, and how commands are put on the command line.
//
// A command is one unit: its name, its one-line description for
// `jixiao --help`, and a `define` function that declares its arguments and
// flags (with their help text) and returns how to run it. Each command lives
// in its own file, tools/jixiao/commands/NAME.cc, and is listed in the table
// in main.cc (or, for `admin`'s subcommands, in commands/admin.cc):
//
//   namespace {
//   struct GetArgs { std::string ref; };
//   int Run(const GlobalOptions& global, const GetArgs& args) { ... }
//   CommandRun Define(CLI::App& command) {
//     auto args = std::make_shared<GetArgs>();
//     command.add_option("report", args->ref, "DEPT/YEAR")->required();
//     return [args](const GlobalOptions& global) { return Run(global, *args); };
//   }
//   }  // namespace
//   const Command kGetCommand = {"get", "show a stored report", Define};

#ifndef JIXIAO_TOOLS_JIXIAO_COMMAND_H_
#define JIXIAO_TOOLS_JIXIAO_COMMAND_H_

#include <functional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/types/span.h"
#include "tools/jixiao/clients.h"

namespace jixiao::cli {

// The options before (or after) the command's name, which every command
// sees: main fills them in, token included, before a command runs.
struct GlobalOptions {
  ClientOptions client;
  std::string output = "table";  // table | json
};

// Runs a command whose command line parsed, and returns its ExitCode
// (exit_codes.h).
using CommandRun = std::function<int(const GlobalOptions& global)>;

struct Command {
  const char* name;         // as typed: "submit"
  const char* description;  // its line in the parent's --help
  // Declares the command's positional arguments and flags on `command` (its
  // own CLI::App, already named and described), bound to state that the
  // returned CommandRun owns. Called once, before parsing; the CommandRun is
  // called only if this command was the one parsed.
  CommandRun (*define)(CLI::App& command);
};

// Adds each of `commands` to `parent` as a subcommand, in order (which is
// the order --help lists them in), and returns a CommandRun that runs the
// one that was parsed; kUsage if none was. Settings that CLI11 passes from a
// parent to its subcommands (the footer, fallthrough, require_subcommand's
// maximum) must be made on `parent` before this is called.
CommandRun AddCommands(CLI::App& parent, absl::Span<const Command* const> commands);

// A CLI11 check for an option naming a file or directory: an empty name
// ("--out ''") is refused rather than taken as no option at all.
extern const CLI::Validator kNamesAPath;

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_COMMAND_H_
