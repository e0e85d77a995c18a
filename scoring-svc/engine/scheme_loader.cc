// Loading a scheme: parse, check everything, compile.

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/files.h"
#include "common/report/check_report.h"
#include "common/report/decimal.h"
#include "common/report/field_violations.h"
#include "common/report/plain_text.h"
#include "common/report/scheme_ref.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "scoring-svc/engine/compiled_scheme.h"
#include "scoring-svc/engine/engine.h"
#include "scoring-svc/engine/scheme_problems.h"

namespace jixiao::engine {

using google::protobuf::TextFormat;

CompiledScheme::CompiledScheme(std::unique_ptr<SchemeParts> parts) : parts_(std::move(parts)) {}
CompiledScheme::~CompiledScheme() = default;
const v1::Scheme& CompiledScheme::proto() const { return parts_->proto; }
const std::string& CompiledScheme::digest() const { return parts_->sha256; }

namespace {

inline constexpr size_t kMaxSchemeTextBytes = 4 * 1024 * 1024;

bool IsIdentifier(const std::string& id) { return id.size() <= 128 && report::IsCode(id); }

class SchemeCompiler {
 public:
  SchemeCompiler(std::unique_ptr<SchemeParts> parts, SchemeProblems& problems)
      : parts_(std::move(parts)), problems_(problems) {}

  std::unique_ptr<SchemeParts> Run() {
    const v1::Scheme& scheme = parts_->proto;
    SchemePath root;
    CheckHeader(scheme, root);
    if (CountNodes(scheme) > kMaxSchemeNodes) {
      problems_.Add(root, absl::StrCat("has more than ", kMaxSchemeNodes,
                                       " measures, indicators, checks, checklist items and figures"));
      return nullptr;
    }
    CheckEnums(scheme, root);
    CompileFigures(scheme, root);
    CompileMeasures(scheme, root);
    OrderMeasures(root);
    CompileIndicators(scheme, root);
    CompileChecks(scheme, root);
    CompileGrades(scheme, root);
    if (!problems_.empty()) return nullptr;
    return std::move(parts_);
  }

 private:
  static int CountNodes(const v1::Scheme& scheme) {
    int count = scheme.measures_size() + scheme.checks_size() + scheme.grades_size() +
                scheme.figures_size();
    std::function<void(const v1::Indicator&, int)> visit = [&](const v1::Indicator& i, int depth) {
      ++count;
      count += i.rule().checklist().items_size() + i.rule().bands().bands_size();
      if (depth > kMaxIndicatorLevels + 1 || count > kMaxSchemeNodes) return;
      for (const auto& child : i.children()) visit(child, depth + 1);
    };
    for (const auto& i : scheme.indicators()) visit(i, 1);
    return count;
  }

  // Proto3 enums keep values they do not know; a scheme must use only the
  // values it was written against, or a rule would silently mean another.
  void CheckEnums(const google::protobuf::Message& message, const SchemePath& at) {
    const auto* type = message.GetDescriptor();
    const auto* reflection = message.GetReflection();
    for (int i = 0; i < type->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = type->field(i);
      int size = field->is_repeated() ? reflection->FieldSize(message, field)
                                      : (reflection->HasField(message, field) ? 1 : 0);
      for (int j = 0; j < size; ++j) {
        SchemePath here = at.Field(field->name(), field->is_repeated() ? j : -1);
        if (field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
          CheckEnums(field->is_repeated() ? reflection->GetRepeatedMessage(message, field, j)
                                          : reflection->GetMessage(message, field),
                     here);
        } else if (field->type() == google::protobuf::FieldDescriptor::TYPE_ENUM) {
          int value = field->is_repeated() ? reflection->GetRepeatedEnumValue(message, field, j)
                                           : reflection->GetEnumValue(message, field);
          if (field->enum_type()->FindValueByNumber(value) == nullptr) {
            problems_.Add(here,
                          absl::StrCat("unknown ", field->enum_type()->name(), " value ", value));
          }
        }
      }
    }
  }

