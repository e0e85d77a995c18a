#include "tools/jixiao/report_diff.h"

#include "absl/strings/str_cat.h"
#include "jixiao/v1/decimal.pb.h"

namespace jixiao::cli {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Scalar(const Message& message, const FieldDescriptor* field, int index) {
  const Reflection* r = message.GetReflection();
  bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return repeated ? r->GetRepeatedString(message, field, index) : r->GetString(message, field);
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(repeated ? r->GetRepeatedInt32(message, field, index)
                                     : r->GetInt32(message, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(repeated ? r->GetRepeatedInt64(message, field, index)
                                     : r->GetInt64(message, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return std::to_string(repeated ? r->GetRepeatedUInt32(message, field, index)
                                     : r->GetUInt32(message, field));
    case FieldDescriptor::CPPTYPE_ENUM: {
      int value = repeated ? r->GetRepeatedEnumValue(message, field, index)
                           : r->GetEnumValue(message, field);
      const auto* named = field->enum_type()->FindValueByNumber(value);
      return named ? named->name() : std::to_string(value);
    }
    default:
      return "?";
  }
}

class Differ {
 public:
  explicit Differ(std::vector<FieldChange>& out) : out_(out) {}

  // Either side may be null (absent).
  void Compare(const Message* a, const Message* b, const std::string& prefix) {
    const Message& shape = a ? *a : *b;
    // A figure is shown as its value, not as a message.
    if (shape.GetDescriptor() == v1::Decimal::descriptor()) {
      std::string before = a ? static_cast<const v1::Decimal*>(a)->value() : "";
      std::string after = b ? static_cast<const v1::Decimal*>(b)->value() : "";
      if (before != after) out_.push_back({prefix, before, after});
      return;
    }
    const auto* type = shape.GetDescriptor();
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      std::string path = prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
      if (field->is_repeated()) {
        int na = a ? a->GetReflection()->FieldSize(*a, field) : 0;
        int nb = b ? b->GetReflection()->FieldSize(*b, field) : 0;
        for (int j = 0; j < std::max(na, nb); ++j) {
          std::string item = absl::StrCat(path, "[", j, "]");
          if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
            Compare(j < na ? &a->GetReflection()->GetRepeatedMessage(*a, field, j) : nullptr,
                    j < nb ? &b->GetReflection()->GetRepeatedMessage(*b, field, j) : nullptr, item);
          } else {
            std::string before = j < na ? Scalar(*a, field, j) : "";
            std::string after = j < nb ? Scalar(*b, field, j) : "";
            if (before != after) out_.push_back({item, before, after});
          }
        }
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        bool ha = a && a->GetReflection()->HasField(*a, field);
        bool hb = b && b->GetReflection()->HasField(*b, field);
        if (!ha && !hb) continue;
        Compare(ha ? &a->GetReflection()->GetMessage(*a, field) : nullptr,
                hb ? &b->GetReflection()->GetMessage(*b, field) : nullptr, path);
      } else {
        std::string before = a ? Scalar(*a, field, -1) : "";
        std::string after = b ? Scalar(*b, field, -1) : "";
        if (before != after) out_.push_back({path, before, after});
      }
    }
  }

 private:
  std::vector<FieldChange>& out_;
};

}  // namespace

std::vector<FieldChange> DiffMessages(const Message& before, const Message& after) {
  std::vector<FieldChange> changes;
  Differ(changes).Compare(&before, &after, "");
  return changes;
}

}  // namespace jixiao::cli
