#include "tools/jixiao/documents.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/child_process.h"
#include "common/base/files.h"
#include "common/report/labels.h"
#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/inputs.h"
#include "tools/jixiao/schemes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

// 《NAME》 (ID@VERSION), as messages name the scheme a card was scored under.
std::string SchemeTitle(const Scored& scored) {
  const std::string ref = absl::StrCat(scored.card.scheme_id(), "@", scored.card.scheme_version());
  if (scored.scheme.name().empty()) return "scheme " + ref;
  return absl::StrCat("《", scored.scheme.name(), "》 (", ref, ")");
}

}  // namespace

void AddDocumentArgs(CLI::App& command, DocumentArgs& args) {
  command.add_option("--out", args.out, "write to this file instead of standard output");
  command.add_option("--templates", args.templates,
                     "directory of .mustache templates replacing the built-in ones");
}

absl::StatusOr<render::Templates> LoadTemplates(const std::string& directory) {
  if (directory.empty()) return render::Templates::BuiltIn();
  return render::Templates::WithOverrides(directory);
}

absl::StatusOr<v1::Scheme> SchemeOfCard(const GlobalOptions& global, const v1::ScoreCard& card) {
  v1::SchemeRef ref;
  ref.set_id(card.scheme_id());
  ref.set_version(card.scheme_version());
  if (const v1::Scheme* built_in = BuiltInScheme(ref)) return *built_in;
  if (global.client.storage.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("the card was scored with scheme ",
                                                      card.scheme_id(), "@", card.scheme_version(),
                                                      ": pass --storage HOST:PORT to read it"));
  }
  StorageClient client(global.client);
  return FetchScheme(client, ref);
}

absl::StatusOr<Scored> LoadScored(const GlobalOptions& global, const std::string& source,
                                  const std::string& scheme_text, const std::string& prior_file) {
  Scored scored;
  std::optional<StoredRef> ref = AsStoredRef(source);
  if (ref && !prior_file.empty()) {
    return absl::InvalidArgumentError(
        "--prior is for a report file: a stored report's card was scored with last year's "
        "stored report");
  }
  if (!ref) {
    auto report = ReadReport(source);
    if (!report.ok()) return report.status();
    scored.report = *std::move(report);
    std::optional<v1::Report> prior;
    if (!prior_file.empty()) {
      auto read = ReadReport(prior_file);
      if (!read.ok()) {
        return absl::Status(read.status().code(),
                            absl::StrCat("--prior ", prior_file, ": ", read.status().message()));
      }
      prior = *std::move(read);
    }
    scored.info.date = DocumentDate(absl::ToUnixSeconds(absl::Now()));
    auto choice = ChooseScheme(scheme_text);
    if (!choice.ok()) return choice.status();
    if (global.client.scoring.empty()) {
      auto scheme = OfflineScheme(*choice);
      if (!scheme.ok()) return scheme.status();
      engine::ScoreOptions options;
      if (prior) options.prior = &*prior;
      auto card = engine::ScoreReport(scored.report, **scheme, options);
      if (!card.ok()) return card.status();
      scored.card = *std::move(card);
      scored.scheme = (*scheme)->proto();
    } else {
      v1::ScoreRequest request;
      *request.mutable_report() = scored.report;
      if (prior) *request.mutable_prior() = *prior;
      ApplyScheme(*choice, request);
      v1::ScoreResponse response;
      ScoringClient client(global.client);
      absl::Status status = client.Score(request, response);
      if (!status.ok()) return status;
      scored.card = response.card();
      if (choice->file) {
        scored.scheme = choice->file->proto();
      } else if (auto scheme = SchemeOfCard(global, scored.card); scheme.ok()) {
        scored.scheme = *std::move(scheme);
      }  // else a scheme only scoring-svc holds: the card alone is printed
    }
    if (std::vector<std::string> ids = report::UndeclaredFigures(scored.card);
        !ids.empty() && scheme_text.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the report ", report::FilledInForAnotherTable(SchemeTitle(scored), ids),
                       "; pass --scheme with that table's file or ID@VERSION (schemes/ holds the "
                       "shipped ones)"));
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
  switch (revision.revision().status()) {
    case v1::REPORT_STATUS_APPROVED:
      scored.info.mark = "";
      break;
    case v1::REPORT_STATUS_SUBMITTED:
      scored.info.mark = "未审核";
      break;
    case v1::REPORT_STATUS_RETURNED:
      scored.info.mark = "已退回";
      break;
    default:
      scored.info.mark = "草稿";
  }
  scored.info.revision = revision.revision().revision();
  scored.info.date = DocumentDate(revision.revision().time().seconds());
  v1::GetScoreCardRequest card_request;
  *card_request.mutable_key() = ref->key;
  card_request.set_revision(revision.revision().revision());
  v1::GetScoreCardResponse card;
  status = client.Call(&Stub::GetScoreCard, card_request, card);
  // A status change is a revision of its own with the same content: a card
  // scored from that content stands for it.
  const int64_t content = revision.revision().content_revision();
  if (absl::IsNotFound(status) && content > 0 && content < revision.revision().revision()) {
    card_request.set_revision(content);
    status = client.Call(&Stub::GetScoreCard, card_request, card);
  }
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(absl::StrCat(source, " revision ", revision.revision().revision(),
                                            " has no score card yet; score it first: jixiao score ",
                                            ref->key.department_code(), "/",
                                            ref->key.fiscal_year()));
  }
  if (!status.ok()) return status;
  scored.card = card.card();
  auto scheme = SchemeOfCard(global, scored.card);
  if (!scheme.ok()) return scheme.status();
  scored.scheme = *std::move(scheme);
  if (std::vector<std::string> ids = report::UndeclaredFigures(scored.card); !ids.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the stored report ", report::FilledInForAnotherTable(SchemeTitle(scored), ids),
        "; assign the year the table it was filled in for (jixiao admin assign) and "
        "score it again"));
  }
  return scored;
}

