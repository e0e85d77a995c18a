#include "storage_commands.h"

#include <openssl/sha.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "card_printer.h"
#include "cli_output.h"
#include "clients.h"
#include "exit_codes.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "report_diff.h"
#include "store.h"
#include "text_table.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;
constexpr char kStorageHint[] = "--storage or JIXIAO_STORAGE";

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

// To the second, in UTC: "2026-11-25T21:20:45Z".
std::string Time(const v1::ReportRevision& revision) {
  if (!revision.has_time()) return "";
  google::protobuf::Timestamp seconds = revision.time();
  seconds.set_nanos(0);
  return google::protobuf::util::TimeUtil::ToString(seconds);
}

std::string Ref(const v1::ReportKey& key, int64_t revision = 0) {
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

// Fails (usage) unless `text` is a stored-report reference.
std::optional<StoredRef> RequireRef(const std::string& text) {
  std::optional<StoredRef> ref = ParseStoredRef(text);
  if (!ref) {
    std::cerr << "jixiao: \"" << text
              << "\" is not a report reference; write DEPT/YEAR or DEPT/YEAR@REVISION, "
                 "e.g. LH-ZWFWSJGLJ/2019@2\n";
  }
  return ref;
}

absl::StatusOr<v1::ReportRevision> Fetch(StorageClient& client, const v1::ReportKey& key,
                                         int64_t revision) {
  v1::GetReportRequest request;
  *request.mutable_key() = key;
  request.set_revision(revision);
  v1::GetReportResponse response;
  absl::Status status = client.Call(&Stub::GetReport, request, response);
  if (!status.ok()) return status;
  return response.revision();
}

std::string Hex(const std::string& bytes) { return absl::BytesToHexString(bytes); }

std::string Sha256(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<char*>(digest), sizeof(digest));
}

// 16 random hex digits naming one run of a command.
std::string RunId() {
  std::random_device device;
  std::uniform_int_distribution<uint64_t> any;
  return absl::StrFormat("%016x", any(device));
}

struct SubmitResult {
  std::string file;
  absl::Status status;
  v1::ReportRevision revision;
  std::string action;  // created | updated | unchanged
};

// Stores one report file: creates it, or updates the revision it replaces.
// The idempotency key is derived from this run of the command, the content
// and the revision it replaces, so a write the client retries is applied
// once, while a later run is a new write: after `status delete`, submitting
// the same file again creates the report again (continuing its history)
// instead of replaying the first create's answer.
SubmitResult SubmitOne(StorageClient& client, const std::string& file, int64_t expect_revision,
                       const std::string& run) {
  SubmitResult result;
  result.file = file;
  absl::StatusOr<v1::Report> report = ReadReport(file);
  if (!report.ok()) {
    result.status = report.status();
    return result;
  }
  v1::ReportKey key;
  key.set_department_code(report->identity().department_code());
  key.set_fiscal_year(report->identity().fiscal_year());
  std::string digest = Hex(Sha256(report->SerializeAsString()));
  for (int attempt = 0; attempt < 2; ++attempt) {
    int64_t expected = expect_revision;
    if (expected == 0) {
      absl::StatusOr<v1::ReportRevision> latest =
          key.department_code().empty() ? absl::NotFoundError("") : Fetch(client, key, 0);
      if (latest.ok()) {
        if (google::protobuf::util::MessageDifferencer::Equals(latest->report(), *report)) {
          result.revision = *latest;
          result.action = "unchanged";
          return result;
        }
        expected = latest->revision();
      } else if (!absl::IsNotFound(latest.status())) {
        result.status = latest.status();
        return result;
      }
    }
    if (expected == 0) {
      v1::CreateReportRequest request;
      *request.mutable_report() = *report;
      request.set_idempotency_key(absl::StrCat("create:", run, ":", digest));
      v1::CreateReportResponse response;
      result.status = client.Call(&Stub::CreateReport, request, response);
      result.revision = response.revision();
      result.action = "created";
      // Someone created it between our read and our write: update instead.
      if (absl::IsAlreadyExists(result.status) && expect_revision == 0) continue;
      return result;
    }
    v1::UpdateReportRequest request;
    *request.mutable_report() = *report;
    request.set_expected_revision(expected);
    request.set_idempotency_key(absl::StrCat("update:", run, ":", expected, ":", digest));
    v1::UpdateReportResponse response;
    result.status = client.Call(&Stub::UpdateReport, request, response);
    result.revision = response.revision();
    result.action = "updated";
    return result;
  }
  return result;
}

}  // namespace

