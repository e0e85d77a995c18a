// Bytes that stand for a message wherever it is serialized: protobuf's
// deterministic serialization (map entries in key order). Plain
// SerializeAsString writes a map in whatever order the map holds it, so
// the same report, parsed twice, may give different bytes: every digest,
// signature and comparison of messages goes through this instead.

#ifndef JIXIAO_COMMON_REPORT_DETERMINISTIC_H_
#define JIXIAO_COMMON_REPORT_DETERMINISTIC_H_

#include <string>

#include "google/protobuf/message_lite.h"

namespace jixiao::report {

std::string DeterministicBytes(const google::protobuf::MessageLite& message);

// SHA-256 of DeterministicBytes(message).
std::string DeterministicDigest(const google::protobuf::MessageLite& message);

}  // namespace jixiao::report

#endif  // JIXIAO_COMMON_REPORT_DETERMINISTIC_H_
