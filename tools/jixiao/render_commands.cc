#include "render_commands.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cli_output.h"
#include "clients.h"
#include "engine.h"
#include "exit_codes.h"
#include "inputs.h"
#include "render.h"
#include "text_table.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

// A report and the card to print with it.
struct Scored {
  v1::Report report;
  v1::ScoreCard card;
};

// A file is scored now (offline, or on --scoring); a stored report is
// printed with the card stored for that revision.
absl::StatusOr<Scored> Load(const GlobalOptions& global, const std::string& source,
                            const std::string& scheme_text) {
  Scored scored;
  std::error_code error;
  std::optional<StoredRef> ref;
  if (!std::filesystem::exists(source, error) && source != "-") ref = ParseStoredRef(source);
  if (!ref) {
    auto report = ReadReport(source);
    if (!report.ok()) return report.status();
    scored.report = *std::move(report);
    auto choice = ChooseScheme(scheme_text);
    if (!choice.ok()) return choice.status();
    if (global.client.scoring.empty()) {
      auto scheme = OfflineScheme(*choice);
      if (!scheme.ok()) return scheme.status();
      auto card = engine::ScoreReport(scored.report, **scheme, {});
      if (!card.ok()) return card.status();
      scored.card = *std::move(card);
    } else {
      v1::ScoreRequest request;
      *request.mutable_report() = scored.report;
      ApplyScheme(*choice, request);
      v1::ScoreResponse response;
      ScoringClient client(global.client);
      absl::Status status = client.Score(request, response);
      if (!status.ok()) return status;
      scored.card = response.card();
    }
    return scored;
  }
  if (global.client.storage.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     " names a stored report: pass --storage HOST:PORT (or set "
                     "JIXIAO_STORAGE), or give a report file"));
  }
  StorageClient client(global.client);
  v1::GetReportRequest get;
  *get.mutable_key() = ref->key;
  get.set_revision(ref->revision);
  v1::GetReportResponse revision;
  absl::Status status = client.Call(&Stub::GetReport, get, revision);
  if (!status.ok()) return status;
  scored.report = revision.revision().report();
  v1::GetScoreCardRequest card_request;
  *card_request.mutable_key() = ref->key;
  card_request.set_revision(revision.revision().revision());
  v1::GetScoreCardResponse card;
  status = client.Call(&Stub::GetScoreCard, card_request, card);
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(absl::StrCat(source, " revision ", revision.revision().revision(),
                                            " has no score card yet; score it first: jixiao score ",
                                            ref->key.department_code(), "/",
                                            ref->key.fiscal_year()));
  }
  if (!status.ok()) return status;
  scored.card = card.card();
  return scored;
}

absl::StatusOr<render::Templates> LoadTemplates(const std::string& directory) {
  if (directory.empty()) return render::Templates::BuiltIn();
  return render::Templates::WithOverrides(directory);
}

int Emit(const std::string& text, const std::string& out) {
  if (out.empty()) {
    std::cout << text;
    return kOk;
  }
  std::ofstream file(out, std::ios::binary);
  file << text;
  if (!file) {
    std::cerr << "jixiao: cannot write " << out << "\n";
    return kFailure;
  }
  std::cerr << "wrote " << out << "\n";
  return kOk;
}

int Fail(const std::string& what, const absl::Status& status, const GlobalOptions& global) {
  PrintError(what, status, global.client.storage, "--storage / --scoring");
  return ExitCodeFor(status);
}

}  // namespace

int RunRender(const GlobalOptions& global, const RenderArgs& args) {
  auto templates = LoadTemplates(args.templates);
  if (!templates.ok()) return Fail("--templates", templates.status(), global);
  auto scored = Load(global, args.sources[0], args.scheme);
  if (!scored.ok()) return Fail(args.sources[0], scored.status(), global);
  render::Format format = args.format == "html" ? render::Format::kHtml : render::Format::kMarkdown;
  return Emit(render::RenderReport(scored->report, scored->card, format, *templates), args.out);
}

