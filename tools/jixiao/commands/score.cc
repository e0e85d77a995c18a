// `jixiao score`: score report files offline with the engine, or on a
// scoring-svc with --scoring; or score stored reports (DEPT/YEAR or
// DEPT/YEAR@REVISION), read from storage-svc, on scoring-svc, and save each
// card back with the revision it scored.

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "common/rpc/status.h"
#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/card_printer.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/inputs.h"
#include "tools/jixiao/report_files.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/stored_scoring.h"

namespace jixiao::cli {
namespace {

struct ScoreArgs {
  ReportFilesArgs input;  // files, or stored references
  bool stream = false;
  int streams = 4;  // streams at once for several files, spread over replicas
  // A year's stored reports instead: --year, with --status and
  // --department-prefix narrowing them.
  int year = 0;
  std::string status;
  std::string department_prefix;
};

void ScoreOffline(const SchemeChoice& choice, const std::optional<v1::Report>& prior,
                  std::vector<Outcome>& outcomes) {
  auto scheme = OfflineScheme(choice);
  engine::ScoreOptions options;
  if (prior) options.prior = &*prior;
  for (Outcome& outcome : outcomes) {
    if (!outcome.status.ok()) continue;
    if (!scheme.ok()) {
      outcome.status = scheme.status();
      continue;
    }
    auto card = engine::ScoreReport(outcome.report, **scheme, options);
    if (card.ok()) {
      *outcome.response.mutable_card() = *std::move(card);
    } else {
      outcome.status = card.status();
    }
  }
}

void ScoreOnline(const GlobalOptions& global, const ScoreArgs& args, const SchemeChoice& choice,
                 const std::optional<v1::Report>& prior, std::vector<Outcome>& outcomes) {
  ScoringClient client(global.client);
  if (!args.stream && outcomes.size() == 1) {
    Outcome& outcome = outcomes[0];
    if (!outcome.status.ok()) return;
    v1::ScoreRequest request;
    *request.mutable_report() = outcome.report;
    if (prior) *request.mutable_prior() = *prior;
    ApplyScheme(choice, request);
    outcome.status = client.Score(request, outcome.response);
    return;
  }
  std::vector<v1::ScoreRequest> requests;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i].status.ok()) continue;
    v1::ScoreRequest& request = requests.emplace_back();
    *request.mutable_report() = outcomes[i].report;
    request.set_request_id(std::to_string(i));
    if (prior) *request.mutable_prior() = *prior;
    ApplyScheme(choice, request);
  }
  std::vector<v1::ScoreResponse> responses;
  absl::Status stream_status = client.ScoreStreams(std::move(requests), args.streams, responses);
  std::vector<bool> answered(outcomes.size(), false);
  for (v1::ScoreResponse& response : responses) {
    size_t index = std::stoul(response.request_id());
    if (index >= outcomes.size()) continue;
    answered[index] = true;
    if (response.has_error()) {
      outcomes[index].status = rpc::FromRpcStatusProto(response.error());
    } else {
      outcomes[index].response = std::move(response);
    }
  }
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].status.ok() && !answered[i]) {
      outcomes[i].status = stream_status.ok()
                               ? absl::InternalError("the stream ended without an answer")
                               : stream_status;
    }
  }
}

