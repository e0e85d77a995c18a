// gRPC clients for the two services, as the CLI uses them: every call has a
// deadline, message limits match the servers', and writes carry the author.

#ifndef JIXIAO_TOOLS_JIXIAO_CLIENTS_H_
#define JIXIAO_TOOLS_JIXIAO_CLIENTS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "jixiao/v1/storage_service.grpc.pb.h"

namespace jixiao::cli {

struct ClientOptions {
  std::string scoring;   // host:port; empty: offline
  std::string storage;   // host:port
  std::string author;    // recorded with every write
  std::string token;     // bearer token; empty: none sent
  std::string tls_ca;    // PEM CA to verify servers with; empty: plaintext
  std::string tls_cert;  // PEM client certificate, for mutual TLS
  std::string tls_key;
  double timeout_seconds = 10;
  int max_message_bytes = 16 * 1024 * 1024;
};

// The gRPC target for an address option: "host:port", a URI such as
// "dns:///scoring.jixiao:50051", or several "ip:port" separated by commas
// (made "ipv4:a,b,c"). Channels spread calls round-robin over them all.
std::string ChannelTarget(const std::string& address);

class ScoringClient {
 public:
  explicit ScoringClient(const ClientOptions& options);
  absl::Status Score(const v1::ScoreRequest& request, v1::ScoreResponse& response);
  absl::Status Validate(const v1::ValidateRequest& request, v1::ValidateResponse& response);
  // Sends every request on a stream and appends the answers, in order, to
  // `responses`. If the stream breaks, what was not answered is sent again
  // on a new stream (to another replica, when there are several). With
  // `scheme`, every request is scored with it: it goes inline once, at the
  // head of each stream, and the requests (built with previous_scheme set)
  // refer to it.
  absl::Status ScoreStream(const std::vector<v1::ScoreRequest>& requests,
                           std::vector<v1::ScoreResponse>& responses,
                           const v1::Scheme* scheme = nullptr);
  // With several replicas (a list of addresses or a dns:/// name), connects
  // to them before streams start, so that the streams spread over them.
  void ConnectReplicas();
  // Sends `requests` on up to `streams` streams at once, each a contiguous
  // share, each on the next replica (ScoreStream resumes a broken one), and
  // returns every answer, in no particular order. The status is the first
  // stream's failure, if any; what it left unanswered is missing.
  // `scheme` as for ScoreStream.
  absl::Status ScoreStreams(std::vector<v1::ScoreRequest> requests, int streams,
                            std::vector<v1::ScoreResponse>& responses,
                            const v1::Scheme* scheme = nullptr);

 private:
  // One stream for requests[first...]; appends what it answers.
  absl::Status ScoreStreamOnce(const std::vector<v1::ScoreRequest>& requests, size_t first,
                               std::vector<v1::ScoreResponse>& responses, const v1::Scheme* scheme);

  const ClientOptions& options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ScoringService::Stub> stub_;
};

class StorageClient {
 public:
  explicit StorageClient(const ClientOptions& options);

  // Calls `method` on the stub with a deadline and the author metadata:
  //   client.Call(&Stub::GetReport, request, response)
  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (v1::StorageService::Stub::*method)(grpc::ClientContext*,
                                                                     const Request&, Response*),
                    const Request& request, Response& response) {
    grpc::ClientContext context;
    Prepare(context);
    return Convert((stub_.get()->*method)(&context, request, &response));
  }

 private:
  void Prepare(grpc::ClientContext& context) const;
  static absl::Status Convert(const grpc::Status& status);

  const ClientOptions& options_;
  std::unique_ptr<v1::StorageService::Stub> stub_;
};

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_CLIENTS_H_
