// `jixiao render`: print the self-evaluation report a report file (scored
// now) or a stored report (with its stored card) makes, in Markdown or as
// one self-contained HTML page.

#include "tools/render/render.h"

#include <memory>
#include <string>
#include <vector>

#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/documents.h"
#include "tools/jixiao/exit_codes.h"

namespace jixiao::cli {
namespace {

struct RenderArgs {
  std::vector<std::string> sources;  // one file or DEPT/YEAR[@REV]
  std::string format;                // md | html
  std::string scheme;
  DocumentArgs document;
};

int Run(const GlobalOptions& global, const RenderArgs& args) {
  auto templates = LoadTemplates(args.document.templates);
  if (!templates.ok()) return DocumentError("--templates", templates.status(), global);
  auto scored = LoadScored(global, args.sources[0], args.scheme);
  if (!scored.ok()) return DocumentError(args.sources[0], scored.status(), global);
  render::Format format = args.format == "html" ? render::Format::kHtml : render::Format::kMarkdown;
  int emitted =
      Emit(render::RenderReport(scored->report, scored->card, scored->scheme, format, *templates),
           args.document.out);
  // As for every command that shows a card: the document is written, and
  // 3 says its figures contradict each other.
  if (emitted != kOk) return emitted;
  return engine::HasErrors(scored->card) ? kErrorFindings : kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<RenderArgs>();
  command.add_option("report", args->sources, "a report file, or DEPT/YEAR[@REV]")
      ->required()
      ->expected(1);
  command.add_option("--format,-f", args->format, "md (Markdown) or html (a self-contained page)")
      ->check(CLI::IsMember({"md", "html"}))
      ->default_val("md");
  command.add_option("--scheme", args->scheme, "scheme for scoring a file (as for score)");
  AddDocumentArgs(command, args->document);
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kRenderCommand = {
    "render",
    "print the self-evaluation report (sections 一 to 四, every figure filled in, the score "
    "table and the findings) from a report file (scored now) or a stored report (with its "
    "stored card)",
    Define};

}  // namespace jixiao::cli
