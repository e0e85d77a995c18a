#include "tools/extract/rules.h"

#include <set>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/report/check_report.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "jixiao/v1/report.pb.h"
#include "tools/form/report_paths.h"

namespace jixiao::extract {

absl::string_view BuiltInRulesSource();  // builtin_rules.cc, generated from rules/

namespace {

using google::protobuf::TextFormat;

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  explicit Collector(std::string source) : source_(std::move(source)) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (first_.empty())
      first_ = absl::StrCat(source_, ":", line + 1, ":", column + 1, ": ", message);
  }
  const std::string& first() const { return first_; }

 private:
  std::string source_;
  std::string first_;
};

// What a figure looks like, for patterns to say briefly.
const std::vector<std::pair<std::string, std::string>>& Placeholders() {
  static const auto* const kPlaceholders = new std::vector<std::pair<std::string, std::string>>{
      {"{amount}", R"(-?[0-9]+(?:\.[0-9]+)?(?:万亿元|亿元|万元|元|万亿|亿|万))"},
      {"{rate}", R"(-?[0-9]+(?:\.[0-9]+)?%)"},
      {"{number}", R"(-?[0-9]+(?:\.[0-9]+)?)"},
      {"{is}", R"(:?(?:约为|为|是|达到|高达|达|约|共计|合计|总计|累计|共|计)?:?)"},
  };
  return *kPlaceholders;
}

// Where in the rules file something is, for errors.
class Locator {
 public:
  Locator(std::string source, const TextFormat::ParseInfoTree* tree)
      : source_(std::move(source)), tree_(tree) {}

  // "FILE:LINE: sentence" for the index-th value of `field` of the top
  // message; with `part`, the line of that field inside it, where given
  // ("FILE:LINE: sentence: pattern").
  std::string At(const char* field, int index, const char* part = nullptr) const {
    const auto* descriptor = importer::v1::Rules::descriptor()->FindFieldByName(field);
    auto location = tree_->GetLocation(descriptor, index);
    if (part != nullptr) {
      const auto* nested = tree_->GetTreeForNested(descriptor, index);
      const auto* inner = descriptor->message_type()->FindFieldByName(part);
      if (nested != nullptr && inner != nullptr) {
        const auto at = nested->GetLocation(inner, inner->is_repeated() ? 0 : -1);
        if (at.line >= 0) location = at;
      }
      return absl::StrCat(source_, ":", location.line + 1, ": ", field, ": ", part);
    }
    return absl::StrCat(source_, ":", location.line + 1, ": ", field);
  }

 private:
  std::string source_;
  const TextFormat::ParseInfoTree* tree_;
};

absl::StatusOr<std::unique_ptr<RE2>> CompilePattern(std::string pattern, const std::string& where,
                                                    bool required) {
  if (pattern.empty()) {
    if (required) return absl::InvalidArgumentError(absl::StrCat(where, ": is empty"));
    return nullptr;
  }
  if (pattern.size() > kMaxPatternBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": is longer than ", kMaxPatternBytes, " bytes"));
  }
  for (const auto& [name, expansion] : Placeholders()) {
    absl::StrReplaceAll({{name, expansion}}, &pattern);
  }
  if (pattern.size() > kMaxExpandedPatternBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": is longer than ", kMaxExpandedPatternBytes, " bytes with its placeholders"));
  }
  static const RE2 unknown(R"(\{([a-z_]+)\})");
  std::string name;
  if (RE2::PartialMatch(pattern, unknown, &name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": {", name, "} is not a placeholder; there are {amount}, {rate}, {number}, {is}"));
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kMaxPatternMemory);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", re->error()));
  }
  return re;
}

absl::Status CheckUnit(const std::string& unit, bool text, const std::string& where) {
  static const std::set<std::string> kUnits = {"", "万元", "%", "个"};
  if (kUnits.count(unit) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": unit \"", unit, "\" is not one of \"万元\", \"%\", \"个\" or empty"));
  }
  if (text && !unit.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": a text field takes no unit"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Target> CompileTarget(const std::string& path, const std::string& unit,
                                     const std::string& where) {
  Target target;
  target.path = path;
  target.unit = unit;
  if (absl::StartsWith(path, "figures.")) {
    const std::string id = path.substr(sizeof("figures.") - 1);
    if (id.size() > report::kMaxFigureIdLength || !report::IsCode(id)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": \"", path,
                       "\": a figure's id is a code (letters, digits, '-', '_', '.'), at most ",
                       report::kMaxFigureIdLength, " characters"));
    }
  }
  switch (form::KindOf(path)) {
    case form::PathKind::kNone:
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": \"", path,
          "\" is not a field of a report (budget.income, identity.submitter, figures.ID, "
          "self_evaluation.scores.ID, ...)"));
    case form::PathKind::kText:
      target.text = true;
      break;
    default:
      break;
  }
  if (path == "identity.department_code") {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": the department code is given with --department, not read"));
  }
  absl::Status unit_ok = CheckUnit(unit, target.text, where);
  if (!unit_ok.ok()) return unit_ok;
  return target;
}

