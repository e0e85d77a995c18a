// `jixiao render`: print the self-evaluation report a report file (scored
// now) or a stored report (with its stored card) makes, in Markdown or as
// one self-contained HTML page.

#include "tools/render/render.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
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
  std::string prior;  // last year's report file, for a report file
  std::string date;   // YYYY-MM-DD for the 落款
  DocumentArgs document;
};

int Run(const GlobalOptions& global, const RenderArgs& args) {
  auto templates = LoadTemplates(args.document.templates);
  if (!templates.ok()) return DocumentError("--templates", templates.status(), global);
  auto scored = LoadScored(global, args.sources[0], args.scheme, args.prior);
  if (!scored.ok()) return DocumentError(args.sources[0], scored.status(), global);
  if (!args.date.empty()) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(args.date, &day)) {
      std::cerr << "jixiao: --date " << args.date << ": not a date; write it as 2020-04-15\n";
      return kUsage;
    }
    scored->info.date = DocumentDate(day);
  }
  const bool pdf = args.format == "pdf";
  render::Format format = args.format == "md" ? render::Format::kMarkdown : render::Format::kHtml;
  std::string document = render::RenderReport(scored->report, scored->card, scored->scheme, format,
                                              *templates, scored->info);
  if (pdf) {
    auto printed = PrintToPdf(document);
    if (!printed.ok()) return DocumentError("-f pdf", printed.status(), global);
    document = *std::move(printed);
  }
  int emitted = Emit(document, args.document.out);
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
  command
      .add_option("--format,-f", args->format,
                  "md (Markdown), html (a self-contained page) or pdf (A4, printed by "
                  "headless Chromium)")
      ->check(CLI::IsMember({"md", "html", "pdf"}))
      ->default_val("md");
  command.add_option("--scheme", args->scheme, "scheme for scoring a file (as for score)");
  command.add_option("--prior", args->prior,
                     "last year's report file, for a scheme that reads it (as for score); a "
                     "stored report's card already used last year's stored report");
  command.add_option("--date", args->date,
                     "the date of the 落款, YYYY-MM-DD (default: a file's today, a stored "
                     "report's revision date, in Beijing time)");
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
