// `jixiao compare`: one department's two years side by side, each
// indicator's value, score and change; from report files (scored now) or
// stored reports (with their stored cards), in either order.

#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/documents.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/render/render.h"

namespace jixiao::cli {
namespace {

struct CompareArgs {
  std::vector<std::string> sources;  // two files or DEPT/YEAR[@REV]
  std::string format;                // md | html
  std::string scheme;
  bool changed_only = false;
  DocumentArgs document;
};

int Run(const GlobalOptions& global, const CompareArgs& args) {
  if (args.sources[0] == args.sources[1]) {
    std::cerr << "jixiao: compare takes two different reports (two years of one department); "
                 "both are "
              << args.sources[0] << "\n";
    return kUsage;
  }
  auto templates = LoadTemplates(args.document.templates);
  if (!templates.ok()) return DocumentError("--templates", templates.status(), global);
  auto a = LoadScored(global, args.sources[0], args.scheme);
  if (!a.ok()) return DocumentError(args.sources[0], a.status(), global);
  auto b = LoadScored(global, args.sources[1], args.scheme);
  if (!b.ok()) return DocumentError(args.sources[1], b.status(), global);
  if (a->card.report().department_code() != b->card.report().department_code()) {
    std::cerr << "jixiao: compare takes one department's two reports; got "
              << a->card.report().department_code() << " and " << b->card.report().department_code()
              << "\n";
    return kUsage;
  }
  if (a->card.report().fiscal_year() > b->card.report().fiscal_year()) std::swap(a, b);
  render::Format format = args.format == "html" ? render::Format::kHtml : render::Format::kMarkdown;
  int emitted =
      Emit(render::RenderCompare(a->report, a->card, b->report, b->card, a->scheme, format,
                                 *templates, args.changed_only, &a->info, &b->info),
           args.document.out);
  if (emitted != kOk) return emitted;
  return engine::HasErrors(a->card) || engine::HasErrors(b->card) ? kErrorFindings : kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<CompareArgs>();
  command.add_option("reports", args->sources, "two report files or DEPT/YEAR references")
      ->required()
      ->expected(2);
  command.add_option("--format,-f", args->format, "md or html")
      ->check(CLI::IsMember({"md", "html"}))
      ->default_val("md");
  command.add_option("--scheme", args->scheme, "scheme for scoring files");
  command.add_flag("--changed-only", args->changed_only,
                   "leave out the indicators and figures that did not change");
  AddDocumentArgs(command, args->document);
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kCompareCommand = {
    "compare", "one department's two years side by side: each indicator's value, score and change",
    Define};

}  // namespace jixiao::cli
