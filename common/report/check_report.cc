#include "common/report/check_report.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "common/report/field_violations.h"
#include "common/report/plain_text.h"

namespace jixiao::report {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// A field the check looks at: every repeated one (its length is bounded),
// and singular messages and strings. Worked out once per message type.
struct CheckedField {
  const FieldDescriptor* field;
  const Descriptor* message_type;  // null unless the field holds messages
  bool is_string;
  bool is_rate;  // a singular figure named declared_*: a rate in percent
};

// The checked fields of every message type a report can hold, found by
// walking the descriptors from Report once: the check then reads neither
// a field's type nor its name for each message it meets.
const absl::flat_hash_map<const Descriptor*, std::vector<CheckedField>>& CheckedFields() {
  static const auto* const fields = [] {
    auto* fields = new absl::flat_hash_map<const Descriptor*, std::vector<CheckedField>>();
    std::vector<const Descriptor*> pending = {v1::Report::descriptor()};
    while (!pending.empty()) {
      const Descriptor* type = pending.back();
      pending.pop_back();
      if (fields->contains(type)) continue;
      std::vector<CheckedField> checked;
      for (int i = 0; i < type->field_count(); ++i) {
        const FieldDescriptor* field = type->field(i);
        if (field->is_map()) continue;  // Report.figures: CheckFigures
        const bool is_message = field->type() == FieldDescriptor::TYPE_MESSAGE;
        const bool is_string = field->type() == FieldDescriptor::TYPE_STRING;
        if (!field->is_repeated() && !is_message && !is_string) continue;
        checked.push_back({field, is_message ? field->message_type() : nullptr, is_string,
                           !field->is_repeated() && absl::StartsWith(field->name(), "declared_")});
        if (is_message) pending.push_back(field->message_type());
      }
      fields->emplace(type, std::move(checked));
    }
    return fields;
  }();
  return *fields;
}

// An id a report names a figure or an indicator's text by.
bool IsId(const std::string& id) { return id.size() <= kMaxFigureIdLength && IsCode(id); }
std::string IdRule() {
  return absl::StrCat("at most ", kMaxFigureIdLength, " letters, digits, '_', '-' or '.'");
}

class ReportChecker {
 public:
  std::vector<FieldViolation> Run(const v1::Report& report) {
    path_.reserve(8);
    Walk(report, report.GetDescriptor());
    CheckIdentity(report.identity());
    CheckFigures(report);
    CheckAnswers(report);
    if (report.satisfaction().has_rate()) {
      absl::StatusOr<DecimalText> rate = ScanDecimal(report.satisfaction().rate().value());
      if (rate.ok() && rate->Exceeds(100)) {
        Add("satisfaction.rate.value", "a satisfaction rate is a percentage: at most 100");
      }
    }
    return std::move(violations_);
  }

 private:
  void Add(std::string field, std::string description) {
    violations_.push_back({std::move(field), std::move(description)});
  }

  // The path of the field being checked, kept as parts and joined only when
  // a violation names it: every report is checked, few are bad.
  struct Step {
    const std::string* name;
    int index;  // -1 for a singular field
  };

  std::string Path(absl::string_view leaf = "") const {
    std::string path;
    for (const Step& step : path_) {
      if (!path.empty()) path += '.';
      path += *step.name;
      if (step.index >= 0) absl::StrAppend(&path, "[", step.index, "]");
    }
    if (!leaf.empty()) absl::StrAppend(&path, path.empty() ? "" : ".", leaf);
    return path;
  }

