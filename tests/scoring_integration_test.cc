// The real scoring-svc on a loopback port, driven by the real jixiao CLI and
// by a plain gRPC client: unary and streaming scoring, validation, bad
// input, health checking, unreachable service, graceful shutdown.

#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <fstream>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using ::testing::HasSubstr;
using testing::RunCommand;
using testing::ServerProcess;
using testing::SourcePath;

const std::string kSeed = SourcePath("examples/longhua-2019.json");

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

std::string Measure(const v1::ScoreCard& card, const std::string& id) {
  for (const auto& m : card.measures()) {
    if (m.id() == id) return m.verified().display();
  }
  return "";
}

class ScoringServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(BinPath("scoring-svc"), {});
    ASSERT_FALSE(server_->address().empty()) << server_->Log();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  std::unique_ptr<v1::ScoringService::Stub> Stub() {
    return v1::ScoringService::NewStub(
        grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  }

  testing::CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {BinPath("jixiao"), "--scoring", server_->address()});
    return RunCommand(args);
  }

  static ServerProcess* server_;
};

ServerProcess* ScoringServiceTest::server_ = nullptr;

TEST_F(ScoringServiceTest, HealthCheckServes) {
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  for (const char* service : {"", "jixiao.v1.ScoringService"}) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(&context, request, &response).ok()) << service;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(ScoringServiceTest, ReflectionListsTheService) {
  using grpc::reflection::v1alpha::ServerReflection;
  auto stub = ServerReflection::NewStub(
      grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto stream = stub->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> services;
  for (const auto& s : response.list_services_response().service()) services.push_back(s.name());
  EXPECT_THAT(services, ::testing::Contains("jixiao.v1.ScoringService"));
  EXPECT_THAT(services, ::testing::Contains("grpc.health.v1.Health"));
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(ScoringServiceTest, CliScoresTheSeedThroughTheService) {
  testing::CommandResult result = Cli({"score", kSeed, "--output", "json"});
  EXPECT_EQ(result.exit_code, 3) << result.err;  // the Q2 error finding
  v1::ScoreCard card = FromJson<v1::ScoreCard>(result.out);
  EXPECT_EQ(Measure(card, "procurement_execution_rate"), "88.53");
  EXPECT_EQ(Measure(card, "budget_execution_rate"), "98.09");
  EXPECT_EQ(card.total_score(), "97.06");
  ASSERT_GT(card.findings_size(), 0);
  EXPECT_EQ(card.findings(0).subject(), "q2_progress");
  EXPECT_EQ(card.findings(0).severity(), v1::SEVERITY_ERROR);
}

TEST_F(ScoringServiceTest, CliTableShowsScoresAndFindings) {
  testing::CommandResult result = Cli({"score", kSeed});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("政府采购执行率"));
  EXPECT_THAT(result.out, HasSubstr("88.53%"));
  EXPECT_THAT(result.out, HasSubstr("总分 total 97.06 / 100"));
  EXPECT_THAT(result.out, HasSubstr("[错误 error] q2_progress"));
}

TEST_F(ScoringServiceTest, CliStreamsManyReportsInOrder) {
  std::string dir = testing::MakeTempDir("jixiao-stream");
  std::string bad = dir + "/bad.json";
  std::ofstream(bad)
      << R"({"identity": {"department_code": "X"}, "procurement": {"budget": {"value": "-1"}}})";
  testing::CommandResult result = Cli({"score", "--stream", "-o", "json", kSeed, bad, kSeed});
  EXPECT_EQ(result.exit_code, 4) << result.err;  // the bad report is invalid input
  std::vector<std::string> lines;
  std::istringstream out(result.out);
  for (std::string line; std::getline(out, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u) << result.out;
  auto first = FromJson<v1::ScoreResponse>(lines[0]);
  auto second = FromJson<v1::ScoreResponse>(lines[1]);
  auto third = FromJson<v1::ScoreResponse>(lines[2]);
  EXPECT_EQ(first.card().total_score(), "97.06");
  EXPECT_EQ(second.error().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(second.request_id(), bad);
  EXPECT_EQ(third.card().total_score(), "97.06");
  EXPECT_THAT(result.err, HasSubstr("procurement.budget.value"));
}

TEST_F(ScoringServiceTest, StreamAnswersEveryRequestWithItsId) {
  v1::Report seed = FromJson<v1::Report>(testing::ReadFile(kSeed));
  auto stub = Stub();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto stream = stub->ScoreStream(&context);
  const int kCount = 200;
  for (int i = 0; i < kCount; ++i) {
    v1::ScoreRequest request;
    *request.mutable_report() = seed;
    request.set_request_id(std::to_string(i));
    request.set_report_revision(i + 1);
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  v1::ScoreResponse response;
  int received = 0;
  while (stream->Read(&response)) {
    EXPECT_EQ(response.request_id(), std::to_string(received));
    EXPECT_EQ(response.card().report().revision(), received + 1);
    ++received;
  }
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_EQ(received, kCount);
}

// A stream carries its scheme once: later requests refer to the scheme
// the last one naming a scheme was scored with; one that refers before any
// named one is answered with its error, and the stream goes on.
TEST_F(ScoringServiceTest, AStreamCarriesItsSchemeOnce) {
  v1::Report seed = FromJson<v1::Report>(testing::ReadFile(kSeed));
  v1::Scheme scheme;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      testing::ReadFile(testing::SourcePath("schemes/yueyang-dept-overall-v1.textproto")),
      &scheme));
  auto stub = Stub();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto stream = stub->ScoreStream(&context);
  for (int i = 0; i < 4; ++i) {
    v1::ScoreRequest request;
    *request.mutable_report() = seed;
    request.set_request_id(std::to_string(i));
    request.set_detail(v1::DETAIL_SUMMARY);
    if (i == 1) {
      *request.mutable_scheme() = scheme;
    } else {
      request.set_previous_scheme(true);
    }
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  std::vector<v1::ScoreResponse> responses;
  for (v1::ScoreResponse response; stream->Read(&response);) responses.push_back(response);
  EXPECT_TRUE(stream->Finish().ok());
  ASSERT_EQ(responses.size(), 4u);
  EXPECT_TRUE(responses[0].has_error());  // nothing named a scheme yet
  EXPECT_THAT(responses[0].error().message(), ::testing::HasSubstr("previous_scheme"));
  for (int i = 1; i < 4; ++i) {
    EXPECT_FALSE(responses[i].has_error()) << responses[i].error().message();
    EXPECT_EQ(responses[i].card().scheme_id(), scheme.id()) << i;
    EXPECT_EQ(responses[i].card().total_score(), responses[1].card().total_score());
  }
}

// DETAIL_SUMMARY: the same scores, no words, and no signature to store it by.
TEST_F(ScoringServiceTest, SummaryDetailGivesTheSameScoresWithoutText) {
  auto stub = Stub();
  v1::ScoreRequest request;
  *request.mutable_report() = FromJson<v1::Report>(testing::ReadFile(kSeed));
  v1::ScoreResponse full, summary;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->Score(&context, request, &full).ok());
  }
  request.set_detail(v1::DETAIL_SUMMARY);
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->Score(&context, request, &summary).ok());
  }
  EXPECT_TRUE(summary.card().summary());
  EXPECT_FALSE(full.card().summary());
  EXPECT_EQ(summary.card().total_score(), "97.06");
  EXPECT_EQ(summary.card().grade(), full.card().grade());
  ASSERT_EQ(summary.card().indicators_size(), full.card().indicators_size());
  for (int i = 0; i < full.card().indicators_size(); ++i) {
    EXPECT_EQ(summary.card().indicators(i).score(), full.card().indicators(i).score());
  }
  ASSERT_EQ(summary.card().findings_size(), full.card().findings_size());
  EXPECT_EQ(summary.card().findings(0).code(), "declared_contradicted");
  EXPECT_TRUE(summary.card().findings(0).message().empty());
  EXPECT_TRUE(summary.card().measures().empty());
  EXPECT_FALSE(summary.card().has_signature());
  EXPECT_LT(summary.ByteSizeLong() * 5, full.ByteSizeLong());
}

