// Bad input as a value: INVALID_ARGUMENT statuses that name each bad field.
//
// The engine reports every bad field of a report or scheme as a
// google.rpc.BadRequest carried in the absl::Status payload, so that the
// service edge can hand it to gRPC clients as error details unchanged, and
// the CLI can print each violation.

#ifndef JIXIAO_COMMON_REPORT_FIELD_VIOLATIONS_H_
#define JIXIAO_COMMON_REPORT_FIELD_VIOLATIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"

namespace jixiao::report {

struct FieldViolation {
  std::string field;        // e.g. "procurement.budget.value"
  std::string description;  // what is wrong with it
};

// The payload type URL under which a google.rpc.BadRequest travels.
inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

// INVALID_ARGUMENT with `message` and the violations as a BadRequest payload.
// `message` should summarise; each violation stands on its own.
absl::Status InvalidArgumentWithViolations(absl::string_view message,
                                           const std::vector<FieldViolation>& violations);

// The same status with every violation's field under `prefix` ("report."),
// for a message checked on its own and then sent inside a request.
absl::Status PrefixFields(const absl::Status& status, absl::string_view prefix);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD: messages
// quote user input, and a protobuf string must be valid UTF-8.
std::string ValidUtf8(absl::string_view text);

// The violations carried by `status`; empty if it carries none.
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

}  // namespace jixiao::report

#endif  // JIXIAO_COMMON_REPORT_FIELD_VIOLATIONS_H_
