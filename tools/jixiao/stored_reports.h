// What the commands that work on storage-svc share: checking that it was
// named, parsing a report reference, saying that a call failed, reading a
// listing's pages, fetching a revision, and printing a revision's name,
// status and time.

#ifndef JIXIAO_TOOLS_JIXIAO_STORED_REPORTS_H_
#define JIXIAO_TOOLS_JIXIAO_STORED_REPORTS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "jixiao/v1/storage_service.pb.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/command.h"
#include "tools/jixiao/inputs.h"

namespace jixiao::cli {

// The flag and variable that name storage-svc, for PrintError's hint.
inline constexpr char kStorageHint[] = "--storage or JIXIAO_STORAGE";

// "draft 草稿", "submitted 已提交", ...; "" for an unknown status.
std::string StatusName(v1::ReportStatus status);

// "draft", "submitted", "returned", "approved" or "deleted" (any case) as a
// status; nullopt for anything else.
std::optional<v1::ReportStatus> ParseStatusName(const std::string& name);

// The revision's time to the second, in UTC: "2026-11-25T21:20:45Z"; ""
// when it has none.
std::string Time(const v1::ReportRevision& revision);

// "DEPT/YEAR", or "DEPT/YEAR@REVISION" when `revision` > 0.
std::string Ref(const v1::ReportKey& key, int64_t revision = 0);

// True if --storage is set; otherwise says on stderr how to set it and
// returns false (the caller exits with kUsage).
bool NeedStorage(const GlobalOptions& global);

// The same for --scoring: `doing` says what needs it ("submit scores the
// report first").
bool NeedScoring(const GlobalOptions& global, const std::string& doing);

// `text` as a stored-report reference; nullopt, having said on stderr how
// to write one, if it is not one (the caller exits with kUsage).
std::optional<StoredRef> RequireRef(const std::string& text);

// Both of the above, in that order: the stored report `text` names, or
// nullopt, having said what is missing or wrong (the caller exits with
// kUsage).
std::optional<StoredRef> RequireStorageAndRef(const GlobalOptions& global, const std::string& text);

// Says on stderr that `what` failed with `status` (PrintError, with the
// --storage hint when storage-svc cannot be reached) and returns the exit
// code that calls for.
int StorageError(const GlobalOptions& global, const std::string& what, const absl::Status& status);

// Reads a listing page by page: calls `method` with `request`, hands the
// response to `page(Response&)`, and, with `all`, goes on with the next
// page token until the listing ends. Returns the token of the page after
// the last one read ("" once the listing is done), or the failed call's
// status. `request`'s page token is left at that next page.
template <typename Request, typename Response, typename Page>
absl::StatusOr<std::string> ReadPages(StorageClient& client,
                                      grpc::Status (v1::StorageService::Stub::*method)(
                                          grpc::ClientContext*, const Request&, Response*),
                                      Request& request, bool all, Page page) {
  do {
    Response response;
    absl::Status status = client.Call(method, request, response);
    if (!status.ok()) return status;
    page(response);
    request.set_page_token(response.next_page_token());
  } while (all && !request.page_token().empty());
  return request.page_token();
}

// Revision `revision` of the report `key` (0: the latest), report included.
absl::StatusOr<v1::ReportRevision> Fetch(StorageClient& client, const v1::ReportKey& key,
                                         int64_t revision);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_STORED_REPORTS_H_
