#include "tools/jixiao/stored_scoring.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "common/rpc/status.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/schemes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {

StoredScorer::StoredScorer(const GlobalOptions& global, const SchemeChoice& choice)
    : global_(global), choice_(choice), storage_(global.client), scoring_(global.client) {}

absl::Status StoredScorer::Prepare(const v1::ReportRevision& revision, StoredScore& out,
                                   v1::ScoreRequest& request) {
  out.failed_at = "storage";
  const int year = revision.key().fiscal_year();
  if (schemes_.find(year) == schemes_.end()) {
    auto scheme = SchemeForYear(storage_, year, choice_);
    if (!scheme.ok()) return scheme.status();
    schemes_[year] = *std::move(scheme);
  }
  auto prior = FetchPrior(storage_, revision.key());
  if (!prior.ok()) return prior.status();
  out.prior = *std::move(prior);
  *request.mutable_report() = revision.report();
  request.set_report_revision(revision.revision());
  if (out.prior) {
    *request.mutable_prior() = out.prior->report();
    request.set_prior_revision(out.prior->revision());
  }
  if (const std::optional<v1::Scheme>& scheme = schemes_[year]) *request.mutable_scheme() = *scheme;
  out.failed_at = "";
  return absl::OkStatus();
}

void StoredScorer::Save(const v1::ScoreCard& card, StoredScore& out) {
  v1::SaveScoreCardRequest save;
  *save.mutable_card() = card;
  v1::SaveScoreCardResponse saved;
  out.status = storage_.Call(&v1::StorageService::Stub::SaveScoreCard, save, saved);
  if (!out.status.ok()) {
    out.failed_at = "storage";
    return;
  }
  out.card = std::move(*saved.mutable_card());
}

bool StoredScorer::Read(const StoredRef& ref, StoredScore& out, v1::ScoreRequest& request) {
  absl::StatusOr<v1::ReportRevision> revision = Fetch(storage_, ref.key, ref.revision);
  if (!revision.ok()) {
    out.failed_at = "storage";
    out.status = revision.status();
    return false;
  }
  out.revision = *std::move(revision);
  out.status = Prepare(out.revision, out, request);
  return out.status.ok();
}

StoredScore StoredScorer::Score(const StoredRef& ref) {
  StoredScore out;
  v1::ScoreRequest request;
  if (!Read(ref, out, request)) return out;
  v1::ScoreResponse scored;
  if (out.status = scoring_.Score(request, scored); !out.status.ok()) {
    out.failed_at = "scoring";
    return out;
  }
  Save(scored.card(), out);
  return out;
}

StoredScore StoredScorer::Validate(const StoredRef& ref, v1::ValidateResponse& findings) {
  StoredScore out;
  v1::ScoreRequest scored;
  if (!Read(ref, out, scored)) return out;
  v1::ValidateRequest request;
  *request.mutable_report() = std::move(*scored.mutable_report());
  if (scored.has_prior()) *request.mutable_prior() = std::move(*scored.mutable_prior());
  if (scored.has_scheme()) *request.mutable_scheme() = std::move(*scored.mutable_scheme());
  if (out.status = scoring_.Validate(request, findings); !out.status.ok()) {
    out.failed_at = "scoring";
  }
  return out;
}

std::vector<StoredScore> StoredScorer::ScoreAll(std::vector<v1::ReportRevision> revisions,
                                                int streams,
                                                const std::function<void(size_t done)>& progress) {
  std::vector<StoredScore> out(revisions.size());
  std::vector<v1::ScoreRequest> requests;
  for (size_t i = 0; i < revisions.size(); ++i) {
    out[i].revision = std::move(revisions[i]);
    v1::ScoreRequest request;
    out[i].status = Prepare(out[i].revision, out[i], request);
    if (!out[i].status.ok()) continue;
    request.set_request_id(std::to_string(i));
    requests.push_back(std::move(request));
  }
  const size_t sent = requests.size();
  std::vector<v1::ScoreResponse> responses;
  absl::Status stream = scoring_.ScoreStreams(std::move(requests), streams, responses);
  std::vector<bool> answered(out.size(), false);
  size_t done = out.size() - sent;
  for (v1::ScoreResponse& response : responses) {
    size_t i = 0;
    if (!absl::SimpleAtoi(response.request_id(), &i) || i >= out.size() || answered[i]) continue;
    answered[i] = true;
    if (response.has_error()) {
      out[i].failed_at = "scoring";
      out[i].status = rpc::FromRpcStatusProto(response.error());
    } else {
      Save(response.card(), out[i]);
    }
    if (progress) progress(++done);
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].status.ok() && !answered[i]) {
      out[i].failed_at = "scoring";
      out[i].status =
          stream.ok() ? absl::InternalError("the stream ended without an answer") : stream;
    }
  }
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