  // Every figure well-formed and non-negative; every string and list within
  // the limits. A figure whose field is named declared_* is a rate in percent.
  // `type` is the message's descriptor, taken from its field: asking a
  // message for its descriptor or reflection costs a lookup every time, and
  // a report has hundreds of messages, most of them figures.
  void Walk(const Message& message, const Descriptor* type, bool is_rate = false) {
    if (type == decimal_type_) {
      CheckFigure(static_cast<const v1::Decimal&>(message).value(), is_rate);
      return;
    }
    auto checked = fields_.find(type);
    if (checked == fields_.end()) return;  // not reachable from a Report
    const auto* reflection = message.GetReflection();
    for (const CheckedField& c : checked->second) {
      const FieldDescriptor* field = c.field;
      if (field->is_repeated()) {
        int size = reflection->FieldSize(message, field);
        if (size > kMaxListItems) {
          Add(Path(field->name()),
              absl::StrCat("has ", size, " items; at most ", kMaxListItems, " are allowed"));
          continue;
        }
        if (c.message_type == nullptr && !c.is_string) continue;  // numbers: the length only
        for (int j = 0; j < size; ++j) {
          path_.push_back({&field->name(), j});
          if (c.message_type != nullptr) {
            Walk(reflection->GetRepeatedMessage(message, field, j), c.message_type);
          } else if (c.is_string) {
            CheckText(reflection->GetRepeatedStringReference(message, field, j, &scratch_));
          }
          path_.pop_back();
        }
      } else if (c.message_type != nullptr) {
        if (reflection->HasField(message, field)) {
          path_.push_back({&field->name(), -1});
          Walk(reflection->GetMessage(message, field), c.message_type, c.is_rate);
          path_.pop_back();
        }
      } else {
        path_.push_back({&field->name(), -1});
        CheckText(reflection->GetStringReference(message, field, &scratch_));
        path_.pop_back();
      }
    }
  }

  // `text` is the value of the Decimal at the current path.
  void CheckFigure(const std::string& text, bool is_rate) {
    if (text.size() > 64) {
      Add(Path("value"), "a figure is at most 64 characters");
      return;
    }
    absl::StatusOr<DecimalText> figure = ScanDecimal(text);
    if (!figure.ok()) {
      Add(Path("value"), std::string(figure.status().message()));
    } else if (figure->IsNegative()) {
      Add(Path("value"), absl::StrCat("must not be negative (got ", text, ")"));
    } else if (figure->minus) {
      // "-0" is zero, but no report writes it; it would print as "-0 万元".
      Add(Path("value"), absl::StrCat("zero is written without a sign (got ", text, ")"));
    } else if (is_rate && figure->Exceeds(kMaxRatePercent)) {
      Add(Path("value"),
          absl::StrCat("is a rate in percent: at most ", kMaxRatePercent, " (got ", text, ")"));
    }
  }

  // `text` is the string at the current path.
  void CheckText(const std::string& text) {
    if (text.size() > kMaxTextBytes) {
      Add(Path(),
          absl::StrCat("is ", text.size(), " bytes; at most ", kMaxTextBytes, " are allowed"));
    }
  }

  // Report.figures: at most kMaxListItems, each under a code, each a figure.
  // In the order of their ids, so that the same report gets the same answer.
  void CheckFigures(const v1::Report& report) {
    const auto& figures = report.figures();
    if (figures.empty()) return;
    if (static_cast<int>(figures.size()) > kMaxListItems) {
      Add("figures", absl::StrCat("has ", figures.size(), " figures; at most ", kMaxListItems,
                                  " are allowed"));
      return;
    }
    using Entry = google::protobuf::MapPair<std::string, v1::Decimal>;
    std::vector<const Entry*> entries;
    entries.reserve(figures.size());
    for (const Entry& entry : figures) entries.push_back(&entry);
    std::sort(entries.begin(), entries.end(),
              [](const Entry* a, const Entry* b) { return a->first < b->first; });
    static const std::string kFigures = "figures";
    for (const Entry* entry : entries) {
      const std::string* id = &entry->first;
      if (!IsId(*id)) {
        Add("figures", absl::StrCat("\"", ValidUtf8(id->substr(0, 64)), id->size() > 64 ? "…" : "",
                                    "\" is no figure id: ", IdRule()));
        continue;
      }
      path_.push_back({&kFigures, -1});
      path_.push_back({id, -1});
      CheckFigure(entry->second.value(), /*is_rate=*/false);
      path_.pop_back();
      path_.pop_back();
    }
  }

  void CheckIdentity(const v1::Identity& identity) {
    if (std::string problem = DepartmentCodeProblem(identity.department_code()); !problem.empty()) {
      Add("identity.department_code", problem);
    }
    if (IsBlank(identity.department_name())) Add("identity.department_name", "is required");
    // Names are printed in tables, CSV files and line-based feeds.
    for (const auto& [field, text] :
         {std::pair<const char*, const std::string*>{"identity.department_name",
                                                     &identity.department_name()},
          {"identity.legal_representative", &identity.legal_representative()},
          {"identity.submitter", &identity.submitter()},
          {"identity.phone", &identity.phone()}}) {
      if (!IsOneLine(*text)) Add(field, "must be one line, without control characters");
    }
    if (std::string problem = FiscalYearProblem(identity.fiscal_year()); !problem.empty()) {
      Add("identity.fiscal_year", problem);
    }
  }

