#include "tools/jixiao/stored_scoring.h"

#include <utility>

#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/schemes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {

StoredScorer::StoredScorer(const GlobalOptions& global, const SchemeChoice& choice)
    : global_(global), choice_(choice), storage_(global.client), scoring_(global.client) {}

StoredScore StoredScorer::Score(const StoredRef& ref) {
  StoredScore out;
  auto fail = [&out](const char* where, absl::Status status) {
    out.failed_at = where;
    out.status = std::move(status);
    return std::move(out);
  };
  absl::StatusOr<v1::ReportRevision> revision = Fetch(storage_, ref.key, ref.revision);
  if (!revision.ok()) return fail("storage", revision.status());
  out.revision = *std::move(revision);
  const int year = ref.key.fiscal_year();
  if (schemes_.find(year) == schemes_.end()) {
    auto scheme = SchemeForYear(storage_, year, choice_);
    if (!scheme.ok()) return fail("storage", scheme.status());
    schemes_[year] = *std::move(scheme);
  }
  auto prior = FetchPrior(storage_, ref.key);
  if (!prior.ok()) return fail("storage", prior.status());
  out.prior = *std::move(prior);

  v1::ScoreRequest request;
  *request.mutable_report() = out.revision.report();
  request.set_report_revision(out.revision.revision());
  if (out.prior) {
    *request.mutable_prior() = out.prior->report();
    request.set_prior_revision(out.prior->revision());
  }
  if (const std::optional<v1::Scheme>& scheme = schemes_[year]) *request.mutable_scheme() = *scheme;
  v1::ScoreResponse scored;
  if (absl::Status status = scoring_.Score(request, scored); !status.ok()) {
    return fail("scoring", status);
  }
  v1::SaveScoreCardRequest save;
  *save.mutable_card() = scored.card();
  v1::SaveScoreCardResponse saved;
  if (absl::Status status = storage_.Call(&v1::StorageService::Stub::SaveScoreCard, save, saved);
      !status.ok()) {
    return fail("storage", status);
  }
  out.card = std::move(*saved.mutable_card());
  return out;
}

int StoredScorer::Error(const std::string& what, const StoredScore& score) const {
  if (std::string(score.failed_at) == "scoring") {
    PrintError(what, score.status, global_.client.scoring, "--scoring or JIXIAO_SCORING");
    return ExitCodeFor(score.status);
  }
  return StorageError(global_, what, score.status);
}

}  // namespace jixiao::cli
