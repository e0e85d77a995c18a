#include "tools/jixiao/clients.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "absl/random/random.h"
#include "absl/strings/str_format.h"
#include "common/base/files.h"
#include "common/rpc/call_log.h"
#include "common/rpc/message_limits.h"
#include "common/rpc/status.h"

namespace jixiao::cli {
namespace {

// The file at `path`; "" if none is given or it cannot be read (main's
// CheckTlsFiles has already said so).
std::string ReadPem(const std::string& path) {
  if (path.empty()) return "";
  return base::ReadFile(path).value_or("");
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

}  // namespace

std::string ChannelTarget(const std::string& address) {
  if (address.find(',') == std::string::npos) return address;
  // Several host:port: gRPC's static list of addresses.
  return (address.find('[') != std::string::npos ? "ipv6:" : "ipv4:") + address;
}

namespace {

std::shared_ptr<grpc::Channel> Channel(const std::string& address, const ClientOptions& options) {
  grpc::ChannelArguments args;
  // Calls and streams are spread over every address the target resolves
  // to: several replicas, or a headless service's dns:/// name.
  args.SetLoadBalancingPolicyName("round_robin");
  args.SetMaxReceiveMessageSize(rpc::MaxAnswerBytes(options.max_message_bytes));
  args.SetMaxSendMessageSize(options.max_message_bytes);
  return grpc::CreateCustomChannel(ChannelTarget(address), Credentials(options), args);
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
    : options_(options),
      channel_(Channel(options.scoring, options)),
      stub_(v1::ScoringService::NewStub(channel_)) {}

void ScoringClient::ConnectReplicas() {
  const std::string target = ChannelTarget(options_.scoring);
  if (target == options_.scoring && target.rfind("dns:", 0) != 0) return;  // one address
  // Round-robin spreads calls over the replicas that are connected when a
  // call starts; right after the channel is made, that may be only the
  // first. Connect, then keep the channel's I/O going for a moment (a
  // synchronous client makes progress only while it waits on something)
  // so that the other replicas' connections complete too.
  auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(5);
  channel_->WaitForConnected(deadline);
  channel_->WaitForStateChange(GRPC_CHANNEL_READY,
                               std::chrono::system_clock::now() + std::chrono::milliseconds(200));
}

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

absl::Status ScoringClient::ScoreStreamOnce(const std::vector<v1::ScoreRequest>& requests,
                                            size_t first, std::vector<v1::ScoreResponse>& responses,
                                            const v1::Scheme* scheme) {
  grpc::ClientContext context;
  // A stream gets 10 ms more per report than a single call.
  PrepareCall(context, options_, 0.01 * static_cast<double>(requests.size() - first));
  auto stream = stub_->ScoreStream(&context);
  std::thread writer([&] {
    for (size_t i = first; i < requests.size(); ++i) {
      if (scheme != nullptr && i == first) {
        v1::ScoreRequest head = requests[i];  // the stream's scheme, for all that follow
        *head.mutable_scheme() = *scheme;
        if (!stream->Write(head)) break;
      } else if (!stream->Write(requests[i])) {
        break;
      }
    }
    stream->WritesDone();
  });
  v1::ScoreResponse response;
  while (stream->Read(&response)) responses.push_back(std::move(response));
  writer.join();
  return rpc::FromGrpcStatus(stream->Finish());
}

absl::Status ScoringClient::ScoreStream(const std::vector<v1::ScoreRequest>& requests,
                                        std::vector<v1::ScoreResponse>& responses,
                                        const v1::Scheme* scheme) {
  // Answers come in request order, so those received are a prefix. When a
  // stream breaks (its replica died, say), the rest is sent again on a new
  // stream, which the channel gives to a replica that is up; each request
  // is answered once. A stream that breaks without any answer is retried a
  // few times, with a short pause, before giving up.
  constexpr int kMaxBarrenRetries = 4;
  size_t start = responses.size();
  absl::Status status;
  for (int barren = 0;;) {
    size_t before = responses.size();
    status = ScoreStreamOnce(requests, responses.size() - start, responses, scheme);
    if (status.ok() || responses.size() - start == requests.size()) return status;
    if (!absl::IsUnavailable(status) && !absl::IsCancelled(status) &&
        !absl::IsDeadlineExceeded(status)) {
      return status;
    }
    if (responses.size() > before) {
      barren = 0;
    } else if (++barren > kMaxBarrenRetries) {
      return status;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(100 * barren));
    }
  }
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

absl::Status ScoringClient::ScoreStreams(std::vector<v1::ScoreRequest> requests, int streams,
                                         std::vector<v1::ScoreResponse>& responses,
                                         const v1::Scheme* scheme) {
  if (streams > 1 && requests.size() > 1) ConnectReplicas();
  const size_t n = std::clamp<size_t>(static_cast<size_t>(std::max(streams, 1)), 1,
                                      std::max<size_t>(requests.size(), 1));
  std::vector<std::vector<v1::ScoreResponse>> answers(n);
  std::vector<absl::Status> statuses(n);
  std::vector<std::thread> threads;
  for (size_t k = 0; k < n; ++k) {
    threads.emplace_back([&, k] {
      size_t begin = requests.size() * k / n, end = requests.size() * (k + 1) / n;
      std::vector<v1::ScoreRequest> share(std::make_move_iterator(requests.begin() + begin),
                                          std::make_move_iterator(requests.begin() + end));
      statuses[k] = ScoreStream(share, answers[k], scheme);
    });
  }
  for (std::thread& thread : threads) thread.join();
  absl::Status status;
  for (size_t k = 0; k < n; ++k) {
    if (status.ok()) status = statuses[k];
    for (v1::ScoreResponse& response : answers[k]) responses.push_back(std::move(response));
  }
  return status;
}

}  // namespace jixiao::cli
