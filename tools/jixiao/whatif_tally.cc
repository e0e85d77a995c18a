#include "tools/jixiao/whatif_tally.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

namespace wv1 = jixiao::whatif::v1;

constexpr int64_t kMillion = 1000000;

// Exactly, as GMP holds it.
mpq_class Exact(absl::int128 millionths) {
  mpz_class high(static_cast<long>(absl::Int128High64(millionths)));
  mpz_class value = high * mpz_class("18446744073709551616") +
                    mpz_class(static_cast<unsigned long>(absl::Int128Low64(millionths)));
  mpq_class q(value, mpz_class(kMillion));
  q.canonicalize();
  return q;
}

// Written to `decimals` places, rounded half up.
std::string Text(absl::int128 millionths, int decimals) {
  return report::FormatFixed(Exact(millionths), decimals);
}

// The mean of `count` values summed in `sum`, to 4 places.
std::string Mean(absl::int128 sum, size_t count) {
  mpq_class mean = Exact(sum);
  if (count > 0) mean /= static_cast<unsigned long>(count);
  return report::FormatFixed(mean, 4);
}

void IndicatorNames(const v1::Indicator& indicator,
                    std::vector<std::pair<std::string, std::string>>& out) {
  out.emplace_back(indicator.id(), indicator.name());
  for (const v1::Indicator& child : indicator.children()) IndicatorNames(child, out);
}

// 1 for the highest of `count` totals (`total(i)`); equal totals share a
// rank.
template <typename Total>
std::vector<int> Ranks(size_t count, Total total) {
  std::vector<uint32_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = static_cast<uint32_t>(i);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return total(a) > total(b); });
  std::vector<int> rank(count);
  for (size_t k = 0; k < count; ++k) {
    rank[order[k]] = k > 0 && total(order[k]) == total(order[k - 1]) ? rank[order[k - 1]]
                                                                     : static_cast<int>(k) + 1;
  }
  return rank;
}

}  // namespace

