// Extraction rules (proto/jixiao/importer/v1/rules.proto) read from text and
// compiled: every pattern an RE2, every path checked against the report.

#ifndef JIXIAO_TOOLS_EXTRACT_RULES_H_
#define JIXIAO_TOOLS_EXTRACT_RULES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jixiao/importer/v1/rules.pb.h"
#include "re2/re2.h"

namespace jixiao::extract {

// The most a rules file may hold: bytes, rules of all kinds, bytes of one
// pattern as written and with its placeholders expanded, RE2 memory of one
// pattern, and compiled instructions of all patterns together; so that no
// rules file costs more than a few hundred MiB or seconds.
inline constexpr size_t kMaxRulesBytes = 1 << 20;
inline constexpr int kMaxRules = 1000;
inline constexpr size_t kMaxPatternBytes = 4096;
inline constexpr size_t kMaxExpandedPatternBytes = 16384;
inline constexpr int64_t kMaxPatternMemory = 1 << 20;
inline constexpr int kMaxProgramSize = 1000000;

struct Target {
  std::string group;  // the pattern's named group, or empty
  int index = 0;      // its number in the pattern
  std::string path;
  std::string unit;
  std::string same_as;
  bool text = false;  // a text field, not a figure
};

struct SentenceRule {
  std::unique_ptr<RE2> pattern;
  std::unique_ptr<RE2> under;  // null: anywhere
  std::vector<Target> targets;
  bool inferred = false;
  bool identity = false;  // reads identity fields only: its paragraph is not narrative
};

struct TableRule {
  std::unique_ptr<RE2> under;
  struct Column {
    std::string name;
    std::unique_ptr<RE2> header;
    bool optional = false;
  };
  std::vector<Column> columns;
  struct RowRule {
    std::unique_ptr<RE2> label;
    std::vector<std::pair<int, Target>> cells;  // column index, what it holds
  };
  std::vector<RowRule> rows;
};

struct SectionRule {
  std::unique_ptr<RE2> heading;
  std::unique_ptr<RE2> under;
  std::string path;           // a Narrative field, "preamble", or "indicators.ID"
  std::unique_ptr<RE2> skip;  // null: no paragraph left out
};

struct ChecklistRule {
  std::string item;
  std::unique_ptr<RE2> pattern;
  std::unique_ptr<RE2> under;
  bool met = true;
};

struct CountRule {
  std::unique_ptr<RE2> under;
  std::unique_ptr<RE2> item;
  std::string path;
};

struct RuleSet {
  std::string name;
  std::vector<SentenceRule> sentences;
  std::vector<TableRule> tables;
  std::vector<SectionRule> sections;
  std::vector<ChecklistRule> checklist;
  std::vector<CountRule> counts;

  // Every path a rule can fill, in the order the rules name them.
  std::vector<std::string> Paths() const;
  // The instructions all the patterns compile to (RE2's program size).
  int ProgramSize() const;
};

// Compiles rules written in protobuf text format. Errors name `source`, the
// line and the field: "FILE:12: sentence: pattern: missing ): ...".
absl::StatusOr<std::shared_ptr<const RuleSet>> CompileRules(absl::string_view text,
                                                            const std::string& source);

// The rules for the Shenzhen 部门整体支出绩效自评报告, built in, and their text.
std::shared_ptr<const RuleSet> BuiltInRules();
absl::string_view BuiltInRulesText();

}  // namespace jixiao::extract

#endif  // JIXIAO_TOOLS_EXTRACT_RULES_H_
