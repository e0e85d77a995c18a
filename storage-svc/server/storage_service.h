// StorageService over the callback API: each call maps 1:1 onto the store
// (store.h). Thread-safe.
//
// Who is calling: with a token table, the principal of the caller's bearer
// token, admitted or refused by access.h (refusals are logged on stderr) and
// recorded as the author of its writes. Without one (development only),
// every call is let through and the author is what the caller declares in
// the `jixiao-author` call metadata ("anonymous" if absent).

#ifndef JIXIAO_STORAGE_SVC_SERVER_STORAGE_SERVICE_H_
#define JIXIAO_STORAGE_SVC_SERVER_STORAGE_SERVICE_H_

#include <optional>

#include "common/auth/card_signing.h"
#include "common/auth/tokens.h"
#include "common/rpc/arena_allocator.h"
#include "common/rpc/worker_pool.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "storage-svc/server/access.h"
#include "storage-svc/store/store.h"

namespace jixiao::storage_svc {

inline constexpr char kAuthorMetadata[] = "jixiao-author";
// Threads for the writes that wait for the disk on a thread of their own:
// schemes, assignments, score cards and backups. (Report writes do not wait: the store
// commits them in groups.) Under 16 writing clients, 16 threads did as well
// as 32 or 64 and cost fewer context switches; 4 and 8 were slower.
inline constexpr int kWriterThreads = 16;

// GetReport is a raw method: it answers with the revision's stored bytes.
// Lets the store know the engine's schemes: the built-in scheme, and a check
// that refuses to publish a scheme the engine could not score with.
void UseEngineSchemes(store::StoreOptions& options);

class StorageServiceImpl final : public v1::StorageService::WithRawCallbackMethod_GetReport<
                                     v1::StorageService::CallbackService> {
 public:
  // `store` and `tokens` (null: no authentication) must outlive the service.
  // With `signing_keys`, only cards signed by scoring-svc over the stored
  // revision they name are saved.
  StorageServiceImpl(store::Store& store, const auth::TokenTable* tokens,
                     const auth::SigningKeys* signing_keys = nullptr)
      : store_(store), tokens_(tokens), signing_keys_(signing_keys) {
    // Reports arrive in writes: parse them onto an arena per call.
    SetMessageAllocatorFor_CreateReport(&create_allocator_);
    SetMessageAllocatorFor_UpdateReport(&update_allocator_);
  }

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* CreateReport(Context*, const v1::CreateReportRequest*,
                        v1::CreateReportResponse*) override;
  Reactor* UpdateReport(Context*, const v1::UpdateReportRequest*,
                        v1::UpdateReportResponse*) override;
  // Request: a v1::GetReportRequest; response: a v1::GetReportResponse.
  Reactor* GetReport(Context*, const grpc::ByteBuffer*, grpc::ByteBuffer*) override;
  Reactor* ListReports(Context*, const v1::ListReportsRequest*, v1::ListReportsResponse*) override;
  Reactor* GetReportHistory(Context*, const v1::GetReportHistoryRequest*,
                            v1::GetReportHistoryResponse*) override;
  Reactor* TransitionReport(Context*, const v1::TransitionReportRequest*,
                            v1::TransitionReportResponse*) override;
  Reactor* DeleteReport(Context*, const v1::DeleteReportRequest*,
                        v1::DeleteReportResponse*) override;
  Reactor* PublishScheme(Context*, const v1::PublishSchemeRequest*,
                         v1::PublishSchemeResponse*) override;
  Reactor* GetScheme(Context*, const v1::GetSchemeRequest*, v1::GetSchemeResponse*) override;
  Reactor* ListSchemes(Context*, const v1::ListStoredSchemesRequest*,
                       v1::ListStoredSchemesResponse*) override;
  Reactor* AssignScheme(Context*, const v1::AssignSchemeRequest*,
                        v1::AssignSchemeResponse*) override;
  Reactor* GetSchemeAssignment(Context*, const v1::GetSchemeAssignmentRequest*,
                               v1::GetSchemeAssignmentResponse*) override;
  Reactor* ListSchemeAssignments(Context*, const v1::ListSchemeAssignmentsRequest*,
                                 v1::ListSchemeAssignmentsResponse*) override;
  Reactor* SaveScoreCard(Context*, const v1::SaveScoreCardRequest*,
                         v1::SaveScoreCardResponse*) override;
  Reactor* GetScoreCard(Context*, const v1::GetScoreCardRequest*,
                        v1::GetScoreCardResponse*) override;
  Reactor* ListScoreCards(Context*, const v1::ListScoreCardsRequest*,
                          v1::ListScoreCardsResponse*) override;
  Reactor* CreateBackup(Context*, const v1::CreateBackupRequest*,
                        v1::CreateBackupResponse*) override;
  Reactor* ListAudit(Context*, const v1::ListAuditRequest*, v1::ListAuditResponse*) override;
  Reactor* SetRoster(Context*, const v1::SetRosterRequest*, v1::SetRosterResponse*) override;
  Reactor* GetRoster(Context*, const v1::GetRosterRequest*, v1::GetRosterResponse*) override;
  Reactor* ListChanges(Context*, const v1::ListChangesRequest*, v1::ListChangesResponse*) override;

 private:
  // A listing that names no department is, for a department's caller, of
  // its own department.
  void ScopeToCaller(Context* context, std::string* department_code) const;
  // Authenticates and authorizes a call, logging a refusal; fills in who
  // writes (if `write` is not null) and the caller's principal (if `who` is
  // not null; left empty without a token table).
  absl::Status Admit(Context* context, const char* method, Action action,
                     const std::string& department, v1::ReportStatus to,
                     store::WriteContext* write, std::optional<auth::Principal>* who = nullptr);

  // Runs `write` (returning absl::StatusOr<T>) on a writer thread and
  // finishes the call there: a synced write waits for the disk, and many
  // in flight at once let RocksDB commit them as one group.
  template <typename T, typename Write>
  Reactor* FinishWrite(Context* context, Write write, T* out);

  store::Store& store_;
  const auth::TokenTable* const tokens_;
  const auth::SigningKeys* const signing_keys_;
  rpc::WorkerPool writers_{kWriterThreads};
  rpc::ArenaMessageAllocator<v1::CreateReportRequest, v1::CreateReportResponse> create_allocator_;
  rpc::ArenaMessageAllocator<v1::UpdateReportRequest, v1::UpdateReportResponse> update_allocator_;
};

}  // namespace jixiao::storage_svc

#endif  // JIXIAO_STORAGE_SVC_SERVER_STORAGE_SERVICE_H_
