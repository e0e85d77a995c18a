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

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/check_report.h"
#include "common/report/decimal.h"
#include "common/report/labels.h"
#include "common/report/plain_text.h"
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
  std::string out;  // a .csv, .xlsx, .html or .json file for the whole answer
};

// One side's cards, by report index; a failure says why a report has none.
struct Side {
  v1::Scheme scheme;
  std::vector<std::optional<v1::ScoreCard>> cards;
  std::vector<absl::Status> failures;
};

// Why report `i` has no card on one side or the other (ok: it has both).
const absl::Status& FailureOf(const Side& before, const Side& after, size_t i) {
  return !before.failures[i].ok() ? before.failures[i] : after.failures[i];
}

mpq_class Number(const std::string& text) {
  absl::StatusOr<report::ReportedDecimal> parsed = report::ParseDecimal(text);
  return parsed.ok() ? parsed->value : mpq_class(0);
}

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

// Last year's report for each of `reports`, into `priors` (a failure into
// `failures`): the year before listed once with the same view, and a
// department whose latest revision there is not approved asked for the one
// that counts (the latest approved, as FetchPrior says).
absl::Status ReadPriors(StorageClient& storage, int year,
                        const std::vector<v1::ReportRevision>& reports,
                        std::vector<std::optional<v1::ReportRevision>>& priors,
                        std::vector<absl::Status>& failures) {
  using Stub = v1::StorageService::Stub;
  if (year - 1 < report::kMinFiscalYear) return absl::OkStatus();
  absl::flat_hash_map<std::string, v1::ReportRevision> last_year;
  v1::ListReportsRequest list;
  list.set_fiscal_year(year - 1);
  list.set_view(v1::REPORT_VIEW_FIGURES);
  list.set_page_size(1000);
  absl::StatusOr<std::string> read = ReadPages(
      storage, &Stub::ListReports, list, /*all=*/true, [&](v1::ListReportsResponse& page) {
        for (v1::ReportRevision& r : *page.mutable_reports()) {
          std::string code = r.key().department_code();
          last_year.emplace(std::move(code), std::move(r));
        }
      });
  if (!read.ok()) return read.status();
  for (size_t i = 0; i < reports.size(); ++i) {
    auto it = last_year.find(reports[i].key().department_code());
    if (it == last_year.end()) continue;  // none stored
    if (it->second.status() == v1::REPORT_STATUS_APPROVED) {
      priors[i] = std::move(it->second);
      continue;
    }
    auto prior = FetchPrior(storage, reports[i].key());
    if (!prior.ok()) {
      failures[i] = prior.status();
    } else {
      priors[i] = *std::move(prior);
    }
  }
  return absl::OkStatus();
}

// Scores every one of `reports` under side.scheme as summary cards.
absl::Status ScoreSide(ScoringClient& scoring, const std::vector<v1::ReportRevision>& reports,
                       const std::vector<std::optional<v1::ReportRevision>>& priors, int streams,
                       int max_message_bytes, Side& side) {
  std::vector<v1::ScoreRequest> requests;
  requests.reserve(reports.size());
  const size_t scheme_bytes = side.scheme.ByteSizeLong() + 8;  // and its field's tag and length
  for (size_t i = 0; i < reports.size(); ++i) {
    if (!side.failures[i].ok()) continue;
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
  std::vector<v1::ScoreResponse> responses;
  absl::Status stream = scoring.ScoreStreams(std::move(requests), streams, responses, &side.scheme);
  for (v1::ScoreResponse& response : responses) {
    size_t i = 0;
    if (!absl::SimpleAtoi(response.request_id(), &i) || i >= reports.size()) continue;
    if (response.has_error()) {
      side.failures[i] = rpc::FromRpcStatusProto(response.error());
    } else if (std::vector<std::string> ids = report::UndeclaredFigures(response.card());
               !ids.empty()) {
      // Its scores under this table mean nothing.
      side.failures[i] = absl::FailedPreconditionError(report::FilledInForAnotherTable(
          absl::StrCat(report::OneLine(side.scheme.id()), "@", side.scheme.version()), ids));
    } else {
      side.cards[i] = std::move(*response.mutable_card());
    }
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    if (side.failures[i].ok() && !side.cards[i]) {
      side.failures[i] =
          stream.ok() ? absl::InternalError("the stream ended without an answer") : stream;
    }
  }
  return absl::OkStatus();
}

// 1 for the highest total; equal totals share a rank.
std::vector<int> Ranks(const std::vector<mpq_class>& totals) {
  std::vector<size_t> order(totals.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return totals[a] > totals[b]; });
  std::vector<int> rank(totals.size());
  for (size_t k = 0; k < order.size(); ++k) {
    rank[order[k]] = k > 0 && totals[order[k]] == totals[order[k - 1]] ? rank[order[k - 1]]
                                                                       : static_cast<int>(k) + 1;
  }
  return rank;
}

