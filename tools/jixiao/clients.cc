#include "clients.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/random/random.h"
#include "absl/strings/str_format.h"
#include "call_log.h"
#include "status.h"

namespace jixiao::cli {
namespace {

std::string ReadPem(const std::string& path) {
  if (path.empty()) return "";
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// TLS when a CA is given (with a client certificate for mutual TLS),
// plaintext otherwise.
std::shared_ptr<grpc::ChannelCredentials> Credentials(const ClientOptions& options) {
  if (options.tls_ca.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadPem(options.tls_ca);
  ssl.pem_cert_chain = ReadPem(options.tls_cert);
  ssl.pem_private_key = ReadPem(options.tls_key);
  return grpc::SslCredentials(ssl);
}

std::shared_ptr<grpc::Channel> Channel(const std::string& address, const ClientOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  return grpc::CreateCustomChannel(address, Credentials(options), args);
}

// A deadline and the caller's credentials on every call.
void PrepareCall(grpc::ClientContext& context, const ClientOptions& options,
                 double extra_seconds = 0) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::duration<double>(options.timeout_seconds + extra_seconds)));
  if (!options.token.empty()) context.AddMetadata("authorization", "Bearer " + options.token);
  // A fresh id per call, which the services write in their call log.
  static thread_local absl::BitGen random;
  context.AddMetadata(rpc::kRequestIdMetadata,
                      absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(random),
                                      absl::Uniform<uint64_t>(random)));
}

}  // namespace

ScoringClient::ScoringClient(const ClientOptions& options)
    : options_(options), stub_(v1::ScoringService::NewStub(Channel(options.scoring, options))) {}

absl::Status ScoringClient::Score(const v1::ScoreRequest& request, v1::ScoreResponse& response) {
  grpc::ClientContext context;
  PrepareCall(context, options_);
  return rpc::FromGrpcStatus(stub_->Score(&context, request, &response));
}

absl::Status ScoringClient::Validate(const v1::ValidateRequest& request,
                                     v1::ValidateResponse& response) {
  grpc::ClientContext context;
  PrepareCall(context, options_);
  return rpc::FromGrpcStatus(stub_->Validate(&context, request, &response));
}

absl::Status ScoringClient::ScoreStream(const std::vector<v1::ScoreRequest>& requests,
                                        std::vector<v1::ScoreResponse>& responses) {
  grpc::ClientContext context;
  // A stream gets 10 ms more per report than a single call.
  PrepareCall(context, options_, 0.01 * requests.size());
  auto stream = stub_->ScoreStream(&context);
  std::thread writer([&] {
    for (const v1::ScoreRequest& request : requests) {
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  v1::ScoreResponse response;
  while (stream->Read(&response)) responses.push_back(response);
  writer.join();
  return rpc::FromGrpcStatus(stream->Finish());
}

StorageClient::StorageClient(const ClientOptions& options)
    : options_(options), stub_(v1::StorageService::NewStub(Channel(options.storage, options))) {}

void StorageClient::Prepare(grpc::ClientContext& context) const {
  PrepareCall(context, options_);
  context.AddMetadata("jixiao-author", options_.author);
}

absl::Status StorageClient::Convert(const grpc::Status& status) {
  return rpc::FromGrpcStatus(status);
}

}  // namespace jixiao::cli
