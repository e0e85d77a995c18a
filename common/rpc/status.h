// The one place where absl::Status and grpc::Status meet.
//
// Libraries return absl::Status; services and clients speak grpc::Status.
// Codes map 1:1 (the two enums share their numbering) and a
// google.rpc.BadRequest payload travels as the rich error details
// (google.rpc.Status in the grpc-status-details-bin trailer), so that a
// client sees every field violation the engine found.

#ifndef JIXIAO_COMMON_RPC_STATUS_H_
#define JIXIAO_COMMON_RPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"

namespace jixiao::rpc {

// `status` as a grpc::Status with the same code and message; any
// BadRequest payload goes into the error details.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse: code, message, and the BadRequest from the error details as
// a payload (engine/field_violations.h reads it).
absl::Status FromGrpcStatus(const grpc::Status& status);

// `status` as a google.rpc.Status message, for per-item errors in streams.
google::rpc::Status ToRpcStatusProto(const absl::Status& status);
absl::Status FromRpcStatusProto(const google::rpc::Status& status);

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_STATUS_H_