int RunSubmit(const GlobalOptions& global, const SubmitArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  if (args.expect_revision > 0 && args.files.size() != 1) {
    std::cerr << "jixiao: --expect-revision goes with a single file\n";
    return kUsage;
  }
  StorageClient client(global.client);
  const std::string run = RunId();
  std::vector<SubmitResult> results(args.files.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0}, failed{0};
  std::mutex progress_mutex;
  const bool terminal = isatty(STDERR_FILENO) && global.output != "json";
  auto work = [&] {
    for (size_t i = next++; i < args.files.size(); i = next++) {
      results[i] = SubmitOne(client, args.files[i], args.expect_revision, run);
      if (!results[i].status.ok()) ++failed;
      size_t finished = ++done;
      if (terminal) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        std::cerr << "\rsubmitted " << finished << "/" << args.files.size() << ", failed " << failed
                  << std::flush;
      }
    }
  };
  std::vector<std::thread> threads;
  size_t jobs = std::max<size_t>(1, std::min<size_t>(args.jobs, args.files.size()));
  for (size_t t = 0; t < jobs; ++t) threads.emplace_back(work);
  for (std::thread& thread : threads) thread.join();
  if (terminal) std::cerr << "\n";

  int code = kOk;
  for (const SubmitResult& r : results) {
    if (!r.status.ok()) {
      PrintError(r.file, r.status, global.client.storage, kStorageHint);
      code = std::max(code, ExitCodeFor(r.status));
      continue;
    }
    if (global.output == "json") {
      std::cout << ToJson(r.revision, false) << "\n";
    } else if (!terminal || args.files.size() == 1) {
      std::cout << r.file << ": " << Ref(r.revision.key(), r.revision.revision()) << " " << r.action
                << "\n";
    }
  }
  if (terminal && args.files.size() > 1) {
    std::cout << "submitted " << args.files.size() - failed << " of " << args.files.size()
              << " reports\n";
  }
  return code;
}

int RunGet(const GlobalOptions& global, const GetArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  std::optional<StoredRef> ref = RequireRef(args.ref);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  absl::StatusOr<v1::ReportRevision> revision = Fetch(client, ref->key, ref->revision);
  if (!revision.ok()) {
    PrintError(args.ref, revision.status(), global.client.storage, kStorageHint);
    return ExitCodeFor(revision.status());
  }
  if (args.report_only) {
    std::cout << ToJson(revision->report(), true);
  } else if (global.output == "json") {
    // Who, when and what status, and whose report: the report itself (up to
    // 16 MiB) only with --report.
    v1::Identity identity = std::move(*revision->mutable_report()->mutable_identity());
    revision->clear_report();
    *revision->mutable_report()->mutable_identity() = std::move(identity);
    std::cout << ToJson(*revision, true);
  } else {
    std::cout << "report    " << Ref(revision->key(), revision->revision()) << "  "
              << revision->report().identity().department_name() << "\n"
              << "status    " << StatusName(revision->status()) << "\n"
              << "author    " << revision->author() << "\n"
              << "time      " << Time(*revision) << "\n";
    if (!revision->reason().empty()) std::cout << "reason    " << revision->reason() << "\n";
    std::cout << "(the report itself: jixiao get --report " << args.ref << ")\n";
  }
  return kOk;
}

int RunList(const GlobalOptions& global, const ListArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  v1::ListReportsRequest request;
  request.set_fiscal_year(args.year);
  request.set_department_code(args.department);
  request.set_page_size(args.page_size);
  request.set_page_token(args.page_token);
  if (!args.status.empty()) {
    v1::ReportStatus status;
    std::string name = "REPORT_STATUS_" + args.status;
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!v1::ReportStatus_Parse(name, &status)) {
      std::cerr << "jixiao: unknown status \"" << args.status
                << "\"; use draft, submitted, returned, approved or deleted\n";
      return kUsage;
    }
    request.set_status(status);
  }
  StorageClient client(global.client);
  TextTable table({"report", "rev", "status", "department 部门", "author", "time"});
  std::string next;
  do {
    v1::ListReportsResponse response;
    absl::Status status = client.Call(&Stub::ListReports, request, response);
    if (!status.ok()) {
      PrintError("list", status, global.client.storage, kStorageHint);
      return ExitCodeFor(status);
    }
    for (const v1::ReportRevision& r : response.reports()) {
      if (global.output == "json") {
        std::cout << ToJson(r, false) << "\n";
      } else {
        table.AddRow({Ref(r.key()), std::to_string(r.revision()), StatusName(r.status()),
                      r.report().identity().department_name(), r.author(), Time(r)});
      }
    }
    next = response.next_page_token();
    request.set_page_token(next);
  } while (args.all && !next.empty());
  if (global.output != "json") table.Print(std::cout);
  if (!next.empty()) std::cerr << "more: --page-token " << next << "  (or --all)\n";
  return kOk;
}