#define JIXIAO_ASSIGN(lhs, expr)                          \
  do {                                                    \
    auto jixiao_value = (expr);                           \
    if (!jixiao_value.ok()) return jixiao_value.status(); \
    lhs = *std::move(jixiao_value);                       \
  } while (0)

absl::Status CompileSentences(const importer::v1::Rules& proto, const Locator& at, RuleSet& rules) {
  for (int i = 0; i < proto.sentence_size(); ++i) {
    const auto& s = proto.sentence(i);
    const std::string where = at.At("sentence", i);
    SentenceRule rule;
    JIXIAO_ASSIGN(rule.pattern, CompilePattern(s.pattern(), at.At("sentence", i, "pattern"), true));
    JIXIAO_ASSIGN(rule.under, CompilePattern(s.under(), at.At("sentence", i, "under"), false));
    rule.inferred = s.inferred();
    if (s.field_size() == 0) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": names no field"));
    }
    const auto& groups = rule.pattern->NamedCapturingGroups();
    rule.identity = true;
    for (const auto& f : s.field()) {
      Target target;
      JIXIAO_ASSIGN(target, CompileTarget(f.path(), f.unit(), at.At("sentence", i, "field")));
      if (f.group().empty() == f.same_as().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": field ", f.path(), ": give a group or same_as, not both"));
      }
      if (!f.group().empty()) {
        auto it = groups.find(f.group());
        if (it == groups.end()) {
          return absl::InvalidArgumentError(absl::StrCat(
              where, ": field ", f.path(), ": the pattern has no group (?P<", f.group(), ">...)"));
        }
        target.group = f.group();
        target.index = it->second;
      } else {
        if (form::KindOf(f.same_as()) == form::PathKind::kNone) {
          return absl::InvalidArgumentError(absl::StrCat(
              where, ": field ", f.path(), ": same_as \"", f.same_as(), "\" is not a field"));
        }
        if (!s.inferred()) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": field ", f.path(),
                           ": same_as reads nothing stated; mark the sentence inferred"));
        }
        target.same_as = f.same_as();
      }
      if (target.path.rfind("identity.", 0) != 0) rule.identity = false;
      rule.targets.push_back(std::move(target));
    }
    rules.sentences.push_back(std::move(rule));
  }
  return absl::OkStatus();
}

absl::Status CompileTables(const importer::v1::Rules& proto, const Locator& at, RuleSet& rules) {
  for (int i = 0; i < proto.table_size(); ++i) {
    const auto& t = proto.table(i);
    const std::string where = at.At("table", i);
    TableRule rule;
    JIXIAO_ASSIGN(rule.under, CompilePattern(t.under(), where + ": under", false));
    if (t.column_size() == 0 || t.row_size() == 0) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": needs columns and rows"));
    }
    bool required = false;
    for (const auto& c : t.column()) {
      for (const auto& column : rule.columns) {
        if (column.name == c.name()) {
          return absl::InvalidArgumentError(absl::StrCat(where, ": column ", c.name(), " twice"));
        }
      }
      TableRule::Column column;
      column.name = c.name();
      column.optional = c.optional();
      required |= !c.optional();
      JIXIAO_ASSIGN(column.header,
                    CompilePattern(c.header(), where + ": column " + c.name(), true));
      rule.columns.push_back(std::move(column));
    }
    if (!required) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": needs a column that is not optional, to know its header by"));
    }
    for (const auto& r : t.row()) {
      TableRule::RowRule row;
      JIXIAO_ASSIGN(row.label, CompilePattern(r.label(), where + ": row: label", true));
      for (const auto& c : r.cell()) {
        int column = -1;
        for (size_t k = 0; k < rule.columns.size(); ++k) {
          if (rule.columns[k].name == c.column()) column = static_cast<int>(k);
        }
        if (column < 0) {
          return absl::InvalidArgumentError(absl::StrCat(where, ": row ", r.label(), ": column \"",
                                                         c.column(),
                                                         "\" is not one of the table's"));
        }
        Target target;
        JIXIAO_ASSIGN(target, CompileTarget(c.path(), c.unit(), where + ": row " + r.label()));
        row.cells.emplace_back(column, std::move(target));
      }
      rule.rows.push_back(std::move(row));
    }
    rules.tables.push_back(std::move(rule));
  }
  return absl::OkStatus();
}

