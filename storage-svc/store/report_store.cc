// Reports: revisions, status changes, listing.

#include <rocksdb/write_batch.h>

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/report/check_report.h"
#include "common/report/deterministic.h"
#include "common/report/field_violations.h"
#include "common/report/labels.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "storage-svc/store/group_commit.h"
#include "storage-svc/store/keys.h"
#include "storage-svc/store/page_tokens.h"
#include "storage-svc/store/records.pb.h"
#include "storage-svc/store/rocks_util.h"
#include "storage-svc/store/store_impl.h"

namespace jixiao::store {
namespace {

using google::protobuf::util::TimeUtil;

const char* StatusName(v1::ReportStatus status) { return report::StatusLabel(status).english; }

// A report key is checked as a report's identity is (check_report.h).
absl::Status CheckKey(const v1::ReportKey& key, const std::string& field) {
  std::vector<report::FieldViolation> violations;
  if (std::string problem = report::DepartmentCodeProblem(key.department_code());
      !problem.empty()) {
    violations.push_back({absl::StrCat(field, ".department_code"), std::move(problem)});
  }
  if (std::string problem = report::FiscalYearProblem(key.fiscal_year()); !problem.empty()) {
    violations.push_back({absl::StrCat(field, ".fiscal_year"), std::move(problem)});
  }
  if (violations.empty()) return absl::OkStatus();
  return report::InvalidArgumentWithViolations("bad report key", violations);
}

absl::Status RequireExpectedRevision(int64_t expected) {
  if (expected > 0) return absl::OkStatus();
  return report::InvalidArgumentWithViolations(
      "a write must name the revision it replaces",
      {{"expected_revision", "is required: the revision you read (1 or more)"}});
}

v1::ReportKey KeyOf(const v1::Report& report) {
  v1::ReportKey key;
  key.set_department_code(report.identity().department_code());
  key.set_fiscal_year(report.identity().fiscal_year());
  return key;
}

std::string Describe(const v1::ReportKey& key) {
  return absl::StrCat(key.department_code(), " ", key.fiscal_year());
}

bool Allowed(v1::ReportStatus from, v1::ReportStatus to) {
  switch (from) {
    case v1::REPORT_STATUS_DRAFT:
      return to == v1::REPORT_STATUS_SUBMITTED;
    case v1::REPORT_STATUS_SUBMITTED:
      return to == v1::REPORT_STATUS_RETURNED || to == v1::REPORT_STATUS_APPROVED;
    case v1::REPORT_STATUS_RETURNED:
      return to == v1::REPORT_STATUS_SUBMITTED;
    case v1::REPORT_STATUS_APPROVED:  // reopened, with a reason
      return to == v1::REPORT_STATUS_RETURNED;
    default:
      return false;
  }
}

// A report as a BASIC listing shows it: its identity alone.
void KeepIdentityOnly(v1::Report& report) {
  v1::Identity identity = std::move(*report.mutable_identity());
  report.Clear();
  *report.mutable_identity() = std::move(identity);
}

// Appends `report` to a serialized ReportRevision as its `report` field.
// Protocol buffers merge concatenated fields, so this is the revision with
// the report set, without copying the report into it first.
void AppendReportField(const v1::Report& report, std::string& revision) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::StringOutputStream stream(&revision);
  google::protobuf::io::CodedOutputStream out(&stream);
  WireFormatLite::WriteTag(v1::ReportRevision::kReportFieldNumber,
                           WireFormatLite::WIRETYPE_LENGTH_DELIMITED, &out);
  out.WriteVarint32(static_cast<uint32_t>(report.ByteSizeLong()));
  report.SerializeWithCachedSizes(&out);
}

}  // namespace

// A report write, checked and ready to commit: its batch (empty for the
// replay of an idempotent write), its answer, and its report's stripe, held
// until the batch is durable.
struct Store::Impl::Prepared {
  explicit Prepared(v1::ReportRevision answer) : answer(std::move(answer)) {}
  rocksdb::WriteBatch batch;
  v1::ReportRevision answer;
  StripeLocks::Lock lock;
  std::string change;  // the serialized v1::Change for the feed
};

