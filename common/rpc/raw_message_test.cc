#include "common/rpc/raw_message.h"

#include <grpcpp/impl/codegen/proto_utils.h>
#include <gtest/gtest.h>

#include <vector>

#include "jixiao/v1/storage_service.pb.h"

namespace jixiao::rpc {
namespace {

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

v1::ReportRevision Revision(size_t text_size) {
  v1::ReportRevision revision;
  revision.mutable_key()->set_department_code("430104");
  revision.mutable_key()->set_fiscal_year(2024);
  revision.set_revision(7);
  revision.set_author(std::string(text_size, 'x'));
  return revision;
}

// Sizes on either side of each varint length boundary (1, 2 and 3 bytes).
class MessageFieldBytesTest : public testing::TestWithParam<size_t> {};

TEST_P(MessageFieldBytesTest, IsWhatProtobufSerializes) {
  v1::GetReportResponse expected;
  *expected.mutable_revision() = Revision(GetParam());
  std::string wire = Flatten(MessageFieldBytes(v1::GetReportResponse::kRevisionFieldNumber,
                                               expected.revision().SerializeAsString()));
  EXPECT_EQ(wire, expected.SerializeAsString());
  v1::GetReportResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_EQ(parsed.revision().author(), expected.revision().author());
}

INSTANTIATE_TEST_SUITE_P(Lengths, MessageFieldBytesTest,
                         testing::Values(0, 90, 100, 16000, 16400, 200000));

TEST(MessageFieldBytesTest, EmptyInnerMessageIsStillPresent) {
  std::string wire = Flatten(MessageFieldBytes(1, ""));
  EXPECT_EQ(wire, std::string("\x0a\x00", 2));
  v1::GetReportResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_TRUE(parsed.has_revision());
}

TEST(ParseRawTest, ParsesAndLeavesTheBufferIntact) {
  v1::GetReportRequest request;
  request.mutable_key()->set_department_code("430104");
  request.set_revision(3);
  grpc::ByteBuffer buffer;
  bool own = false;
  ASSERT_TRUE(grpc::SerializationTraits<v1::GetReportRequest>::Serialize(request, &buffer, &own)
                  .ok());
  v1::GetReportRequest parsed;
  ASSERT_TRUE(ParseRaw(buffer, parsed).ok());
  EXPECT_EQ(parsed.key().department_code(), "430104");
  EXPECT_EQ(parsed.revision(), 3);
  EXPECT_EQ(Flatten(buffer), request.SerializeAsString());
}

TEST(ParseRawTest, RefusesWhatIsNotTheMessage) {
  grpc::Slice junk(std::string("\xff\xff\xff", 3));
  grpc::ByteBuffer buffer(&junk, 1);
  v1::GetReportRequest parsed;
  absl::Status status = ParseRaw(buffer, parsed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("jixiao.v1.GetReportRequest"), std::string::npos);
}

}  // namespace
}  // namespace jixiao::rpc