wv1::SchemeUsed Used(const v1::Scheme& scheme) {
  wv1::SchemeUsed used;
  used.set_id(scheme.id());
  used.set_version(scheme.version());
  used.set_name(scheme.name());
  return used;
}

void IndicatorNames(const v1::Indicator& indicator,
                    std::vector<std::pair<std::string, std::string>>& out) {
  out.emplace_back(indicator.id(), indicator.name());
  for (const v1::Indicator& child : indicator.children()) IndicatorNames(child, out);
}

std::vector<wv1::GradeCount> Distribution(const v1::Scheme& scheme,
                                          const std::vector<std::string>& grades) {
  std::vector<wv1::GradeCount> out;
  for (const v1::GradeBand& band : engine::GradeBandsOf(scheme)) {
    wv1::GradeCount count;
    count.set_grade(band.grade());
    count.set_count(static_cast<int>(std::count(grades.begin(), grades.end(), band.grade())));
    out.push_back(std::move(count));
  }
  return out;
}

// Everything the command shows, from the two sides' cards.
wv1::WhatIf Compare(int year, const std::vector<v1::ReportRevision>& reports, const Side& before,
                    const Side& after, const WhatIfArgs& args) {
  wv1::WhatIf out;
  out.set_fiscal_year(year);
  *out.mutable_before() = Used(before.scheme);
  *out.mutable_after() = Used(after.scheme);
  std::vector<size_t> scored;
  for (size_t i = 0; i < reports.size(); ++i) {
    const absl::Status& failure = FailureOf(before, after, i);
    if (!failure.ok()) {
      wv1::Failure& f = *out.add_failures();
      f.set_report(Ref(reports[i].key(), reports[i].revision()));
      f.set_message(std::string(failure.message()));
      continue;
    }
    scored.push_back(i);
  }
  const size_t n = scored.size();
  out.set_reports(static_cast<int>(n));
  std::vector<mpq_class> before_totals(n), after_totals(n);
  std::vector<std::string> before_grades(n), after_grades(n);
  mpq_class before_sum = 0, after_sum = 0;
  for (size_t k = 0; k < n; ++k) {
    const v1::ScoreCard& b = *before.cards[scored[k]];
    const v1::ScoreCard& a = *after.cards[scored[k]];
    before_totals[k] = Number(b.total_score());
    after_totals[k] = Number(a.total_score());
    before_grades[k] = b.grade();
    after_grades[k] = a.grade();
    before_sum += before_totals[k];
    after_sum += after_totals[k];
  }
  if (n > 0) {
    out.set_before_mean(report::FormatFixed(before_sum / static_cast<unsigned long>(n), 4));
    out.set_after_mean(report::FormatFixed(after_sum / static_cast<unsigned long>(n), 4));
  }
  const std::vector<int> before_rank = Ranks(before_totals), after_rank = Ranks(after_totals);
  std::map<std::pair<std::string, std::string>, int> transitions;
  std::vector<wv1::Mover> movers(n);
  int grade_changed = 0, rank_changed = 0;
  for (size_t k = 0; k < n; ++k) {
    const v1::ReportRevision& r = reports[scored[k]];
    wv1::Mover& m = movers[k];
    m.set_department_code(r.key().department_code());
    m.set_department_name(r.report().identity().department_name());
    m.set_revision(r.revision());
    m.set_before_total(before.cards[scored[k]]->total_score());
    m.set_after_total(after.cards[scored[k]]->total_score());
    int decimals = std::max(after.scheme.score_decimals(), before.scheme.score_decimals());
    std::string change = report::FormatFixed(after_totals[k] - before_totals[k], decimals);
    m.set_change(after_totals[k] > before_totals[k] ? "+" + change : change);
    m.set_before_grade(before_grades[k]);
    m.set_after_grade(after_grades[k]);
    m.set_before_rank(before_rank[k]);
    m.set_after_rank(after_rank[k]);
    if (before_grades[k] != after_grades[k]) {
      ++grade_changed;
      ++transitions[{before_grades[k], after_grades[k]}];
    }
    if (before_rank[k] != after_rank[k]) ++rank_changed;
  }
  out.set_grade_changed(grade_changed);
  out.set_rank_changed(rank_changed);
  std::vector<std::pair<std::pair<std::string, std::string>, int>> sorted(transitions.begin(),
                                                                          transitions.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [grades, count] : sorted) {
    wv1::GradeChange& change = *out.add_grade_changes();
    change.set_from(grades.first);
    change.set_to(grades.second);
    change.set_count(count);
  }
  for (wv1::GradeCount& c : Distribution(before.scheme, before_grades)) {
    *out.add_before_grades() = std::move(c);
  }
  for (wv1::GradeCount& c : Distribution(after.scheme, after_grades)) {
    *out.add_after_grades() = std::move(c);
  }
  // The largest moves: by |change|, then by department code.
  std::vector<size_t> order;
  for (size_t k = 0; k < n; ++k) {
    if (after_totals[k] != before_totals[k]) order.push_back(k);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    mpq_class da = abs(after_totals[a] - before_totals[a]);
    mpq_class db = abs(after_totals[b] - before_totals[b]);
    if (da != db) return da > db;
    return movers[a].department_code() < movers[b].department_code();
  });
  for (size_t k = 0; k < order.size() && static_cast<int>(k) < args.top; ++k) {
    *out.add_largest() = movers[order[k]];
  }
  if (args.all) {
    for (wv1::Mover& m : movers) *out.add_all() = std::move(m);
  }
  // Per indicator, the after scheme's first, then those only before.
  std::vector<std::pair<std::string, std::string>> names;
  for (const v1::Indicator& i : after.scheme.indicators()) IndicatorNames(i, names);
  const size_t in_after = names.size();
  std::vector<std::pair<std::string, std::string>> before_names;
  for (const v1::Indicator& i : before.scheme.indicators()) IndicatorNames(i, before_names);
  std::map<std::string, bool> before_ids;
  for (const auto& [id, name] : before_names) {
    before_ids[id] = true;
    if (std::none_of(names.begin(), names.end(), [&](const auto& p) { return p.first == id; })) {
      names.emplace_back(id, name);
    }
  }
  // Each card lists its scheme's indicators in the same order: find an id's
  // place once per side, and check it on each card.
  auto places = [&](const Side& side) {
    std::map<std::string, int> at;
    for (size_t k = 0; k < n; ++k) {
      const v1::ScoreCard& card = *side.cards[scored[k]];
      for (int j = 0; j < card.indicators_size(); ++j) at.emplace(card.indicators(j).id(), j);
      break;
    }
    return at;
  };
  const std::map<std::string, int> before_at = places(before), after_at = places(after);
  auto score_of = [](const v1::ScoreCard& card, const std::map<std::string, int>& at,
                     const std::string& id) -> mpq_class {
    auto it = at.find(id);
    if (it == at.end()) return 0;
    if (it->second < card.indicators_size() && card.indicators(it->second).id() == id) {
      return Number(card.indicators(it->second).score());
    }
    for (const v1::IndicatorResult& i : card.indicators()) {
      if (i.id() == id) return Number(i.score());
    }
    return 0;
  };
  for (size_t j = 0; j < names.size(); ++j) {
    const std::string& id = names[j].first;
    mpq_class sum = 0;
    int moved = 0;
    for (size_t k = 0; k < n; ++k) {
      mpq_class d = score_of(*after.cards[scored[k]], after_at, id) -
                    score_of(*before.cards[scored[k]], before_at, id);
      sum += d;
      moved += d != 0;
    }
    wv1::IndicatorChange& change = *out.add_indicators();
    change.set_id(id);
    change.set_name(names[j].second);
    change.set_mean_change(
        report::FormatFixed(n > 0 ? mpq_class(sum / static_cast<unsigned long>(n)) : sum, 4));
    change.set_moved(moved);
    change.set_in_after(j < in_after);
    change.set_in_before(before_ids.count(id) > 0);
  }
  return out;
}