int RunHistory(const GlobalOptions& global, const std::string& text) {
  if (!NeedStorage(global)) return kUsage;
  std::optional<StoredRef> ref = RequireRef(text);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  v1::GetReportHistoryRequest request;
  *request.mutable_key() = ref->key;
  request.set_page_size(1000);
  TextTable table({"rev", "status", "author", "time", "reason"});
  do {
    v1::GetReportHistoryResponse response;
    absl::Status status = client.Call(&Stub::GetReportHistory, request, response);
    if (!status.ok()) {
      PrintError(text, status, global.client.storage, kStorageHint);
      return ExitCodeFor(status);
    }
    for (const v1::ReportRevision& r : response.revisions()) {
      if (global.output == "json") {
        std::cout << ToJson(r, false) << "\n";
      } else {
        table.AddRow({std::to_string(r.revision()), StatusName(r.status()), r.author(), Time(r),
                      r.reason()});
      }
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  if (global.output != "json") table.Print(std::cout);
  return kOk;
}

int RunDiff(const GlobalOptions& global, const std::vector<std::string>& texts) {
  if (!NeedStorage(global)) return kUsage;
  std::vector<StoredRef> refs;
  for (const std::string& text : texts) {
    std::optional<StoredRef> ref = RequireRef(text);
    if (!ref) return kUsage;
    refs.push_back(*ref);
  }
  if (refs.size() == 1) {
    if (refs[0].revision < 2) {
      std::cerr << "jixiao: diff of one reference needs a revision of 2 or more (DEPT/YEAR@REV): "
                   "it is compared with the revision before it\n";
      return kUsage;
    }
    StoredRef before = refs[0];
    before.revision -= 1;
    refs.insert(refs.begin(), before);
  }
  StorageClient client(global.client);
  std::vector<v1::ReportRevision> revisions;
  for (const StoredRef& ref : refs) {
    absl::StatusOr<v1::ReportRevision> revision = Fetch(client, ref.key, ref.revision);
    if (!revision.ok()) {
      PrintError(ref.text, revision.status(), global.client.storage, kStorageHint);
      return ExitCodeFor(revision.status());
    }
    revisions.push_back(*revision);
  }
  std::vector<FieldChange> changes = DiffMessages(revisions[0].report(), revisions[1].report());
  if (revisions[0].status() != revisions[1].status()) {
    changes.insert(changes.begin(), {"(status)", StatusName(revisions[0].status()),
                                     StatusName(revisions[1].status())});
  }
  if (global.output == "json") {
    for (const FieldChange& c : changes) {
      std::cout << "{\"path\": \"" << absl::CEscape(c.path) << "\", \"before\": \""
                << absl::Utf8SafeCEscape(c.before) << "\", \"after\": \""
                << absl::Utf8SafeCEscape(c.after) << "\"}\n";
    }
    return kOk;
  }
  std::cout << Ref(revisions[0].key(), revisions[0].revision()) << " → "
            << Ref(revisions[1].key(), revisions[1].revision()) << ": " << changes.size()
            << " change" << (changes.size() == 1 ? "" : "s") << "\n";
  for (const FieldChange& c : changes) {
    std::cout << "  " << c.path << ": " << (c.before.empty() ? "(none)" : c.before) << " → "
              << (c.after.empty() ? "(none)" : c.after) << "\n";
  }
  return kOk;
}

int RunStatus(const GlobalOptions& global, const StatusArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  std::optional<StoredRef> ref = RequireRef(args.ref);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  int64_t expected = args.expect_revision;
  if (expected == 0) {
    absl::StatusOr<v1::ReportRevision> latest = Fetch(client, ref->key, 0);
    if (absl::IsPermissionDenied(latest.status())) {
      // Not one's own report: the write below is refused too, and says why
      // in terms of what was asked (submit, approve, ...), not of a read.
      expected = 1;
    } else if (!latest.ok()) {
      PrintError(args.ref, latest.status(), global.client.storage, kStorageHint);
      return ExitCodeFor(latest.status());
    } else {
      expected = latest->revision();
    }
  }
  absl::Status status;
  v1::ReportRevision revision;
  if (args.action == "delete") {
    v1::DeleteReportRequest request;
    *request.mutable_key() = ref->key;
    request.set_expected_revision(expected);
    v1::DeleteReportResponse response;
    status = client.Call(&Stub::DeleteReport, request, response);
    revision = response.revision();
  } else {
    v1::TransitionReportRequest request;
    *request.mutable_key() = ref->key;
    request.set_expected_revision(expected);
    request.set_reason(args.reason);
    request.set_to(args.action == "submit"   ? v1::REPORT_STATUS_SUBMITTED
                   : args.action == "return" ? v1::REPORT_STATUS_RETURNED
                                             : v1::REPORT_STATUS_APPROVED);
    v1::TransitionReportResponse response;
    status = client.Call(&Stub::TransitionReport, request, response);
    revision = response.revision();
  }
  if (!status.ok()) {
    PrintError(args.ref, status, global.client.storage, kStorageHint);
    return ExitCodeFor(status);
  }
  if (global.output == "json") {
    std::cout << ToJson(revision, true);
  } else {
    std::cout << Ref(revision.key(), revision.revision()) << " " << StatusName(revision.status())
              << "\n";
  }
  return kOk;
}

int RunScoreStored(const GlobalOptions& global, const std::vector<StoredRef>& refs,
                   const std::string& scheme_text) {
  if (!NeedStorage(global)) return kUsage;
  if (global.client.scoring.empty()) {
    std::cerr << "jixiao: scoring a stored report needs scoring-svc too: pass --scoring "
                 "HOST:PORT or set JIXIAO_SCORING\n";
    return kUsage;
  }
  auto choice = ChooseScheme(scheme_text);
  if (!choice.ok()) {
    PrintError("--scheme", choice.status());
    return ExitCodeFor(choice.status());
  }
  StorageClient storage(global.client);
  ScoringClient scoring(global.client);
  int code = kOk;
  for (const StoredRef& ref : refs) {
    absl::StatusOr<v1::ReportRevision> revision = Fetch(storage, ref.key, ref.revision);
    if (!revision.ok()) {
      PrintError(ref.text, revision.status(), global.client.storage, kStorageHint);
      code = std::max(code, ExitCodeFor(revision.status()));
      continue;
    }
    v1::ScoreRequest request;
    *request.mutable_report() = revision->report();
    request.set_report_revision(revision->revision());
    ApplyScheme(*choice, request);
    v1::ScoreResponse scored;
    absl::Status status = scoring.Score(request, scored);
    if (!status.ok()) {
      PrintError(ref.text, status, global.client.scoring, "--scoring or JIXIAO_SCORING");
      code = std::max(code, ExitCodeFor(status));
      continue;
    }
    v1::SaveScoreCardRequest save;
    *save.mutable_card() = scored.card();
    v1::SaveScoreCardResponse saved;
    status = storage.Call(&Stub::SaveScoreCard, save, saved);
    if (!status.ok()) {
      PrintError(ref.text, status, global.client.storage, kStorageHint);
      code = std::max(code, ExitCodeFor(status));
      continue;
    }
    if (engine::HasErrors(saved.card())) code = std::max<int>(code, kErrorFindings);
    if (global.output == "json") {
      std::cout << ToJson(saved.card(), refs.size() == 1) << (refs.size() > 1 ? "\n" : "");
    } else {
      if (refs.size() > 1) std::cout << "== " << Ref(revision->key(), revision->revision()) << "\n";
      PrintScoreCard(revision->report(), saved.card(), std::cout);
      std::cout << "(card saved with " << Ref(revision->key(), revision->revision()) << ")\n";
    }
  }
  return code;
}

int RunCard(const GlobalOptions& global, const std::string& text) {
  if (!NeedStorage(global)) return kUsage;
  std::optional<StoredRef> ref = RequireRef(text);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  v1::GetScoreCardRequest request;
  *request.mutable_key() = ref->key;
  request.set_revision(ref->revision);
  v1::GetScoreCardResponse response;
  absl::Status status = client.Call(&Stub::GetScoreCard, request, response);
  if (!status.ok()) {
    PrintError(text, status, global.client.storage, kStorageHint);
    return ExitCodeFor(status);
  }
  const v1::ScoreCard& card = response.card();
  if (global.output == "json") {
    std::cout << ToJson(card, true);
  } else {
    // The revision the card scored, for the header.
    absl::StatusOr<v1::ReportRevision> revision = Fetch(client, ref->key, card.report().revision());
    PrintScoreCard(revision.ok() ? revision->report() : v1::Report(), card, std::cout);
  }
  return engine::HasErrors(card) ? kErrorFindings : kOk;
}

int RunAudit(const GlobalOptions& global, const AuditArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  v1::ListAuditRequest request;
  request.set_principal(args.principal);
  request.set_target_prefix(args.target);
  request.set_page_size(1000);
  if (!args.since.empty() &&
      !google::protobuf::util::TimeUtil::FromString(args.since, request.mutable_since())) {
    std::cerr << "jixiao: --since takes an RFC 3339 time, e.g. 2026-01-01T00:00:00Z\n";
    return kUsage;
  }
  StorageClient client(global.client);
  TextTable table({"time", "principal", "method", "target", "detail"});
  std::string next;
  do {
    v1::ListAuditResponse page;
    absl::Status status = client.Call(&Stub::ListAudit, request, page);
    if (!status.ok()) {
      PrintError("audit", status, global.client.storage, kStorageHint);
      return ExitCodeFor(status);
    }
    for (const v1::AuditRecord& r : page.records()) {
      if (global.output == "json") {
        std::cout << ToJson(r, false) << "\n";
        continue;
      }
      google::protobuf::Timestamp seconds = r.time();
      seconds.set_nanos(0);
      table.AddRow({google::protobuf::util::TimeUtil::ToString(seconds), r.principal(), r.method(),
                    r.target(), r.detail()});
    }
    next = page.next_page_token();
    request.set_page_token(next);
  } while (args.all && !next.empty());
  if (global.output != "json") table.Print(std::cout);
  if (!next.empty()) std::cerr << "more: use --all\n";
  return kOk;
}

int RunPublish(const GlobalOptions& global, const std::string& scheme_file) {
  if (!NeedStorage(global)) return kUsage;
  auto scheme = engine::LoadSchemeFile(scheme_file);
  if (!scheme.ok()) {
    PrintError(scheme_file, scheme.status());
    return ExitCodeFor(scheme.status());
  }
  StorageClient client(global.client);
  v1::PublishSchemeRequest request;
  *request.mutable_scheme() = (*scheme)->proto();
  v1::PublishSchemeResponse response;
  absl::Status status = client.Call(&Stub::PublishScheme, request, response);
  if (!status.ok()) {
    PrintError(scheme_file, status, global.client.storage, kStorageHint);
    return ExitCodeFor(status);
  }
  std::cout << "published " << response.scheme().id() << "@" << response.scheme().version() << "\n";
  return kOk;
}

int RunBackup(const GlobalOptions& global, const std::string& backup_dir) {
  if (!NeedStorage(global)) return kUsage;
  StorageClient client(global.client);
  v1::CreateBackupRequest request;
  request.set_backup_dir(backup_dir);
  v1::CreateBackupResponse response;
  absl::Status status = client.Call(&Stub::CreateBackup, request, response);
  if (!status.ok()) {
    PrintError("backup", status, global.client.storage, kStorageHint);
    return ExitCodeFor(status);
  }
  std::cout << "backup " << response.backup_id() << " written to " << backup_dir << " ("
            << response.size_bytes() << " bytes)\n";
  return kOk;
}

int RunRestore(const std::string& backup_dir, const std::string& data_dir) {
  absl::Status status = store::Store::Restore(backup_dir, data_dir);
  if (!status.ok()) {
    PrintError("restore", status);
    return ExitCodeFor(status);
  }
  std::cout << "restored the latest backup of " << backup_dir << " into " << data_dir << "\n";
  return kOk;
}

}  // namespace jixiao::cli
