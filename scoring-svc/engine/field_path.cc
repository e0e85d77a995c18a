#include "scoring-svc/engine/field_path.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "jixiao/v1/report.pb.h"

namespace jixiao::engine {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

namespace {

std::string FieldNames(const Descriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->field_count(); ++i) names.push_back(type->field(i)->name());
  return absl::StrJoin(names, ", ");
}

}  // namespace

absl::StatusOr<FieldPath> FieldPath::Compile(absl::string_view path, const Descriptor* root,
                                             const FigureIds* figures, FieldSlots* slots) {
  absl::StatusOr<FieldPath> compiled = CompilePath(path, root, figures);
  if (compiled.ok() && slots != nullptr) {
    const int next = static_cast<int>(slots->size());
    compiled->slot_ = slots->try_emplace(compiled->text_, next).first->second;
  }
  return compiled;
}

absl::StatusOr<FieldPath> FieldPath::CompilePath(absl::string_view path, const Descriptor* root,
                                                 const FigureIds* figures) {
  constexpr absl::string_view kPrior = "prior.";
  if (root == v1::Report::descriptor() && absl::StartsWith(path, kPrior)) {
    absl::StatusOr<FieldPath> rest = CompilePath(path.substr(kPrior.size()), root, figures);
    if (!rest.ok()) {  // the same message, naming the whole path
      std::string message(rest.status().message());
      const std::string inner = absl::StrCat("\"", path.substr(kPrior.size()), "\"");
      if (size_t at = message.find(inner); at != std::string::npos) {
        message.replace(at, inner.size(), absl::StrCat("\"", path, "\""));
      }
      return absl::InvalidArgumentError(message);
    }
    if (rest->prior_) {
      return absl::InvalidArgumentError(
          absl::StrCat("field path \"", path, "\": last year's report has no prior of its own"));
    }
    rest->text_ = std::string(path);
    rest->prior_ = true;
    return rest;
  }
  FieldPath result;
  result.text_ = std::string(path);
  const Descriptor* type = root;
  std::vector<absl::string_view> names = absl::StrSplit(path, '.');
  for (size_t i = 0; i < names.size(); ++i) {
    std::string prefix = absl::StrJoin(names.begin(), names.begin() + i + 1, ".");
    if (type == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("field path \"", path, "\": \"", names[i - 1],
                                                     "\" is a figure and has no field \"", names[i],
                                                     "\""));
    }
    const FieldDescriptor* field = type->FindFieldByName(std::string(names[i]));
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("field path \"", path, "\": ", type->full_name(), " has no field \"",
                       names[i], "\" (it has: ", FieldNames(type), ")"));
    }
    if (field->is_map() && type == v1::Report::descriptor()) {
      if (i + 2 != names.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("field path \"", path, "\": name one figure, as \"", prefix, ".ID\""));
      }
      const std::string id(names[i + 1]);
      if (figures == nullptr || !figures->contains(id)) {
        std::vector<std::string> declared;
        if (figures != nullptr) declared.assign(figures->begin(), figures->end());
        std::sort(declared.begin(), declared.end());
        return absl::InvalidArgumentError(absl::StrCat(
            "field path \"", path, "\": the scheme declares no figure \"", id, "\" (",
            declared.empty() ? "it declares none; add it to the scheme's figures"
                             : absl::StrCat("it declares: ", absl::StrJoin(declared, ", ")),
            ")"));
      }
      result.figure_id_ = id;
      result.is_figure_ = true;
      return result;
    }
    if (field->is_repeated() || field->type() != FieldDescriptor::TYPE_MESSAGE) {
      return absl::InvalidArgumentError(absl::StrCat(
          "field path \"", path, "\": \"", prefix, "\" is ",
          field->is_repeated() ? "a list" : "not a figure", "; a formula can use only figures (",
          v1::Decimal::descriptor()->full_name(), ")"));
    }
    result.steps_.push_back(field);
    type = field->message_type() == v1::Decimal::descriptor() ? nullptr : field->message_type();
  }
  if (type != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("field path \"", path, "\" names a ", type->full_name(),
                     ", not a figure; name one of its fields: ", FieldNames(type)));
  }
  return result;
}

const v1::Decimal* FieldPath::Find(const ReportInputs& inputs) const {
  if (!prior_) return Find(*inputs.report);
  return inputs.prior == nullptr ? nullptr : Find(*inputs.prior);
}

const v1::Decimal* FieldPath::Find(const Message& root) const {
  const Message* message = &root;
  for (const FieldDescriptor* field : steps_) {
    const auto* reflection = message->GetReflection();
    if (!reflection->HasField(*message, field)) return nullptr;
    message = &reflection->GetMessage(*message, field);
  }
  if (is_figure_) {
    const auto* report = dynamic_cast<const v1::Report*>(message);
    if (report == nullptr) return nullptr;
    auto it = report->figures().find(figure_id_);
    return it == report->figures().end() ? nullptr : &it->second;
  }
  return static_cast<const v1::Decimal*>(message);
}

}  // namespace jixiao::engine
