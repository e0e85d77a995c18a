#include "storage-svc/server/storage_service.h"

#include <iostream>

#include "absl/functional/function_ref.h"
#include "common/report/check_report.h"
#include "common/report/field_violations.h"
#include "common/rpc/raw_message.h"
#include "common/rpc/server_main.h"
#include "common/rpc/status.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::storage_svc {

void UseEngineSchemes(store::StoreOptions& options) {
  options.built_in_schemes.push_back(engine::DefaultScheme()->proto());
  options.check_scheme = [](const v1::Scheme& scheme) {
    return engine::CompileScheme(scheme, "request").status();
  };
}
namespace {

using Context = grpc::CallbackServerContext;
using Reactor = grpc::ServerUnaryReactor;

// Finishes the call with `result`, moving its value into `*out`.
template <typename T>
void Answer(Reactor* reactor, absl::StatusOr<T> result, T* out) {
  if (result.ok()) *out = *std::move(result);
  reactor->Finish(rpc::ToGrpcStatus(result.status()));
}

// The same, on the calling thread.
template <typename T>
Reactor* Finish(Context* context, absl::StatusOr<T> result, T* out) {
  Reactor* reactor = context->DefaultReactor();
  Answer(reactor, std::move(result), out);
  return reactor;
}

Reactor* FinishWithStatus(Context* context, const absl::Status& status) {
  Reactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpcStatus(status));
  return reactor;
}

#define JIXIAO_ADMIT(...)                                           \
  if (absl::Status admitted = Admit(__VA_ARGS__); !admitted.ok()) { \
    return FinishWithStatus(c, admitted);                           \
  }

constexpr v1::ReportStatus kNone = v1::REPORT_STATUS_UNSPECIFIED;

// Starts a report write with `start`, which is given what to run once the
// store has the write durable (on the store's answering thread) or has
// refused it: finishing the call with the revision written.
Reactor* FinishReportWrite(Context* context,
                           absl::FunctionRef<void(store::Store::RevisionDone)> start,
                           v1::ReportRevision* out) {
  Reactor* reactor = context->DefaultReactor();
  start([reactor, out](absl::StatusOr<v1::ReportRevision> result) {
    Answer(reactor, std::move(result), out);
  });
  return reactor;
}

}  // namespace

template <typename T, typename Write>
Reactor* StorageServiceImpl::FinishWrite(Context* context, Write write, T* out) {
  Reactor* reactor = context->DefaultReactor();
  writers_.Schedule(
      [reactor, out, write = std::move(write)]() mutable { Answer(reactor, write(), out); });
  return reactor;
}

absl::Status StorageServiceImpl::Admit(Context* context, const char* method, Action action,
                                       const std::string& department, v1::ReportStatus to,
                                       store::WriteContext* write,
                                       std::optional<auth::Principal>* who) {
  auto caller = rpc::Caller(*context, tokens_);
  absl::Status status = caller.status();
  if (who != nullptr && caller.ok()) *who = *caller;
  // A call about one report whose key is malformed is let through to the
  // store, which refuses it as INVALID_ARGUMENT naming the field: the
  // caller learns what is wrong, and nothing can be written under such a key.
  const bool names_one_report = action == Action::kWriteReport || action == Action::kReadReport ||
                                action == Action::kTransition || action == Action::kDeleteReport ||
                                action == Action::kSaveCard;
  if (caller.ok() && *caller &&
      !(names_one_report && !report::DepartmentCodeProblem(department).empty())) {
    status = Authorize(**caller, action, department, to);
    if (write) write->author = (*caller)->name;
  } else if (caller.ok() && write) {
    const auto& metadata = context->client_metadata();
    auto it = metadata.find(kAuthorMetadata);
    write->author =
        it == metadata.end() ? "anonymous" : std::string(it->second.data(), it->second.size());
    if (write->author.size() > 256) write->author.resize(256);
  }
  if (!status.ok()) {
    std::cerr << "storage-svc: refused " << method << " from "
              << (caller.ok() && *caller ? (*caller)->name : std::string("an unknown caller"))
              << " (" << context->peer() << "): " << status.message() << std::endl;
  }
  return status;
}

Reactor* StorageServiceImpl::CreateReport(Context* c, const v1::CreateReportRequest* request,
                                          v1::CreateReportResponse* response) {
  store::WriteContext write;
  JIXIAO_ADMIT(c, "CreateReport", Action::kWriteReport,
               request->report().identity().department_code(), kNone, &write);
  return FinishReportWrite(
      c,
      [&](store::Store::RevisionDone done) {
        store_.CreateReport(*request, write, std::move(done));
      },
      response->mutable_revision());
}

Reactor* StorageServiceImpl::UpdateReport(Context* c, const v1::UpdateReportRequest* request,
                                          v1::UpdateReportResponse* response) {
  store::WriteContext write;
  JIXIAO_ADMIT(c, "UpdateReport", Action::kWriteReport,
               request->report().identity().department_code(), kNone, &write);
  return FinishReportWrite(
      c,
      [&](store::Store::RevisionDone done) {
        store_.UpdateReport(*request, write, std::move(done));
      },
      response->mutable_revision());
}