  void CheckAnswers(const v1::Report& report) {
    // Views into the report, which outlives the check.
    absl::flat_hash_set<absl::string_view> items;
    items.reserve(static_cast<size_t>(report.checklist_size()));
    for (int i = 0; i < report.checklist_size(); ++i) {
      const std::string& id = report.checklist(i).item_id();
      if (id.empty()) {
        Add(absl::StrCat("checklist[", i, "].item_id"), "is required");
      } else if (!items.insert(id).second) {
        Add(absl::StrCat("checklist[", i, "].item_id"),
            absl::StrCat("item \"", id, "\" is answered twice"));
      }
    }
    absl::flat_hash_set<absl::string_view> texts;
    for (int i = 0; i < report.narrative().indicators_size(); ++i) {
      const std::string& id = report.narrative().indicators(i).indicator_id();
      const std::string at = absl::StrCat("narrative.indicators[", i, "].indicator_id");
      if (id.empty()) {
        Add(at, "is required: the id of the indicator whose heading the text is under");
      } else if (!IsId(id)) {
        Add(at, absl::StrCat("is no indicator id: ", IdRule()));
      } else if (!texts.insert(id).second) {
        Add(at, absl::StrCat("indicator \"", id, "\" has its text twice; join the paragraphs"));
      }
    }
    absl::flat_hash_set<absl::string_view> manual;
    for (int i = 0; i < report.manual_scores_size(); ++i) {
      const v1::ManualScore& m = report.manual_scores(i);
      std::string at = absl::StrCat("manual_scores[", i, "]");
      if (m.indicator_id().empty()) {
        Add(at + ".indicator_id", "is required");
      } else if (!manual.insert(m.indicator_id()).second) {
        Add(at + ".indicator_id",
            absl::StrCat("indicator \"", m.indicator_id(), "\" is scored twice"));
      }
      if (!m.has_score()) Add(at + ".score", "is required");
      if (m.reason().empty()) Add(at + ".reason", "is required: say why this score");
    }
    for (int i = 0; i < report.self_evaluation().scores_size(); ++i) {
      const v1::DeclaredScore& s = report.self_evaluation().scores(i);
      std::string at = absl::StrCat("self_evaluation.scores[", i, "]");
      if (s.indicator_id().empty()) Add(at + ".indicator_id", "is required");
      if (!s.has_score()) Add(at + ".score", "is required");
    }
  }

  const Descriptor* const decimal_type_ = v1::Decimal::descriptor();
  const absl::flat_hash_map<const Descriptor*, std::vector<CheckedField>>& fields_ =
      CheckedFields();
  std::vector<Step> path_;
  std::string scratch_;  // for string fields that are not stored as std::string
  std::vector<FieldViolation> violations_;
};

}  // namespace

bool IsCode(absl::string_view text) {
  bool alphanumeric = false;  // so that "." and ".." are no codes
  for (char c : text) {
    bool letter_or_digit =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!letter_or_digit && c != '-' && c != '_' && c != '.') return false;
    alphanumeric |= letter_or_digit;
  }
  return alphanumeric;
}

std::string DepartmentCodeProblem(const std::string& code) {
  if (code.empty()) return "is required";
  if (code.size() > kMaxDepartmentCodeLength) {
    return absl::StrCat("is at most ", kMaxDepartmentCodeLength, " characters");
  }
  if (!IsCode(code)) {
    return "may hold only letters, digits, '-', '_' and '.', and at least one letter or digit";
  }
  return "";
}

std::string FiscalYearProblem(int year) {
  if (year >= kMinFiscalYear && year <= kMaxFiscalYear) return "";
  return absl::StrCat("must lie within [", kMinFiscalYear, ", ", kMaxFiscalYear, "] (got ", year,
                      ")");
}

absl::Status CheckReport(const v1::Report& report) {
  std::vector<FieldViolation> violations = ReportChecker().Run(report);
  if (violations.empty()) return absl::OkStatus();
  std::string message = absl::StrCat("report has ", violations.size(), " invalid field",
                                     violations.size() == 1 ? "" : "s", ": ");
  for (size_t i = 0; i < violations.size() && i < 5; ++i) {
    absl::StrAppend(&message, i ? "; " : "", violations[i].field, ": ", violations[i].description);
  }
  if (violations.size() > 5) absl::StrAppend(&message, "; ...");
  return InvalidArgumentWithViolations(message, violations);
}

}  // namespace jixiao::report
