// ScoringService over the callback API: stateless, so any number of
// replicas can serve the same traffic. Thread-safe.

#ifndef JIXIAO_SCORING_SVC_SERVER_SCORING_SERVICE_H_
#define JIXIAO_SCORING_SVC_SERVER_SCORING_SERVICE_H_

#include "common/auth/card_signing.h"
#include "common/auth/tokens.h"
#include "common/rpc/arena_allocator.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "scoring-svc/server/scheme_registry.h"

namespace jixiao::scoring {

class ScoringServiceImpl final : public v1::ScoringService::CallbackService {
 public:
  // `registry` and `tokens` (null: no authentication) must outlive the
  // service. Being stateless, it only authenticates: any known principal
  // may score.
  // With `signing_keys`, every card it returns is signed.
  ScoringServiceImpl(const SchemeRegistry& registry, const auth::TokenTable* tokens,
                     const auth::SigningKeys* signing_keys = nullptr)
      : registry_(registry), tokens_(tokens), signing_keys_(signing_keys) {
    // The report is parsed onto an arena per call; the card is built on the
    // heap and moved into the response, so the response stays there too.
    SetMessageAllocatorFor_Score(&score_allocator_);
  }

  grpc::ServerUnaryReactor* Score(grpc::CallbackServerContext* context,
                                  const v1::ScoreRequest* request,
                                  v1::ScoreResponse* response) override;
  grpc::ServerBidiReactor<v1::ScoreRequest, v1::ScoreResponse>* ScoreStream(
      grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* Validate(grpc::CallbackServerContext* context,
                                     const v1::ValidateRequest* request,
                                     v1::ValidateResponse* response) override;
  grpc::ServerUnaryReactor* ListSchemes(grpc::CallbackServerContext* context,
                                        const v1::ListSchemesRequest* request,
                                        v1::ListSchemesResponse* response) override;

  // Scores one request into `response`; the status says why not.
  absl::Status ScoreOne(const v1::ScoreRequest& request, v1::ScoreResponse& response) const;

 private:
  // OK if the caller may call; UNAUTHENTICATED (logged) otherwise.
  absl::Status Admit(grpc::CallbackServerContext* context, const char* method) const;

  const SchemeRegistry& registry_;
  const auth::TokenTable* const tokens_;
  const auth::SigningKeys* const signing_keys_;
  rpc::ArenaMessageAllocator<v1::ScoreRequest, v1::ScoreResponse, rpc::ResponseOn::kHeap>
      score_allocator_;
};

}  // namespace jixiao::scoring

#endif  // JIXIAO_SCORING_SVC_SERVER_SCORING_SERVICE_H_
