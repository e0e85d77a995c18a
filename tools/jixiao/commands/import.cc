// `jixiao import`: a filled form (.xlsx) as report JSON, checked cell by
// cell; for scripts, or to look before saving (`jixiao save FILE.xlsx`
// reads a form directly).

#include <iostream>
#include <memory>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/documents.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/inputs.h"

namespace jixiao::cli {
namespace {

struct ImportArgs {
  std::string file;
  std::string out;
};

int Run(const GlobalOptions& global, const ImportArgs& args) {
  absl::StatusOr<v1::Report> report = ReadReport(args.file);
  if (!report.ok()) {
    PrintError(args.file, report.status(), "", "");
    return ExitCodeFor(report.status());
  }
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  return Emit(StableJson(*report, options), args.out);
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<ImportArgs>();
  command.add_option("file", args->file, "a filled form (.xlsx), or report JSON")->required();
  command.add_option("--out,-o", args->out,
                     "write the report JSON here (default: standard output)");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kImportCommand = {
    "import",
    "read a filled form (.xlsx) as report JSON, naming every cell that cannot be read "
    "(sheet!cell); jixiao save FILE.xlsx saves it directly",
    Define};

}  // namespace jixiao::cli
