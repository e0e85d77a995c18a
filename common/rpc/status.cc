#include "common/rpc/status.h"

#include "absl/strings/cord.h"
#include "common/report/field_violations.h"
#include "google/rpc/error_details.pb.h"

namespace jixiao::rpc {

google::rpc::Status ToRpcStatusProto(const absl::Status& status) {
  google::rpc::Status proto;
  proto.set_code(static_cast<int>(status.code()));
  proto.set_message(std::string(status.message()));
  if (auto payload = status.GetPayload(report::kBadRequestTypeUrl)) {
    google::protobuf::Any* detail = proto.add_details();
    detail->set_type_url(std::string(report::kBadRequestTypeUrl));
    detail->set_value(std::string(*payload));
  }
  return proto;
}

absl::Status FromRpcStatusProto(const google::rpc::Status& proto) {
  absl::Status status(static_cast<absl::StatusCode>(proto.code()), proto.message());
  for (const google::protobuf::Any& detail : proto.details()) {
    if (detail.type_url() == report::kBadRequestTypeUrl) {
      status.SetPayload(report::kBadRequestTypeUrl, absl::Cord(detail.value()));
    }
  }
  return status;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  std::string details;
  if (status.GetPayload(report::kBadRequestTypeUrl)) {
    details = ToRpcStatusProto(status).SerializeAsString();
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      details);
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  google::rpc::Status proto;
  if (!status.error_details().empty() && proto.ParseFromString(status.error_details())) {
    // The details' own code and message are authoritative only if they agree.
    proto.set_code(static_cast<int>(status.error_code()));
    proto.set_message(status.error_message());
    return FromRpcStatusProto(proto);
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace jixiao::rpc
