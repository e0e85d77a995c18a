// `jixiao admin`: the group of commands that operate the store. Each of
// them is a command of its own (commands/admin_NAME.cc); this table decides
// the order `jixiao admin --help` lists them in.

#include "tools/jixiao/commands/commands.h"

namespace jixiao::cli {
namespace {

const Command* const kAdminCommands[] = {
    &kAdminPublishCommand, &kAdminAssignCommand,  &kAdminRosterCommand,
    &kAdminBackupCommand,  &kAdminRestoreCommand,
};

CommandRun Define(CLI::App& command) {
  command.require_subcommand(1);  // before AddCommands: the subcommands inherit it
  return AddCommands(command, kAdminCommands);
}

}  // namespace

const Command kAdminCommand = {"admin", "operate the store", Define};

}  // namespace jixiao::cli