  void CheckHeader(const v1::Scheme& scheme, const SchemePath& root) {
    if (!IsIdentifier(scheme.id())) {
      problems_.Add(root.Field("id"),
                    "is required: letters, digits, '-', '_' or '.', at most 128 characters");
    }
    if (scheme.version() < 1) problems_.Add(root.Field("version"), "must be 1 or more");
    RequireName(scheme.name(), root.Field("name"));
    if (scheme.edition().size() > 64) problems_.Add(root.Field("edition"), "is at most 64 bytes");
    std::optional<mpq_class> total =
        problems_.Decimal(scheme.total_weight(), root.Field("total_weight"));
    if (total && *total <= 0) problems_.Add(root.Field("total_weight"), "must be greater than 0");
    if (total) parts_->total_weight = *total;
    if (scheme.score_decimals() < 0 || scheme.score_decimals() > 6) {
      problems_.Add(root.Field("score_decimals"), "must lie within [0, 6]");
    }
    if (scheme.indicators().empty())
      problems_.Add(root.Field("indicators"), "a scheme needs indicators");
  }

  // A figure's id is what a formula names after "figures.": a letter, then
  // letters, digits and '_'.
  static bool IsFigureId(absl::string_view id) {
    if (id.empty() || id.size() > report::kMaxFigureIdLength || !absl::ascii_isalpha(id[0])) {
      return false;
    }
    for (char c : id) {
      if (!absl::ascii_isalnum(c) && c != '_') return false;
    }
    return true;
  }

  void CompileFigures(const v1::Scheme& scheme, const SchemePath& root) {
    for (int i = 0; i < scheme.figures_size(); ++i) {
      const v1::FigureSpec& f = scheme.figures(i);
      SchemePath at = root.Field("figures", i);
      if (!IsFigureId(f.id())) {
        problems_.Add(at.Field("id"),
                      absl::StrCat("is required: a letter, then letters, digits or '_', at most ",
                                   report::kMaxFigureIdLength, " characters"));
      } else if (!parts_->figure_ids.insert(f.id()).second) {
        problems_.Add(at.Field("id"), absl::StrCat("figure \"", f.id(), "\" is declared twice"));
      }
      RequireName(f.name(), at.Field("name"));
    }
  }

  void CompileMeasures(const v1::Scheme& scheme, const SchemePath& root) {
    for (int i = 0; i < scheme.measures_size(); ++i) {
      const v1::Measure& m = scheme.measures(i);
      SchemePath at = root.Field("measures", i);
      if (!IsIdentifier(m.id())) {
        problems_.Add(at.Field("id"), "is required: letters, digits, '-', '_' or '.'");
      } else if (!measure_index_.emplace(m.id(), i).second) {
        problems_.Add(at.Field("id"), absl::StrCat("measure \"", m.id(), "\" is defined twice"));
      }
    }
    Formula::MeasureResolver resolve = [this](absl::string_view name) -> std::optional<int> {
      auto it = measure_index_.find(name);
      if (it == measure_index_.end()) return std::nullopt;
      return it->second;
    };
    for (int i = 0; i < scheme.measures_size(); ++i) {
      const v1::Measure& m = scheme.measures(i);
      SchemePath at = root.Field("measures", i);
      CompiledMeasure& out = parts_->measures.emplace_back();
      out.proto = &m;
      RequireName(m.name(), at.Field("name"));
      if (m.decimals() < 0 || m.decimals() > report::kMaxDecimals) {
        problems_.Add(at.Field("decimals"),
                      absl::StrCat("must lie within [0, ", report::kMaxDecimals, "]"));
      }
      if (m.formula().empty() && m.declared().empty()) {
        problems_.Add(at, "needs a formula, a declared field path, or both");
      }
      if (!m.formula().empty()) {
        absl::StatusOr<Formula> formula =
            Formula::Parse(m.formula(), resolve, &parts_->figure_ids, &parts_->field_slots);
        if (formula.ok()) {
          out.formula = *std::move(formula);
        } else {
          problems_.Add(at.Field("formula"), std::string(formula.status().message()));
        }
      }
      if (!m.declared().empty()) {
        absl::StatusOr<FieldPath> path = FieldPath::Compile(
            m.declared(), v1::Report::descriptor(), &parts_->figure_ids, &parts_->field_slots);
        if (path.ok()) {
          out.declared = *std::move(path);
        } else {
          problems_.Add(at.Field("declared"), std::string(path.status().message()));
        }
      }
    }
  }