absl::Status CompileRest(const importer::v1::Rules& proto, const Locator& at, RuleSet& rules) {
  for (int i = 0; i < proto.section_size(); ++i) {
    const auto& s = proto.section(i);
    const std::string where = at.At("section", i);
    SectionRule rule;
    JIXIAO_ASSIGN(rule.heading, CompilePattern(s.heading(), where + ": heading", true));
    JIXIAO_ASSIGN(rule.under, CompilePattern(s.under(), where + ": under", false));
    JIXIAO_ASSIGN(rule.skip, CompilePattern(s.skip(), where + ": skip", false));
    const auto* field = v1::Narrative::descriptor()->FindFieldByName(s.path());
    absl::string_view indicator = s.path();
    const bool by_indicator = absl::ConsumePrefix(&indicator, "indicators.");
    if (by_indicator ? !report::IsCode(std::string(indicator))
                     : s.path() != "preamble" &&
                           (field == nullptr || field->is_repeated() ||
                            field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": path \"", s.path(),
          "\" is not a section of the narrative (preamble, functions, key_tasks, ..., or "
          "indicators.ID for an indicator's id)"));
    }
    rule.path = s.path();
    rules.sections.push_back(std::move(rule));
  }
  for (int i = 0; i < proto.checklist_size(); ++i) {
    const auto& c = proto.checklist(i);
    const std::string where = at.At("checklist", i);
    ChecklistRule rule;
    if (c.item().empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": names no item"));
    rule.item = c.item();
    rule.met = !c.unmet();
    JIXIAO_ASSIGN(rule.pattern, CompilePattern(c.pattern(), where + ": pattern", true));
    JIXIAO_ASSIGN(rule.under, CompilePattern(c.under(), where + ": under", false));
    rules.checklist.push_back(std::move(rule));
  }
  for (int i = 0; i < proto.count_size(); ++i) {
    const auto& c = proto.count(i);
    const std::string where = at.At("count", i);
    CountRule rule;
    JIXIAO_ASSIGN(rule.under, CompilePattern(c.under(), where + ": under", true));
    JIXIAO_ASSIGN(rule.item, CompilePattern(c.item(), where + ": item", true));
    Target target;
    JIXIAO_ASSIGN(target, CompileTarget(c.path(), "", where));
    if (target.text) return absl::InvalidArgumentError(absl::StrCat(where, ": counts a figure"));
    rule.path = c.path();
    rules.counts.push_back(std::move(rule));
  }
  return absl::OkStatus();
}

#undef JIXIAO_ASSIGN

}  // namespace

int RuleSet::ProgramSize() const {
  int size = 0;
  auto add = [&](const std::unique_ptr<RE2>& re) {
    if (re != nullptr) size += re->ProgramSize();
  };
  for (const SentenceRule& s : sentences) {
    add(s.pattern);
    add(s.under);
  }
  for (const TableRule& t : tables) {
    add(t.under);
    for (const auto& c : t.columns) add(c.header);
    for (const auto& r : t.rows) add(r.label);
  }
  for (const SectionRule& s : sections) {
    add(s.heading);
    add(s.under);
    add(s.skip);
  }
  for (const ChecklistRule& c : checklist) {
    add(c.pattern);
    add(c.under);
  }
  for (const CountRule& c : counts) {
    add(c.under);
    add(c.item);
  }
  return size;
}

std::vector<std::string> RuleSet::Paths() const {
  std::vector<std::string> paths;
  std::set<std::string> seen;
  auto add = [&](const std::string& path) {
    if (seen.insert(path).second) paths.push_back(path);
  };
  for (const SentenceRule& s : sentences) {
    for (const Target& t : s.targets) add(t.path);
  }
  for (const TableRule& t : tables) {
    for (const auto& row : t.rows) {
      for (const auto& [column, target] : row.cells) add(target.path);
    }
  }
  for (const CountRule& c : counts) add(c.path);
  return paths;
}

absl::StatusOr<std::shared_ptr<const RuleSet>> CompileRules(absl::string_view text,
                                                            const std::string& source) {
  if (text.size() > kMaxRulesBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": is larger than ", kMaxRulesBytes, " bytes"));
  }
  importer::v1::Rules proto;
  TextFormat::Parser parser;
  Collector errors(source);
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(std::string(text), &proto)) {
    return absl::InvalidArgumentError(errors.first().empty() ? source + ": not valid rules"
                                                             : errors.first());
  }
  const int count = proto.sentence_size() + proto.table_size() + proto.section_size() +
                    proto.checklist_size() + proto.count_size();
  if (count > kMaxRules) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": holds ", count, " rules; at most ", kMaxRules));
  }
  auto rules = std::make_shared<RuleSet>();
  rules->name = proto.name();
  const Locator at(source, &tree);
  for (auto* step : {&CompileSentences, &CompileTables, &CompileRest}) {
    absl::Status status = (*step)(proto, at, *rules);
    if (!status.ok()) return status;
  }
  if (const int size = rules->ProgramSize(); size > kMaxProgramSize) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": its patterns compile to ", size,
                                                   " instructions; at most ", kMaxProgramSize));
  }
  return rules;
}

absl::string_view BuiltInRulesText() { return BuiltInRulesSource(); }

std::shared_ptr<const RuleSet> BuiltInRules() {
  static const auto* const rules = [] {
    auto compiled = CompileRules(BuiltInRulesSource(), "built-in rules");
    // The built-in rules are tested; a broken one is a build that must not ship.
    if (!compiled.ok()) {
      fprintf(stderr, "jixiao: %s\n", std::string(compiled.status().message()).c_str());
      abort();
    }
    return new std::shared_ptr<const RuleSet>(*std::move(compiled));
  }();
  return *rules;
}

}  // namespace jixiao::extract