// One write to one report: everything it reads and writes happens under the
// report's stripe lock, and everything it writes goes in one synced batch.
class Store::Impl::Writer {
 public:
  Writer(Impl& store, const v1::ReportKey& key, absl::string_view method,
         const google::protobuf::Message& request, const std::string& idempotency_key,
         const WriteContext& context)
      : store_(store),
        key_(key),
        report_key_(keys::Report(key.department_code(), key.fiscal_year())),
        lock_(store.report_stripes_.Acquire(report_key_)),
        method_(method),
        idempotency_key_(idempotency_key.empty()
                             ? ""
                             : keys::Idempotency(context.author, method, idempotency_key)),
        request_sha256_(idempotency_key.empty() ? "" : report::DeterministicDigest(request)) {}

  // The answer already given to this idempotency key, if any.
  absl::StatusOr<std::optional<v1::ReportRevision>> Replay() {
    if (idempotency_key_.empty()) return std::optional<v1::ReportRevision>();
    storage::IdempotencyRecord record;
    absl::Status status =
        GetProto(store_.db_.get(), store_.family(kIdempotency), idempotency_key_, &record);
    if (absl::IsNotFound(status)) return std::optional<v1::ReportRevision>();
    if (!status.ok()) return status;
    if (record.request_sha256() != request_sha256_) {
      return report::InvalidArgumentWithViolations(
          "idempotency key reused for a different request",
          {{"idempotency_key", "was already used for a different request; use a new key"}});
    }
    v1::ReportRevision revision;
    if (!revision.ParseFromString(record.response())) {
      return absl::InternalError("stored idempotent response is corrupt");
    }
    return std::optional<v1::ReportRevision>(std::move(revision));
  }

  // The report's head; nullopt if it was never created.
  absl::StatusOr<std::optional<storage::ReportHead>> Head() {
    storage::ReportHead head;
    absl::Status status = GetProto(store_.db_.get(), store_.family(kHeads), report_key_, &head);
    if (absl::IsNotFound(status)) return std::optional<storage::ReportHead>();
    if (!status.ok()) return status;
    return std::optional<storage::ReportHead>(head);
  }

  absl::StatusOr<v1::ReportRevision> Read(int64_t revision) {
    v1::ReportRevision stored;
    absl::Status status = GetProto(
        store_.db_.get(), store_.family(kRevisions),
        keys::Revision(key_.department_code(), key_.fiscal_year(), static_cast<uint64_t>(revision)),
        &stored);
    if (!status.ok()) return status;
    return stored;
  }

  // The batch that appends `revision` as the report's newest, with the
  // report's stripe. With `sent`, the revision is stored with that report
  // (serialized straight from the request, not copied into the revision) and
  // the answer is the revision without it: the caller has the report.
  // Without, the revision carries its report and is the answer.
  Prepared Prepare(v1::ReportRevision revision, const v1::Report* sent,
                   const std::optional<storage::ReportHead>& old_head,
                   const WriteContext& context) {
    const std::string& dept = key_.department_code();
    uint32_t year = static_cast<uint32_t>(key_.fiscal_year());
    *revision.mutable_key() = key_;
    revision.set_author(context.author);
    *revision.mutable_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(context.time));
    revision.set_content_revision(
        sent != nullptr || !old_head
            ? revision.revision()
            : (old_head->content_revision() > 0 ? old_head->content_revision() : 0));
    storage::ReportHead head;
    head.set_latest_revision(revision.revision());
    head.set_status(revision.status());
    if (revision.status() == v1::REPORT_STATUS_APPROVED) {
      head.set_approved_revision(revision.revision());
    } else if (old_head) {
      head.set_approved_revision(old_head->approved_revision());
    }
    if (sent != nullptr || !old_head) {
      head.set_content_revision(revision.revision());
    } else {
      head.set_content_revision(old_head->content_revision());
    }

