#include "tools/jixiao/schemes.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/report/check_report.h"
#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

}  // namespace

const v1::Scheme* BuiltInScheme(const v1::SchemeRef& ref) {
  const v1::Scheme& built_in = engine::DefaultScheme()->proto();
  if (ref.id() == built_in.id() && (ref.version() == 0 || ref.version() == built_in.version())) {
    return &built_in;
  }
  return nullptr;
}

absl::StatusOr<v1::Scheme> FetchScheme(StorageClient& storage, const v1::SchemeRef& ref) {
  if (const v1::Scheme* built_in = BuiltInScheme(ref)) return *built_in;
  v1::GetSchemeRequest request;
  request.set_id(ref.id());
  request.set_version(ref.version());
  v1::GetSchemeResponse response;
  absl::Status status = storage.Call(&Stub::GetScheme, request, response);
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(
        absl::StrCat("scheme ", ref.id(), ref.version() ? absl::StrCat("@", ref.version()) : "",
                     " is not published in storage-svc (jixiao scheme list shows what is)"));
  }
  if (!status.ok()) return status;
  return std::move(*response.mutable_scheme());
}

absl::StatusOr<std::optional<v1::Scheme>> SchemeForYear(StorageClient& storage, int fiscal_year,
                                                        const SchemeChoice& choice) {
  if (choice.file) return choice.file->proto();
  if (choice.ref) return FetchScheme(storage, *choice.ref);
  v1::GetSchemeAssignmentRequest request;
  request.set_fiscal_year(fiscal_year);
  v1::GetSchemeAssignmentResponse response;
  absl::Status status = storage.Call(&Stub::GetSchemeAssignment, request, response);
  if (absl::IsNotFound(status)) return std::nullopt;
  if (!status.ok()) return status;
  v1::SchemeRef ref;
  ref.set_id(response.assignment().scheme_id());
  ref.set_version(response.assignment().scheme_version());
  return FetchScheme(storage, ref);
}

absl::StatusOr<v1::Scheme> SchemeByName(const GlobalOptions& global, const std::string& text) {
  auto choice = ChooseScheme(text);
  if (!choice.ok()) return choice.status();
  if (choice->file) return choice->file->proto();
  if (!choice->ref) return engine::DefaultScheme()->proto();
  if (const v1::Scheme* built_in = BuiltInScheme(*choice->ref)) return *built_in;
  if (global.client.storage.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("scheme ", text,
                     " is read from storage-svc: pass --storage HOST:PORT (or set "
                     "JIXIAO_STORAGE), or give a scheme file"));
  }
  StorageClient storage(global.client);
  return FetchScheme(storage, *choice->ref);
}

absl::StatusOr<std::optional<v1::ReportRevision>> FetchPrior(StorageClient& storage,
                                                             const v1::ReportKey& key) {
  if (key.fiscal_year() - 1 < report::kMinFiscalYear) return std::nullopt;  // no such year
  // storage-svc says which revision counts (the rule it checks cards by).
  v1::GetReportRequest request;
  request.mutable_key()->set_department_code(key.department_code());
  request.mutable_key()->set_fiscal_year(key.fiscal_year() - 1);
  request.set_counting(true);
  v1::GetReportResponse response;
  absl::Status status = storage.Call(&Stub::GetReport, request, response);
  if (absl::IsNotFound(status)) return std::nullopt;
  if (!status.ok()) return status;
  return std::move(*response.mutable_revision());
}

}  // namespace jixiao::cli
