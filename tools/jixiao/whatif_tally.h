// What `jixiao whatif` keeps of a year as it reads it: each report's move
// in a few dozen bytes (its department, revision, both totals and both
// grades), each indicator's change summed, and the reports not compared.
// The cards themselves are dropped page by page, so a year of a million
// reports is compared in the memory of its moves.

#ifndef JIXIAO_TOOLS_JIXIAO_WHATIF_TALLY_H_
#define JIXIAO_TOOLS_JIXIAO_WHATIF_TALLY_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "jixiao/v1/scheme.pb.h"
#include "jixiao/v1/score_card.pb.h"
#include "jixiao/v1/storage_service.pb.h"
#include "jixiao/whatif/v1/whatif.pb.h"

namespace jixiao::cli {

// A score as written ("85.72", "-0.5") in millionths: exact, as a score has
// at most 6 decimals (Scheme.score_decimals); nullopt for any other text.
std::optional<int64_t> Millionths(absl::string_view text);

class WhatIfTally {
 public:
  // The schemes must outlive the tally.
  WhatIfTally(const v1::Scheme& before, const v1::Scheme& after);

  // Report `revision` scored under both schemes, `before` its stored card
  // where `stored`. A score that is not a decimal counts the report as not
  // compared.
  void Add(const v1::ReportRevision& revision, const v1::ScoreCard& before,
           const v1::ScoreCard& after, bool stored = false);
  // Report `revision` not compared, and why.
  void Fail(const v1::ReportRevision& revision, const absl::Status& why);

  int compared() const { return static_cast<int>(moves_.size()); }

  // Everything the command shows: the `top` largest moves, and with `all`
  // every department's.
  whatif::v1::WhatIf Result(int fiscal_year, int top, bool all) const;

 private:
  static constexpr uint8_t kNoGrade = 255;
  static constexpr size_t kTextChunk = size_t{1} << 20;

  // 40 bytes, and its department's code and name in text_.
  struct Move {
    int64_t revision = 0;
    int64_t before = 0, after = 0;    // totals, in millionths
    uint32_t chunk = 0, text_at = 0;  // code, then name, in text_[chunk] from text_at
    uint16_t code_size = 0, name_size = 0;
    uint8_t before_grade = kNoGrade, after_grade = kNoGrade;  // into the side's bands
  };
  struct Indicator {
    std::string id, name;
    bool in_before = false, in_after = false;
    // Where it is on each side's cards (each card of a scheme lists its
    // indicators in the same order): learnt from the first, checked on each.
    int before_at = -1, after_at = -1;
    absl::int128 change = 0;  // after − before, in millionths, summed
    int moved = 0;
  };

  // The indicator's score on `card`, in millionths (0 where it has none).
  static int64_t ScoreOn(const v1::ScoreCard& card, const std::string& id, int& at);
  static uint8_t GradeIndex(const std::vector<v1::GradeBand>& bands, const std::string& grade);
  whatif::v1::Mover MoverOf(const Move& move, int before_rank, int after_rank) const;
  absl::string_view CodeOf(const Move& move) const {
    return absl::string_view(text_[move.chunk]).substr(move.text_at, move.code_size);
  }
  absl::string_view NameOf(const Move& move) const {
    return absl::string_view(text_[move.chunk])
        .substr(move.text_at + move.code_size, move.name_size);
  }

  const v1::Scheme& before_;
  const v1::Scheme& after_;
  std::vector<v1::GradeBand> before_bands_, after_bands_;
  // Both grow in blocks that are never moved or freed while the year is
  // read: growing by doubling would leave the old copies behind as
  // memory the allocator holds.
  std::deque<Move> moves_;
  std::vector<std::string> text_;      // every move's code and name, in chunks of kTextChunk
  std::vector<Indicator> indicators_;  // the after scheme's, then those only before
  std::vector<whatif::v1::Failure> failures_;
  int from_cards_ = 0;
};

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_WHATIF_TALLY_H_
