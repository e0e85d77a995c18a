// Tamper-evident score cards.
//
// scoring-svc signs every card it returns: HMAC-SHA256, under a key named
// by its id, over the card (without its signature, but with the digest of
// the scheme it was scored with) followed by the SHA-256 of the exact
// report it scored and, for a card scored with last year's report, that
// report's SHA-256. storage-svc, holding the same keys, keeps only cards
// whose signature holds and whose report digests match the stored revisions
// they name, so no client can store a score it did not get from
// scoring-svc. A key file lists keys newest first; the first signs,
// all verify, so keys rotate without invalidating stored cards:
//
//   # key id   secret (hex, at least 32 bytes)
//   2026-11    5f1c...e9
//   2026-05    a4b2...07
//
// Thread-safe: immutable after Load.

#ifndef JIXIAO_COMMON_AUTH_CARD_SIGNING_H_
#define JIXIAO_COMMON_AUTH_CARD_SIGNING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/score_card.pb.h"

namespace jixiao::auth {

// SHA-256 of a report's deterministic bytes (report/deterministic.h): the
// same report, however it was parsed, has the same digest.
std::string ReportDigest(const v1::Report& report);

class SigningKeys {
 public:
  // INVALID_ARGUMENT naming the line for a bad file; NOT_FOUND if unreadable.
  static absl::StatusOr<SigningKeys> Load(const std::string& path);
  static absl::StatusOr<SigningKeys> Parse(absl::string_view text, absl::string_view source);

  // Signs `card` as the card of `report`, scored with last year's report
  // `prior` (null: none), with the newest key.
  void Sign(const v1::Report& report, const v1::Report* prior, v1::ScoreCard& card) const;

  // OK if `card` is signed by a known key over itself, `report` and `prior`
  // (null: the card must have been scored without one); INVALID_ARGUMENT
  // with a field violation on card.signature otherwise.
  absl::Status Verify(const v1::Report& report, const v1::Report* prior,
                      const v1::ScoreCard& card) const;

 private:
  std::vector<std::pair<std::string, std::string>> keys_;  // (id, secret), newest first
};

}  // namespace jixiao::auth

#endif  // JIXIAO_COMMON_AUTH_CARD_SIGNING_H_