  // Orders measures so that each comes after those it refers to, and
  // reports every cycle.
  void OrderMeasures(const SchemePath& root) {
    const auto& measures = parts_->measures;
    std::vector<int> state(measures.size(), 0);  // 0 new, 1 on the stack, 2 done
    std::vector<int> stack;
    std::function<void(int)> visit = [&](int i) {
      if (state[i] == 2) return;
      if (state[i] == 1) {
        auto from = std::find(stack.begin(), stack.end(), i);
        std::vector<std::string> names;
        for (auto it = from; it != stack.end(); ++it) names.push_back(measures[*it].proto->id());
        names.push_back(measures[i].proto->id());
        problems_.Add(
            root.Field("measures", i).Field("formula"),
            absl::StrCat("measures refer to each other in a cycle: ", absl::StrJoin(names, " → ")));
        return;
      }
      state[i] = 1;
      stack.push_back(i);
      if (measures[i].formula) {
        for (int ref : measures[i].formula->measure_refs()) visit(ref);
      }
      stack.pop_back();
      state[i] = 2;
      parts_->measure_order.push_back(i);
    };
    for (size_t i = 0; i < measures.size(); ++i) visit(static_cast<int>(i));
  }

  void CompileIndicators(const v1::Scheme& scheme, const SchemePath& root) {
    mpq_class sum = 0;
    for (int i = 0; i < scheme.indicators_size(); ++i) {
      sum += CompileIndicator(scheme.indicators(i), root.Field("indicators", i), 1, -1,
                              scheme.score_on());
    }
    if (!scheme.indicators().empty() && sum != parts_->total_weight && parts_->total_weight > 0) {
      problems_.Add(root.Field("indicators"),
                    absl::StrCat("top-level weights add up to ", Points(sum), ", not total_weight ",
                                 Points(parts_->total_weight)));
    }
  }

