// TLS and mutual TLS with certificates made by deploy/dev-ca.sh: a TLS
// client gets through, a plaintext one fails cleanly, and with mutual TLS a
// client without a certificate is refused.

#include <grpcpp/grpcpp.h>

#include <regex>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
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

class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new std::string(testing::MakeTempDir("jixiao-certs"));
    testing::CommandResult made =
        RunCommand({"/bin/bash", SourcePath("deploy/dev-ca.sh"), *certs_});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  static std::string Cert(const std::string& name) { return *certs_ + "/" + name; }
  static std::string* certs_;
};
std::string* Tls::certs_ = nullptr;

TEST_F(Tls, ClientsMustSpeakTls) {
  ServerProcess scoring(BinPath("scoring-svc"),
                        {"--tls-cert", Cert("server.crt"), "--tls-key", Cert("server.key")});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  EXPECT_THAT(scoring.Log(), HasSubstr("serving TLS"));
  testing::CommandResult tls = RunCommand({BinPath("jixiao"), "--scoring", scoring.address(),
                                           "--tls-ca", Cert("ca.crt"), "score", kSeed});
  EXPECT_EQ(tls.exit_code, 3) << tls.err;  // scored: the seed's Q2 error
  testing::CommandResult plain = RunCommand(
      {BinPath("jixiao"), "--scoring", scoring.address(), "--timeout", "3", "score", kSeed});
  EXPECT_EQ(plain.exit_code, 5);
  EXPECT_THAT(plain.err, HasSubstr("TLS"));
  // A CA that did not sign the server's certificate is not trusted.
  std::string other = testing::MakeTempDir("jixiao-other-ca");
  ASSERT_EQ(RunCommand({"/bin/bash", SourcePath("deploy/dev-ca.sh"), other}).exit_code, 0);
  testing::CommandResult untrusted =
      RunCommand({BinPath("jixiao"), "--scoring", scoring.address(), "--timeout", "3", "--tls-ca",
                  other + "/ca.crt", "score", kSeed});
  EXPECT_EQ(untrusted.exit_code, 1);  // reached, not trusted: no "is it running?"
  EXPECT_THAT(untrusted.err, HasSubstr("TLS handshake with " + scoring.address() + " failed"));
  EXPECT_THAT(untrusted.err, ::testing::Not(HasSubstr("is the service running")));
}

TEST_F(Tls, MutualTlsRefusesClientsWithoutACertificate) {
  std::string data = testing::MakeTempDir("jixiao-mtls");
  ServerProcess storage(BinPath("storage-svc"),
                        {"--data-dir", data + "/db", "--tls-cert", Cert("server.crt"), "--tls-key",
                         Cert("server.key"), "--tls-client-ca", Cert("ca.crt")});
  ASSERT_FALSE(storage.address().empty()) << storage.Log();
  EXPECT_THAT(storage.Log(), HasSubstr("client certificates required"));
  std::vector<std::string> base = {BinPath("jixiao"), "--storage", storage.address(),
                                   "--timeout",       "3",         "--tls-ca",
                                   Cert("ca.crt")};
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCommand(args);
  };
  testing::CommandResult without = run({"save", kSeed});
  EXPECT_EQ(without.exit_code, 5) << without.out;
  testing::CommandResult with =
      run({"--tls-cert", Cert("client.crt"), "--tls-key", Cert("client.key"), "save", kSeed});
  EXPECT_EQ(with.exit_code, 0) << with.err;
  EXPECT_THAT(with.out, HasSubstr("LH-ZWFWSJGLJ/2019@1 created"));
}

TEST_F(Tls, HttpJsonIsServedOverTheSameMutualTls) {
  std::string data = testing::MakeTempDir("jixiao-https");
  ServerProcess storage(BinPath("storage-svc"),
                        {"--data-dir", data + "/db", "--tls-cert", Cert("server.crt"), "--tls-key",
                         Cert("server.key"), "--tls-client-ca", Cert("ca.crt"), "--http-listen",
                         ":0", "--http-port-file", data + "/http"});
  ASSERT_FALSE(storage.address().empty()) << storage.Log();
  std::string http = testing::ReadAddress(data + "/http");
  EXPECT_THAT(storage.Log(), HasSubstr("HTTP/JSON on https://"));
  const std::string url = "https://localhost:" + http.substr(http.rfind(':') + 1) + "/healthz";
  testing::CommandResult with =
      RunCommand({"/usr/bin/curl", "-sS", "--cacert", Cert("ca.crt"), "--cert", Cert("client.crt"),
                  "--key", Cert("client.key"), url});
  EXPECT_EQ(with.exit_code, 0) << with.err;
  EXPECT_THAT(with.out, HasSubstr("SERVING"));
  // Without a client certificate, or in plain HTTP, nothing is answered.
  EXPECT_NE(RunCommand({"/usr/bin/curl", "-sS", "--cacert", Cert("ca.crt"), url}).exit_code, 0);
  testing::CommandResult plain =
      RunCommand({"/usr/bin/curl", "-sS", "http://" + http + "/healthz"});
  EXPECT_THAT(plain.out, ::testing::Not(HasSubstr("SERVING")));
}

