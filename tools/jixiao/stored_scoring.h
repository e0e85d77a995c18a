// Scoring a stored report as `jixiao score DEPT/YEAR` and `jixiao submit`
// do: its revision read from storage-svc, scored on scoring-svc with the
// year's scheme (or the one chosen) and last year's stored report, and the
// card saved back.

#ifndef JIXIAO_TOOLS_JIXIAO_STORED_SCORING_H_
#define JIXIAO_TOOLS_JIXIAO_STORED_SCORING_H_

#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "jixiao/v1/scoring_service.pb.h"
#include "jixiao/v1/storage_service.pb.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/command.h"
#include "tools/jixiao/inputs.h"

namespace jixiao::cli {

struct StoredScore {
  v1::ReportRevision revision;              // scored, report included
  std::optional<v1::ReportRevision> prior;  // last year's, if there is one
  v1::ScoreCard card;                       // as saved
  // What failed, for the hint PrintError gives: "storage" or "scoring".
  const char* failed_at = "";
  absl::Status status;
};

class StoredScorer {
 public:
  // `global` and `choice` must outlive the scorer.
  StoredScorer(const GlobalOptions& global, const SchemeChoice& choice);

  // Scores revision `ref.revision` (0: the latest) and saves its card.
  StoredScore Score(const StoredRef& ref);

  // Scores every one of `revisions` (reports included) as Score does, on up
  // to `streams` ScoreStream calls spread over scoring-svc's replicas, and
  // saves each card; one StoredScore per revision, in order. `progress` is
  // told how many are done after each.
  std::vector<StoredScore> ScoreAll(std::vector<v1::ReportRevision> revisions, int streams,
                                    const std::function<void(size_t done)>& progress);

  // The findings of revision `ref.revision` (0: the latest) against its
  // year's scheme and last year's stored report, without scoring or saving
  // anything; into out.findings.
  StoredScore Validate(const StoredRef& ref, v1::ValidateResponse& findings);

  // Prints `score.status` about `what` with the hint for where it failed,
  // and returns its exit code.
  int Error(const std::string& what, const StoredScore& score) const;

 private:
  // Reads revision `ref.revision` into out.revision and makes its request
  // (Prepare); false, with out.status, if that fails.
  bool Read(const StoredRef& ref, StoredScore& out, v1::ScoreRequest& request);
  // The request for `revision`, with its year's scheme and last year's
  // report; the failure, if either cannot be read.
  absl::Status Prepare(const v1::ReportRevision& revision, StoredScore& out,
                       v1::ScoreRequest& request);
  // Saves `card` into `out`.
  void Save(const v1::ScoreCard& card, StoredScore& out);

  const GlobalOptions& global_;
  const SchemeChoice& choice_;
  StorageClient storage_;
  ScoringClient scoring_;
  std::map<int, std::optional<v1::Scheme>> schemes_;  // by fiscal year
};

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_STORED_SCORING_H_