    Prepared prepared(std::move(revision));
    const v1::ReportRevision& answer = prepared.answer;
    v1::ReportRevision& basic = *head.mutable_basic();
    basic = answer;
    basic.clear_report();
    *basic.mutable_report()->mutable_identity() =
        sent ? sent->identity() : answer.report().identity();
    rocksdb::WriteBatch& batch = prepared.batch;
    std::string value = answer.SerializeAsString();
    const std::string stored_answer = sent ? value : std::string();
    if (sent) AppendReportField(*sent, value);
    batch.Put(store_.family(kRevisions),
              keys::Revision(dept, year, static_cast<uint64_t>(answer.revision())), value);
    batch.Put(store_.family(kHeads), report_key_, head.SerializeAsString());
    batch.Put(store_.family(kIndex), keys::YearIndex(year, dept), "");
    if (old_head && old_head->status() != head.status()) {
      batch.Delete(store_.family(kIndex),
                   keys::StatusIndex(static_cast<uint8_t>(old_head->status()), year, dept));
    }
    batch.Put(store_.family(kIndex),
              keys::StatusIndex(static_cast<uint8_t>(head.status()), year, dept), "");
    if (!idempotency_key_.empty()) {
      storage::IdempotencyRecord record;
      record.set_request_sha256(request_sha256_);
      record.set_response(sent ? stored_answer : value);
      batch.Put(store_.family(kIdempotency), idempotency_key_, record.SerializeAsString());
    }
    store_.Audit(batch, context, method_, absl::StrCat(dept, "/", year, "@", answer.revision()),
                 answer.revision(), StatusName(answer.status()));
    v1::Change change;
    *change.mutable_time() = basic.time();
    change.set_author(context.author);
    *change.mutable_key() = key_;
    *change.mutable_revision() = basic;
    prepared.change = change.SerializeAsString();
    prepared.lock = std::move(lock_);
    return prepared;
  }

  // The head of a report that exists (and is not deleted) and whose newest
  // revision is `expected`; NOT_FOUND or ABORTED otherwise.
  absl::StatusOr<storage::ReportHead> LiveHeadAt(int64_t expected, absl::string_view hint = "") {
    auto head = Head();
    if (!head.ok()) return head.status();
    if (!*head || (*head)->status() == v1::REPORT_STATUS_DELETED) {
      return absl::NotFoundError(absl::StrCat("no report ", Describe(key_), hint));
    }
    if (absl::Status status = CheckExpected(**head, expected); !status.ok()) return status;
    return **head;
  }

  // ABORTED unless the report's newest revision is `expected`.
  absl::Status CheckExpected(const storage::ReportHead& head, int64_t expected) {
    if (head.latest_revision() == expected) return absl::OkStatus();
    return absl::AbortedError(absl::StrCat("report ", Describe(key_), " is at revision ",
                                           head.latest_revision(), ", not ", expected,
                                           "; read it again and retry"));
  }

 private:
  Impl& store_;
  const v1::ReportKey key_;
  const std::string report_key_;
  StripeLocks::Lock lock_;
  const std::string method_;
  const std::string idempotency_key_;
  const std::string request_sha256_;
};

absl::StatusOr<Store::Impl::Prepared> Store::Impl::PrepareCreateReport(
    const v1::CreateReportRequest& request, const WriteContext& context) {
  if (absl::Status status = report::CheckReport(request.report()); !status.ok()) {
    return report::PrefixFields(status, "report.");
  }
  v1::ReportKey key = KeyOf(request.report());
  Writer writer(*this, key, "CreateReport", request, request.idempotency_key(), context);
  auto replay = writer.Replay();
  if (!replay.ok()) return replay.status();
  if (*replay) return Prepared(**std::move(replay));
  auto head = writer.Head();
  if (!head.ok()) return head.status();
  if (*head && (*head)->status() != v1::REPORT_STATUS_DELETED) {
    return absl::AlreadyExistsError(
        absl::StrCat("report ", Describe(key), " already exists (revision ",
                     (*head)->latest_revision(), "); update it naming that revision"));
  }
  v1::ReportRevision revision;
  revision.set_revision(*head ? (*head)->latest_revision() + 1 : 1);
  revision.set_status(v1::REPORT_STATUS_DRAFT);
  return writer.Prepare(std::move(revision), &request.report(), *head, context);
}

