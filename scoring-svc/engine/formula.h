// Formulas: how a scheme computes a value from report figures.
//
//   formula  := sum
//   sum      := product (('+' | '-') product)*
//   product  := unary (('*' | '/') unary)*
//   unary    := '-' unary | primary
//   primary  := NUMBER | PATH | '@' NAME | FUNC '(' sum (',' sum)* ')' | '(' sum ')'
//   FUNC     := mean | sum | min | max
//
// PATH is a report field path (see field_path.h); "@name" is another measure.
// Constants are exact; figures carry the range of their rounding (interval.h).
// A formula is parsed and checked once, when its scheme is loaded.
// Thread-safe: immutable after Parse.

#ifndef JIXIAO_SCORING_SVC_ENGINE_FORMULA_H_
#define JIXIAO_SCORING_SVC_ENGINE_FORMULA_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jixiao/v1/report.pb.h"
#include "scoring-svc/engine/field_path.h"
#include "scoring-svc/engine/interval.h"

namespace jixiao::engine {

// The outcome of evaluating a formula (or a measure): a value, or why none.
struct Evaluation {
  std::optional<Interval> value;
  // When there is no value: every missing input, and any other reason.
  std::vector<std::string> missing;  // field paths or "@measure"
  std::string problem;               // e.g. "除数 procurement.budget 为 0"

  static Evaluation Of(Interval value) { return Evaluation{std::move(value), {}, {}}; }
  bool ok() const { return value.has_value(); }
  // "procurement.budget 缺失" or the problem, for messages.
  std::string WhyUnavailable() const;
};

// An input a formula read, as the score card lists it.
struct FormulaInput {
  std::string path;   // "procurement.actual" or "@q1_progress"
  std::string value;  // as written or displayed; empty when missing
};

class Formula {
 public:
  // Resolves "@name" to a measure index; nullopt if no such measure.
  using MeasureResolver = std::function<std::optional<int>(absl::string_view name)>;

  // Parses `text`. INVALID_ARGUMENT says where (column) and what is wrong:
  // a syntax error, an unknown function or measure, a field path that does
  // not name a figure of jixiao.v1.Report, or "figures.ID" for an ID that
  // `figures` (null: none) does not hold.
  // `slots` (null: none) numbers its field paths among its scheme's.
  static absl::StatusOr<Formula> Parse(absl::string_view text, const MeasureResolver& resolve,
                                       const FigureIds* figures = nullptr,
                                       FieldSlots* slots = nullptr);

  // The measure indices this formula refers to, each once.
  const std::vector<int>& measure_refs() const { return measure_refs_; }
  const std::string& text() const { return text_; }

  // Evaluates over `reports` (a prior. path reads last year's). `measure` gives the value of a
  // referenced measure (and its display text, for `inputs`). If `inputs` is not null, appends every
  // input read.
  using MeasureValue = std::function<const Evaluation&(int index, std::string* display)>;
  Evaluation Evaluate(const ReportInputs& reports, const MeasureValue& measure,
                      std::vector<FormulaInput>* inputs) const;
  Evaluation Evaluate(const v1::Report& report, const MeasureValue& measure,
                      std::vector<FormulaInput>* inputs) const {
    return Evaluate(ReportInputs{&report}, measure, inputs);
  }

  // The field paths it reads, in order of appearance.
  const std::vector<FieldPath>& fields() const { return fields_; }

  // True if it only adds, subtracts, negates or takes sums, means, minima
  // and maxima of its operands, so that its value is in their unit (万元
  // stays 万元); false once it multiplies or divides.
  bool KeepsUnit() const;

  struct Node;

 private:
  std::string text_;
  std::vector<Node> nodes_;  // nodes_[0] is the root
  std::vector<FieldPath> fields_;
  std::vector<int> measure_refs_;
  friend class FormulaParser;
};

struct Formula::Node {
  enum class Kind {
    kConstant,
    kField,
    kMeasure,
    kNegate,
    kAdd,
    kSubtract,
    kMultiply,
    kDivide,
    kMean,
    kSum,
    kMin,
    kMax
  };
  explicit Node(Kind k = Kind::kConstant) : kind(k) {}
  Kind kind;
  Rational constant;          // kConstant
  int index = -1;             // kField: into fields_; kMeasure: measure index
  std::vector<int> children;  // into nodes_
  std::string source;         // the text of this operand, for messages
};

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_FORMULA_H_
