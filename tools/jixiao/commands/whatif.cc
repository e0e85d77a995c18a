// `jixiao whatif --year Y --scheme DRAFT [--against ID@VERSION]`: every
// stored report of a year scored under a draft scheme and under the year's
// own (or --against; the built-in default where the year has none), both as
// summary cards on scoring-svc's streams, and who moves: grade changes, rank
// changes, the largest score changes, the distributions before and after,
// and per indicator the mean change and how many reports it moved. Nothing
// is saved.

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/check_report.h"
#include "common/report/labels.h"
#include "common/report/plain_text.h"
#include "common/report/scheme_ref.h"
#include "common/rpc/status.h"
#include "jixiao/whatif/v1/whatif.pb.h"
#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/documents.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/inputs.h"
#include "tools/jixiao/schemes.h"
#include "tools/jixiao/stored_reports.h"
#include "tools/jixiao/text_table.h"
#include "tools/jixiao/whatif_tally.h"
#include "tools/render/render.h"

namespace jixiao::cli {
namespace {

namespace wv1 = jixiao::whatif::v1;

struct WhatIfArgs {
  int year = 0;
  std::string scheme;   // the draft: a file or ID[@VERSION]
  std::string against;  // "" : the year's assigned scheme
  int top = 10;
  int streams = 4;
  bool all = false;
  bool rescore = false;
  int page_size = 500;  // reports read, scored and tallied at a time
  std::string out;  // a .csv, .xlsx, .html or .json file for the whole answer
};

// The scheme a side scores with, inline: the one chosen, the year's, or the
// built-in default.
absl::StatusOr<v1::Scheme> SideScheme(StorageClient& storage, int year,
                                      const SchemeChoice& choice) {
  auto scheme = SchemeForYear(storage, year, choice);
  if (!scheme.ok()) return scheme.status();
  if (*scheme) return **scheme;
  return engine::DefaultScheme()->proto();
}

// Whether `scheme` reads last year's report (a prior. path).
bool ReadsLastYear(const v1::Scheme& scheme) {
  auto compiled = engine::CompileScheme(scheme, "whatif");
  if (!compiled.ok()) return true;  // scoring-svc says what is wrong with it
  const engine::SchemeForm form = engine::FormOf(**compiled);
  return std::any_of(form.inputs.begin(), form.inputs.end(),
                     [](const engine::FormInput& input) { return input.last_year; });
}

// A listing of storage-svc read a page at a time beside the year being
// compared. Both come in department-code order (the store's key order), so
// each department's entry is found by reading on, never back, and only a
// page of either is held.
template <typename Request, typename Response, typename Item>
class Beside {
 public:
  using Method = grpc::Status (v1::StorageService::Stub::*)(grpc::ClientContext*, const Request&,
                                                            Response*);
  using Items = google::protobuf::RepeatedPtrField<Item>& (*)(Response&);
  using Code = const std::string& (*)(const Item&);

  Beside(StorageClient& storage, Method method, Request request, Items items, Code code)
      : storage_(storage),
        method_(method),
        request_(std::move(request)),
        items_(items),
        code_(code) {}

  // The entry of department `code`, nullptr if it has none; asked of codes
  // in increasing order.
  absl::StatusOr<Item*> Find(const std::string& code) {
    for (;;) {
      google::protobuf::RepeatedPtrField<Item>& items = items_(page_);
      for (; at_ < items.size(); ++at_) {
        const std::string& here = code_(items[at_]);
        if (here == code) return &items[at_];
        if (here > code) return nullptr;
      }
      if (done_) return nullptr;
      Response next;
      if (absl::Status status = storage_.Call(method_, request_, next); !status.ok()) {
        return status;
      }
      page_ = std::move(next);
      at_ = 0;
      request_.set_page_token(page_.next_page_token());
      done_ = request_.page_token().empty();
    }
  }

