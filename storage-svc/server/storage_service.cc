#include "storage_service.h"

#include "status.h"

namespace jixiao::storage_svc {
namespace {

using Context = grpc::CallbackServerContext;
using Reactor = grpc::ServerUnaryReactor;

store::WriteContext WriteContextOf(Context* context) {
  store::WriteContext write;
  const auto& metadata = context->client_metadata();
  auto it = metadata.find(kAuthorMetadata);
  write.author =
      it == metadata.end() ? "anonymous" : std::string(it->second.data(), it->second.size());
  if (write.author.size() > 256) write.author.resize(256);
  return write;
}

// Finishes the call with `result`, moving its value into `*out`.
template <typename T>
Reactor* Finish(Context* context, absl::StatusOr<T> result, T* out) {
  Reactor* reactor = context->DefaultReactor();
  if (result.ok()) *out = *std::move(result);
  reactor->Finish(rpc::ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace

Reactor* StorageServiceImpl::CreateReport(Context* c, const v1::CreateReportRequest* request,
                                          v1::CreateReportResponse* response) {
  return Finish(c, store_.CreateReport(*request, WriteContextOf(c)), response->mutable_revision());
}

Reactor* StorageServiceImpl::UpdateReport(Context* c, const v1::UpdateReportRequest* request,
                                          v1::UpdateReportResponse* response) {
  return Finish(c, store_.UpdateReport(*request, WriteContextOf(c)), response->mutable_revision());
}

Reactor* StorageServiceImpl::GetReport(Context* c, const v1::GetReportRequest* request,
                                       v1::GetReportResponse* response) {
  return Finish(c, store_.GetReport(*request), response->mutable_revision());
}

Reactor* StorageServiceImpl::ListReports(Context* c, const v1::ListReportsRequest* request,
                                         v1::ListReportsResponse* response) {
  return Finish(c, store_.ListReports(*request), response);
}

Reactor* StorageServiceImpl::GetReportHistory(Context* c,
                                              const v1::GetReportHistoryRequest* request,
                                              v1::GetReportHistoryResponse* response) {
  return Finish(c, store_.GetReportHistory(*request), response);
}

Reactor* StorageServiceImpl::TransitionReport(Context* c,
                                              const v1::TransitionReportRequest* request,
                                              v1::TransitionReportResponse* response) {
  return Finish(c, store_.TransitionReport(*request, WriteContextOf(c)),
                response->mutable_revision());
}

Reactor* StorageServiceImpl::DeleteReport(Context* c, const v1::DeleteReportRequest* request,
                                          v1::DeleteReportResponse* response) {
  return Finish(c, store_.DeleteReport(*request, WriteContextOf(c)), response->mutable_revision());
}

Reactor* StorageServiceImpl::PublishScheme(Context* c, const v1::PublishSchemeRequest* request,
                                           v1::PublishSchemeResponse* response) {
  return Finish(c, store_.PublishScheme(*request), response->mutable_scheme());
}

Reactor* StorageServiceImpl::GetScheme(Context* c, const v1::GetSchemeRequest* request,
                                       v1::GetSchemeResponse* response) {
  return Finish(c, store_.GetScheme(*request), response->mutable_scheme());
}

Reactor* StorageServiceImpl::ListSchemes(Context* c, const v1::ListStoredSchemesRequest* request,
                                         v1::ListStoredSchemesResponse* response) {
  return Finish(c, store_.ListSchemes(*request), response);
}

Reactor* StorageServiceImpl::SaveScoreCard(Context* c, const v1::SaveScoreCardRequest* request,
                                           v1::SaveScoreCardResponse* response) {
  return Finish(c, store_.SaveScoreCard(*request), response->mutable_card());
}

Reactor* StorageServiceImpl::GetScoreCard(Context* c, const v1::GetScoreCardRequest* request,
                                          v1::GetScoreCardResponse* response) {
  return Finish(c, store_.GetScoreCard(*request), response->mutable_card());
}

Reactor* StorageServiceImpl::ListScoreCards(Context* c, const v1::ListScoreCardsRequest* request,
                                            v1::ListScoreCardsResponse* response) {
  return Finish(c, store_.ListScoreCards(*request), response);
}

Reactor* StorageServiceImpl::CreateBackup(Context* c, const v1::CreateBackupRequest* request,
                                          v1::CreateBackupResponse* response) {
  return Finish(c, store_.CreateBackup(*request), response);
}

}  // namespace jixiao::storage_svc
