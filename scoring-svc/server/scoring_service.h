// ScoringService over the callback API: stateless, so any number of
// replicas can serve the same traffic. Thread-safe.

#ifndef JIXIAO_SCORING_SVC_SERVER_SCORING_SERVICE_H_
#define JIXIAO_SCORING_SVC_SERVER_SCORING_SERVICE_H_

#include <grpcpp/channel.h>

#include <atomic>
#include <chrono>
#include <memory>

#include "common/auth/card_signing.h"
#include "common/auth/tokens.h"
#include "common/rpc/arena_allocator.h"
#include "common/rpc/worker_pool.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "scoring-svc/server/scheme_registry.h"

namespace jixiao::scoring {

class ScoringServiceImpl final : public v1::ScoringService::CallbackService {
 public:
  // `registry` and `tokens` (null: no authentication) must outlive the
  // service. Being stateless, it only authenticates: any known principal
  // may score.
  // With `signing_keys`, every card it returns is signed. With `storage`
  // (a channel to storage-svc), ScoreStored reads and saves there, as its
  // caller; without, it is FAILED_PRECONDITION.
  ScoringServiceImpl(const SchemeRegistry& registry, const auth::TokenTable* tokens,
                     const auth::SigningKeys* signing_keys = nullptr,
                     std::shared_ptr<grpc::Channel> storage = nullptr)
      : registry_(registry),
        tokens_(tokens),
        signing_keys_(signing_keys),
        storage_(storage ? v1::StorageService::NewStub(storage) : nullptr) {
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
  grpc::ServerUnaryReactor* ScoreStored(grpc::CallbackServerContext* context,
                                        const v1::ScoreStoredRequest* request,
                                        v1::ScoreStoredResponse* response) override;

  // The scheme `request` is scored with: the one it names (inline, by
  // reference, or none: the default); with previous_scheme, the one
  // `previous` holds, the scheme of its stream's last request naming one
  // (null outside a stream: refused).
  absl::StatusOr<std::shared_ptr<const engine::CompiledScheme>> SchemeFor(
      const v1::ScoreRequest& request,
      const std::shared_ptr<const engine::CompiledScheme>* previous) const;

  // Scores one request with `scheme` (the one it asks for) into
  // `response`; the status says why not.
  absl::Status ScoreOne(const v1::ScoreRequest& request, const engine::CompiledScheme& scheme,
                        v1::ScoreResponse& response) const;

 private:
  // OK if the caller may call; UNAUTHENTICATED (logged) otherwise.
  absl::Status Admit(grpc::CallbackServerContext* context, const char* method) const;
  // ScoreStored's work, on a worker: the calls to storage-svc block, each
  // ending by `deadline`.
  absl::StatusOr<v1::ScoreCard> ScoreAndSave(const grpc::CallbackServerContext& caller,
                                             const v1::ScoreStoredRequest& request,
                                             std::chrono::system_clock::time_point deadline) const;

  const SchemeRegistry& registry_;
  const auth::TokenTable* const tokens_;
  const auth::SigningKeys* const signing_keys_;
  rpc::ArenaMessageAllocator<v1::ScoreRequest, v1::ScoreResponse, rpc::ResponseOn::kHeap>
      score_allocator_;
  const std::unique_ptr<v1::StorageService::Stub> storage_;  // null: no --storage
  // ScoreStored calls taken and not yet answered; more than
  // kMaxStoredInFlight at once are refused before any work is queued.
  static constexpr int kMaxStoredInFlight = 64;
  std::atomic<int> stored_in_flight_{0};
  // Declared last: destroyed first, it finishes the ScoreStored calls it holds.
  rpc::WorkerPool workers_{4};
};

}  // namespace jixiao::scoring

#endif  // JIXIAO_SCORING_SVC_SERVER_SCORING_SERVICE_H_
