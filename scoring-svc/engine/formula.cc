#include "scoring-svc/engine/formula.h"

#include <algorithm>
#include <cctype>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/decimal.h"
#include "common/report/field_violations.h"
#include "scoring-svc/engine/figure_cache.h"

namespace jixiao::engine {

std::string Evaluation::WhyUnavailable() const {
  if (!problem.empty()) return problem;
  if (missing.empty()) return "无法计算";
  return absl::StrCat(absl::StrJoin(missing, "、"), " 缺失");
}

// Recursive-descent parser over the grammar in formula.h.
class FormulaParser {
 public:
  FormulaParser(absl::string_view text, const Formula::MeasureResolver& resolve,
                const FigureIds* figures, FieldSlots* slots, Formula& out)
      : text_(text), resolve_(resolve), figures_(figures), slots_(slots), out_(out) {}

  absl::Status Run() {
    out_.nodes_.emplace_back();  // reserve the root slot
    absl::StatusOr<int> root = ParseSum();
    if (!root.ok()) return root.status();
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after the end of the formula");
    out_.nodes_[0] = out_.nodes_[*root];
    return absl::OkStatus();
  }

 private:
  using Kind = Formula::Node::Kind;

  // The formula is quoted whole only when short: an error must stay small
  // enough to travel back in a status, whatever the text.
  absl::Status Error(absl::string_view what) const {
    constexpr size_t kQuoted = 60;
    auto shortened = [](absl::string_view text) {
      return text.size() <= 2 * kQuoted
                 ? std::string(text)
                 : absl::StrCat(report::ValidUtf8(text.substr(0, 2 * kQuoted)), "…");
    };
    return absl::InvalidArgumentError(absl::StrCat("formula \"", shortened(text_), "\", column ",
                                                   pos_ + 1, ": ", shortened(what)));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool Accept(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  int Add(Formula::Node node) {
    out_.nodes_.push_back(std::move(node));
    heights_.resize(out_.nodes_.size(), 0);
    return static_cast<int>(out_.nodes_.size() - 1);
  }

  // An operation over `children`. Its height (the longest path from it to a
  // leaf) is bounded, because evaluation recurses along that path: a long
  // chain "a + a + ... + a" nests no parentheses but builds a tree as deep as
  // it is long.
  absl::StatusOr<int> AddOp(Kind kind, std::vector<int> children, size_t start) {
    int height = 1;
    for (int child : children) height = std::max(height, heights_[child] + 1);
    if (height > kMaxHeight) {
      return Error(absl::StrCat("formula is too long: more than ", kMaxHeight,
                                " operations one inside another (use sum() or mean() for a "
                                "long list)"));
    }
    Formula::Node node{kind};
    node.children = std::move(children);
    node.source = std::string(text_.substr(start, pos_ - start));
    int index = Add(std::move(node));
    heights_[index] = height;
    return index;
  }

  // Entered by every rule that recurses (a unary minus, a parenthesis, a
  // call), so that the parser's own stack stays within kMaxDepth frames of
  // each kind whatever the text.
  class DepthGuard {
   public:
    explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
    ~DepthGuard() { --depth_; }
    bool exceeded() const { return depth_ > kMaxDepth; }

   private:
    int& depth_;
  };

  absl::StatusOr<int> ParseSum() {
    SkipSpace();
    size_t start = pos_;
    absl::StatusOr<int> left = ParseProduct();
    if (!left.ok()) return left;
    while (true) {
      Kind kind;
      if (Accept('+')) {
        kind = Kind::kAdd;
      } else if (Accept('-')) {
        kind = Kind::kSubtract;
      } else {
        return left;
      }
      absl::StatusOr<int> right = ParseProduct();
      if (!right.ok()) return right;
      left = AddOp(kind, {*left, *right}, start);
      if (!left.ok()) return left;
    }
  }

  absl::StatusOr<int> ParseProduct() {
    SkipSpace();
    size_t start = pos_;
    absl::StatusOr<int> left = ParseUnary();
    if (!left.ok()) return left;
    while (true) {
      Kind kind;
      if (Accept('*')) {
        kind = Kind::kMultiply;
      } else if (Accept('/')) {
        kind = Kind::kDivide;
      } else {
        return left;
      }
      absl::StatusOr<int> right = ParseUnary();
      if (!right.ok()) return right;
      left = AddOp(kind, {*left, *right}, start);
      if (!left.ok()) return left;
    }
  }

  absl::StatusOr<int> ParseUnary() {
    SkipSpace();
    size_t start = pos_;
    if (Accept('-')) {
      DepthGuard guard(depth_);
      if (guard.exceeded()) return Error("formula nests too deeply");
      absl::StatusOr<int> operand = ParseUnary();
      if (!operand.ok()) return operand;
      return AddOp(Kind::kNegate, {*operand}, start);
    }
    return ParsePrimary();
  }

  absl::string_view Name() {
    size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                   text_[pos_] == '_' || text_[pos_] == '.')) {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  absl::StatusOr<int> ParsePrimary() {
    SkipSpace();
    DepthGuard guard(depth_);
    if (guard.exceeded()) return Error("formula nests too deeply");
    size_t start = pos_;
    if (pos_ >= text_.size()) return Error("expected a number, a field path, @measure or '('");
    char c = text_[pos_];
    if (Accept('(')) {
      absl::StatusOr<int> inner = ParseSum();
      if (!inner.ok()) return inner;
      if (!Accept(')')) return Error("expected ')'");
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (pos_ < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
        ++pos_;
      }
      absl::string_view literal = text_.substr(start, pos_ - start);
      absl::StatusOr<report::ReportedDecimal> number = report::ParseDecimal(literal);
      if (!number.ok()) {
        pos_ = start;
        return Error(number.status().message());
      }
      Formula::Node node(Kind::kConstant);
      node.constant = number->value;
      node.source = std::string(literal);
      return Add(std::move(node));
    }
    if (c == '@') {
      ++pos_;
      absl::string_view name = Name();
      if (name.empty()) return Error("expected a measure name after '@'");
      std::optional<int> index = resolve_(name);
      if (!index) {
        pos_ = start;
        return Error(absl::StrCat("no measure \"", name, "\" in the scheme"));
      }
      Formula::Node node(Kind::kMeasure);
      node.index = *index;
      node.source = absl::StrCat("@", name);
      bool seen = false;
      for (int ref : out_.measure_refs_) seen |= ref == *index;
      if (!seen) out_.measure_refs_.push_back(*index);
      return Add(std::move(node));
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      absl::string_view name = Name();
      if (Accept('(')) return ParseCall(name, start);
      absl::StatusOr<FieldPath> path =
          FieldPath::Compile(name, v1::Report::descriptor(), figures_, slots_);
      if (!path.ok()) {
        pos_ = start;
        return Error(path.status().message());
      }
      out_.fields_.push_back(*std::move(path));
      Formula::Node node(Kind::kField);
      node.index = static_cast<int>(out_.fields_.size() - 1);
      node.source = std::string(name);
      return Add(std::move(node));
    }
    return Error(absl::StrCat("unexpected '", std::string(1, c), "'"));
  }

  absl::StatusOr<int> ParseCall(absl::string_view name, size_t start) {
    Kind kind;
    if (name == "mean") {
      kind = Kind::kMean;
    } else if (name == "sum") {
      kind = Kind::kSum;
    } else if (name == "min") {
      kind = Kind::kMin;
    } else if (name == "max") {
      kind = Kind::kMax;
    } else {
      pos_ = start;
      return Error(absl::StrCat("unknown function \"", name, "\" (known: mean, sum, min, max)"));
    }
    std::vector<int> args;
    do {
      absl::StatusOr<int> arg = ParseSum();
      if (!arg.ok()) return arg;
      args.push_back(*arg);
    } while (Accept(','));
    if (!Accept(')')) return Error("expected ',' or ')'");
    return AddOp(kind, std::move(args), start);
  }

  static constexpr int kMaxDepth = 64;    // recursive rules entered at once
  static constexpr int kMaxHeight = 256;  // of the tree evaluation walks
  absl::string_view text_;
  const Formula::MeasureResolver& resolve_;
  const FigureIds* const figures_;
  FieldSlots* const slots_;
  Formula& out_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::vector<int> heights_;  // operations below and at each node of out_.nodes_
};

absl::StatusOr<Formula> Formula::Parse(absl::string_view text, const MeasureResolver& resolve,
                                       const FigureIds* figures, FieldSlots* slots) {
  Formula formula;
  formula.text_ = std::string(text);
  if (text.find_first_not_of(" \t\n") == absl::string_view::npos) {
    return absl::InvalidArgumentError("formula is empty");
  }
  FormulaParser parser(text, resolve, figures, slots, formula);
  if (absl::Status status = parser.Run(); !status.ok()) return status;
  return formula;
}

namespace {

class Evaluator {
 public:
  // The most binary digits a numerator or denominator of a computed value
  // may have (about 1,200 decimal digits): far beyond any real formula's,
  // and cheap to compute with.
  static constexpr size_t kMaxValueBits = 4096;

  Evaluator(const std::vector<Formula::Node>& nodes, const std::vector<FieldPath>& fields,
            const ReportInputs& reports, const Formula::MeasureValue& measure,
            std::vector<FormulaInput>* inputs)
      : nodes_(nodes),
        fields_(fields),
        reports_(reports),
        figures_(reports.figures != nullptr ? *reports.figures : own_figures_),
        measure_(measure),
        inputs_(inputs) {}

  Evaluation Eval(int index) {
    const Formula::Node& node = nodes_[index];
    using Kind = Formula::Node::Kind;
    switch (node.kind) {
      case Kind::kConstant:
        return Evaluation::Of(Interval::Exact(node.constant));
      case Kind::kField:
        return Field(fields_[node.index]);
      case Kind::kMeasure: {
        std::string display;
        const Evaluation& value = measure_(node.index, &display);
        if (inputs_) inputs_->push_back({node.source, value.ok() ? display : ""});
        if (value.ok()) return value;
        Evaluation missing;
        missing.missing.push_back(node.source);
        return missing;
      }
      default:
        return Combine(node);
    }
  }

 private:
  Evaluation Field(const FieldPath& path) {
    const FigureCache::Figure& figure = figures_.Get(path, reports_);
    if (inputs_) inputs_->push_back({path.text(), figure.decimal ? figure.decimal->value() : ""});
    Evaluation result;
    if (figure.decimal == nullptr) {
      result.missing.push_back(path.text());
      return result;
    }
    if (!figure.value) {
      // Reports are checked before scoring; this guards direct engine use.
      result.problem = absl::StrCat(
          path.text(),
          " 不是有效数字: ", report::ParseDecimal(figure.decimal->value()).status().message());
      return result;
    }
    return Evaluation::Of(*figure.value);
  }

  // An operation's result, refused as a problem when its numbers have grown
  // past kMaxValueBits: exact arithmetic on rationals costs what their size
  // is, and a chain of measures that each square the last (a few lines of
  // scheme) would double it at every step, without end.
  Evaluation Combine(const Formula::Node& node) {
    Evaluation result = Compute(node);
    if (result.ok() && TooLarge(*result.value)) {
      Evaluation refused;
      refused.problem =
          absl::StrCat("“", report::ValidUtf8(absl::string_view(node.source).substr(0, 60)),
                       "” 的计算结果超过 ", kMaxValueBits, " 位二进制数，无法精确计算");
      return refused;
    }
    return result;
  }

  static bool TooLarge(const Interval& interval) {
    size_t largest = interval.value.bits();
    if (interval.bounded) {
      largest = std::max({largest, interval.lower.bits(), interval.upper.bits()});
    }
    return largest > kMaxValueBits;
  }

  Evaluation Compute(const Formula::Node& node) {
    using Kind = Formula::Node::Kind;
    absl::InlinedVector<Interval, 4> values;
    Evaluation failed;
    for (int child : node.children) {
      Evaluation value = Eval(child);
      if (value.ok()) {
        values.push_back(*std::move(value.value));
        continue;
      }
      // A path the formula names twice is missing once.
      for (std::string& path : value.missing) {
        if (std::find(failed.missing.begin(), failed.missing.end(), path) == failed.missing.end()) {
          failed.missing.push_back(std::move(path));
        }
      }
      if (failed.problem.empty()) failed.problem = value.problem;
    }
    if (values.size() != node.children.size()) return failed;

    switch (node.kind) {
      case Kind::kNegate:
        return Evaluation::Of(-values[0]);
      case Kind::kAdd:
        return Evaluation::Of(values[0] + values[1]);
      case Kind::kSubtract:
        return Evaluation::Of(values[0] - values[1]);
      case Kind::kMultiply:
        return Evaluation::Of(values[0] * values[1]);
      case Kind::kDivide: {
        if (values[1].value.sign() == 0) {
          Evaluation zero;
          zero.problem = absl::StrCat("除数 ", nodes_[node.children[1]].source, " 为 0");
          return zero;
        }
        return Evaluation::Of(values[0] / values[1]);
      }
      case Kind::kSum:
      case Kind::kMean: {
        Interval total = values[0];
        for (size_t i = 1; i < values.size(); ++i) total = total + values[i];
        if (node.kind == Kind::kSum) return Evaluation::Of(total);
        return Evaluation::Of(total / Interval::Exact(static_cast<long long>(values.size())));
      }
      case Kind::kMin:
      case Kind::kMax: {
        bool is_min = node.kind == Kind::kMin;
        Interval best = values[0];
        for (size_t i = 1; i < values.size(); ++i) {
          const Interval& v = values[i];
          auto pick = [is_min](const Rational& a, const Rational& b) {
            return is_min ? (b < a ? b : a) : (b > a ? b : a);
          };
          best.value = pick(best.value, v.value);
          best.lower = pick(best.lower, v.lower);
          best.upper = pick(best.upper, v.upper);
          best.bounded = best.bounded && v.bounded;
        }
        return Evaluation::Of(best);
      }
      default:
        break;
    }
    Evaluation unknown;
    unknown.problem = "内部错误: 未知运算";
    return unknown;
  }

  const std::vector<Formula::Node>& nodes_;
  const std::vector<FieldPath>& fields_;
  const ReportInputs& reports_;
  FigureCache own_figures_{0};  // for inputs that bring none: every read afresh
  FigureCache& figures_;
  const Formula::MeasureValue& measure_;
  std::vector<FormulaInput>* inputs_;
};

}  // namespace

Evaluation Formula::Evaluate(const ReportInputs& reports, const MeasureValue& measure,
                             std::vector<FormulaInput>* inputs) const {
  Evaluator evaluator(nodes_, fields_, reports, measure, inputs);
  return evaluator.Eval(0);
}

bool Formula::KeepsUnit() const {
  for (const Node& node : nodes_) {
    if (node.kind == Node::Kind::kMultiply || node.kind == Node::Kind::kDivide) return false;
  }
  return true;
}

}  // namespace jixiao::engine
