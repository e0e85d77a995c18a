#include "scoring-svc/server/scoring_service.h"

#include <algorithm>
#include <chrono>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/report/check_report.h"
#include "common/report/field_violations.h"
#include "common/rpc/call_log.h"
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

// A call to storage-svc on behalf of `caller`: its credentials and request
// id passed on, by `deadline`.
std::unique_ptr<grpc::ClientContext> OnBehalfOf(const grpc::CallbackServerContext& caller,
                                                std::chrono::system_clock::time_point deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  for (const char* name : {"authorization", rpc::kRequestIdMetadata}) {
    auto it = caller.client_metadata().find(name);
    if (it != caller.client_metadata().end()) {
      context->AddMetadata(name, std::string(it->second.data(), it->second.size()));
    }
  }
  context->set_deadline(deadline);
  return context;
}

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

absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> ScoringServiceImpl::SchemeFor(
    const v1::ScoreRequest& request,
    const std::shared_ptr<const engine::CompiledScheme>* previous) const {
  if (!request.previous_scheme()) return registry_.Resolve(request);
  if (previous != nullptr && *previous != nullptr) return *previous;
  const std::string why = previous == nullptr ? "a Score call has none: it is ScoreStream's"
                                              : "no request of this stream has named one yet";
  return report::InvalidArgumentWithViolations(absl::StrCat("previous_scheme is true, but ", why),
                                               {{"previous_scheme", "is true, but " + why}});
}

