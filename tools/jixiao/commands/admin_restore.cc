// `jixiao admin restore`: restore the latest backup in a directory into an
// empty data directory, here, with the store library (storage-svc must be
// stopped; no service is called).

#include <iostream>
#include <memory>

#include "storage-svc/store/store.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"

namespace jixiao::cli {
namespace {

struct RestoreArgs {
  std::string backup_dir;
  std::string data_dir;
};

int Run(const RestoreArgs& args) {
  absl::Status status = store::Store::Restore(args.backup_dir, args.data_dir);
  if (!status.ok()) {
    PrintError("restore", status);
    return ExitCodeFor(status);
  }
  std::cout << "restored the latest backup of " << args.backup_dir << " into " << args.data_dir
            << "\n";
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<RestoreArgs>();
  command.add_option("--backup-dir", args->backup_dir, "backup directory")->required();
  command.add_option("--data-dir", args->data_dir, "empty or new data directory")->required();
  return [args](const GlobalOptions&) { return Run(*args); };
}

}  // namespace

const Command kAdminRestoreCommand = {
    "restore", "restore the latest backup into an empty data directory (storage-svc stopped)",
    Define};

}  // namespace jixiao::cli