// GetReportResponse is the stored ReportRevision as its field 1, so the
// answer is those bytes behind a short header: a revision is parsed and
// checked once, when it is written, not at each read.
Reactor* StorageServiceImpl::GetReport(Context* c, const grpc::ByteBuffer* request_bytes,
                                       grpc::ByteBuffer* response) {
  v1::GetReportRequest request;
  if (absl::Status parsed = rpc::ParseRaw(*request_bytes, request); !parsed.ok()) {
    return FinishWithStatus(c, parsed);
  }
  JIXIAO_ADMIT(c, "GetReport", Action::kReadReport, request.key().department_code(), kNone,
               nullptr);
  absl::StatusOr<std::string> revision = store_.GetReportBytes(request);
  if (!revision.ok()) return FinishWithStatus(c, revision.status());
  constexpr int kRevisionField = v1::GetReportResponse::kRevisionFieldNumber;
  *response = rpc::MessageFieldBytes(kRevisionField, *std::move(revision));
  return FinishWithStatus(c, absl::OkStatus());
}

void StorageServiceImpl::ScopeToCaller(Context* context, std::string* department_code) const {
  if (tokens_ == nullptr || !department_code->empty()) return;
  auto caller = rpc::Caller(*context, tokens_);
  if (caller.ok() && *caller && (*caller)->role == auth::Role::kDepartment) {
    *department_code = (*caller)->department;
  }
}

Reactor* StorageServiceImpl::ListReports(Context* c, const v1::ListReportsRequest* request,
                                         v1::ListReportsResponse* response) {
  v1::ListReportsRequest scoped = *request;
  ScopeToCaller(c, scoped.mutable_department_code());
  JIXIAO_ADMIT(c, "ListReports", Action::kListReports, scoped.department_code(), kNone, nullptr);
  return Finish(c, store_.ListReports(scoped), response);
}

Reactor* StorageServiceImpl::GetReportHistory(Context* c,
                                              const v1::GetReportHistoryRequest* request,
                                              v1::GetReportHistoryResponse* response) {
  JIXIAO_ADMIT(c, "GetReportHistory", Action::kReadReport, request->key().department_code(), kNone,
               nullptr);
  return Finish(c, store_.GetReportHistory(*request), response);
}

Reactor* StorageServiceImpl::TransitionReport(Context* c,
                                              const v1::TransitionReportRequest* request,
                                              v1::TransitionReportResponse* response) {
  store::WriteContext write;
  JIXIAO_ADMIT(c, "TransitionReport", Action::kTransition, request->key().department_code(),
               request->to(), &write);
  return FinishReportWrite(
      c,
      [&](store::Store::RevisionDone done) {
        store_.TransitionReport(*request, write, std::move(done));
      },
      response->mutable_revision());
}

Reactor* StorageServiceImpl::DeleteReport(Context* c, const v1::DeleteReportRequest* request,
                                          v1::DeleteReportResponse* response) {
  store::WriteContext write;
  JIXIAO_ADMIT(c, "DeleteReport", Action::kDeleteReport, request->key().department_code(), kNone,
               &write);
  return FinishReportWrite(
      c,
      [&](store::Store::RevisionDone done) {
        store_.DeleteReport(*request, write, std::move(done));
      },
      response->mutable_revision());
}

Reactor* StorageServiceImpl::PublishScheme(Context* c, const v1::PublishSchemeRequest* request,
                                           v1::PublishSchemeResponse* response) {
  store::WriteContext write;
  JIXIAO_ADMIT(c, "PublishScheme", Action::kPublishScheme, "", kNone, &write);
  return FinishWrite(
      c, [this, request, write] { return store_.PublishScheme(*request, write); },
      response->mutable_scheme());
}

Reactor* StorageServiceImpl::GetScheme(Context* c, const v1::GetSchemeRequest* request,
                                       v1::GetSchemeResponse* response) {
  JIXIAO_ADMIT(c, "GetScheme", Action::kReadScheme, "", kNone, nullptr);
  return Finish(c, store_.GetScheme(*request), response->mutable_scheme());
}

Reactor* StorageServiceImpl::ListSchemes(Context* c, const v1::ListStoredSchemesRequest* request,
                                         v1::ListStoredSchemesResponse* response) {
  JIXIAO_ADMIT(c, "ListSchemes", Action::kReadScheme, "", kNone, nullptr);
  return Finish(c, store_.ListSchemes(*request), response);
}

Reactor* StorageServiceImpl::AssignScheme(Context* c, const v1::AssignSchemeRequest* request,
                                          v1::AssignSchemeResponse* response) {
  store::WriteContext write;
  JIXIAO_ADMIT(c, "AssignScheme", Action::kAssignScheme, "", kNone, &write);
  return FinishWrite(
      c, [this, request, write] { return store_.AssignScheme(*request, write); },
      response->mutable_assignment());
}

Reactor* StorageServiceImpl::GetSchemeAssignment(Context* c,
                                                 const v1::GetSchemeAssignmentRequest* request,
                                                 v1::GetSchemeAssignmentResponse* response) {
  JIXIAO_ADMIT(c, "GetSchemeAssignment", Action::kReadScheme, "", kNone, nullptr);
  return Finish(c, store_.GetSchemeAssignment(*request), response->mutable_assignment());
}