absl::Status ScoringServiceImpl::ScoreOne(const v1::ScoreRequest& request,
                                          const engine::CompiledScheme& scheme,
                                          v1::ScoreResponse& response) const {
  engine::ScoreOptions options;
  options.report_revision = request.report_revision();
  options.prior = request.has_prior() ? &request.prior() : nullptr;
  options.prior_revision = request.prior_revision();
  if (!v1::Detail_IsValid(request.detail())) {
    return report::InvalidArgumentWithViolations(
        "unknown detail",
        {{"detail", absl::StrCat("is ", request.detail(), "; DETAIL_FULL or DETAIL_SUMMARY")}});
  }
  if (request.detail() == v1::DETAIL_SUMMARY) {
    options.detail = engine::ScoreOptions::Detail::kSummary;
  }
  absl::StatusOr<v1::ScoreCard> card = engine::ScoreReport(request.report(), scheme, options);
  if (!card.ok()) return card.status();
  // A summary card is never signed: nothing may store it as the report's card.
  if (signing_keys_ != nullptr && !card->summary()) {
    signing_keys_->Sign(request.report(), options.prior, *card);
  }
  response.set_request_id(request.request_id());
  *response.mutable_card() = *std::move(card);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* ScoringServiceImpl::Score(grpc::CallbackServerContext* context,
                                                    const v1::ScoreRequest* request,
                                                    v1::ScoreResponse* response) {
  if (absl::Status status = Admit(context, "Score"); !status.ok()) return Refuse(context, status);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto scheme = SchemeFor(*request, nullptr);
  reactor->Finish(
      rpc::ToGrpcStatus(scheme.ok() ? ScoreOne(*request, **scheme, *response) : scheme.status()));
  return reactor;
}

grpc::ServerBidiReactor<v1::ScoreRequest, v1::ScoreResponse>* ScoringServiceImpl::ScoreStream(
    grpc::CallbackServerContext* context) {
  if (absl::Status status = Admit(context, "ScoreStream"); !status.ok()) {
    return new RefusedStream(status);
  }
  // Requests are answered one at a time, in order. A request that cannot
  // be scored gets its error in its own response; the stream goes on. The
  // stream keeps the scheme its last request naming one was scored with,
  // for requests that say previous_scheme.
  auto previous = std::make_shared<std::shared_ptr<const engine::CompiledScheme>>();
  return rpc::NewStreamReactor<v1::ScoreRequest, v1::ScoreResponse>(
      [this, previous](const v1::ScoreRequest& request, v1::ScoreResponse& response) {
        response.Clear();
        auto scheme = SchemeFor(request, previous.get());
        if (scheme.ok()) *previous = *scheme;
        absl::Status status = scheme.ok() ? ScoreOne(request, **scheme, response) : scheme.status();
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

grpc::ServerUnaryReactor* ScoringServiceImpl::ScoreStored(grpc::CallbackServerContext* context,
                                                          const v1::ScoreStoredRequest* request,
                                                          v1::ScoreStoredResponse* response) {
  if (absl::Status status = Admit(context, "ScoreStored"); !status.ok()) {
    return Refuse(context, status);
  }
  if (storage_ == nullptr) {
    return Refuse(context, absl::FailedPreconditionError(
                               "scoring-svc was started without --storage: it scores reports "
                               "sent to it, not stored ones"));
  }
  if (stored_in_flight_.fetch_add(1) >= kMaxStoredInFlight) {
    stored_in_flight_.fetch_sub(1);
    return Refuse(context, absl::ResourceExhaustedError(
                               absl::StrCat("scoring-svc is scoring ", kMaxStoredInFlight,
                                            " stored reports already; retry shortly")));
  }
  // One deadline for the whole call, queue included: the caller's, and 30 s
  // at most (an HTTP caller cannot set one).
  const auto deadline =
      std::min(context->deadline(), std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  workers_.Schedule([this, context, request, response, reactor, deadline] {
    absl::StatusOr<v1::ScoreCard> card =
        std::chrono::system_clock::now() >= deadline
            ? absl::DeadlineExceededError("the call's deadline passed while it waited its turn")
            : ScoreAndSave(*context, *request, deadline);
    if (card.ok()) *response->mutable_card() = *std::move(card);
    stored_in_flight_.fetch_sub(1);
    reactor->Finish(rpc::ToGrpcStatus(card.status()));
  });
  return reactor;
}

absl::StatusOr<v1::ScoreCard> ScoringServiceImpl::ScoreAndSave(
    const grpc::CallbackServerContext& caller, const v1::ScoreStoredRequest& request,
    std::chrono::system_clock::time_point deadline) const {
  using Stub = v1::StorageService::Stub;
  auto call = [&](auto method, const auto& call_request, auto* call_response) {
    std::unique_ptr<grpc::ClientContext> context = OnBehalfOf(caller, deadline);
    return rpc::FromGrpcStatus(
        (storage_.get()->*method)(context.get(), call_request, call_response));
  };
  // storage-svc checks the key (and the caller's right to it) first.
  v1::GetReportRequest get;
  *get.mutable_key() = request.key();
  get.set_revision(request.revision());
  v1::GetReportResponse stored;
  if (absl::Status status = call(&Stub::GetReport, get, &stored); !status.ok()) return status;
  v1::ScoreRequest score;
  *score.mutable_report() = stored.revision().report();
  score.set_report_revision(stored.revision().revision());

  // The year's scheme: as published in storage-svc (built-in ones are not
  // published: this server holds them); none assigned, the default.
  const int year = request.key().fiscal_year();
  v1::GetSchemeAssignmentRequest which;
  which.set_fiscal_year(year);
  v1::GetSchemeAssignmentResponse assigned;
  absl::Status status = call(&Stub::GetSchemeAssignment, which, &assigned);
  if (status.ok()) {
    v1::GetSchemeRequest get_scheme;
    get_scheme.set_id(assigned.assignment().scheme_id());
    get_scheme.set_version(assigned.assignment().scheme_version());
    v1::GetSchemeResponse published;
    status = call(&Stub::GetScheme, get_scheme, &published);
    if (status.ok()) {
      *score.mutable_scheme() = std::move(*published.mutable_scheme());
    } else if (absl::IsNotFound(status)) {
      score.mutable_scheme_ref()->set_id(get_scheme.id());
      score.mutable_scheme_ref()->set_version(get_scheme.version());
    } else {
      return status;
    }
  } else if (!absl::IsNotFound(status)) {
    return status;
  }

  // Last year's report, the revision that counts.
  if (year - 1 >= report::kMinFiscalYear) {
    v1::GetReportRequest get_prior;
    get_prior.mutable_key()->set_department_code(request.key().department_code());
    get_prior.mutable_key()->set_fiscal_year(year - 1);
    get_prior.set_counting(true);
    v1::GetReportResponse prior;
    status = call(&Stub::GetReport, get_prior, &prior);
    if (status.ok()) {
      *score.mutable_prior() = prior.revision().report();
      score.set_prior_revision(prior.revision().revision());
    } else if (!absl::IsNotFound(status)) {
      return status;
    }
  }

  auto scheme = registry_.Resolve(score);
  if (!scheme.ok()) return scheme.status();
  v1::ScoreResponse scored;
  if (absl::Status scored_status = ScoreOne(score, **scheme, scored); !scored_status.ok()) {
    return scored_status;
  }
  v1::SaveScoreCardRequest save;
  *save.mutable_card() = std::move(*scored.mutable_card());
  v1::SaveScoreCardResponse saved;
  if (absl::Status saved_status = call(&Stub::SaveScoreCard, save, &saved); !saved_status.ok()) {
    return saved_status;
  }
  return std::move(*saved.mutable_card());
}

}  // namespace jixiao::scoring
