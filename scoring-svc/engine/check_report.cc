// CheckReport: what a report must satisfy on its own, before any scheme.

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "decimal.h"
#include "engine.h"

namespace jixiao::engine {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : absl::StrCat(prefix, ".", name);
}

class ReportChecker {
 public:
  std::vector<FieldViolation> Run(const v1::Report& report) {
    Walk(report, "");
    CheckIdentity(report.identity());
    CheckAnswers(report);
    if (report.satisfaction().has_rate()) {
      absl::StatusOr<ReportedDecimal> rate = ParseDecimal(report.satisfaction().rate().value());
      if (rate.ok() && rate->value > 100) {
        Add("satisfaction.rate.value", "a satisfaction rate is a percentage: at most 100");
      }
    }
    return std::move(violations_);
  }

 private:
  void Add(std::string field, std::string description) {
    violations_.push_back({std::move(field), std::move(description)});
  }

  // Every figure well-formed and non-negative; every string and list within
  // the limits.
  // A figure whose field is named declared_* is a rate in percent.
  void Walk(const Message& message, const std::string& prefix, bool is_rate = false) {
    const Descriptor* type = message.GetDescriptor();
    const auto* reflection = message.GetReflection();
    if (type == v1::Decimal::descriptor()) {
      const std::string& text = static_cast<const v1::Decimal&>(message).value();
      std::string field = Join(prefix, "value");
      absl::StatusOr<ReportedDecimal> parsed = ParseDecimal(text);
      if (text.size() > 64) {
        Add(field, "a figure is at most 64 characters");
      } else if (!parsed.ok()) {
        Add(field, std::string(parsed.status().message()));
      } else if (parsed->value < 0) {
        Add(field, absl::StrCat("must not be negative (got ", text, ")"));
      } else if (is_rate && parsed->value > kMaxRatePercent) {
        Add(field,
            absl::StrCat("is a rate in percent: at most ", kMaxRatePercent, " (got ", text, ")"));
      }
      return;
    }
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      std::string name = Join(prefix, field->name());
      if (field->is_repeated()) {
        int size = reflection->FieldSize(message, field);
        if (size > kMaxListItems) {
          Add(name, absl::StrCat("has ", size, " items; at most ", kMaxListItems, " are allowed"));
          continue;
        }
        for (int j = 0; j < size; ++j) {
          std::string item = absl::StrCat(name, "[", j, "]");
          if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
            Walk(reflection->GetRepeatedMessage(message, field, j), item);
          } else if (field->type() == FieldDescriptor::TYPE_STRING) {
            CheckText(reflection->GetRepeatedString(message, field, j), item);
          }
        }
      } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
        if (reflection->HasField(message, field)) {
          bool rate = field->name().rfind("declared_", 0) == 0;
          Walk(reflection->GetMessage(message, field), name, rate);
        }
      } else if (field->type() == FieldDescriptor::TYPE_STRING) {
        CheckText(reflection->GetString(message, field), name);
      }
    }
  }

  void CheckText(const std::string& text, const std::string& field) {
    if (text.size() > kMaxTextBytes) {
      Add(field,
          absl::StrCat("is ", text.size(), " bytes; at most ", kMaxTextBytes, " are allowed"));
    }
  }

  void CheckIdentity(const v1::Identity& identity) {
    const std::string& code = identity.department_code();
    if (code.empty()) {
      Add("identity.department_code", "is required");
    } else if (code.size() > 64) {
      Add("identity.department_code", "is at most 64 characters");
    } else {
      for (unsigned char c : code) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok) {
          Add("identity.department_code", "may hold only letters, digits, '-', '_' and '.'");
          break;
        }
      }
    }
    if (identity.department_name().empty()) Add("identity.department_name", "is required");
    if (identity.fiscal_year() < kMinFiscalYear || identity.fiscal_year() > kMaxFiscalYear) {
      Add("identity.fiscal_year",
          absl::StrCat("must lie within [", kMinFiscalYear, ", ", kMaxFiscalYear, "] (got ",
                       identity.fiscal_year(), ")"));
    }
  }

  void CheckAnswers(const v1::Report& report) {
    absl::flat_hash_set<std::string> items;
    for (int i = 0; i < report.checklist_size(); ++i) {
      const std::string& id = report.checklist(i).item_id();
      std::string field = absl::StrCat("checklist[", i, "].item_id");
      if (id.empty()) {
        Add(field, "is required");
      } else if (!items.insert(id).second) {
        Add(field, absl::StrCat("item \"", id, "\" is answered twice"));
      }
    }
    absl::flat_hash_set<std::string> manual;
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

  std::vector<FieldViolation> violations_;
};

}  // namespace

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

}  // namespace jixiao::engine