absl::StatusOr<Store::Impl::Prepared> Store::Impl::PrepareUpdateReport(
    const v1::UpdateReportRequest& request, const WriteContext& context) {
  if (absl::Status status = report::CheckReport(request.report()); !status.ok()) {
    return report::PrefixFields(status, "report.");
  }
  if (absl::Status status = RequireExpectedRevision(request.expected_revision()); !status.ok()) {
    return status;
  }
  v1::ReportKey key = KeyOf(request.report());
  Writer writer(*this, key, "UpdateReport", request, request.idempotency_key(), context);
  auto replay = writer.Replay();
  if (!replay.ok()) return replay.status();
  if (*replay) return Prepared(**std::move(replay));
  auto head = writer.LiveHeadAt(request.expected_revision(), "; create it first");
  if (!head.ok()) return head.status();
  v1::ReportStatus status = head->status();
  if (status != v1::REPORT_STATUS_DRAFT && status != v1::REPORT_STATUS_RETURNED) {
    return absl::FailedPreconditionError(
        absl::StrCat("report ", Describe(key), " is ", StatusName(status),
                     "; only a draft or a returned report can be changed"));
  }
  v1::ReportRevision revision;
  revision.set_revision(head->latest_revision() + 1);
  revision.set_status(status);
  return writer.Prepare(std::move(revision), &request.report(), *head, context);
}

absl::StatusOr<Store::Impl::Prepared> Store::Impl::PrepareTransitionReport(
    const v1::TransitionReportRequest& request, const WriteContext& context) {
  if (absl::Status status = CheckKey(request.key(), "key"); !status.ok()) return status;
  if (!v1::ReportStatus_IsValid(request.to()) || request.to() == v1::REPORT_STATUS_UNSPECIFIED ||
      request.to() == v1::REPORT_STATUS_DRAFT || request.to() == v1::REPORT_STATUS_DELETED) {
    return report::InvalidArgumentWithViolations(
        "bad target status", {{"to", "must be SUBMITTED, RETURNED or APPROVED"}});
  }
  if (request.to() == v1::REPORT_STATUS_RETURNED && request.reason().empty()) {
    return report::InvalidArgumentWithViolations(
        "returning a report needs a reason",
        {{"reason", "is required when returning a report: say what to fix"}});
  }
  if (request.reason().size() > report::kMaxTextBytes) {
    return report::InvalidArgumentWithViolations("reason too long",
                                                 {{"reason", "is at most 64 KiB"}});
  }
  if (absl::Status status = RequireExpectedRevision(request.expected_revision()); !status.ok()) {
    return status;
  }
  Writer writer(*this, request.key(), "TransitionReport", request, request.idempotency_key(),
                context);
  auto replay = writer.Replay();
  if (!replay.ok()) return replay.status();
  if (*replay) return Prepared(**std::move(replay));
  auto head = writer.LiveHeadAt(request.expected_revision());
  if (!head.ok()) return head.status();
  if (!Allowed(head->status(), request.to())) {
    return absl::FailedPreconditionError(
        absl::StrCat("report ", Describe(request.key()), " is ", StatusName(head->status()),
                     " and cannot become ", StatusName(request.to()),
                     " (draft → submitted → returned → submitted → approved)"));
  }
  if (options_.require_fresh_cards &&
      (request.to() == v1::REPORT_STATUS_SUBMITTED || request.to() == v1::REPORT_STATUS_APPROVED)) {
    if (absl::Status scored = CheckScoredFor(request, *head); !scored.ok()) return scored;
  }
  auto latest = writer.Read(head->latest_revision());
  if (!latest.ok()) return latest.status();
  v1::ReportRevision revision;
  revision.set_revision(head->latest_revision() + 1);
  revision.set_status(request.to());
  revision.set_reason(request.reason());
  *revision.mutable_report() = std::move(*latest->mutable_report());
  return writer.Prepare(std::move(revision), nullptr, *head, context);
}

absl::StatusOr<Store::Impl::Prepared> Store::Impl::PrepareDeleteReport(
    const v1::DeleteReportRequest& request, const WriteContext& context) {
  if (absl::Status status = CheckKey(request.key(), "key"); !status.ok()) return status;
  if (absl::Status status = RequireExpectedRevision(request.expected_revision()); !status.ok()) {
    return status;
  }
  Writer writer(*this, request.key(), "DeleteReport", request, "", context);
  auto head = writer.LiveHeadAt(request.expected_revision());
  if (!head.ok()) return head.status();
  if (head->status() != v1::REPORT_STATUS_DRAFT) {
    return absl::FailedPreconditionError(absl::StrCat("report ", Describe(request.key()), " is ",
                                                      StatusName(head->status()),
                                                      "; only a draft can be deleted"));
  }
  auto latest = writer.Read(head->latest_revision());
  if (!latest.ok()) return latest.status();
  v1::ReportRevision revision;
  revision.set_revision(head->latest_revision() + 1);
  revision.set_status(v1::REPORT_STATUS_DELETED);
  *revision.mutable_report() = std::move(*latest->mutable_report());
  return writer.Prepare(std::move(revision), nullptr, *head, context);
}

