#include "scoring-svc/engine/scheme_problems.h"

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "common/report/field_violations.h"
#include "jixiao/v1/scheme.pb.h"

namespace jixiao::engine {

using google::protobuf::TextFormat;

SchemePath::SchemePath() : type_(v1::Scheme::descriptor()) {}

SchemePath SchemePath::Field(absl::string_view name, int index) const {
  SchemePath child = *this;
  const google::protobuf::FieldDescriptor* field =
      type_ ? type_->FindFieldByName(std::string(name)) : nullptr;
  if (field == nullptr) return child;  // unreachable with correct callers
  child.steps_.push_back({field, field->is_repeated() ? index : -1});
  child.type_ = field->message_type();
  return child;
}

std::string SchemePath::ToString() const {
  std::string text;
  for (const Step& step : steps_) {
    if (!text.empty()) text += ".";
    text += step.field->name();
    if (step.index >= 0) absl::StrAppend(&text, "[", step.index, "]");
  }
  return text;
}

SchemeProblems::SchemeProblems(std::string source, const TextFormat::ParseInfoTree* tree)
    : source_(std::move(source)), tree_(tree) {}

int SchemeProblems::LineOf(const SchemePath& at) const {
  // The deepest step that was written in the text; a missing field is
  // reported at the message that lacks it.
  const TextFormat::ParseInfoTree* tree = tree_;
  int line = 0;
  for (const SchemePath::Step& step : at.steps()) {
    if (tree == nullptr) break;
    // A problem with a whole list is shown at its first element; asking
    // protobuf for a repeated field without an index is a fatal error.
    int index = step.field->is_repeated() && step.index < 0 ? 0 : step.index;
    TextFormat::ParseLocation location = tree->GetLocation(step.field, index);
    if (location.line < 0) break;
    line = location.line + 1;
    if (step.field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) break;
    tree = tree->GetTreeForNested(step.field, index);
  }
  return line;
}

void SchemeProblems::Add(const SchemePath& at, std::string reason) {
  int line = LineOf(at);
  std::string location = source_;
  if (line > 0) absl::StrAppend(&location, ":", line);
  problems_.push_back({std::move(location), at.ToString(), std::move(reason)});
}

absl::Status SchemeProblems::ToStatus() const {
  if (problems_.empty()) return absl::OkStatus();
  std::string message = absl::StrCat("scheme ", source_, " has ", problems_.size(),
                                     problems_.size() == 1 ? " problem:" : " problems:");
  std::vector<report::FieldViolation> violations;
  for (const Problem& p : problems_) {
    std::string where = p.path.empty() ? p.location : absl::StrCat(p.location, ": ", p.path);
    absl::StrAppend(&message, "\n  ", where, ": ", p.reason);
    violations.push_back({p.path, absl::StrCat(p.location, ": ", p.reason)});
  }
  return report::InvalidArgumentWithViolations(message, violations);
}

std::optional<mpq_class> SchemeProblems::Decimal(const std::string& text, const SchemePath& at,
                                                 bool required) {
  if (text.empty()) {
    if (required) Add(at, "is required (a decimal number, e.g. \"100\" or \"0.5\")");
    return std::nullopt;
  }
  absl::StatusOr<report::ReportedDecimal> parsed = report::ParseDecimal(text);
  if (!parsed.ok()) {
    Add(at, std::string(parsed.status().message()));
    return std::nullopt;
  }
  return parsed->value;
}

}  // namespace jixiao::engine