absl::StatusOr<Year> LoadYear(const GlobalOptions& global, int fiscal_year, v1::ReportStatus only) {
  StorageClient client(global.client);
  // Every report of the year: the progress line counts them all, whatever
  // --status shows.
  Year out;
  std::vector<v1::ReportRevision>& reports = out.reports;
  v1::ListReportsRequest list;
  list.set_fiscal_year(fiscal_year);
  list.set_page_size(1000);
  absl::StatusOr<std::string> read =
      ReadPages(client, &Stub::ListReports, list, /*all=*/true, [&](v1::ListReportsResponse& page) {
        for (auto& r : *page.mutable_reports()) reports.push_back(std::move(r));
      });
  if (!read.ok()) return read.status();
  std::vector<v1::ScoreCard>& cards = out.cards;
  v1::ListScoreCardsRequest card_list;
  card_list.set_fiscal_year(fiscal_year);
  card_list.set_page_size(1000);
  read = ReadPages(client, &Stub::ListScoreCards, card_list, /*all=*/true,
                   [&](v1::ListScoreCardsResponse& page) {
                     for (auto& c : *page.mutable_cards()) cards.push_back(std::move(c));
                   });
  if (!read.ok()) return read.status();
  std::optional<v1::Roster>& roster = out.roster;
  {
    v1::GetRosterRequest request;
    request.set_fiscal_year(fiscal_year);
    v1::GetRosterResponse response;
    absl::Status status = client.Call(&Stub::GetRoster, request, response);
    if (status.ok()) {
      roster = std::move(*response.mutable_roster());
    } else if (!absl::IsNotFound(status)) {
      return status;
    }
  }

  // The columns and grade bins follow the year's scheme: its assignment,
  // or, for a year without one, the scheme its first card was scored with.
  auto assigned = SchemeForYear(client, fiscal_year, SchemeChoice());
  if (!assigned.ok()) return assigned.status();
  v1::Scheme& scheme = out.scheme;
  if (*assigned) {
    scheme = **std::move(assigned);
  } else if (!cards.empty()) {
    auto of_card = SchemeOfCard(global, cards.front());
    if (!of_card.ok()) return of_card.status();
    scheme = *std::move(of_card);
  }
  render::SummaryOptions options;
  options.roster = roster ? &*roster : nullptr;
  options.only = only;
  out.summary = render::BuildSummary(fiscal_year, reports, cards, scheme, options);
  return out;
}

