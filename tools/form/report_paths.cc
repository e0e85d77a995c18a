#include "tools/form/report_paths.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"

namespace jixiao::form {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

bool IsDecimal(const Descriptor* d) { return d->full_name() == "jixiao.v1.Decimal"; }

// "self_evaluation.scores.decision": the declared score of one indicator.
constexpr absl::string_view kScores = "self_evaluation.scores.";

absl::string_view ScoreId(const std::string& path) {
  absl::string_view id = path;
  return absl::ConsumePrefix(&id, kScores) ? id : absl::string_view();
}

// The field `path` ends at, with the descriptors on the way; null if the
// path does not name a singular field through singular messages.
const FieldDescriptor* Resolve(const std::string& path, std::vector<const FieldDescriptor*>* way) {
  const Descriptor* message = v1::Report::descriptor();
  const FieldDescriptor* field = nullptr;
  for (absl::string_view name : absl::StrSplit(path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(name));
    if (field == nullptr || field->is_repeated()) return nullptr;
    if (way != nullptr) way->push_back(field);
    message = field->type() == FieldDescriptor::TYPE_MESSAGE && !IsDecimal(field->message_type())
                  ? field->message_type()
                  : nullptr;
  }
  return field;
}

}  // namespace

PathKind KindOf(const std::string& path) {
  if (absl::StartsWith(path, "figures.")) {
    return path.size() > sizeof("figures.") - 1 ? PathKind::kFigure : PathKind::kNone;
  }
  if (path == "identity.fiscal_year") return PathKind::kYear;
  if (absl::StartsWith(path, kScores)) {
    return ScoreId(path).empty() ? PathKind::kNone : PathKind::kFigure;
  }
  const FieldDescriptor* field = Resolve(path, nullptr);
  if (field == nullptr) return PathKind::kNone;
  if (field->type() == FieldDescriptor::TYPE_MESSAGE && IsDecimal(field->message_type())) {
    return PathKind::kFigure;
  }
  if (field->type() == FieldDescriptor::TYPE_STRING) return PathKind::kText;
  return PathKind::kNone;
}

std::string ValueAt(const v1::Report& report, const std::string& path) {
  if (absl::StartsWith(path, "figures.")) {
    auto it = report.figures().find(path.substr(sizeof("figures.") - 1));
    return it == report.figures().end() ? "" : it->second.value();
  }
  if (path == "identity.fiscal_year") {
    return report.identity().fiscal_year() == 0 ? ""
                                                : std::to_string(report.identity().fiscal_year());
  }
  if (absl::string_view id = ScoreId(path); !id.empty()) {
    for (const v1::DeclaredScore& score : report.self_evaluation().scores()) {
      if (score.indicator_id() == id) return score.score().value();
    }
    return "";
  }
  std::vector<const FieldDescriptor*> way;
  if (Resolve(path, &way) == nullptr) return "";
  const Message* message = &report;
  for (size_t i = 0; i + 1 < way.size(); ++i) {
    if (!message->GetReflection()->HasField(*message, way[i])) return "";
    message = &message->GetReflection()->GetMessage(*message, way[i]);
  }
  const FieldDescriptor* last = way.back();
  if (last->type() == FieldDescriptor::TYPE_STRING) {
    return message->GetReflection()->GetString(*message, last);
  }
  if (!message->GetReflection()->HasField(*message, last)) return "";
  return static_cast<const v1::Decimal&>(message->GetReflection()->GetMessage(*message, last))
      .value();
}

bool SetAt(v1::Report& report, const std::string& path, const std::string& value) {
  switch (KindOf(path)) {
    case PathKind::kNone:
      return false;
    case PathKind::kYear: {
      int year = 0;
      if (!absl::SimpleAtoi(value, &year)) return false;
      report.mutable_identity()->set_fiscal_year(year);
      return true;
    }
    default:
      break;
  }
  if (absl::StartsWith(path, "figures.")) {
    (*report.mutable_figures())[path.substr(sizeof("figures.") - 1)].set_value(value);
    return true;
  }
  if (absl::string_view id = ScoreId(path); !id.empty()) {
    v1::SelfEvaluation& evaluation = *report.mutable_self_evaluation();
    for (v1::DeclaredScore& score : *evaluation.mutable_scores()) {
      if (score.indicator_id() == id) {
        score.mutable_score()->set_value(value);
        return true;
      }
    }
    v1::DeclaredScore& score = *evaluation.add_scores();
    score.set_indicator_id(std::string(id));
    score.mutable_score()->set_value(value);
    return true;
  }
  std::vector<const FieldDescriptor*> way;
  Resolve(path, &way);
  Message* message = &report;
  for (size_t i = 0; i + 1 < way.size(); ++i) {
    message = message->GetReflection()->MutableMessage(message, way[i]);
  }
  const FieldDescriptor* last = way.back();
  if (last->type() == FieldDescriptor::TYPE_STRING) {
    message->GetReflection()->SetString(message, last, value);
  } else {
    static_cast<v1::Decimal*>(message->GetReflection()->MutableMessage(message, last))
        ->set_value(value);
  }
  return true;
}

std::vector<std::string> StandardFigurePaths() {
  std::vector<std::string> paths;
  // Depth first through the report's singular messages, figures only.
  std::function<void(const Descriptor*, const std::string&)> walk = [&](const Descriptor* message,
                                                                        const std::string& prefix) {
    for (int i = 0; i < message->field_count(); ++i) {
      const FieldDescriptor* field = message->field(i);
      if (field->is_repeated() || field->type() != FieldDescriptor::TYPE_MESSAGE) continue;
      const std::string path = prefix + field->name();
      if (IsDecimal(field->message_type())) {
        paths.push_back(path);
      } else if (field->message_type()->full_name() != "jixiao.v1.Narrative" &&
                 field->message_type()->full_name() != "jixiao.v1.SelfEvaluation") {
        walk(field->message_type(), path + ".");
      }
    }
  };
  walk(v1::Report::descriptor(), "");
  return paths;
}

}  // namespace jixiao::form