  // Compiles one indicator and its subtree; returns its weight (0 if bad).
  mpq_class CompileIndicator(const v1::Indicator& in, const SchemePath& at, int level, int parent,
                             v1::ValueBasis inherited) {
    int index = static_cast<int>(parts_->indicators.size());
    parts_->indicators.emplace_back();
    {
      CompiledIndicator& out = parts_->indicators.back();
      out.proto = &in;
      out.level = level;
      out.parent = parent;
    }
    if (parent >= 0) parts_->indicators[parent].children.push_back(index);
    if (!IsIdentifier(in.id())) {
      problems_.Add(at.Field("id"), "is required: letters, digits, '-', '_' or '.'");
    } else if (!parts_->indicator_index.emplace(in.id(), index).second) {
      problems_.Add(at.Field("id"), absl::StrCat("indicator \"", in.id(), "\" is defined twice"));
    }
    RequireName(in.name(), at.Field("name"));
    std::optional<mpq_class> weight = problems_.Decimal(in.weight(), at.Field("weight"));
    if (weight && *weight <= 0) {
      problems_.Add(at.Field("weight"), "must be greater than 0");
      weight.reset();
    }
    mpq_class w = weight.value_or(0);
    parts_->indicators[index].weight = w;
    v1::ValueBasis basis = in.score_on() != v1::VALUE_BASIS_UNSPECIFIED ? in.score_on() : inherited;
    parts_->indicators[index].basis =
        basis == v1::VALUE_BASIS_UNSPECIFIED ? v1::VALUE_BASIS_VERIFIED : basis;

    if (!in.children().empty()) {
      if (level >= kMaxIndicatorLevels) {
        problems_.Add(at.Field("children"), absl::StrCat("indicators nest at most ",
                                                         kMaxIndicatorLevels, " levels deep"));
        return w;
      }
      if (!in.measure().empty())
        problems_.Add(at.Field("measure"), "only a leaf indicator scores a measure");
      if (in.has_rule()) problems_.Add(at.Field("rule"), "only a leaf indicator has a rule");
      mpq_class sum = 0;
      bool children_ok = true;
      for (int i = 0; i < in.children_size(); ++i) {
        mpq_class child =
            CompileIndicator(in.children(i), at.Field("children", i), level + 1, index, basis);
        children_ok &= child > 0;
        sum += child;
      }
      if (weight && children_ok && sum != w) {
        problems_.Add(at.Field("weight"),
                      absl::StrCat("indicator \"", in.id(), "\" weighs ", Points(w),
                                   " but its children's weights add up to ", Points(sum)));
      }
      return w;
    }

    if (!in.has_rule()) {
      problems_.Add(at.Field("rule"), "a leaf indicator needs a rule");
      return w;
    }
    std::unique_ptr<Rule> rule = CompileRule(in.rule(), w, at.Field("rule"), problems_);
    if (rule && rule->TakesValue()) {
      auto it = measure_index_.find(in.measure());
      if (in.measure().empty()) {
        problems_.Add(at.Field("measure"), "this rule scores a value: name the measure it scores");
      } else if (it == measure_index_.end()) {
        problems_.Add(at.Field("measure"),
                      absl::StrCat("no measure \"", in.measure(), "\" in the scheme"));
      } else {
        parts_->indicators[index].measure = it->second;
      }
    } else if (rule && !in.measure().empty()) {
      problems_.Add(at.Field("measure"), "a checklist, manual or targets rule takes no measure");
    }
    if (rule && in.rule().has_checklist()) {
      for (int i = 0; i < in.rule().checklist().items_size(); ++i) {
        const std::string& id = in.rule().checklist().items(i).id();
        if (!id.empty() && !checklist_ids_.insert(id).second) {
          problems_.Add(
              at.Field("rule").Field("checklist").Field("items", i).Field("id"),
              absl::StrCat("checklist item \"", id, "\" is also used by another indicator"));
        }
      }
    }
    parts_->indicators[index].rule = std::move(rule);
    return w;
  }

  void CompileChecks(const v1::Scheme& scheme, const SchemePath& root) {
    Formula::MeasureResolver resolve = [this](absl::string_view name) -> std::optional<int> {
      auto it = measure_index_.find(name);
      if (it == measure_index_.end()) return std::nullopt;
      return it->second;
    };
    absl::flat_hash_set<std::string> ids;
    for (int i = 0; i < scheme.checks_size(); ++i) {
      const v1::Check& c = scheme.checks(i);
      SchemePath at = root.Field("checks", i);
      if (!IsIdentifier(c.id())) {
        problems_.Add(at.Field("id"), "is required: letters, digits, '-', '_' or '.'");
      } else if (!ids.insert(c.id()).second) {
        problems_.Add(at.Field("id"), absl::StrCat("check \"", c.id(), "\" is defined twice"));
      }
      RequireName(c.name(), at.Field("name"));
      absl::StatusOr<Formula> left =
          Formula::Parse(c.left(), resolve, &parts_->figure_ids, &parts_->field_slots);
      absl::StatusOr<Formula> right =
          Formula::Parse(c.right(), resolve, &parts_->figure_ids, &parts_->field_slots);
      if (!left.ok()) problems_.Add(at.Field("left"), std::string(left.status().message()));
      if (!right.ok()) problems_.Add(at.Field("right"), std::string(right.status().message()));
      if (!left.ok() || !right.ok()) continue;
      v1::Severity severity =
          c.severity() == v1::SEVERITY_UNSPECIFIED ? v1::SEVERITY_ERROR : c.severity();
      std::string unit = CommonUnit({&*left, &*right});
      parts_->checks.push_back(
          CompiledCheck{&c, *std::move(left), *std::move(right), severity, std::move(unit)});
    }
  }

