#include "tools/jixiao/cli_output.h"

#include <algorithm>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/report/deterministic.h"
#include "common/report/field_violations.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "tools/jixiao/exit_codes.h"

namespace jixiao::cli {

bool IsTlsFailure(const absl::Status& status) {
  return absl::IsUnavailable(status) &&
         absl::StrContains(absl::AsciiStrToLower(status.message()), "handshake failed");
}

bool IsStorageFault(const absl::Status& status) {
  return absl::IsUnavailable(status) &&
         (absl::StartsWith(status.message(), "data directory lost") ||
          absl::StartsWith(status.message(), "storage failure"));
}

int ExitCodeFor(const absl::Status& status) {
  // Reached, but not trusted; or reached, and unable to write.
  if (IsTlsFailure(status) || IsStorageFault(status)) return kFailure;
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return kOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return kInvalidInput;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kUnreachable;
    default:
      return kFailure;
  }
}

void PrintError(const std::string& what, const absl::Status& status, const std::string& address,
                const std::string& flag) {
  std::vector<report::FieldViolation> violations = report::ViolationsOf(status);
  // A message that lists its violations after a summary ("report has 2
  // invalid fields: a: …; b: …") is printed as the summary alone, then
  // one violation per line: each is said once.
  std::string message(status.message());
  if (!violations.empty() && !violations[0].field.empty() && !absl::StrContains(message, '\n')) {
    // The field as the message names it may lack the prefix the request
    // added ("identity.x" for "report.identity.x").
    for (std::string field = violations[0].field; !field.empty();) {
      size_t listed_at = message.find(": " + field + ": ");
      if (listed_at != std::string::npos) {
        message.resize(listed_at);
        break;
      }
      size_t dot = field.find('.');
      field = dot == std::string::npos ? "" : field.substr(dot + 1);
    }
  }
  std::cerr << "jixiao: " << what << ": " << message << "\n";
  // A message of several lines lists its violations already (a scheme's
  // problems, one per line, each with its place).
  const bool listed = absl::StrContains(message, '\n');
  for (const report::FieldViolation& v : violations) {
    if (listed || v.field.empty()) continue;  // already in the message
    std::cerr << "  " << v.field << ": " << v.description << "\n";
  }
  if (IsTlsFailure(status)) {
    std::cerr << "  (the TLS handshake with " << (address.empty() ? "the service" : address)
              << " failed: its certificate is not signed by the CA given with --tls-ca, has "
                 "expired, or names another host; or it wants a client certificate: --tls-cert "
                 "and --tls-key)\n";
  } else if (IsStorageFault(status)) {
    std::cerr << "  (storage-svc at " << (address.empty() ? "?" : address)
              << " is running but cannot write: its operator must act, see deploy/README.md, "
                 "\"When storage fails\")\n";
  } else if (absl::IsUnauthenticated(status)) {
    std::cerr << "  (set JIXIAO_TOKEN to your bearer token, or pass --token-file FILE holding "
                 "it)\n";
  } else if (ExitCodeFor(status) == kUnreachable && !flag.empty()) {
    std::cerr << "  (is the service running at " << (address.empty() ? "?" : address)
              << ", and does it expect TLS (--tls-ca) or a client certificate (--tls-cert)? set "
              << flag << ")\n";
  }
}

std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = pretty;
  std::string json = StableJson(message, options);
  if (!pretty) json.erase(std::remove(json.begin(), json.end(), '\n'), json.end());
  return json;
}

std::string StableJson(const google::protobuf::Message& message,
                       const google::protobuf::util::JsonPrintOptions& options) {
  // The JSON printer writes a map's entries in the order of the bytes it
  // reads: from deterministic bytes, that is key order.
  static google::protobuf::util::TypeResolver* const resolver =
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool());
  std::string json;
  auto status = google::protobuf::util::BinaryToJsonString(
      resolver, "type.googleapis.com/" + message.GetDescriptor()->full_name(),
      report::DeterministicBytes(message), &json, options);
  if (!status.ok()) return absl::StrCat("{\"error\": \"", std::string(status.message()), "\"}");
  return json;
}

}  // namespace jixiao::cli