// Scores report files and prints each card (or, for several files with
// `-o json`, one ScoreResponse line each, errors included).
int ScoreFiles(const GlobalOptions& global, const ScoreArgs& args) {
  auto choice = ChooseScheme(args.input.scheme);
  if (!choice.ok()) {
    PrintError("--scheme", choice.status());
    return ExitCodeFor(choice.status());
  }
  auto prior = ReadPrior(args.input);
  if (!prior.ok()) {
    PrintError("--prior", prior.status());
    return ExitCodeFor(prior.status());
  }
  std::vector<Outcome> outcomes = ReadAll(args.input.files);
  if (global.client.scoring.empty()) {
    ScoreOffline(*choice, *prior, outcomes);
  } else {
    ScoreOnline(global, args, *choice, *prior, outcomes);
  }
  int code = kOk;
  bool json = global.output == "json";
  for (size_t i = 0; i < outcomes.size(); ++i) {
    Outcome& outcome = outcomes[i];
    if (!outcome.status.ok()) {
      PrintError(outcome.file, outcome.status, global.client.scoring,
                 "--scoring or JIXIAO_SCORING");
      code = std::max(code, ExitCodeFor(outcome.status));
      if (json && outcomes.size() > 1) {
        v1::ScoreResponse failed;
        failed.set_request_id(outcome.file);
        *failed.mutable_error() = rpc::ToRpcStatusProto(outcome.status);
        std::cout << ToJson(failed, false) << "\n";
      }
      continue;
    }
    const v1::ScoreCard& card = outcome.response.card();
    if (engine::HasErrors(card)) code = std::max<int>(code, kErrorFindings);
    if (json) {
      if (outcomes.size() == 1) {
        std::cout << ToJson(card, true);
      } else {
        outcome.response.set_request_id(outcome.file);
        std::cout << ToJson(outcome.response, false) << "\n";
      }
      continue;
    }
    if (outcomes.size() > 1) std::cout << (i ? "\n" : "") << "== " << outcome.file << "\n";
    PrintScoreCard(outcome.report, card, std::cout);
  }
  return code;
}

// Scores stored reports on scoring-svc, each with its year's scheme and
// last year's stored report, and saves each card back.
int ScoreStored(const GlobalOptions& global, const std::vector<StoredRef>& refs,
                const ReportFilesArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  if (!NeedScoring(global, "scoring a stored report needs scoring-svc too")) return kUsage;
  if (!args.prior.empty()) {
    std::cerr << "jixiao: a stored report is scored with last year's stored report; --prior is "
                 "for report files\n";
    return kUsage;
  }
  auto choice = ChooseScheme(args.scheme);
  if (!choice.ok()) {
    PrintError("--scheme", choice.status());
    return ExitCodeFor(choice.status());
  }
  StoredScorer scorer(global, *choice);
  int code = kOk;
  for (const StoredRef& ref : refs) {
    StoredScore scored = scorer.Score(ref);
    if (!scored.status.ok()) {
      code = std::max(code, scorer.Error(ref.text, scored));
      continue;
    }
    const v1::ScoreCard& card = scored.card;
    if (engine::HasErrors(card)) code = std::max<int>(code, kErrorFindings);
    if (global.output == "json") {
      std::cout << ToJson(card, refs.size() == 1) << (refs.size() > 1 ? "\n" : "");
      continue;
    }
    const v1::ReportRevision& revision = scored.revision;
    if (refs.size() > 1) std::cout << "== " << Ref(revision.key(), revision.revision()) << "\n";
    PrintScoreCard(revision.report(), card, std::cout);
    std::cout << "(card saved with " << Ref(revision.key(), revision.revision());
    if (scored.prior) {
      std::cout << "; last year's report " << Ref(scored.prior->key(), scored.prior->revision());
    }
    std::cout << ")\n";
  }
  return code;
}

