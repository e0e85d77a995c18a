#include "common/rpc/raw_message.h"

#include <grpcpp/support/proto_buffer_reader.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"

namespace jixiao::rpc {
namespace {

// protobuf's wire type for length-delimited fields (strings, bytes, messages).
constexpr uint32_t kLengthDelimited = 2;

void DeleteString(void* text) { delete static_cast<std::string*>(text); }

}  // namespace

grpc::ByteBuffer MessageFieldBytes(uint32_t field_number, std::string inner) {
  using google::protobuf::io::CodedOutputStream;
  // Tag and length: at most 5 + 10 bytes.
  uint8_t header[15];
  uint8_t* end =
      CodedOutputStream::WriteVarint32ToArray(field_number << 3 | kLengthDelimited, header);
  end = CodedOutputStream::WriteVarint64ToArray(inner.size(), end);
  auto* owned = new std::string(std::move(inner));
  grpc::Slice slices[] = {
      grpc::Slice(header, static_cast<size_t>(end - header)),
      grpc::Slice(owned->data(), owned->size(), &DeleteString, owned),
  };
  return grpc::ByteBuffer(slices, 2);
}

absl::Status ParseRaw(const grpc::ByteBuffer& bytes, google::protobuf::MessageLite& message) {
  grpc::ByteBuffer copy(bytes);  // the reader consumes it; this shares the slices
  grpc::ProtoBufferReader reader(&copy);
  if (!reader.status().ok() || !message.ParseFromZeroCopyStream(&reader)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request is not a valid ", message.GetTypeName()));
  }
  return absl::OkStatus();
}

}  // namespace jixiao::rpc