TEST_F(Tls, HealthChecksAnswerInPlaintextOnTheirOwnPortOnly) {
  ServerProcess scoring(BinPath("scoring-svc"),
                        {"--tls-cert", Cert("server.crt"), "--tls-key", Cert("server.key"),
                         "--health-listen", "127.0.0.1:0"});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  std::smatch found;
  std::string log = scoring.Log();
  ASSERT_TRUE(std::regex_search(log, found, std::regex("plaintext health checks on (\\S+)")))
      << log;
  auto channel = grpc::CreateChannel(found[1], grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("jixiao.v1.ScoringService");
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  // Nothing but health checks is served there.
  jixiao::v1::ListSchemesRequest list;
  jixiao::v1::ListSchemesResponse schemes;
  grpc::ClientContext list_context;
  EXPECT_EQ(jixiao::v1::ScoringService::NewStub(channel)
                ->ListSchemes(&list_context, list, &schemes)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(Tls, MisconfiguredTlsIsAClearError) {
  testing::CommandResult half = RunCommand(
      {BinPath("scoring-svc"), "--listen", "127.0.0.1:0", "--tls-cert", Cert("server.crt")});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_THAT(half.err, HasSubstr("--tls-cert and --tls-key"));
  testing::CommandResult ca_only = RunCommand(
      {BinPath("scoring-svc"), "--listen", "127.0.0.1:0", "--tls-client-ca", Cert("ca.crt")});
  EXPECT_EQ(ca_only.exit_code, 2);
  // The CLI checks its own TLS files before it connects.
  testing::CommandResult cli_ca = RunCommand({BinPath("jixiao"), "--storage", "127.0.0.1:1",
                                              "--tls-ca", Cert("server.key"), "list"});
  EXPECT_EQ(cli_ca.exit_code, 2) << cli_ca.err;
  EXPECT_THAT(cli_ca.err, HasSubstr("--tls-ca holds no PEM certificate"));
  testing::CommandResult cli_key = RunCommand(
      {BinPath("jixiao"), "--storage", "127.0.0.1:1", "--tls-ca", Cert("ca.crt"), "--tls-cert",
       Cert("client.crt"), "--tls-key", Cert("server.key"), "list"});
  EXPECT_EQ(cli_key.exit_code, 2) << cli_key.err;
  EXPECT_THAT(cli_key.err, HasSubstr("--tls-key is not the private key"));
  // A client CA file with no certificate in it (a key given by mistake).
  testing::CommandResult no_ca = RunCommand(
      {BinPath("scoring-svc"), "--listen", "127.0.0.1:0", "--tls-cert", Cert("server.crt"),
       "--tls-key", Cert("server.key"), "--tls-client-ca", Cert("server.key")});
  EXPECT_EQ(no_ca.exit_code, 2) << no_ca.err;
  EXPECT_THAT(no_ca.err, HasSubstr("--tls-client-ca holds no PEM certificate"));
  // A key that is not the certificate's once exited 1 with "cannot listen",
  // which systemd restarts in a loop: now it says what is wrong and exits 2.
  for (const char* binary : {"scoring-svc", "storage-svc"}) {
    std::vector<std::string> args = {BinPath(binary),   "--listen",         "127.0.0.1:0",
                                     "--tls-cert",      Cert("server.crt"), "--tls-key",
                                     Cert("client.key")};
    if (std::string(binary) == "storage-svc") {
      args.push_back("--data-dir");
      args.push_back(testing::MakeTempDir("jixiao-tls-mismatch") + "/db");
    }
    testing::CommandResult mismatched = RunCommand(args);
    EXPECT_EQ(mismatched.exit_code, 2) << binary << ": " << mismatched.err;
    EXPECT_THAT(mismatched.err, HasSubstr("--tls-key is not the private key of --tls-cert"))
        << binary;
  }
}

}  // namespace
}  // namespace jixiao
