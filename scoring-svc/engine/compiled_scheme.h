// The compiled form of a scheme, shared by the loader and the scorer.
// Callers outside the engine use engine.h only.

#ifndef JIXIAO_SCORING_SVC_ENGINE_COMPILED_SCHEME_H_
#define JIXIAO_SCORING_SVC_ENGINE_COMPILED_SCHEME_H_

#include <gmpxx.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "common/report/scheme_ref.h"
#include "jixiao/v1/scheme.pb.h"
#include "scoring-svc/engine/engine.h"
#include "scoring-svc/engine/field_path.h"
#include "scoring-svc/engine/formula.h"
#include "scoring-svc/engine/rules/rule.h"

namespace jixiao::engine {

struct CompiledMeasure {
  const v1::Measure* proto;  // points into SchemeParts::proto
  std::optional<Formula> formula;
  std::optional<FieldPath> declared;
};

struct CompiledIndicator {
  const v1::Indicator* proto;
  mpq_class weight;
  int level = 1;              // 1 = 一级
  int parent = -1;            // index into SchemeParts::indicators
  std::vector<int> children;  // likewise
  int measure = -1;           // leaf with a value-taking rule
  v1::ValueBasis basis = v1::VALUE_BASIS_VERIFIED;
  std::unique_ptr<Rule> rule;  // leaf only
  // Written once when the scheme is compiled, copied into every card.
  std::string weight_text;  // Points(weight)
  std::string rule_text;    // rule->Describe(the measure's unit); leaf only
};

struct CompiledCheck {
  const v1::Check* proto;
  Formula left;
  Formula right;
  v1::Severity severity;
  // The unit both sides are in ("万元"), for its findings; "" if not one.
  std::string unit;
};

struct CompiledGrade {
  std::string grade;
  mpq_class min_score;
};

struct SchemeParts {
  v1::Scheme proto;
  mpq_class total_weight;
  std::vector<CompiledMeasure> measures;      // scheme order
  std::vector<int> measure_order;             // every measure after those it refers to
  std::vector<CompiledIndicator> indicators;  // depth-first, tree order
  std::vector<CompiledCheck> checks;
  std::vector<CompiledGrade> grades;  // highest min_score first
  absl::flat_hash_map<std::string, int> indicator_index;
  absl::flat_hash_set<std::string> checklist_item_ids;  // of every checklist rule
  FigureIds figure_ids;                                 // of Scheme.figures
  FieldSlots field_slots;  // every field path its formulas and declared values read, numbered
  std::vector<std::string> prior_paths;  // the prior. paths it reads, sorted, each once
  std::string total_weight_text;
  std::string sha256;  // report::SchemeDigest(proto), copied into every card
};

// The compiled form of a scheme, for the engine's own files.
inline const SchemeParts& PartsOf(const CompiledScheme& scheme) { return *scheme.parts_; }

// The deepest indicator level a scheme may have (一级 / 二级 / 三级 / 四级),
// and bounds on its size.
inline constexpr int kMaxIndicatorLevels = 4;
inline constexpr int kMaxSchemeNodes = 2000;  // measures + indicators + checks + items

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_COMPILED_SCHEME_H_