std::optional<int64_t> Millionths(absl::string_view text) {
  // The grammar is every decimal's (report::ScanDecimal); the bound is int64.
  absl::StatusOr<report::DecimalText> scanned = report::ScanDecimal(text);
  if (!scanned.ok() || scanned->fraction.size() > 6) return std::nullopt;
  int64_t value = 0;
  for (char c : scanned->integer) {
    if (value > (std::numeric_limits<int64_t>::max() / kMillion - 9) / 10) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  int64_t fraction = 0;
  for (char c : scanned->fraction) fraction = fraction * 10 + (c - '0');
  for (size_t places = scanned->fraction.size(); places < 6; ++places) fraction *= 10;
  value = value * kMillion + fraction;
  return scanned->minus ? -value : value;
}

WhatIfTally::WhatIfTally(const v1::Scheme& before, const v1::Scheme& after)
    : before_(before),
      after_(after),
      before_bands_(engine::GradeBandsOf(before)),
      after_bands_(engine::GradeBandsOf(after)) {
  std::vector<std::pair<std::string, std::string>> names, before_names;
  for (const v1::Indicator& i : after.indicators()) IndicatorNames(i, names);
  for (const v1::Indicator& i : before.indicators()) IndicatorNames(i, before_names);
  for (auto& [id, name] : names) {
    Indicator& indicator = indicators_.emplace_back();
    indicator.id = std::move(id);
    indicator.name = std::move(name);
    indicator.in_after = true;
  }
  for (auto& [id, name] : before_names) {
    auto it = std::find_if(indicators_.begin(), indicators_.end(),
                           [&](const Indicator& i) { return i.id == id; });
    if (it == indicators_.end()) {
      it = indicators_.insert(indicators_.end(), Indicator{});
      it->id = std::move(id);
      it->name = std::move(name);
    }
    it->in_before = true;
  }
}

uint8_t WhatIfTally::GradeIndex(const std::vector<v1::GradeBand>& bands, const std::string& grade) {
  for (size_t i = 0; i < bands.size() && i < kNoGrade; ++i) {
    if (bands[i].grade() == grade) return static_cast<uint8_t>(i);
  }
  return kNoGrade;
}

int64_t WhatIfTally::ScoreOn(const v1::ScoreCard& card, const std::string& id, int& at) {
  if (at < 0 || at >= card.indicators_size() || card.indicators(at).id() != id) {
    at = -1;
    for (int j = 0; j < card.indicators_size(); ++j) {
      if (card.indicators(j).id() == id) {
        at = j;
        break;
      }
    }
    if (at < 0) return 0;
  }
  return Millionths(card.indicators(at).score()).value_or(0);
}

void WhatIfTally::Add(const v1::ReportRevision& revision, const v1::ScoreCard& before,
                      const v1::ScoreCard& after, bool stored) {
  std::optional<int64_t> before_total = Millionths(before.total_score());
  std::optional<int64_t> after_total = Millionths(after.total_score());
  if (!before_total || !after_total) {
    Fail(revision, absl::InternalError(absl::StrCat(
                       "a total that is not a decimal of at most 6 places: \"",
                       before_total ? after.total_score() : before.total_score(), "\"")));
    return;
  }
  from_cards_ += stored;
  const std::string& code = revision.key().department_code();
  const std::string& name = revision.report().identity().department_name();
  Move& move = moves_.emplace_back();
  // Codes and names are far shorter (report::CheckReport bounds them).
  move.code_size = static_cast<uint16_t>(std::min<size_t>(code.size(), UINT16_MAX));
  move.name_size = static_cast<uint16_t>(std::min<size_t>(name.size(), UINT16_MAX));
  const size_t size = size_t{move.code_size} + move.name_size;
  if (text_.empty() || text_.back().size() + size > text_.back().capacity()) {
    text_.emplace_back().reserve(std::max(kTextChunk, size));
  }
  std::string& chunk = text_.back();
  move.chunk = static_cast<uint32_t>(text_.size() - 1);
  move.text_at = static_cast<uint32_t>(chunk.size());
  chunk.append(code, 0, move.code_size).append(name, 0, move.name_size);
  move.revision = revision.revision();
  move.before = *before_total;
  move.after = *after_total;
  move.before_grade = GradeIndex(before_bands_, before.grade());
  move.after_grade = GradeIndex(after_bands_, after.grade());
  for (Indicator& i : indicators_) {
    const int64_t change = ScoreOn(after, i.id, i.after_at) - ScoreOn(before, i.id, i.before_at);
    i.change += change;
    i.moved += change != 0;
  }
}

void WhatIfTally::Fail(const v1::ReportRevision& revision, const absl::Status& why) {
  wv1::Failure& failure = failures_.emplace_back();
  failure.set_report(Ref(revision.key(), revision.revision()));
  failure.set_message(std::string(why.message()));
  failure.set_code(static_cast<int>(why.code()));
}

wv1::Mover WhatIfTally::MoverOf(const Move& move, int before_rank, int after_rank) const {
  wv1::Mover m;
  m.set_department_code(std::string(CodeOf(move)));
  m.set_department_name(std::string(NameOf(move)));
  m.set_revision(move.revision);
  m.set_before_total(Text(move.before, before_.score_decimals()));
  m.set_after_total(Text(move.after, after_.score_decimals()));
  const int decimals = std::max(after_.score_decimals(), before_.score_decimals());
  const std::string change = Text(absl::int128(move.after) - move.before, decimals);
  m.set_change(move.after > move.before ? "+" + change : change);
  if (move.before_grade != kNoGrade) m.set_before_grade(before_bands_[move.before_grade].grade());
  if (move.after_grade != kNoGrade) m.set_after_grade(after_bands_[move.after_grade].grade());
  m.set_before_rank(before_rank);
  m.set_after_rank(after_rank);
  return m;
}

wv1::WhatIf WhatIfTally::Result(int fiscal_year, int top, bool all) const {
  wv1::WhatIf out;
  out.set_fiscal_year(fiscal_year);
  for (const auto& [used, scheme] :
       {std::pair{out.mutable_before(), &before_}, std::pair{out.mutable_after(), &after_}}) {
    used->set_id(scheme->id());
    used->set_version(scheme->version());
    used->set_name(scheme->name());
  }
  const size_t n = moves_.size();
  out.set_reports(static_cast<int>(n));
  out.set_before_from_cards(from_cards_);
  absl::int128 before_sum = 0, after_sum = 0;
  for (const Move& m : moves_) {
    before_sum += m.before;
    after_sum += m.after;
  }
  if (n > 0) {
    out.set_before_mean(Mean(before_sum, n));
    out.set_after_mean(Mean(after_sum, n));
  }
  const std::vector<int> before_rank = Ranks(n, [&](size_t k) { return moves_[k].before; });
  const std::vector<int> after_rank = Ranks(n, [&](size_t k) { return moves_[k].after; });
  // Grade changes, most first; the distributions, best grade first.
  std::map<std::pair<uint8_t, uint8_t>, int> transitions;
  std::vector<int> before_counts(before_bands_.size()), after_counts(after_bands_.size());
  int grade_changed = 0, rank_changed = 0;
  auto grade = [](const std::vector<v1::GradeBand>& bands, uint8_t i) {
    return i == kNoGrade ? std::string() : bands[i].grade();
  };
  for (size_t k = 0; k < n; ++k) {
    const Move& m = moves_[k];
    if (m.before_grade != kNoGrade) ++before_counts[m.before_grade];
    if (m.after_grade != kNoGrade) ++after_counts[m.after_grade];
    if (grade(before_bands_, m.before_grade) != grade(after_bands_, m.after_grade)) {
      ++grade_changed;
      ++transitions[{m.before_grade, m.after_grade}];
    }
    rank_changed += before_rank[k] != after_rank[k];
  }
  out.set_grade_changed(grade_changed);
  out.set_rank_changed(rank_changed);
  std::vector<std::pair<std::pair<uint8_t, uint8_t>, int>> sorted(transitions.begin(),
                                                                  transitions.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [grades, count] : sorted) {
    wv1::GradeChange& change = *out.add_grade_changes();
    change.set_from(grade(before_bands_, grades.first));
    change.set_to(grade(after_bands_, grades.second));
    change.set_count(count);
  }
  for (size_t i = 0; i < before_bands_.size(); ++i) {
    wv1::GradeCount& count = *out.add_before_grades();
    count.set_grade(before_bands_[i].grade());
    count.set_count(before_counts[i]);
  }
  for (size_t i = 0; i < after_bands_.size(); ++i) {
    wv1::GradeCount& count = *out.add_after_grades();
    count.set_grade(after_bands_[i].grade());
    count.set_count(after_counts[i]);
  }
  // The largest moves: by |change|, then by department code.
  auto size_of = [&](uint32_t k) {
    const absl::int128 d = absl::int128(moves_[k].after) - moves_[k].before;
    return d < 0 ? -d : d;
  };
  std::vector<uint32_t> order;
  for (size_t k = 0; k < n; ++k) {
    if (moves_[k].after != moves_[k].before) order.push_back(static_cast<uint32_t>(k));
  }
  const size_t shown = std::min(order.size(), static_cast<size_t>(std::max(top, 0)));
  std::partial_sort(order.begin(), order.begin() + shown, order.end(), [&](uint32_t a, uint32_t b) {
    const absl::int128 da = size_of(a), db = size_of(b);
    if (da != db) return da > db;
    return CodeOf(moves_[a]) < CodeOf(moves_[b]);
  });
  for (size_t k = 0; k < shown; ++k) {
    *out.add_largest() = MoverOf(moves_[order[k]], before_rank[order[k]], after_rank[order[k]]);
  }
  if (all) {
    out.mutable_all()->Reserve(static_cast<int>(n));
    for (size_t k = 0; k < n; ++k)
      *out.add_all() = MoverOf(moves_[k], before_rank[k], after_rank[k]);
  }
  for (const Indicator& i : indicators_) {
    wv1::IndicatorChange& change = *out.add_indicators();
    change.set_id(i.id);
    change.set_name(i.name);
    change.set_mean_change(Mean(i.change, n));
    change.set_moved(i.moved);
    change.set_in_after(i.in_after);
    change.set_in_before(i.in_before);
  }
  for (const wv1::Failure& f : failures_) *out.add_failures() = f;
  return out;
}

}  // namespace jixiao::cli
