// Step bands: "≥ 90% 且 ≤ 100% 得 2 分". The first band that
// contains the value gives the score; a value in no band scores zero.

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/rules/rule.h"

namespace jixiao::engine {
namespace {

struct Band {
  std::optional<mpq_class> lower;
  bool lower_inclusive = false;
  std::optional<mpq_class> upper;
  bool upper_inclusive = false;
  mpq_class points;

  bool Contains(const mpq_class& v) const {
    if (lower && (lower_inclusive ? v < *lower : v <= *lower)) return false;
    if (upper && (upper_inclusive ? v > *upper : v >= *upper)) return false;
    return true;
  }

  // The band in symbols a table prints without naming the measure again:
  // "≥ 95%", "< 90%", "≥ 90% 且 ≤ 100%", "= 100%".
  std::string Describe(const std::string& unit) const {
    if (lower && upper && lower_inclusive && upper_inclusive && *lower == *upper) {
      return absl::StrCat("= ", WithUnit(*lower, unit));
    }
    std::string text;
    if (lower) absl::StrAppend(&text, lower_inclusive ? "≥ " : "> ", WithUnit(*lower, unit));
    if (lower && upper) text += " 且 ";
    if (upper) absl::StrAppend(&text, upper_inclusive ? "≤ " : "< ", WithUnit(*upper, unit));
    if (!lower && !upper) text = "任意值";
    return text;
  }
};

class BandsRule : public Rule {
 public:
  explicit BandsRule(std::vector<Band> bands) : bands_(std::move(bands)) {}

  bool TakesValue() const override { return true; }

  RuleOutcome Apply(const RuleContext& context) const override {
    RuleOutcome outcome;
    for (const Band& band : bands_) {
      if (!band.Contains(*context.value)) continue;
      outcome.score = Clamp(band.points, context.weight);
      mpq_class lost = context.weight - outcome.score;
      if (lost > 0) {
        if (context.explain)
          outcome.deductions.push_back(absl::StrCat(
              context.measure_name, " ", context.value_text, " 在 ", band.Describe(context.unit),
              " 档，得 ", Points(outcome.score), " 分，扣 ", Points(lost), " 分"));
      }
      return outcome;
    }
    outcome.score = 0;
    if (context.explain)
      outcome.deductions.push_back(absl::StrCat(context.measure_name, " ", context.value_text,
                                                " 不在任何得分档内，扣 ", Points(context.weight),
                                                " 分"));
    return outcome;
  }

  // "≥ 95% 得 2 分；≥ 90% 且 < 95% 得 1 分；其余不得分", the last clause only
  // where the bands leave some value out.
  std::string Describe(const std::string& unit) const override {
    std::vector<std::string> parts;
    for (const Band& band : bands_) {
      parts.push_back(band.points == 0
                          ? absl::StrCat(band.Describe(unit), " 不得分")
                          : absl::StrCat(band.Describe(unit), " 得 ", Points(band.points), " 分"));
    }
    if (!CoverEveryValue()) parts.push_back("其余不得分");
    return absl::StrJoin(parts, "；");
  }

 private:
  // Whether every value lies in some band: swept from below, lowest bound
  // first (an open lower end first of all), each band must start at or
  // before where those before it stopped.
  bool CoverEveryValue() const {
    std::vector<const Band*> sorted;
    for (const Band& band : bands_) sorted.push_back(&band);
    std::sort(sorted.begin(), sorted.end(), [](const Band* a, const Band* b) {
      if (!a->lower || !b->lower) return !a->lower && b->lower;
      if (*a->lower != *b->lower) return *a->lower < *b->lower;
      return a->lower_inclusive && !b->lower_inclusive;
    });
    if (sorted.empty() || sorted.front()->lower) return false;
    // Covered so far: everything below `reach` (and `reach` itself where
    // `reach_inclusive`).
    std::optional<mpq_class> reach = sorted.front()->upper;
    bool reach_inclusive = sorted.front()->upper_inclusive;
    for (const Band* band : sorted) {
      if (!reach) return true;
      if (band->lower && (*band->lower > *reach ||
                          (*band->lower == *reach && !reach_inclusive && !band->lower_inclusive))) {
        return false;
      }
      if (!band->upper) return true;
      if (*band->upper > *reach || (*band->upper == *reach && band->upper_inclusive)) {
        reach = band->upper;
        reach_inclusive = band->upper_inclusive;
      }
    }
    return !reach;
  }

  const std::vector<Band> bands_;
};

}  // namespace

std::unique_ptr<Rule> CompileBands(const v1::BandsRule& rule, const mpq_class& weight,
                                   const SchemePath& at, SchemeProblems& problems) {
  if (rule.bands().empty()) {
    problems.Add(at, "needs at least one band");
    return nullptr;
  }
  std::vector<Band> bands;
  bool ok = true;
  for (int i = 0; i < rule.bands_size(); ++i) {
    const v1::Band& in = rule.bands(i);
    SchemePath here = at.Field("bands", i);
    Band band;
    band.lower_inclusive = in.lower_inclusive();
    band.upper_inclusive = in.upper_inclusive();
    if (!in.lower().empty()) band.lower = problems.Decimal(in.lower(), here.Field("lower"));
    if (!in.upper().empty()) band.upper = problems.Decimal(in.upper(), here.Field("upper"));
    std::optional<mpq_class> points = problems.Decimal(in.points(), here.Field("points"));
    if ((!in.lower().empty() && !band.lower) || (!in.upper().empty() && !band.upper) || !points) {
      ok = false;
      continue;
    }
    band.points = *points;
    if (band.points < 0 || band.points > weight) {
      problems.Add(here.Field("points"), absl::StrCat("must lie within [0, ", Points(weight),
                                                      "], the indicator's weight"));
      ok = false;
    }
    if (band.lower && band.upper &&
        (*band.lower > *band.upper ||
         (*band.lower == *band.upper && !(band.lower_inclusive && band.upper_inclusive)))) {
      problems.Add(here, "is empty: no value lies between its lower and upper bounds");
      ok = false;
    }
    bands.push_back(std::move(band));
  }
  if (!ok) return nullptr;
  return std::make_unique<BandsRule>(std::move(bands));
}

}  // namespace jixiao::engine