int RunSummary(const GlobalOptions& global, const RenderArgs& args) {
  if (global.client.storage.empty()) {
    std::cerr << "jixiao: summary reads storage-svc: pass --storage HOST:PORT or set "
                 "JIXIAO_STORAGE\n";
    return kUsage;
  }
  auto templates = LoadTemplates(args.templates);
  if (!templates.ok()) return Fail("--templates", templates.status(), global);
  StorageClient client(global.client);
  std::vector<v1::ReportRevision> reports;
  v1::ListReportsRequest list;
  list.set_fiscal_year(args.year);
  list.set_page_size(1000);
  do {
    v1::ListReportsResponse page;
    absl::Status status = client.Call(&Stub::ListReports, list, page);
    if (!status.ok()) return Fail("summary", status, global);
    for (auto& r : *page.mutable_reports()) reports.push_back(std::move(r));
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  std::vector<v1::ScoreCard> cards;
  v1::ListScoreCardsRequest card_list;
  card_list.set_fiscal_year(args.year);
  card_list.set_page_size(1000);
  do {
    v1::ListScoreCardsResponse page;
    absl::Status status = client.Call(&Stub::ListScoreCards, card_list, page);
    if (!status.ok()) return Fail("summary", status, global);
    for (auto& c : *page.mutable_cards()) cards.push_back(std::move(c));
    card_list.set_page_token(page.next_page_token());
  } while (!card_list.page_token().empty());

  render::Summary summary = render::BuildSummary(args.year, reports, cards);
  if (args.format == "csv") return Emit(render::SummaryCsv(summary), args.out);
  if (args.format == "html") return Emit(render::SummaryHtml(summary, *templates), args.out);
  std::vector<std::string> headers = {"名次", "部门编码", "部门名称", "得分", "等级"};
  headers.insert(headers.end(), summary.level_names.begin(), summary.level_names.end());
  for (const char* h : {"错误", "警告", "提示", "状态"}) headers.push_back(h);
  TextTable table(headers);
  for (const render::SummaryRow& row : summary.rows) {
    std::vector<std::string> cells = {row.rank ? std::to_string(row.rank) : "—", row.code, row.name,
                                      row.total.empty() ? "未评分" : row.total, row.grade};
    cells.insert(cells.end(), row.level_scores.begin(), row.level_scores.end());
    cells.push_back(std::to_string(row.errors));
    cells.push_back(std::to_string(row.warnings));
    cells.push_back(std::to_string(row.infos));
    cells.push_back(row.status);
    table.AddRow(cells);
  }
  std::ostringstream text;
  text << args.year << " 年度：" << summary.rows.size() << " 个部门\n";
  table.Print(text);
  return Emit(text.str(), args.out);
}

int RunCompare(const GlobalOptions& global, const RenderArgs& args) {
  auto templates = LoadTemplates(args.templates);
  if (!templates.ok()) return Fail("--templates", templates.status(), global);
  auto a = Load(global, args.sources[0], args.scheme);
  if (!a.ok()) return Fail(args.sources[0], a.status(), global);
  auto b = Load(global, args.sources[1], args.scheme);
  if (!b.ok()) return Fail(args.sources[1], b.status(), global);
  if (a->card.report().department_code() != b->card.report().department_code()) {
    std::cerr << "jixiao: compare takes one department's two reports; got "
              << a->card.report().department_code() << " and " << b->card.report().department_code()
              << "\n";
    return kUsage;
  }
  if (a->card.report().fiscal_year() > b->card.report().fiscal_year()) std::swap(a, b);
  render::Format format = args.format == "html" ? render::Format::kHtml : render::Format::kMarkdown;
  return Emit(render::RenderCompare(a->report, a->card, b->card, format, *templates), args.out);
}

}  // namespace jixiao::cli