  // A name people read (in documents, forms and pages): required, and one
  // line without control characters or direction overrides.
  void RequireName(const std::string& name, const SchemePath& at) {
    if (name.empty()) {
      problems_.Add(at, "is required");
    } else if (!report::IsOneLine(name)) {
      problems_.Add(at, "must be one line, without control characters or direction overrides");
    }
  }

  // The one unit every operand of `formulas` is in, if none multiplies or
  // divides: a field's, a declared figure's or a measure's; "" otherwise.
  std::string CommonUnit(std::initializer_list<const Formula*> formulas) const {
    std::set<std::string> units;
    for (const Formula* formula : formulas) {
      if (!formula->KeepsUnit()) return "";
      for (const FieldPath& field : formula->fields()) {
        units.insert(FigureUnit(parts_->proto, field.text()));
      }
      for (int ref : formula->measure_refs()) units.insert(parts_->measures[ref].proto->unit());
    }
    return units.size() == 1 ? *units.begin() : std::string();
  }

  void CompileGrades(const v1::Scheme& scheme, const SchemePath& root) {
    if (scheme.grades().empty()) {
      for (const v1::GradeBand& band : GradeBandsOf(scheme)) {
        parts_->grades.push_back({band.grade(), mpq_class(band.min_score())});
      }
      return;
    }
    absl::flat_hash_set<std::string> seen, names;
    for (int i = 0; i < scheme.grades_size(); ++i) {
      const v1::GradeBand& g = scheme.grades(i);
      SchemePath at = root.Field("grades", i);
      RequireName(g.grade(), at.Field("grade"));
      if (!g.grade().empty() && !names.insert(g.grade()).second) {
        problems_.Add(at.Field("grade"), absl::StrCat("\"", g.grade(), "\" names two grades"));
      }
      std::optional<mpq_class> min = problems_.Decimal(g.min_score(), at.Field("min_score"));
      if (!min) continue;
      if (*min < 0 || *min > parts_->total_weight) {
        problems_.Add(at.Field("min_score"),
                      absl::StrCat("must lie within [0, ", Points(parts_->total_weight), "]"));
      }
      if (!seen.insert(report::FormatExact(*min)).second) {
        problems_.Add(at.Field("min_score"), "two grades start at the same score");
      }
      parts_->grades.push_back({g.grade(), *min});
    }
    std::sort(
        parts_->grades.begin(), parts_->grades.end(),
        [](const CompiledGrade& a, const CompiledGrade& b) { return a.min_score > b.min_score; });
    if (!parts_->grades.empty() && parts_->grades.back().min_score != 0) {
      problems_.Add(root.Field("grades"),
                    "the lowest grade must start at 0 so that every score has a grade");
    }
  }

  std::unique_ptr<SchemeParts> parts_;
  SchemeProblems& problems_;
  absl::flat_hash_map<std::string, int> measure_index_;
  absl::flat_hash_set<std::string> checklist_ids_;
};

// Collects protobuf text-format syntax errors as "source:line:column: message".
class SyntaxErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit SyntaxErrors(absl::string_view source) : source_(source) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back({absl::StrCat(source_, ":", line + 1, ":", column + 1), message});
  }
  absl::Status ToStatus() const {
    std::string text = absl::StrCat("scheme ", source_, " is not valid protobuf text format:");
    std::vector<report::FieldViolation> violations;
    for (const auto& [where, message] : errors_) {
      absl::StrAppend(&text, "\n  ", where, ": ", message);
      violations.push_back({"", absl::StrCat(where, ": ", message)});
    }
    return report::InvalidArgumentWithViolations(text, violations);
  }

 private:
  std::string source_;
  std::vector<std::pair<std::string, std::string>> errors_;
};

// Writes the text every card repeats (weights, rules in words) once, so
// that scoring copies it instead of formatting it again.
// SchemeParts::prior_paths: every prior. path a formula or declared path
// reads, for the finding that says last year's report is missing.
void CollectPriorPaths(SchemeParts& parts) {
  std::set<std::string> paths;
  auto add = [&paths](const FieldPath& path) {
    if (path.prior()) paths.insert(path.text());
  };
  for (const CompiledMeasure& m : parts.measures) {
    if (m.formula) {
      for (const FieldPath& path : m.formula->fields()) add(path);
    }
    if (m.declared) add(*m.declared);
  }
  for (const CompiledCheck& c : parts.checks) {
    for (const FieldPath& path : c.left.fields()) add(path);
    for (const FieldPath& path : c.right.fields()) add(path);
  }
  parts.prior_paths.assign(paths.begin(), paths.end());
}