 private:
  StorageClient& storage_;
  Method method_;
  Request request_;
  Items items_;
  Code code_;
  Response page_;
  int at_ = 0;
  bool done_ = false;
};

const std::string& ReportCode(const v1::ReportRevision& r) { return r.key().department_code(); }
const std::string& CardCode(const v1::ScoreCard& c) { return c.report().department_code(); }
google::protobuf::RepeatedPtrField<v1::ReportRevision>& ReportsOf(v1::ListReportsResponse& page) {
  return *page.mutable_reports();
}
google::protobuf::RepeatedPtrField<v1::ScoreCard>& CardsOf(v1::ListScoreCardsResponse& page) {
  return *page.mutable_cards();
}

using LastYear = Beside<v1::ListReportsRequest, v1::ListReportsResponse, v1::ReportRevision>;
using StoredCards = Beside<v1::ListScoreCardsRequest, v1::ListScoreCardsResponse, v1::ScoreCard>;

// What one page of the year is compared with: last year's reports where a
// scheme reads them, the year's stored cards where they may serve as the
// "before".
struct Sources {
  std::optional<LastYear> last_year;
  std::optional<StoredCards> cards;
};

// Whether `card` is the year's stored card of `revision` as it stands,
// scored under exactly `scheme`, and so may stand for scoring it again.
bool FreshUnder(const v1::ScoreCard& card, const v1::ReportRevision& revision,
                const v1::Scheme& scheme, const std::string& digest) {
  return report::ScoredAsItStands(card, revision) && card.scheme_id() == scheme.id() &&
         card.scheme_version() == scheme.version() && card.scheme_sha256() == digest &&
         report::UndeclaredFigures(card).empty();
}

// One page's cards on one side, by place in the page; a failure says why a
// report has none.
struct Side {
  std::vector<std::optional<v1::ScoreCard>> cards;
  std::vector<absl::Status> failures;
};

// Scores the page's reports that have no card yet under `scheme`, as
// summary cards.
void ScoreSide(ScoringClient& scoring, const v1::Scheme& scheme,
               const google::protobuf::RepeatedPtrField<v1::ReportRevision>& reports,
               const std::vector<std::optional<v1::ReportRevision>>& priors, int streams,
               int max_message_bytes, Side& side) {
  std::vector<v1::ScoreRequest> requests;
  requests.reserve(reports.size());
  const size_t scheme_bytes = scheme.ByteSizeLong() + 8;  // and its field's tag and length
  for (int i = 0; i < reports.size(); ++i) {
    if (!side.failures[i].ok() || side.cards[i]) continue;
    v1::ScoreRequest request;
    *request.mutable_report() = reports[i].report();
    request.set_report_revision(reports[i].revision());
    if (priors[i]) {
      *request.mutable_prior() = priors[i]->report();
      request.set_prior_revision(priors[i]->revision());
    }
    request.set_previous_scheme(true);  // the scheme goes once, at the head of each stream
    request.set_detail(v1::DETAIL_SUMMARY);
    request.set_request_id(std::to_string(i));
    // A request over the message limit would end its whole stream: it fails
    // alone, before anything is sent.
    // (Measured with the scheme, which a stream's first request carries.)
    if (const size_t bytes = request.ByteSizeLong() + scheme_bytes;
        bytes > static_cast<size_t>(max_message_bytes)) {
      side.failures[i] = absl::ResourceExhaustedError(
          absl::StrCat("the report with this scheme inline is ", bytes,
                       " bytes, over --max-message-bytes ", max_message_bytes));
      continue;
    }
    requests.push_back(std::move(request));
  }
  if (requests.empty()) return;
  std::vector<v1::ScoreResponse> responses;
  absl::Status stream = scoring.ScoreStreams(std::move(requests), streams, responses, &scheme);
  for (v1::ScoreResponse& response : responses) {
    size_t i = 0;
    if (!absl::SimpleAtoi(response.request_id(), &i) || i >= side.cards.size()) continue;
    if (response.has_error()) {
      side.failures[i] = rpc::FromRpcStatusProto(response.error());
    } else if (std::vector<std::string> ids = report::UndeclaredFigures(response.card());
               !ids.empty()) {
      // Its scores under this table mean nothing.
      side.failures[i] = absl::FailedPreconditionError(report::FilledInForAnotherTable(
          absl::StrCat(report::OneLine(scheme.id()), "@", scheme.version()), ids));
    } else {
      side.cards[i] = std::move(*response.mutable_card());
    }
  }
  for (size_t i = 0; i < side.cards.size(); ++i) {
    if (side.failures[i].ok() && !side.cards[i]) {
      side.failures[i] =
          stream.ok() ? absl::InternalError("the stream ended without an answer") : stream;
    }
  }
}

// The schemes compared and how: what every page is scored with.
struct Plan {
  v1::Scheme before, after;
  std::string before_digest;  // report::SchemeDigest(before), to match stored cards
  int streams = 4;
  int max_message_bytes = 0;
};

// Scores one page of the year under both schemes (the before side from
// the stored cards where they are fresh) and tallies it. An error is
// storage-svc's, reading last year or the cards.
absl::Status ComparePage(StorageClient& storage, ScoringClient& scoring, const Plan& plan,
                         Sources& sources,
                         const google::protobuf::RepeatedPtrField<v1::ReportRevision>& reports,
                         WhatIfTally& tally) {
  const size_t n = reports.size();
  std::vector<std::optional<v1::ReportRevision>> priors(n);
  Side before{std::vector<std::optional<v1::ScoreCard>>(n),
              std::vector<absl::Status>(n, absl::OkStatus())};
  for (size_t i = 0; i < n; ++i) {
    if (sources.last_year) {
      // Last year's latest revision if approved, else the one that counts
      // (the latest approved, as FetchPrior says).
      absl::StatusOr<v1::ReportRevision*> last =
          sources.last_year->Find(reports[i].key().department_code());
      if (!last.ok()) return last.status();
      if (*last != nullptr && (*last)->status() == v1::REPORT_STATUS_APPROVED) {
        priors[i] = std::move(**last);
      } else if (*last != nullptr) {
        auto prior = FetchPrior(storage, reports[i].key());
        if (!prior.ok()) {
          before.failures[i] = prior.status();
        } else {
          priors[i] = *std::move(prior);
        }
      }
    }
    if (sources.cards) {
      absl::StatusOr<v1::ScoreCard*> card = sources.cards->Find(reports[i].key().department_code());
      if (!card.ok()) return card.status();
      if (*card && FreshUnder(**card, reports[i], plan.before, plan.before_digest)) {
        before.cards[i] = std::move(**card);
      }
    }
  }
  Side after{std::vector<std::optional<v1::ScoreCard>>(n), before.failures};
  std::vector<bool> stored(n);
  for (size_t i = 0; i < n; ++i) stored[i] = before.cards[i].has_value();
  ScoreSide(scoring, plan.before, reports, priors, plan.streams, plan.max_message_bytes, before);
  ScoreSide(scoring, plan.after, reports, priors, plan.streams, plan.max_message_bytes, after);
  for (size_t i = 0; i < n; ++i) {
    const absl::Status& failure = !before.failures[i].ok() ? before.failures[i] : after.failures[i];
    if (!failure.ok()) {
      tally.Fail(reports[i], failure);
    } else {
      tally.Add(reports[i], *before.cards[i], *after.cards[i], stored[i]);
    }
  }
  return absl::OkStatus();
}

std::string Cited(const wv1::SchemeUsed& s) {
  return absl::StrCat("《", report::OneLine(s.name()), "》(", report::OneLine(s.id()), "@",
                      s.version(), ")");
}

void PrintTable(const wv1::WhatIf& w) {
  std::cout << w.fiscal_year() << ": " << w.reports() << " reports scored under "
            << Cited(w.before()) << " and " << Cited(w.after()) << "\n";
  if (w.before_from_cards() > 0) {
    std::cout << "(" << w.before_from_cards() << " of them under " << Cited(w.before())
              << " from the year's stored cards, fresh)\n";
  }
  if (w.reports() > 0) {
    std::cout << "mean total " << w.before_mean() << " → " << w.after_mean() << "; "
              << w.grade_changed() << " change grade, " << w.rank_changed() << " change rank\n";
  }
  if (w.grade_changes_size() > 0) {
    std::cout << "\ngrade changes\n";
    TextTable table({"from", "to", "reports"},
                    {TextTable::Align::kLeft, TextTable::Align::kLeft, TextTable::Align::kRight});
    for (const wv1::GradeChange& c : w.grade_changes()) {
      table.AddRow({report::OneLine(c.from()), report::OneLine(c.to()), std::to_string(c.count())});
    }
    table.Print(std::cout);
  }
  std::cout << "\ndistribution\n";
  {
    TextTable table({"grade", "before", "after"},
                    {TextTable::Align::kLeft, TextTable::Align::kRight, TextTable::Align::kRight});
    std::map<std::string, std::pair<int, int>> counts;
    std::vector<std::string> order;
    for (const wv1::GradeCount& c : w.after_grades()) {
      order.push_back(c.grade());
      counts[c.grade()].second = c.count();
    }
    for (const wv1::GradeCount& c : w.before_grades()) {
      if (!counts.count(c.grade())) order.push_back(c.grade());
      counts[c.grade()].first = c.count();
    }
    for (const std::string& g : order) {
      table.AddRow(
          {report::OneLine(g), std::to_string(counts[g].first), std::to_string(counts[g].second)});
    }
    table.Print(std::cout);
  }
  if (w.largest_size() > 0) {
    std::cout << "\nlargest changes\n";
    TextTable table({"department", "name", "before", "after", "change", "grade", "rank"},
                    {TextTable::Align::kLeft, TextTable::Align::kLeft, TextTable::Align::kRight,
                     TextTable::Align::kRight, TextTable::Align::kRight, TextTable::Align::kLeft,
                     TextTable::Align::kLeft});
    for (const wv1::Mover& m : w.largest()) {
      table.AddRow({m.department_code(), report::OneLine(m.department_name()), m.before_total(),
                    m.after_total(), m.change(),
                    m.before_grade() == m.after_grade()
                        ? m.after_grade()
                        : absl::StrCat(m.before_grade(), " → ", m.after_grade()),
                    absl::StrCat(m.before_rank(), " → ", m.after_rank())});
    }
    table.Print(std::cout);
  }
  std::cout << "\nindicators that moved\n";
  TextTable table({"indicator", "mean change", "reports moved", ""},
                  {TextTable::Align::kLeft, TextTable::Align::kRight, TextTable::Align::kRight,
                   TextTable::Align::kLeft});
  int shown = 0;
  for (const wv1::IndicatorChange& c : w.indicators()) {
    if (c.moved() == 0) continue;
    ++shown;
    table.AddRow({report::OneLine(absl::StrCat(c.name(), " (", c.id(), ")")), c.mean_change(),
                  std::to_string(c.moved()),
                  !c.in_before()  ? "new in the draft"
                  : !c.in_after() ? "not in the draft"
                                  : ""});
  }
  if (shown > 0) {
    table.Print(std::cout);
  } else {
    std::cout << "(none)\n";
  }
  for (const wv1::Failure& f : w.failures()) {
    std::cerr << "jixiao: " << f.report() << ": not compared: " << report::OneLine(f.message())
              << "\n";
  }
}

// "csv", "xlsx", "html" or "json" by how `path` ends; "" for any other.
std::string OutKind(const std::string& path) {
  for (const char* kind : {"csv", "xlsx", "html", "json"}) {
    if (absl::EndsWithIgnoreCase(path, absl::StrCat(".", kind))) return kind;
  }
  return "";
}

// The whole answer, every department included, as a file for people.
int WriteOut(const wv1::WhatIf& result, const std::string& path, const std::string& kind) {
  if (kind == "xlsx") {
    if (!WriteWholeWith(path, [&](const std::string& partial) {
          return render::WhatIfXlsx(result, partial);
        })) {
      return kFailure;
    }
    std::cerr << "wrote " << path << "\n";
    return kOk;
  }
  std::string text;
  if (kind == "csv") {
    text = render::WhatIfCsv(result);
  } else if (kind == "html") {
    text = render::WhatIfHtml(result, render::Templates::BuiltIn());
  } else {
    text = ToJson(result, true) + "\n";
  }
  return Emit(text, path);
}

int Run(const GlobalOptions& global, const WhatIfArgs& args) {
  using Stub = v1::StorageService::Stub;
  if (!NeedStorage(global)) return kUsage;
  if (!NeedScoring(global, "whatif scores on scoring-svc")) return kUsage;
  if (args.top < 0 || args.top > 100000) {
    std::cerr << "jixiao: --top takes 0 to 100000 departments\n";
    return kUsage;
  }
  if (args.all && global.output != "json") {
    std::cerr << "jixiao: --all lists every department's move in --output json only\n";
    return kUsage;
  }
  if (args.year < report::kMinFiscalYear || args.year > report::kMaxFiscalYear) {
    std::cerr << "jixiao: --year " << args.year << ": a fiscal year within ["
              << report::kMinFiscalYear << ", " << report::kMaxFiscalYear << "]\n";
    return kUsage;
  }
  const std::string out_kind = OutKind(args.out);
  if (!args.out.empty() && out_kind.empty()) {
    std::cerr << "jixiao: --out " << args.out
              << ": name a .csv, .xlsx, .html or .json file (the ending picks the format)\n";
    return kUsage;
  }
  if (args.page_size < 1 || args.page_size > 1000) {
    std::cerr << "jixiao: --page-size takes 1 to 1000 reports\n";
    return kUsage;
  }
  if (args.streams < 1 || args.streams > 64) {
    std::cerr << "jixiao: --streams takes 1 to 64\n";
    return kUsage;
  }
  auto draft = ChooseScheme(args.scheme);
  if (!draft.ok()) {
    PrintError("--scheme", draft.status());
    return ExitCodeFor(draft.status());
  }
  SchemeChoice against;
  if (!args.against.empty()) {
    auto chosen = ChooseScheme(args.against);
    if (!chosen.ok()) {
      PrintError("--against", chosen.status());
      return ExitCodeFor(chosen.status());
    }
    against = *std::move(chosen);
  }
  StorageClient storage(global.client);
  Plan plan;
  {
    auto scheme = SideScheme(storage, args.year, against);
    if (!scheme.ok()) {
      return StorageError(global, args.against.empty() ? "the year's scheme" : "--against",
                          scheme.status());
    }
    plan.before = *std::move(scheme);
    scheme = SideScheme(storage, args.year, *draft);
    if (!scheme.ok()) return StorageError(global, "--scheme", scheme.status());
    plan.after = *std::move(scheme);
  }
  plan.before_digest = report::SchemeDigest(plan.before);
  plan.streams = args.streams;
  plan.max_message_bytes = global.client.max_message_bytes;
  Sources sources;
  if (args.year - 1 >= report::kMinFiscalYear &&
      (ReadsLastYear(plan.before) || ReadsLastYear(plan.after))) {
    v1::ListReportsRequest last_year;
    last_year.set_fiscal_year(args.year - 1);
    last_year.set_view(v1::REPORT_VIEW_FIGURES);
    last_year.set_page_size(args.page_size);
    sources.last_year.emplace(storage, &Stub::ListReports, std::move(last_year), &ReportsOf,
                              &ReportCode);
  }
  if (!args.rescore) {
    v1::ListScoreCardsRequest cards;
    cards.set_fiscal_year(args.year);
    cards.set_page_size(args.page_size);
    sources.cards.emplace(storage, &Stub::ListScoreCards, std::move(cards), &CardsOf, &CardCode);
  }
  ScoringClient scoring(global.client);
  WhatIfTally tally(plan.before, plan.after);
  // The year a page at a time: read, scored both ways, tallied, dropped.
  v1::ListReportsRequest list;
  list.set_fiscal_year(args.year);
  list.set_view(v1::REPORT_VIEW_FIGURES);  // what scoring reads, without the narrative
  list.set_page_size(args.page_size);
  int listed = 0;
  absl::Status unreachable;  // scoring-svc's, where it answered nothing
  do {
    v1::ListReportsResponse page;
    if (absl::Status status = storage.Call(&Stub::ListReports, list, page); !status.ok()) {
      return StorageError(global, "whatif", status);
    }
    if (absl::Status status = ComparePage(storage, scoring, plan, sources, page.reports(), tally);
        !status.ok()) {
      return StorageError(global, "whatif: last year's reports or the year's cards", status);
    }
    listed += page.reports_size();
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  const bool all = args.all || !args.out.empty();  // a file lists every department
  wv1::WhatIf result = tally.Result(args.year, args.top, all);
  // Nothing compared and scoring-svc unreachable: one error, no empty result.
  if (result.reports() == 0 && listed > 0) {
    for (const wv1::Failure& f : result.failures()) {
      if (f.code() == static_cast<int>(absl::StatusCode::kUnavailable) ||
          f.code() == static_cast<int>(absl::StatusCode::kDeadlineExceeded)) {
        const absl::Status status(static_cast<absl::StatusCode>(f.code()), f.message());
        PrintError("whatif", status, global.client.scoring, "--scoring or JIXIAO_SCORING");
        return ExitCodeFor(status);
      }
    }
  }
  if (!args.out.empty()) {
    if (int written = WriteOut(result, args.out, out_kind); written != kOk) return written;
    if (!args.all) result.clear_all();  // on the terminal as without --out
  }
  if (global.output == "json") {
    std::cout << ToJson(result, true) << "\n";
  } else {
    PrintTable(result);
  }
  if (result.failures_size() > 0) {
    const wv1::Failure& first = result.failures(0);
    return ExitCodeFor(absl::Status(static_cast<absl::StatusCode>(first.code()), "not compared"));
  }
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<WhatIfArgs>();
  command.add_option("--year", args->year, "the fiscal year whose stored reports are re-scored")
      ->required();
  command
      .add_option("--scheme", args->scheme,
                  "the draft scheme: a scheme file (checked as `scheme check` does) or "
                  "ID[@VERSION] published in storage-svc")
      ->required();
  command.add_option("--against", args->against,
                     "compare with this scheme (a file or ID[@VERSION]) instead of the year's "
                     "assigned one (the built-in default where the year has none)");
  command.add_option("--top", args->top,
                     "how many of the largest score changes to list (default 10)");
  command.add_flag("--all", args->all, "with --output json, every department's move as well");
  command
      .add_option("--out", args->out,
                  "also write the whole answer, every department's move included, to FILE: "
                  ".csv (one row a department), .xlsx (a sheet each for the moves, grade "
                  "changes, distributions and indicators), .html (one self-contained page) "
                  "or .json")
      ->check(kNamesAPath);
  command.add_flag("--rescore", args->rescore,
                   "score the year's own scheme afresh too, instead of taking the year's stored "
                   "cards where they are of the report as it stands and of that exact scheme");
  command.add_option("--page-size", args->page_size,
                     "reports read, scored and tallied at a time, 1 to 1000 (default 500): the "
                     "memory held besides each report's move");
  command.add_option("--streams", args->streams,
                     "ScoreStream calls at once, each to the next scoring-svc replica (default 4)");
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kWhatIfCommand = {
    "whatif",
    "re-score a year's stored reports under a draft scheme and show who moves: grade and rank "
    "changes, the largest score changes, the distributions before and after, and each "
    "indicator's mean change. Nothing is saved",
    Define};

}  // namespace jixiao::cli
