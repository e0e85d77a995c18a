// `jixiao admin backup`: have storage-svc write a consistent backup of its
// store, while it runs, into a directory on its own machine.

#include <iostream>
#include <memory>

#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

int Run(const GlobalOptions& global, const std::string& backup_dir) {
  if (!NeedStorage(global)) return kUsage;
  StorageClient client(global.client);
  v1::CreateBackupRequest request;
  request.set_backup_dir(backup_dir);
  v1::CreateBackupResponse response;
  absl::Status status = client.Call(&v1::StorageService::Stub::CreateBackup, request, response);
  if (!status.ok()) return StorageError(global, "backup", status);
  std::cout << "backup " << response.backup_id() << " written to " << backup_dir << " ("
            << response.size_bytes() << " bytes)\n";
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto dir = std::make_shared<std::string>();
  command.add_option("dir", *dir, "backup directory on the storage-svc machine")->required();
  return [dir](const GlobalOptions& global) { return Run(global, *dir); };
}

}  // namespace

const Command kAdminBackupCommand = {
    "backup", "write a consistent backup of storage-svc's store while it runs", Define};

}  // namespace jixiao::cli