void Store::Impl::Commit(absl::StatusOr<Prepared> prepared, RevisionDone done) {
  if (!prepared.ok()) return std::move(done)(prepared.status());
  if (prepared->batch.Count() == 0) return std::move(done)(std::move(prepared->answer));
  committer_->Submit(
      std::move(prepared->batch), std::move(prepared->lock),
      [answer = std::move(prepared->answer), done = std::move(done)](absl::Status status) mutable {
        if (status.ok()) {
          std::move(done)(std::move(answer));
        } else {
          std::move(done)(status);
        }
      },
      std::move(prepared->change));
}

void Store::Impl::CreateReport(const v1::CreateReportRequest& request, const WriteContext& context,
                               RevisionDone done) {
  Commit(PrepareCreateReport(request, context), std::move(done));
}

absl::StatusOr<v1::ReportRevision> Store::Impl::CreateReport(const v1::CreateReportRequest& request,
                                                             const WriteContext& context) {
  return Await<absl::StatusOr<v1::ReportRevision>>(
      [&](RevisionDone done) { CreateReport(request, context, std::move(done)); });
}

void Store::Impl::UpdateReport(const v1::UpdateReportRequest& request, const WriteContext& context,
                               RevisionDone done) {
  Commit(PrepareUpdateReport(request, context), std::move(done));
}

absl::StatusOr<v1::ReportRevision> Store::Impl::UpdateReport(const v1::UpdateReportRequest& request,
                                                             const WriteContext& context) {
  return Await<absl::StatusOr<v1::ReportRevision>>(
      [&](RevisionDone done) { UpdateReport(request, context, std::move(done)); });
}

void Store::Impl::TransitionReport(const v1::TransitionReportRequest& request,
                                   const WriteContext& context, RevisionDone done) {
  if (request.to() != v1::REPORT_STATUS_APPROVED) {
    return Commit(PrepareTransitionReport(request, context), std::move(done));
  }
  // Counted from before it is checked until it is durable (or refused), so
  // that AssignScheme never misses an approval between its check and its
  // write.
  const uint32_t year = static_cast<uint32_t>(request.key().fiscal_year());
  {
    std::lock_guard<std::mutex> lock(assignments_mutex_);
    ++approvals_in_flight_[year];
  }
  Commit(PrepareTransitionReport(request, context),
         [this, year, done = std::move(done)](absl::StatusOr<v1::ReportRevision> result) mutable {
           {
             std::lock_guard<std::mutex> lock(assignments_mutex_);
             if (--approvals_in_flight_[year] == 0) approvals_in_flight_.erase(year);
           }
           std::move(done)(std::move(result));
         });
}

absl::StatusOr<v1::ReportRevision> Store::Impl::TransitionReport(
    const v1::TransitionReportRequest& request, const WriteContext& context) {
  return Await<absl::StatusOr<v1::ReportRevision>>(
      [&](RevisionDone done) { TransitionReport(request, context, std::move(done)); });
}

void Store::Impl::DeleteReport(const v1::DeleteReportRequest& request, const WriteContext& context,
                               RevisionDone done) {
  Commit(PrepareDeleteReport(request, context), std::move(done));
}

absl::StatusOr<v1::ReportRevision> Store::Impl::DeleteReport(const v1::DeleteReportRequest& request,
                                                             const WriteContext& context) {
  return Await<absl::StatusOr<v1::ReportRevision>>(
      [&](RevisionDone done) { DeleteReport(request, context, std::move(done)); });
}