std::string DocumentDate(const absl::CivilDay& day) {
  return absl::StrCat(day.year(), "年", day.month(), "月", day.day(), "日");
}

std::string DocumentDate(int64_t seconds) {
  return DocumentDate(
      absl::ToCivilDay(absl::FromUnixSeconds(seconds), absl::FixedTimeZone(8 * 60 * 60)));
}

absl::StatusOr<std::string> PrintToPdf(const std::string& html) {
  char pattern[] = "/tmp/jixiao-pdf-XXXXXX";
  const char* made = mkdtemp(pattern);
  if (made == nullptr) return absl::InternalError("cannot make a temporary directory");
  const std::string dir = made;
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{dir};
  {
    std::ofstream page(dir + "/page.html", std::ios::binary);
    page << html;
    if (!page) return absl::InternalError("cannot write " + dir + "/page.html");
  }
  std::vector<std::string> argv = {
      "chromium", "--headless", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--user-data-dir=" + dir + "/profile",
      // Nothing resolves: the page cannot fetch anything, and does not try.
      "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer",
      "--print-to-pdf=" + dir + "/page.pdf", "file://" + dir + "/page.html"};
  if (geteuid() == 0) argv.insert(argv.begin() + 1, "--no-sandbox");  // Chromium's rule for root
  auto printed = base::RunChild(argv, {.max_seconds = 120, .max_memory = 0});
  if (absl::IsNotFound(printed.status())) {
    return absl::FailedPreconditionError(
        "writing PDF needs chromium, which is not installed (Debian: apt-get install chromium "
        "fonts-noto-cjk)");
  }
  if (!printed.ok()) {
    return absl::InternalError(
        absl::StrCat("chromium could not print the page: ", printed.status().message()));
  }
  auto pdf = base::ReadFile(dir + "/page.pdf", "printed PDF");
  if (!pdf.ok()) return absl::InternalError("chromium printed no PDF");
  return pdf;
}

bool WriteWhole(const std::string& path, const std::string& text) {
  const std::string partial = path + ".partial";
  std::ofstream file(partial, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();  // a full disk shows only once the buffer is written
  std::error_code error;
  if (!file.fail()) std::filesystem::rename(partial, path, error);
  if (file.fail() || error) {
    const std::string why = error ? error.message() : std::strerror(errno);
    std::filesystem::remove(partial, error);
    std::cerr << "jixiao: cannot write " << path << ": " << why << "\n";
    return false;
  }
  return true;
}

bool WriteWholeWith(const std::string& path,
                    const std::function<absl::Status(const std::string& partial)>& write) {
  const std::string partial = path + ".partial";
  std::error_code error;
  std::filesystem::remove(partial, error);  // a link left there is not followed
  absl::Status written = write(partial);
  if (written.ok()) std::filesystem::rename(partial, path, error);
  if (!written.ok() || error) {
    std::filesystem::remove(partial, error);
    std::cerr << "jixiao: cannot write " << path << ": "
              << (written.ok() ? error.message() : std::string(written.message())) << "\n";
    return false;
  }
  return true;
}

int Emit(const std::string& text, const std::string& out) {
  if (out.empty()) {
    std::cout << text;
    return kOk;
  }
  if (!WriteWhole(out, text)) return kFailure;
  std::cerr << "wrote " << out << "\n";
  return kOk;
}

int DocumentError(const std::string& what, const absl::Status& status,
                  const GlobalOptions& global) {
  PrintError(what, status, global.client.storage, "--storage / --scoring");
  return ExitCodeFor(status);
}

}  // namespace jixiao::cli
