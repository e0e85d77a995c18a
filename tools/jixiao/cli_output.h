// How the CLI reports results and failures: exit codes from statuses,
// errors with their field violations on stderr, JSON for scripts.

#ifndef JIXIAO_TOOLS_JIXIAO_CLI_OUTPUT_H_
#define JIXIAO_TOOLS_JIXIAO_CLI_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

namespace jixiao::cli {

// The exit code (exit_codes.h) a failed status calls for.
int ExitCodeFor(const absl::Status& status);

// Whether `status` is a failed TLS handshake: the service was reached, but
// one side did not trust the other (exit code 1, not "unreachable").
bool IsTlsFailure(const absl::Status& status);

// Whether `status` is storage-svc refusing a write because its storage
// failed (a lost data directory, a failed sync): the service was reached,
// and retrying will not help until its operator acts (exit code 1).
bool IsStorageFault(const absl::Status& status);

// "jixiao: <what>: <message>" and one line per field violation; for an
// unreachable service, a hint naming `address` and `flag`.
void PrintError(const std::string& what, const absl::Status& status,
                const std::string& address = "", const std::string& flag = "");

// Protobuf JSON with the proto field names (as report files use them);
// `pretty` for one document, otherwise one line. Maps are written in key
// order, so the same message always prints the same.
std::string ToJson(const google::protobuf::Message& message, bool pretty);

// The same with options of the caller's.
std::string StableJson(const google::protobuf::Message& message,
                       const google::protobuf::util::JsonPrintOptions& options);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_CLI_OUTPUT_H_