// Scores every stored report of a year (of a status, of departments whose
// code starts with a prefix) on scoring-svc's streams and saves each card:
// one line per report, with a progress line on a terminal.
int ScoreYear(const GlobalOptions& global, const ScoreArgs& args) {
  using Stub = v1::StorageService::Stub;
  if (!NeedStorage(global)) return kUsage;
  if (!NeedScoring(global, "scoring stored reports needs scoring-svc too")) return kUsage;
  auto choice = ChooseScheme(args.input.scheme);
  if (!choice.ok()) {
    PrintError("--scheme", choice.status());
    return ExitCodeFor(choice.status());
  }
  StorageClient storage(global.client);
  v1::ListReportsRequest list;
  list.set_fiscal_year(args.year);
  list.set_view(v1::REPORT_VIEW_FULL);
  list.set_page_size(1000);
  if (!args.status.empty()) list.set_status(*ParseStatusName(args.status));  // checked by CLI11
  std::vector<v1::ReportRevision> revisions;
  absl::StatusOr<std::string> read = ReadPages(
      storage, &Stub::ListReports, list, /*all=*/true, [&](v1::ListReportsResponse& page) {
        for (v1::ReportRevision& r : *page.mutable_reports()) {
          if (absl::StartsWith(r.key().department_code(), args.department_prefix)) {
            revisions.push_back(std::move(r));
          }
        }
      });
  if (!read.ok()) return StorageError(global, "score --year", read.status());
  const bool terminal = isatty(STDERR_FILENO) && global.output != "json";
  const size_t total = revisions.size();
  StoredScorer scorer(global, *choice);
  std::vector<StoredScore> scored =
      scorer.ScoreAll(std::move(revisions), args.streams, [&](size_t done) {
        if (terminal) std::cerr << "\rscored " << done << "/" << total << std::flush;
      });
  if (terminal && total > 0) std::cerr << "\n";
  int code = kOk;
  size_t failed = 0, with_errors = 0;
  for (const StoredScore& s : scored) {
    const std::string ref = Ref(s.revision.key(), s.revision.revision());
    if (!s.status.ok()) {
      ++failed;
      code = std::max(code, scorer.Error(ref, s));
      if (global.output == "json") {
        v1::ScoreResponse failure;
        failure.set_request_id(ref);
        *failure.mutable_error() = rpc::ToRpcStatusProto(s.status);
        std::cout << ToJson(failure, false) << "\n";
      }
      continue;
    }
    int errors = 0;
    for (const v1::Finding& f : s.card.findings()) errors += f.severity() == v1::SEVERITY_ERROR;
    if (errors > 0) {
      ++with_errors;
      code = std::max<int>(code, kErrorFindings);
    }
    if (global.output == "json") {
      v1::ScoreResponse answer;
      answer.set_request_id(ref);
      *answer.mutable_card() = s.card;
      std::cout << ToJson(answer, false) << "\n";
    } else {
      std::cout << ref << "  " << s.card.total_score() << "  " << s.card.grade() << "  " << errors
                << " error" << (errors == 1 ? "" : "s") << "\n";
    }
  }
  if (global.output != "json") {
    std::cout << args.year << ": " << total - failed << " of " << total << " scored and saved";
    if (with_errors > 0) std::cout << ", " << with_errors << " with error findings";
    std::cout << "\n";
  }
  return code;
}

int Run(const GlobalOptions& global, const ScoreArgs& args) {
  if (args.year != 0) {
    if (!args.input.files.empty()) {
      std::cerr << "jixiao: score either --year or reports, not both\n";
      return kUsage;
    }
    return ScoreYear(global, args);
  }
  if (args.input.files.empty()) {
    std::cerr << "jixiao: name report files or stored reports, or --year YEAR\n";
    return kUsage;
  }
  // An argument that is neither an existing file nor "-" but reads as
  // DEPT/YEAR[@REV] is a stored report; they go through storage.
  std::vector<StoredRef> stored;
  for (const std::string& arg : args.input.files) {
    if (auto ref = AsStoredRef(arg)) stored.push_back(*ref);
  }
  if (stored.empty()) return ScoreFiles(global, args);
  if (stored.size() != args.input.files.size()) {
    std::cerr << "jixiao: score either files or stored reports, not both\n";
    return kUsage;
  }
  return ScoreStored(global, stored, args.input);
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<ScoreArgs>();
  AddReportFilesArgs(command, args->input,
                     "filled forms (.xlsx) or report JSON files (- reads standard input), or "
                     "stored reports");
  command.add_flag("--stream", args->stream,
                   "with --scoring, send the files on ScoreStream calls (the default for "
                   "several files)");
  command
      .add_option("--streams", args->streams,
                  "with --scoring and several files, streams at once; each goes to the next "
                  "scoring-svc replica, and a stream whose replica fails is resumed on another")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  command.get_option("files")->required(false);
  command
      .add_option("--year", args->year,
                  "score every stored report of this year instead (saving each card), one line "
                  "each")
      ->check(CLI::Range(2000, 2100));
  command.add_option("--status", args->status, "with --year: only reports of this status")
      ->check(CLI::IsMember({"draft", "submitted", "returned", "approved"}));
  command.add_option("--department-prefix", args->department_prefix,
                     "with --year: only departments whose code starts with this");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kScoreCommand = {
    "score",
    "compute every indicator, score, grade and finding and print the score card. Files are "
    "scored offline or on --scoring; stored reports (DEPT/YEAR[@REV]) are read from "
    "--storage, scored on --scoring, and the card is saved back",
    Define};

}  // namespace jixiao::cli