TEST_F(ScoringServiceTest, BadReportGetsFieldViolations) {
  auto stub = Stub();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::ScoreRequest request;
  request.mutable_report()->mutable_identity()->set_department_code("D1");
  request.mutable_report()->mutable_identity()->set_department_name("部门");
  request.mutable_report()->mutable_identity()->set_fiscal_year(2019);
  request.mutable_report()->mutable_daily_public()->mutable_actual()->set_value("12,5");
  v1::ScoreResponse response;
  grpc::Status status = stub->Score(&context, request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "daily_public.actual.value");
  EXPECT_THAT(bad_request.field_violations(0).description(), HasSubstr("unexpected ','"));
}

TEST_F(ScoringServiceTest, UnknownSchemeIsNotFound) {
  testing::CommandResult result = Cli({"score", kSeed, "--scheme", "no-such-scheme@3"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_THAT(result.err, HasSubstr("no scheme no-such-scheme@3"));
}

TEST_F(ScoringServiceTest, InlineSchemeFromAFile) {
  // A scheme file is checked locally (with lines) and sent inline.
  testing::CommandResult result = Cli(
      {"score", kSeed, "-o", "json", "--scheme", SourcePath("schemes/dept-overall-v1.textproto")});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(FromJson<v1::ScoreCard>(result.out).total_score(), "97.06");
  testing::CommandResult broken =
      Cli({"score", kSeed, "--scheme",
           SourcePath("scoring-svc/engine/testdata/broken/children_weights.textproto")});
  EXPECT_EQ(broken.exit_code, 4);
  EXPECT_THAT(broken.err, HasSubstr("children_weights.textproto:6:"));
}

TEST_F(ScoringServiceTest, ValidateThroughTheService) {
  testing::CommandResult result = Cli({"validate", kSeed, "-o", "json"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  auto findings = FromJson<v1::ValidateResponse>(result.out);
  ASSERT_GT(findings.findings_size(), 0);
  EXPECT_EQ(findings.findings(0).subject(), "q2_progress");
}

TEST_F(ScoringServiceTest, OfflineAndOnlineCardsAreIdentical) {
  testing::CommandResult online = Cli({"score", kSeed, "-o", "json"});
  testing::CommandResult offline = RunCommand({BinPath("jixiao"), "score", kSeed, "-o", "json"});
  EXPECT_EQ(online.out, offline.out);
}

TEST(ScoringCli, UnreachableServiceExitsFive) {
  // Port 1 on loopback: nothing listens there.
  testing::CommandResult result =
      RunCommand({BinPath("jixiao"), "--scoring", "127.0.0.1:1", "--timeout", "2", "score", kSeed});
  EXPECT_EQ(result.exit_code, 5);
  EXPECT_THAT(result.err, HasSubstr("127.0.0.1:1"));
}

TEST(ScoringCli, ReadsStandardInputAndReportsBadJson) {
  testing::CommandResult ok =
      RunCommand({BinPath("jixiao"), "score", "-", "-o", "json"}, testing::ReadFile(kSeed));
  EXPECT_EQ(ok.exit_code, 3);
  testing::CommandResult bad = RunCommand({BinPath("jixiao"), "score", "-"}, "{\"identity\": 5}");
  EXPECT_EQ(bad.exit_code, 4);
  EXPECT_THAT(bad.err, HasSubstr("not a valid report"));
  testing::CommandResult usage = RunCommand({BinPath("jixiao"), "score"});
  EXPECT_EQ(usage.exit_code, 2);
}

TEST(ScoringServer, ShutsDownGracefullyOnSigterm) {
  ServerProcess server(BinPath("scoring-svc"), {});
  ASSERT_FALSE(server.address().empty()) << server.Log();
  EXPECT_EQ(server.Stop(SIGTERM), 0);
  EXPECT_THAT(server.Log(), HasSubstr("stopped"));
}

TEST(ScoringServer, RefusesPlaintextOnNonLoopback) {
  testing::CommandResult result = RunCommand({BinPath("scoring-svc"), "--listen", "0.0.0.0:0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("not a loopback address"));
}

TEST(ScoringServer, RefusesABrokenSchemeDirectory) {
  testing::CommandResult result =
      RunCommand({BinPath("scoring-svc"), "--listen", "127.0.0.1:0", "--schemes",
                  SourcePath("scoring-svc/engine/testdata/broken")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(".textproto:"));
}

TEST(ScoringServer, LoadsSchemesFromADirectory) {
  std::string dir = testing::MakeTempDir("jixiao-schemes");
  std::string v2 = testing::ReadFile(SourcePath("schemes/dept-overall-v1.textproto"));
  v2.replace(v2.find("version: 1"), 10, "version: 2");
  std::ofstream(dir + "/v2.textproto") << v2;
  ServerProcess server(BinPath("scoring-svc"), {"--schemes", dir});
  ASSERT_FALSE(server.address().empty()) << server.Log();
  testing::CommandResult result =
      RunCommand({BinPath("jixiao"), "--scoring", server.address(), "score", kSeed, "-o", "json",
                  "--scheme", "dept-overall"});
  EXPECT_EQ(FromJson<v1::ScoreCard>(result.out).scheme_version(), 2) << result.err;
}

}  // namespace
}  // namespace jixiao
