#include "common/report/field_violations.h"

#include "absl/strings/cord.h"

namespace jixiao::report {

std::string ValidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    int length = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool valid = length > 0 && i + length <= text.size();
    uint32_t code = length == 1   ? c
                    : length == 2 ? (c & 0x1F)
                    : length == 3 ? (c & 0x0F)
                                  : (c & 0x07);
    for (int k = 1; valid && k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    // No overlong forms, no surrogates, nothing past U+10FFFF.
    valid = valid && !(length == 2 && code < 0x80) && !(length == 3 && code < 0x800) &&
            !(length == 4 && (code < 0x10000 || code > 0x10FFFF)) &&
            !(code >= 0xD800 && code <= 0xDFFF);
    if (valid) {
      out.append(text.data() + i, length);
      i += length;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    }
  }
  return out;
}

absl::Status InvalidArgumentWithViolations(absl::string_view message,
                                           const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  for (const FieldViolation& v : violations) {
    auto* out = bad_request.add_field_violations();
    out->set_field(ValidUtf8(v.field));
    out->set_description(ValidUtf8(v.description));
  }
  absl::Status status = absl::InvalidArgumentError(ValidUtf8(message));
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status PrefixFields(const absl::Status& status, absl::string_view prefix) {
  std::vector<FieldViolation> violations = ViolationsOf(status);
  for (FieldViolation& v : violations) v.field = std::string(prefix) + v.field;
  return InvalidArgumentWithViolations(status.message(), violations);
}

std::vector<FieldViolation> ViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> violations;
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  if (!payload) return violations;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return violations;
  for (const auto& v : bad_request.field_violations()) {
    violations.push_back({v.field(), v.description()});
  }
  return violations;
}

}  // namespace jixiao::report
