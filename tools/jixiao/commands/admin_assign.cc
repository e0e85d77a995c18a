// `jixiao admin assign`: record which published scheme version a fiscal
// year is scored with. Audited; refused once any of the year's reports is
// approved.

#include <iostream>
#include <memory>
#include <string>

#include "common/report/scheme_ref.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

struct AssignArgs {
  int year = 0;
  std::string scheme;  // ID@VERSION
};

int Run(const GlobalOptions& global, const AssignArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  auto ref = report::ParseSchemeRef(args.scheme);
  if (!ref.ok() || ref->version() == 0) {
    std::cerr << "jixiao: name the scheme with its version, ID@VERSION (e.g. dept-overall@1): a "
                 "year is scored with one version, never \"the newest\"\n";
    return kUsage;
  }
  StorageClient client(global.client);
  v1::AssignSchemeRequest request;
  request.set_fiscal_year(args.year);
  request.set_scheme_id(ref->id());
  request.set_scheme_version(ref->version());
  v1::AssignSchemeResponse response;
  absl::Status status = client.Call(&v1::StorageService::Stub::AssignScheme, request, response);
  if (!status.ok()) return StorageError(global, args.scheme, status);
  if (global.output == "json") {
    std::cout << ToJson(response.assignment(), true);
    return kOk;
  }
  std::cout << "fiscal year " << response.assignment().fiscal_year() << " is scored with "
            << response.assignment().scheme_id() << "@" << response.assignment().scheme_version()
            << "\n";
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<AssignArgs>();
  command.add_option("--year", args->year, "fiscal year")->required();
  command.add_option("scheme", args->scheme, "published scheme version, ID@VERSION")->required();
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kAdminAssignCommand = {
    "assign",
    "assign a published scheme version to a fiscal year: `jixiao score DEPT/YEAR` then scores "
    "the year's reports with it. It can change only while none of the year's reports is "
    "approved",
    Define};

}  // namespace jixiao::cli