void WriteDisplayText(SchemeParts& parts) {
  parts.total_weight_text = Points(parts.total_weight);
  for (CompiledIndicator& indicator : parts.indicators) {
    indicator.weight_text = Points(indicator.weight);
    if (!indicator.rule) continue;
    indicator.rule_text = indicator.rule->Describe(
        indicator.measure >= 0 ? parts.measures[indicator.measure].proto->unit() : std::string());
    for (const auto& item : indicator.proto->rule().checklist().items()) {
      parts.checklist_item_ids.insert(item.id());
    }
  }
}

}  // namespace

absl::StatusOr<std::shared_ptr<const CompiledScheme>> CompileScheme(
    const v1::Scheme& scheme, absl::string_view source,
    const TextFormat::ParseInfoTree* locations) {
  // A scheme sent inline over gRPC may be as large as a message; the engine
  // takes no more than it takes from a file.
  if (const size_t size = scheme.ByteSizeLong(); size > kMaxSchemeTextBytes) {
    return absl::InvalidArgumentError(absl::StrCat("scheme ", source, " is ", size,
                                                   " bytes; a scheme is at most ",
                                                   kMaxSchemeTextBytes, " bytes"));
  }
  auto parts = std::make_unique<SchemeParts>();
  parts->proto = scheme;  // owned: compiled parts point into it
  SchemeProblems problems(std::string(source), locations);
  SchemeCompiler compiler(std::move(parts), problems);
  std::unique_ptr<SchemeParts> compiled = compiler.Run();
  if (!problems.empty()) return problems.ToStatus();
  WriteDisplayText(*compiled);
  CollectPriorPaths(*compiled);
  compiled->sha256 = report::SchemeDigest(compiled->proto);
  return std::make_shared<const CompiledScheme>(std::move(compiled));
}

std::vector<v1::GradeBand> GradeBandsOf(const v1::Scheme& scheme) {
  std::vector<v1::GradeBand> bands(scheme.grades().begin(), scheme.grades().end());
  if (bands.empty()) {
    for (const auto& [grade, min] :
         {std::pair{"优", "90"}, {"良", "80"}, {"中", "60"}, {"差", "0"}}) {
      bands.emplace_back().set_grade(grade);
      bands.back().set_min_score(min);
    }
    return bands;
  }
  auto min_of = [](const v1::GradeBand& band) {
    absl::StatusOr<report::ReportedDecimal> min = report::ParseDecimal(band.min_score());
    return min.ok() ? min->value : mpq_class(0);
  };
  std::stable_sort(bands.begin(), bands.end(), [&](const v1::GradeBand& a, const v1::GradeBand& b) {
    return min_of(a) > min_of(b);
  });
  return bands;
}

absl::StatusOr<std::shared_ptr<const CompiledScheme>> LoadSchemeText(absl::string_view text,
                                                                     absl::string_view source) {
  if (text.size() > kMaxSchemeTextBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("scheme ", source, " is larger than ", kMaxSchemeTextBytes, " bytes"));
  }
  v1::Scheme scheme;
  TextFormat::Parser parser;
  SyntaxErrors errors(source);
  TextFormat::ParseInfoTree locations;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&locations);
  parser.SetRecursionLimit(64);
  if (!parser.ParseFromString(std::string(text), &scheme)) return errors.ToStatus();
  return CompileScheme(scheme, source, &locations);
}

absl::StatusOr<std::shared_ptr<const CompiledScheme>> LoadSchemeFile(const std::string& path) {
  absl::StatusOr<std::string> text = base::ReadFile(path, "scheme file");
  if (!text.ok()) return text.status();
  return LoadSchemeText(*text, path);
}

}  // namespace jixiao::engine
