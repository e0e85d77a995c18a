// `jixiao admin publish`: publish a scheme file in storage-svc, after
// checking it here (so that its errors come with their lines). A published
// id and version never changes.

#include <iostream>
#include <memory>

#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

int Run(const GlobalOptions& global, const std::string& scheme_file) {
  if (!NeedStorage(global)) return kUsage;
  auto scheme = engine::LoadSchemeFile(scheme_file);
  if (!scheme.ok()) {
    PrintError(scheme_file, scheme.status());
    return ExitCodeFor(scheme.status());
  }
  StorageClient client(global.client);
  v1::PublishSchemeRequest request;
  *request.mutable_scheme() = (*scheme)->proto();
  v1::PublishSchemeResponse response;
  absl::Status status = client.Call(&v1::StorageService::Stub::PublishScheme, request, response);
  if (!status.ok()) return StorageError(global, scheme_file, status);
  std::cout << "published " << response.scheme().id() << "@" << response.scheme().version() << "\n";
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto file = std::make_shared<std::string>();
  command.add_option("scheme", *file, "scheme file (.textproto)")->required();
  return [file](const GlobalOptions& global) { return Run(global, *file); };
}

}  // namespace

const Command kAdminPublishCommand = {
    "publish", "publish a scheme version in storage-svc; a published version never changes",
    Define};

}  // namespace jixiao::cli
