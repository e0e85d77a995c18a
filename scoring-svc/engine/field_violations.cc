#include "field_violations.h"

#include "absl/strings/cord.h"

namespace jixiao::engine {

absl::Status InvalidArgumentWithViolations(absl::string_view message,
                                           const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  for (const FieldViolation& v : violations) {
    auto* out = bad_request.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
  }
  absl::Status status = absl::InvalidArgumentError(message);
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

}  // namespace jixiao::engine
