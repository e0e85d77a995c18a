#include "stored_reports.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace jixiao::cli {

const char* StatusName(v1::ReportStatus status) {
  switch (status) {
    case v1::REPORT_STATUS_DRAFT:
      return "draft 草稿";
    case v1::REPORT_STATUS_SUBMITTED:
      return "submitted 已提交";
    case v1::REPORT_STATUS_RETURNED:
      return "returned 已退回";
    case v1::REPORT_STATUS_APPROVED:
      return "approved 已审核";
    case v1::REPORT_STATUS_DELETED:
      return "deleted 已删除";
    default:
      return "";
  }
}

std::string Time(const v1::ReportRevision& revision) {
  if (!revision.has_time()) return "";
  google::protobuf::Timestamp seconds = revision.time();
  seconds.set_nanos(0);
  return google::protobuf::util::TimeUtil::ToString(seconds);
}

std::string Ref(const v1::ReportKey& key, int64_t revision) {
  std::string text = absl::StrCat(key.department_code(), "/", key.fiscal_year());
  if (revision > 0) absl::StrAppend(&text, "@", revision);
  return text;
}

bool NeedStorage(const GlobalOptions& global) {
  if (!global.client.storage.empty()) return true;
  std::cerr << "jixiao: this command needs storage-svc: pass --storage HOST:PORT or set "
               "JIXIAO_STORAGE\n";
  return false;
}

std::optional<StoredRef> RequireRef(const std::string& text) {
  std::optional<StoredRef> ref = ParseStoredRef(text);
  if (!ref) {
    std::cerr << "jixiao: \"" << text
              << "\" is not a report reference; write DEPT/YEAR or DEPT/YEAR@REVISION, "
                 "e.g. LH-ZWFWSJGLJ/2019@2\n";
  }
  return ref;
}

std::optional<StoredRef> RequireStorageAndRef(const GlobalOptions& global,
                                              const std::string& text) {
  if (!NeedStorage(global)) return std::nullopt;
  return RequireRef(text);
}

absl::StatusOr<v1::ReportRevision> Fetch(StorageClient& client, const v1::ReportKey& key,
                                         int64_t revision) {
  v1::GetReportRequest request;
  *request.mutable_key() = key;
  request.set_revision(revision);
  v1::GetReportResponse response;
  absl::Status status = client.Call(&v1::StorageService::Stub::GetReport, request, response);
  if (!status.ok()) return status;
  return response.revision();
}

}  // namespace jixiao::cli
