#include "tools/jixiao/stored_reports.h"

#include <cctype>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/report/labels.h"
#include "google/protobuf/util/time_util.h"
#include "tools/jixiao/cli_output.h"

namespace jixiao::cli {

std::optional<v1::ReportStatus> ParseStatusName(const std::string& name) {
  std::string full = "REPORT_STATUS_" + name;
  for (char& c : full) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  v1::ReportStatus status;
  if (!v1::ReportStatus_Parse(full, &status) || status == v1::REPORT_STATUS_UNSPECIFIED) {
    return std::nullopt;
  }
  return status;
}

std::string StatusName(v1::ReportStatus status) {
  const report::Label label = report::StatusLabel(status);
  return absl::StrCat(label.english, " ", label.chinese);
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

bool NeedScoring(const GlobalOptions& global, const std::string& doing) {
  if (!global.client.scoring.empty()) return true;
  std::cerr << "jixiao: " << doing << ": pass --scoring HOST:PORT or set JIXIAO_SCORING\n";
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

int StorageError(const GlobalOptions& global, const std::string& what, const absl::Status& status) {
  PrintError(what, status, global.client.storage, kStorageHint);
  return ExitCodeFor(status);
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