absl::StatusOr<std::string> Store::Impl::GetReportBytes(const v1::GetReportRequest& request) {
  if (absl::Status status = CheckKey(request.key(), "key"); !status.ok()) return status;
  if (request.revision() < 0) {
    return report::InvalidArgumentWithViolations("bad revision",
                                                 {{"revision", "must be 0 (latest) or more"}});
  }
  const std::string& dept = request.key().department_code();
  uint32_t year = static_cast<uint32_t>(request.key().fiscal_year());
  int64_t revision = request.revision();
  if (request.counting()) {
    if (revision != 0) {
      return report::InvalidArgumentWithViolations(
          "bad revision", {{"revision", "must be 0 when asking for the revision that counts"}});
    }
    auto counting = AuthoritativeRevision(dept, year);
    if (!counting.ok()) return counting.status();
    if (*counting == 0) {
      return absl::NotFoundError(absl::StrCat("no report ", Describe(request.key()),
                                              " counts: none is stored, or it was deleted"));
    }
    revision = *counting;
  } else if (revision == 0) {
    storage::ReportHead head;
    absl::Status status = GetProto(db_.get(), family(kHeads), keys::Report(dept, year), &head);
    if (absl::IsNotFound(status)) {
      return absl::NotFoundError(absl::StrCat("no report ", Describe(request.key())));
    }
    if (!status.ok()) return status;
    if (head.status() == v1::REPORT_STATUS_DELETED) {
      return absl::NotFoundError(absl::StrCat("report ", Describe(request.key()),
                                              " was deleted at revision ", head.latest_revision(),
                                              "; earlier revisions can be read by number"));
    }
    revision = head.latest_revision();
  }
  std::string stored;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), family(kRevisions),
               keys::Revision(dept, year, static_cast<uint64_t>(revision)), &stored);
  if (status.IsNotFound()) {
    return absl::NotFoundError(
        absl::StrCat("report ", Describe(request.key()), " has no revision ", revision));
  }
  if (!status.ok()) return FromRocks(status, "read a revision");
  return stored;
}

absl::StatusOr<v1::ReportRevision> Store::Impl::GetReport(const v1::GetReportRequest& request) {
  absl::StatusOr<std::string> stored = GetReportBytes(request);
  if (!stored.ok()) return stored.status();
  v1::ReportRevision revision;
  if (!revision.ParseFromString(*stored)) return absl::InternalError("stored revision is corrupt");
  return revision;
}

absl::StatusOr<v1::GetReportHistoryResponse> Store::Impl::GetReportHistory(
    const v1::GetReportHistoryRequest& request) {
  if (absl::Status status = CheckKey(request.key(), "key"); !status.ok()) return status;
  auto page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  std::string prefix = keys::Report(request.key().department_code(),
                                    static_cast<uint32_t>(request.key().fiscal_year()));
  const std::string query = "history|" + prefix;
  std::string upper = keys::PrefixEnd(prefix);
  auto after = page_tokens_->Decode(request.page_token(), query, prefix, upper);
  if (!after.ok()) return after.status();
  rocksdb::Slice lower_slice(prefix), upper_slice(upper);
  rocksdb::ReadOptions options;
  options.iterate_lower_bound = &lower_slice;
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family(kRevisions)));
  v1::GetReportHistoryResponse response;
  it->Seek(after->empty() ? prefix : *after);
  if (!after->empty() && it->Valid() && it->key() == *after) it->Next();
  std::string last;
  for (; it->Valid() && response.revisions_size() < *page_size; it->Next()) {
    v1::ReportRevision* revision = response.add_revisions();
    if (!revision->ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::InternalError("stored revision is corrupt");
    }
    revision->clear_report();
    last = it->key().ToString();
  }
  if (!it->status().ok()) return FromRocks(it->status(), "read history");
  if (it->Valid()) response.set_next_page_token(page_tokens_->Encode(last, query));
  if (response.revisions().empty() && after->empty()) {
    return absl::NotFoundError(absl::StrCat("no report ", Describe(request.key())));
  }
  return response;
}