Reactor* StorageServiceImpl::ListSchemeAssignments(Context* c,
                                                   const v1::ListSchemeAssignmentsRequest*,
                                                   v1::ListSchemeAssignmentsResponse* response) {
  JIXIAO_ADMIT(c, "ListSchemeAssignments", Action::kReadScheme, "", kNone, nullptr);
  return Finish(c, store_.ListSchemeAssignments(), response);
}

Reactor* StorageServiceImpl::SetRoster(Context* c, const v1::SetRosterRequest* request,
                                       v1::SetRosterResponse* response) {
  store::WriteContext write;
  JIXIAO_ADMIT(c, "SetRoster", Action::kSetRoster, "", kNone, &write);
  return FinishWrite(
      c, [this, request, write] { return store_.SetRoster(*request, write); },
      response->mutable_roster());
}

Reactor* StorageServiceImpl::GetRoster(Context* c, const v1::GetRosterRequest* request,
                                       v1::GetRosterResponse* response) {
  JIXIAO_ADMIT(c, "GetRoster", Action::kReadRoster, "", kNone, nullptr);
  return Finish(c, store_.GetRoster(*request), response->mutable_roster());
}

Reactor* StorageServiceImpl::SaveScoreCard(Context* c, const v1::SaveScoreCardRequest* request,
                                           v1::SaveScoreCardResponse* response) {
  store::WriteContext write;
  std::optional<auth::Principal> caller;
  JIXIAO_ADMIT(c, "SaveScoreCard", Action::kSaveCard, request->card().report().department_code(),
               kNone, &write, &caller);
  // An approved report's card is the bureau's: from then on only a reviewer
  // saves cards for it.
  const bool department = caller && caller->role == auth::Role::kDepartment;
  store::Store::CardCheck check = [this, department](
                                      const v1::Report& report, const v1::Report* prior,
                                      v1::ReportStatus current, const v1::ScoreCard& card) {
    if (card.summary()) {
      return report::InvalidArgumentWithViolations(
          "a summary card is never stored",
          {{"card.summary", "a summary card (ScoreRequest.detail SUMMARY) has no explanations; "
                            "save the full card"}});
    }
    if (department && current == v1::REPORT_STATUS_APPROVED) {
      return absl::PermissionDeniedError(
          "the report is approved: its department can no longer save cards for it; a reviewer "
          "can");
    }
    if (signing_keys_ == nullptr) return absl::OkStatus();
    return signing_keys_->Verify(report, prior, card);
  };
  return FinishWrite(
      c, [this, request, write, check] { return store_.SaveScoreCard(*request, write, check); },
      response->mutable_card());
}

Reactor* StorageServiceImpl::GetScoreCard(Context* c, const v1::GetScoreCardRequest* request,
                                          v1::GetScoreCardResponse* response) {
  JIXIAO_ADMIT(c, "GetScoreCard", Action::kReadReport, request->key().department_code(), kNone,
               nullptr);
  absl::StatusOr<v1::ScoreCard> card = store_.GetScoreCard(*request);
  if (card.ok()) {
    absl::StatusOr<int64_t> content = store_.ContentRevision(request->key());
    if (!content.ok()) return FinishWithStatus(c, content.status());
    response->set_content_revision(*content);
    response->set_stale(card->report().revision() < *content);
  }
  return Finish(c, std::move(card), response->mutable_card());
}

Reactor* StorageServiceImpl::ListScoreCards(Context* c, const v1::ListScoreCardsRequest* request,
                                            v1::ListScoreCardsResponse* response) {
  JIXIAO_ADMIT(c, "ListScoreCards", Action::kListCards, "", kNone, nullptr);
  return Finish(c, store_.ListScoreCards(*request), response);
}

Reactor* StorageServiceImpl::CreateBackup(Context* c, const v1::CreateBackupRequest* request,
                                          v1::CreateBackupResponse* response) {
  store::WriteContext write;
  JIXIAO_ADMIT(c, "CreateBackup", Action::kBackup, "", kNone, &write);
  return FinishWrite(
      c, [this, request, write] { return store_.CreateBackup(*request, write); }, response);
}

Reactor* StorageServiceImpl::ListChanges(Context* c, const v1::ListChangesRequest* request,
                                         v1::ListChangesResponse* response) {
  v1::ListChangesRequest scoped = *request;
  ScopeToCaller(c, scoped.mutable_department_code());
  JIXIAO_ADMIT(c, "ListChanges", Action::kListReports, scoped.department_code(), kNone, nullptr);
  return Finish(c, store_.ListChanges(scoped), response);
}

Reactor* StorageServiceImpl::ListAudit(Context* c, const v1::ListAuditRequest* request,
                                       v1::ListAuditResponse* response) {
  JIXIAO_ADMIT(c, "ListAudit", Action::kReadAudit, "", kNone, nullptr);
  return Finish(c, store_.ListAudit(*request), response);
}

}  // namespace jixiao::storage_svc
