// `jixiao site`: a year's pages as a static site a bureau can open from a
// folder or serve as files: the summary with a link to each department's
// page, each department's page (its standing, card and history) and
// document (with --pdf, its A4 PDF too), and the summary as CSV and .xlsx.
// Nothing on any page is fetched from the network.

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/report/plain_text.h"
#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/documents.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/render/render.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

struct SiteArgs {
  int year = 0;
  std::string out;
  std::string templates;
  bool pdf = false;  // each document as report.pdf too
};

int Run(const GlobalOptions& global, const SiteArgs& args) {
  if (global.client.storage.empty()) {
    std::cerr << "jixiao: site reads storage-svc: pass --storage HOST:PORT or set "
                 "JIXIAO_STORAGE\n";
    return kUsage;
  }
  auto templates = LoadTemplates(args.templates);
  if (!templates.ok()) return DocumentError("--templates", templates.status(), global);
  auto year = LoadYear(global, args.year);
  if (!year.ok()) return DocumentError("site", year.status(), global);
  const std::filesystem::path root(args.out);
  std::error_code error;
  std::filesystem::create_directories(root, error);
  if (error) {
    std::cerr << "jixiao: cannot make " << args.out << ": " << error.message() << "\n";
    return kFailure;
  }
  if (!WriteWhole((root / "summary.csv").string(), render::SummaryCsv(year->summary)))
    return kFailure;
  if (!WriteWholeWith((root / "summary.xlsx").string(), [&](const std::string& partial) {
        return render::SummaryXlsx(year->summary, partial);
      })) {
    return kFailure;
  }
  std::map<std::string, const v1::ScoreCard*> cards;
  for (const v1::ScoreCard& card : year->cards) cards[card.report().department_code()] = &card;
  StorageClient client(global.client);
  int pages = 0, code = kOk;
  std::set<std::string> documents;  // departments whose document is written
  for (const render::SummaryRow& row : year->summary.rows) {
    if (row.apart == "未提交") continue;  // nothing stored: no page
    render::DepartmentPage page;
    page.row = &row;
    v1::GetReportHistoryRequest request;
    request.mutable_key()->set_department_code(row.code);
    request.mutable_key()->set_fiscal_year(args.year);
    request.set_page_size(1000);
    auto read = ReadPages(client, &Stub::GetReportHistory, request, /*all=*/true,
                          [&](const v1::GetReportHistoryResponse& response) {
                            for (const auto& r : response.revisions()) page.history.push_back(r);
                          });
    if (!read.ok()) return DocumentError(row.code, read.status(), global);
    // The document of the report as it stands, with the card of its content.
    const std::filesystem::path dir = root / row.code;  // a code is a file name
    std::filesystem::create_directories(dir, error);
    auto scored = LoadScored(global, absl::StrCat(row.code, "/", args.year), "");
    if (scored.ok()) {
      render::DocumentInfo info = scored->info;
      info.back_link = "index.html";
      const std::string html = render::RenderReport(scored->report, scored->card, scored->scheme,
                                                    render::Format::kHtml, *templates, info);
      if (!WriteWhole((dir / "report.html").string(), html)) return kFailure;
      page.has_document = true;
      if (args.pdf) {
        auto printed = PrintToPdf(html);
        if (!printed.ok()) return DocumentError("--pdf", printed.status(), global);
        if (!WriteWhole((dir / "report.pdf").string(), *printed)) return kFailure;
        page.has_pdf = true;
      }
      documents.insert(row.code);
      if (engine::HasErrors(scored->card) && !row.stale) code = kErrorFindings;
    } else if (absl::IsFailedPrecondition(scored.status())) {
      // Scored under a table the report was not filled in for: no document
      // of meaningless scores; the summary lists it apart as 表式不符.
      std::cerr << "jixiao: " << row.code << "/" << args.year << ": "
                << report::OneLine(scored.status().message()) << "; no document written\n";
      code = kErrorFindings;
    } else if (!absl::IsNotFound(scored.status())) {  // not found: not scored yet
      return DocumentError(row.code, scored.status(), global);
    }
    auto card = cards.find(row.code);
    page.card = card == cards.end() ? nullptr : card->second;
    v1::Scheme scheme = year->scheme;
    if (scored.ok()) scheme = scored->scheme;
    page.scheme = &scheme;
    if (!WriteWhole((dir / "index.html").string(), render::DepartmentHtml(page, *templates)))
      return kFailure;
    ++pages;
  }
  // The index last: it links to the documents written.
  if (!WriteWhole((root / "index.html").string(),
                  render::SummaryHtml(year->summary, *templates, &documents))) {
    return kFailure;
  }
  std::cerr << "wrote " << args.out << ": index.html, summary.csv, summary.xlsx; " << pages
            << (pages == 1 ? " department page, " : " department pages, ") << documents.size()
            << (documents.size() == 1 ? " document" : " documents")
            << (args.pdf ? " (HTML and PDF)" : "") << "\n";
  return code;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<SiteArgs>();
  command.add_option("--year", args->year, "fiscal year")->required();
  command.add_option("--out", args->out, "the directory to write the site into")
      ->required()
      ->check(kNamesAPath);
  command.add_option("--templates", args->templates,
                     "a directory of templates to use in place of the built-in ones");
  command.add_flag("--pdf", args->pdf,
                   "also print each document as report.pdf (A4, by headless Chromium; about a "
                   "second or two a document)");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kSiteCommand = {
    "site",
    "write a year's pages as a static site: the summary (progress, ranking, findings, "
    "averages) linking to each department's page (card, history) and document, with the "
    "CSV and .xlsx; exit 3 if a card shown has error findings",
    Define};

}  // namespace jixiao::cli