absl::StatusOr<v1::ListReportsResponse> Store::Impl::ListReports(
    const v1::ListReportsRequest& request) {
  auto page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (!v1::ReportStatus_IsValid(request.status())) {
    return report::InvalidArgumentWithViolations("bad status filter",
                                                 {{"status", "is not a known report status"}});
  }
  if (!v1::ReportView_IsValid(request.view())) {
    return report::InvalidArgumentWithViolations("bad view",
                                                 {{"view", "must be BASIC, FULL or FIGURES"}});
  }
  if (request.fiscal_year() != 0 && (request.fiscal_year() < report::kMinFiscalYear ||
                                     request.fiscal_year() > report::kMaxFiscalYear)) {
    return report::InvalidArgumentWithViolations(
        "bad year filter", {{"fiscal_year", "must be 0 (any) or a year within [2000, 2100]"}});
  }
  const uint32_t year = static_cast<uint32_t>(request.fiscal_year());
  const v1::ReportStatus status = request.status();
  // Pick the range that holds exactly the reports wanted (or, by
  // department, a department's few years).
  enum class Scan { kHeads, kYearIndex, kStatusIndex } scan;
  std::string prefix;
  if (!request.department_code().empty()) {
    scan = Scan::kHeads;
    prefix = year ? keys::Report(request.department_code(), year)
                  : keys::DepartmentPrefix(request.department_code());
  } else if (status != v1::REPORT_STATUS_UNSPECIFIED) {
    scan = Scan::kStatusIndex;
    prefix = year ? keys::StatusYearIndexPrefix(static_cast<uint8_t>(status), year)
                  : keys::StatusIndexPrefix(static_cast<uint8_t>(status));
  } else if (year) {
    scan = Scan::kYearIndex;
    prefix = keys::YearIndexPrefix(year);
  } else {
    scan = Scan::kHeads;
  }
  // The query names every filter, and the scan stays within [prefix, upper)
  // whatever the token says.
  const std::string query =
      absl::StrCat("list|", year, "|", request.department_code(), "|", status);
  std::string upper = keys::PrefixEnd(prefix);
  auto after = page_tokens_->Decode(request.page_token(), query, prefix, upper);
  if (!after.ok()) return after.status();

  rocksdb::Slice lower_slice(prefix), upper_slice(upper);
  rocksdb::ReadOptions options;
  if (!prefix.empty()) options.iterate_lower_bound = &lower_slice;
  if (!upper.empty()) options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(options, family(scan == Scan::kHeads ? kHeads : kIndex)));
  it->Seek(after->empty() ? prefix : *after);
  if (!after->empty() && it->Valid() && it->key() == *after) it->Next();

  const bool basic =
      request.view() == v1::REPORT_VIEW_BASIC || request.view() == v1::REPORT_VIEW_UNSPECIFIED;
  v1::ListReportsResponse response;
  std::string last;
  size_t bytes = 0;
  for (; it->Valid() && response.reports_size() < *page_size && bytes < kMaxPageBytes; it->Next()) {
    std::string dept;
    uint32_t key_year = 0;
    bool parsed = scan == Scan::kHeads ? keys::ParseReport(it->key().ToString(), &dept, &key_year)
                  : scan == Scan::kYearIndex
                      ? keys::ParseYearIndex(it->key().ToString(), &dept, &key_year)
                      : keys::ParseStatusIndex(it->key().ToString(), &dept, &key_year);
    if (!parsed) return absl::InternalError("malformed key in the store");
    const std::string previous = std::exchange(last, it->key().ToString());
    storage::ReportHead head;
    absl::Status read = GetProto(db_.get(), family(kHeads), keys::Report(dept, key_year), &head);
    if (!read.ok()) return read;
    bool wanted = status != v1::REPORT_STATUS_UNSPECIFIED
                      ? head.status() == status
                      : head.status() != v1::REPORT_STATUS_DELETED;
    if (!wanted) continue;
    v1::ReportRevision revision;
    if (basic && head.has_basic()) {
      revision = std::move(*head.mutable_basic());
    } else {
      read = GetProto(db_.get(), family(kRevisions),
                      keys::Revision(dept, key_year, static_cast<uint64_t>(head.latest_revision())),
                      &revision);
      if (!read.ok()) return read;
      if (basic) KeepIdentityOnly(*revision.mutable_report());
      if (request.view() == v1::REPORT_VIEW_FIGURES) revision.mutable_report()->clear_narrative();
    }
    // A page holds one report however large, and stops before one that
    // would take it past its bytes: the next page starts there.
    const size_t size = revision.ByteSizeLong();
    if (response.reports_size() > 0 && bytes + size > kMaxPageBytes) {
      response.set_next_page_token(page_tokens_->Encode(previous, query));
      return response;
    }
    bytes += size;
    *response.add_reports() = std::move(revision);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "list reports");
  if (it->Valid()) response.set_next_page_token(page_tokens_->Encode(last, query));
  return response;
}

}  // namespace jixiao::store
