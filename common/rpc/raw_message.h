// Messages handed to gRPC as bytes, for methods whose answer is already
// stored serialized (the generated WithRawCallbackMethod_* services).
//
// A protobuf message whose only field is a message is, on the wire, that
// field's tag, its length and the inner message's bytes. So an answer like
// GetReportResponse { ReportRevision revision = 1; } can be sent from the
// stored ReportRevision without parsing it or serializing it again.

#ifndef JIXIAO_COMMON_RPC_RAW_MESSAGE_H_
#define JIXIAO_COMMON_RPC_RAW_MESSAGE_H_

#include <grpcpp/support/byte_buffer.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message_lite.h"

namespace jixiao::rpc {

// The bytes of a message whose field `field_number` holds the serialized
// message `inner`, and nothing else. `inner` is moved into the buffer, not
// copied.
grpc::ByteBuffer MessageFieldBytes(uint32_t field_number, std::string inner);

// Parses `bytes` (a request received raw) into `message`;
// INVALID_ARGUMENT naming the message type if they are not one.
absl::Status ParseRaw(const grpc::ByteBuffer& bytes, google::protobuf::MessageLite& message);

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_RAW_MESSAGE_H_
