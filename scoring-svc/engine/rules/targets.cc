// Targets: the department's own 绩效目标 rows (Report.targets) for a leaf,
// each earning its share of the weight by how far it was met.
//
//   AT_LEAST  min(actual / target, 1); a zero target is met by any actual
//   AT_MOST   1 if actual <= target, else target / actual (0 for a zero target)
//   EQUAL     1 if actual = target exactly, else 0
//
// Shares are equal, or in proportion to the rows' weights when every row
// gives one. A row without an actual, a target or a direction earns nothing,
// with a finding.

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/rules/rule.h"

namespace jixiao::engine {
namespace {

using Target = v1::PerformanceTarget;

const char* DirectionSign(Target::Direction direction) {
  switch (direction) {
    case Target::DIRECTION_AT_LEAST:
      return "≥";
    case Target::DIRECTION_AT_MOST:
      return "≤";
    case Target::DIRECTION_EQUAL:
      return "=";
    default:
      return "?";
  }
}

// How far `actual` meets `target`, within [0, 1].
mpq_class Attainment(Target::Direction direction, const mpq_class& target,
                     const mpq_class& actual) {
  switch (direction) {
    case Target::DIRECTION_AT_LEAST:
      if (target <= 0 || actual >= target) return 1;
      return actual / target;
    case Target::DIRECTION_AT_MOST:
      if (actual <= target) return 1;
      return target / actual;  // actual > target >= 0
    case Target::DIRECTION_EQUAL:
      return actual == target ? 1 : 0;
    default:
      return 0;
  }
}

std::optional<mpq_class> Figure(const Target& row, const v1::Decimal& (Target::*field)() const,
                                bool (Target::*has)() const) {
  if (!(row.*has)()) return std::nullopt;
  absl::StatusOr<report::ReportedDecimal> parsed = report::ParseDecimal((row.*field)().value());
  if (!parsed.ok()) return std::nullopt;
  return parsed->value;
}

class TargetsRule : public Rule {
 public:
  bool TakesValue() const override { return false; }

  RuleOutcome Apply(const RuleContext& context) const override {
    RuleOutcome outcome;
    std::vector<int> rows;
    const auto& targets = context.report->targets();
    for (int i = 0; i < targets.size(); ++i) {
      if (targets[i].indicator_id() == context.indicator_id) rows.push_back(i);
    }
    if (rows.empty()) {
      outcome.score = 0;
      if (context.explain)
        outcome.deductions.push_back(
            absl::StrCat("未填报本指标的绩效目标，扣 ", Points(context.weight), " 分"));
      AddFinding(outcome.findings, v1::SEVERITY_WARNING, "targets_missing", context.indicator_id,
                 "targets",
                 absl::StrCat("指标 ", context.indicator_id, " 没有绩效目标行，得 0 分"));
      return outcome;
    }
    // Shares: by the rows' weights when every row gives a positive one.
    std::vector<mpq_class> weights;
    mpq_class total = 0;
    for (int i : rows) {
      std::optional<mpq_class> w = Figure(targets[i], &Target::weight, &Target::has_weight);
      if (!w || *w <= 0) {
        weights.clear();
        break;
      }
      weights.push_back(*w);
      total += *w;
    }
    mpq_class score = 0;
    for (size_t k = 0; k < rows.size(); ++k) {
      const int i = rows[k];
      const Target& row = targets[i];
      mpq_class share = weights.empty() ? mpq_class(context.weight / static_cast<long>(rows.size()))
                                        : mpq_class(context.weight * weights[k] / total);
      share.canonicalize();
      const std::string at = absl::StrCat("targets[", i, "]");
      v1::TargetResult& result = outcome.targets.emplace_back();
      result.set_name(row.name());
      result.set_direction(DirectionSign(row.direction()));
      result.set_target(row.target().value());
      result.set_actual(row.actual().value());
      result.set_unit(row.unit());
      result.set_share(Points(share));
      result.set_points("0");
      result.set_field_path(at);
      const std::string label = row.name().empty() ? at : absl::StrCat("“", row.name(), "”");
      std::optional<mpq_class> target = Figure(row, &Target::target, &Target::has_target);
      std::optional<mpq_class> actual = Figure(row, &Target::actual, &Target::has_actual);
      const bool known_direction = row.direction() == Target::DIRECTION_AT_LEAST ||
                                   row.direction() == Target::DIRECTION_AT_MOST ||
                                   row.direction() == Target::DIRECTION_EQUAL;
      // What the row lacks, if anything: the field, and its name in the card.
      const char* missing = nullptr;
      const char* missing_words = nullptr;
      if (!known_direction) {
        missing = "direction";
        missing_words = "方向";
      } else if (!target) {
        missing = "target";
        missing_words = "目标值";
      } else if (!actual) {
        missing = "actual";
        missing_words = "实际值";
      }
      if (missing != nullptr) {
        if (context.explain)
          outcome.deductions.push_back(
              absl::StrCat("目标", label, "未填", missing_words, "，扣 ", Points(share), " 分"));
        AddFinding(outcome.findings, v1::SEVERITY_WARNING, "target_incomplete",
                   context.indicator_id, absl::StrCat(at, ".", missing),
                   absl::StrCat("绩效目标", label, "缺少", missing, "，该行得 0 分"));
        continue;
      }
      mpq_class attained = Attainment(row.direction(), *target, *actual);
      attained.canonicalize();
      mpq_class earned = share * attained;
      earned.canonicalize();
      score += earned;
      result.set_attained(report::FormatFixed(attained * 100, 2));
      result.set_points(Points(earned));
      const std::string line =
          absl::StrCat("目标", label, " ", DirectionSign(row.direction()), " ",
                       WithUnit(*target, row.unit()), "，实际 ", WithUnit(*actual, row.unit()),
                       "，完成 ", report::FormatFixed(attained * 100, 2), "%，得 ", Points(earned),
                       " / ", Points(share), " 分");
      if (earned < share) {
        if (context.explain)
          outcome.deductions.push_back(absl::StrCat(line, "，扣 ", Points(share - earned), " 分"));
      }
    }
    outcome.score = Clamp(score, context.weight);
    return outcome;
  }

  std::string Describe(const std::string&) const override {
    return "按部门绩效目标逐项计分：≥ 目标按 实际/目标（至多满分），≤ 目标按 目标/实际，"
           "= 目标达成得满分否则不得分；各目标平分分值，或按其权重分配";
  }
};

}  // namespace

std::unique_ptr<Rule> CompileTargets(const v1::TargetsRule&, const mpq_class&, const SchemePath&,
                                     SchemeProblems&) {
  return std::make_unique<TargetsRule>();
}

}  // namespace jixiao::engine
