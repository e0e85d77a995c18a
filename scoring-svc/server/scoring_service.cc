#include "scoring-svc/server/scoring_service.h"

#include <iostream>

#include "common/rpc/server_main.h"
#include "common/rpc/status.h"
#include "common/rpc/stream_reactor.h"

namespace jixiao::scoring {
namespace {

// A stream refused before it starts.
class RefusedStream final : public grpc::ServerBidiReactor<v1::ScoreRequest, v1::ScoreResponse> {
 public:
  explicit RefusedStream(const absl::Status& status) { Finish(rpc::ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

grpc::ServerUnaryReactor* Refuse(grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpcStatus(status));
  return reactor;
}

}  // namespace

absl::Status ScoringServiceImpl::Admit(grpc::CallbackServerContext* context,
                                       const char* method) const {
  absl::Status status = rpc::Caller(*context, tokens_).status();
  if (!status.ok()) {
    std::cerr << "scoring-svc: refused " << method << " from " << context->peer() << ": "
              << status.message() << std::endl;
  }
  return status;
}

absl::Status ScoringServiceImpl::ScoreOne(const v1::ScoreRequest& request,
                                          v1::ScoreResponse& response) const {
  auto scheme = registry_.Resolve(request);
  if (!scheme.ok()) return scheme.status();
  engine::ScoreOptions options;
  options.report_revision = request.report_revision();
  options.prior = request.has_prior() ? &request.prior() : nullptr;
  options.prior_revision = request.prior_revision();
  absl::StatusOr<v1::ScoreCard> card = engine::ScoreReport(request.report(), **scheme, options);
  if (!card.ok()) return card.status();
  if (signing_keys_ != nullptr) signing_keys_->Sign(request.report(), options.prior, *card);
  response.set_request_id(request.request_id());
  *response.mutable_card() = *std::move(card);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* ScoringServiceImpl::Score(grpc::CallbackServerContext* context,
                                                    const v1::ScoreRequest* request,
                                                    v1::ScoreResponse* response) {
  if (absl::Status status = Admit(context, "Score"); !status.ok()) return Refuse(context, status);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpcStatus(ScoreOne(*request, *response)));
  return reactor;
}

grpc::ServerBidiReactor<v1::ScoreRequest, v1::ScoreResponse>* ScoringServiceImpl::ScoreStream(
    grpc::CallbackServerContext* context) {
  if (absl::Status status = Admit(context, "ScoreStream"); !status.ok()) {
    return new RefusedStream(status);
  }
  // Requests are answered one at a time, in order. A request that cannot
  // be scored gets its error in its own response; the stream goes on.
  return rpc::NewStreamReactor<v1::ScoreRequest, v1::ScoreResponse>(
      [this](const v1::ScoreRequest& request, v1::ScoreResponse& response) {
        response.Clear();
        absl::Status status = ScoreOne(request, response);
        if (!status.ok()) {
          response.Clear();
          response.set_request_id(request.request_id());
          *response.mutable_error() = rpc::ToRpcStatusProto(status);
        }
      });
}

grpc::ServerUnaryReactor* ScoringServiceImpl::Validate(grpc::CallbackServerContext* context,
                                                       const v1::ValidateRequest* request,
                                                       v1::ValidateResponse* response) {
  if (absl::Status status = Admit(context, "Validate"); !status.ok()) {
    return Refuse(context, status);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto scheme = registry_.Resolve(*request);
  if (!scheme.ok()) {
    reactor->Finish(rpc::ToGrpcStatus(scheme.status()));
    return reactor;
  }
  engine::ScoreOptions options;
  options.prior = request->has_prior() ? &request->prior() : nullptr;
  auto findings = engine::ValidateReport(request->report(), **scheme, options);
  if (findings.ok()) {
    for (v1::Finding& finding : *findings) *response->add_findings() = std::move(finding);
  }
  reactor->Finish(rpc::ToGrpcStatus(findings.status()));
  return reactor;
}

grpc::ServerUnaryReactor* ScoringServiceImpl::ListSchemes(grpc::CallbackServerContext* context,
                                                          const v1::ListSchemesRequest*,
                                                          v1::ListSchemesResponse* response) {
  if (absl::Status status = Admit(context, "ListSchemes"); !status.ok()) {
    return Refuse(context, status);
  }
  *response = registry_.List();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace jixiao::scoring