std::string Cited(const wv1::SchemeUsed& s) {
  return absl::StrCat("《", report::OneLine(s.name()), "》(", report::OneLine(s.id()), "@",
                      s.version(), ")");
}

void PrintTable(const wv1::WhatIf& w) {
  std::cout << w.fiscal_year() << ": " << w.reports() << " reports scored under "
            << Cited(w.before()) << " and " << Cited(w.after()) << "\n";
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
  Side before, after;
  {
    auto scheme = SideScheme(storage, args.year, against);
    if (!scheme.ok()) {
      return StorageError(global, args.against.empty() ? "the year's scheme" : "--against",
                          scheme.status());
    }
    before.scheme = *std::move(scheme);
    scheme = SideScheme(storage, args.year, *draft);
    if (!scheme.ok()) return StorageError(global, "--scheme", scheme.status());
    after.scheme = *std::move(scheme);
  }
  v1::ListReportsRequest list;
  list.set_fiscal_year(args.year);
  list.set_view(v1::REPORT_VIEW_FIGURES);  // what scoring reads, without the narrative
  list.set_page_size(1000);
  std::vector<v1::ReportRevision> reports;
  absl::StatusOr<std::string> read = ReadPages(
      storage, &Stub::ListReports, list, /*all=*/true, [&](v1::ListReportsResponse& page) {
        for (v1::ReportRevision& r : *page.mutable_reports()) reports.push_back(std::move(r));
      });
  if (!read.ok()) return StorageError(global, "whatif", read.status());
  // Last year's reports, for schemes that read them.
  std::vector<std::optional<v1::ReportRevision>> priors(reports.size());
  std::vector<absl::Status> failures(reports.size(), absl::OkStatus());
  if (ReadsLastYear(before.scheme) || ReadsLastYear(after.scheme)) {
    absl::Status status = ReadPriors(storage, args.year, reports, priors, failures);
    if (!status.ok()) return StorageError(global, "whatif: last year's reports", status);
  }
  before.failures = after.failures = std::move(failures);
  before.cards.resize(reports.size());
  after.cards.resize(reports.size());
  ScoringClient scoring(global.client);
  const int limit = global.client.max_message_bytes;
  (void)ScoreSide(scoring, reports, priors, args.streams, limit, before);
  (void)ScoreSide(scoring, reports, priors, args.streams, limit, after);
  WhatIfArgs compared = args;
  compared.all = args.all || !args.out.empty();  // a file lists every department
  wv1::WhatIf result = Compare(args.year, reports, before, after, compared);
  // Nothing compared and scoring-svc unreachable: one error, no empty result.
  if (result.reports() == 0 && !reports.empty()) {
    for (size_t i = 0; i < reports.size(); ++i) {
      const absl::Status& f = FailureOf(before, after, i);
      if (absl::IsUnavailable(f) || absl::IsDeadlineExceeded(f)) {
        PrintError("whatif", f, global.client.scoring, "--scoring or JIXIAO_SCORING");
        return ExitCodeFor(f);
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
    for (size_t i = 0; i < reports.size(); ++i) {
      const absl::Status& f = FailureOf(before, after, i);
      if (!f.ok()) return ExitCodeFor(f);
    }
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
  command.add_option("--out", args->out,
                     "also write the whole answer, every department's move included, to FILE: "
                     ".csv (one row a department), .xlsx (a sheet each for the moves, grade "
                     "changes, distributions and indicators), .html (one self-contained page) "
                     "or .json");
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
