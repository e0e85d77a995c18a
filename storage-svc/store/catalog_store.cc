// Schemes and score cards.

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/check_report.h"
#include "common/report/deterministic.h"
#include "common/report/field_violations.h"
#include "common/report/labels.h"
#include "common/report/plain_text.h"
#include "common/report/scheme_ref.h"
#include "google/protobuf/util/time_util.h"
#include "storage-svc/store/keys.h"
#include "storage-svc/store/page_tokens.h"
#include "storage-svc/store/records.pb.h"
#include "storage-svc/store/rocks_util.h"
#include "storage-svc/store/store_impl.h"

namespace jixiao::store {
namespace {

// Scheme ids, as a scheme file names them. (Department codes are checked as
// a report's identity is: report::DepartmentCodeProblem.)
bool IsSchemeId(const std::string& text) { return text.size() <= 128 && report::IsCode(text); }

// The newest card of one report revision: the one of highest sequence under
// `revision_prefix` (a keys::CardRevisionPrefix), whatever its scheme, and
// that sequence; nullopt if the revision has no card. A revision holds a
// few cards at most (one per scheme and set of scores), so this reads them
// all.
struct NewestCard {
  v1::ScoreCard card;
  uint32_t sequence = 0;
};
absl::StatusOr<std::optional<NewestCard>> ReadNewestCard(rocksdb::DB* db,
                                                         rocksdb::ColumnFamilyHandle* cards,
                                                         const std::string& revision_prefix) {
  const std::string upper = keys::PrefixEnd(revision_prefix);
  rocksdb::Slice lower_slice(revision_prefix), upper_slice(upper);
  rocksdb::ReadOptions options;
  options.iterate_lower_bound = &lower_slice;
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options, cards));
  std::optional<std::string> newest;
  uint32_t newest_sequence = 0;
  for (it->Seek(revision_prefix); it->Valid(); it->Next()) {
    uint64_t revision = 0;
    uint32_t sequence = 0;
    if (!keys::ParseCard(absl::string_view(it->key().data(), it->key().size()), &revision,
                         &sequence)) {
      return absl::InternalError("malformed card key in the store");
    }
    if (!newest || sequence >= newest_sequence) {
      newest = it->value().ToString();
      newest_sequence = sequence;
    }
  }
  if (!it->status().ok()) return FromRocks(it->status(), "read score cards");
  if (!newest) return std::optional<NewestCard>();
  NewestCard found;
  if (!found.card.ParseFromString(*newest)) {
    return absl::InternalError("stored score card is corrupt");
  }
  found.sequence = newest_sequence;
  return std::optional<NewestCard>(std::move(found));
}

// Whether two cards give the same scores: equal but for their signatures
// (a card scored again after a key rotation is the same card).
bool SameScores(v1::ScoreCard a, v1::ScoreCard b) {
  a.clear_signature();
  b.clear_signature();
  a.clear_saved_time();
  b.clear_saved_time();
  return report::DeterministicBytes(a) == report::DeterministicBytes(b);
}

}  // namespace

absl::StatusOr<v1::Scheme> Store::Impl::PublishScheme(const v1::PublishSchemeRequest& request,
                                                      const WriteContext& context) {
  const v1::Scheme& scheme = request.scheme();
  if (options_.check_scheme) {
    absl::Status checked = options_.check_scheme(scheme);
    if (!checked.ok()) return report::PrefixFields(checked, "scheme.");
  }
  const std::string* builtin = BuiltInDigest(scheme.id(), scheme.version());
  if (builtin != nullptr && report::SchemeDigest(scheme) != *builtin) {
    return absl::AlreadyExistsError(
        absl::StrCat("scheme ", scheme.id(), " version ", scheme.version(),
                     " is the built-in scheme and never changes; publish yours as a new version "
                     "or under another id"));
  }
  std::string key = keys::Scheme(scheme.id(), static_cast<uint32_t>(scheme.version()));
  std::lock_guard<std::mutex> lock(schemes_mutex_);
  v1::Scheme existing;
  absl::Status status = GetProto(db_.get(), family(kSchemes), key, &existing);
  if (status.ok()) {
    if (report::DeterministicBytes(existing) == report::DeterministicBytes(scheme)) return existing;
    return absl::AlreadyExistsError(absl::StrCat("scheme ", scheme.id(), " version ",
                                                 scheme.version(),
                                                 " is published and never changes; publish it as "
                                                 "a new version"));
  }
  if (!absl::IsNotFound(status)) return status;
  rocksdb::WriteBatch batch;
  batch.Put(family(kSchemes), key, scheme.SerializeAsString());
  Audit(batch, context, "PublishScheme",
        absl::StrCat("scheme ", scheme.id(), "@", scheme.version()));
  status = WriteDurably(std::move(batch), "publish scheme");
  if (!status.ok()) return status;
  return scheme;
}

absl::StatusOr<v1::Scheme> Store::Impl::GetScheme(const v1::GetSchemeRequest& request) {
  if (!IsSchemeId(request.id())) {
    return report::InvalidArgumentWithViolations(
        "bad scheme id", {{"id", "is required: letters, digits, '-', '_', '.'"}});
  }
  if (request.version() < 0) {
    return report::InvalidArgumentWithViolations("bad version",
                                                 {{"version", "must be 0 (newest) or more"}});
  }
  v1::Scheme scheme;
  if (request.version() > 0) {
    absl::Status status =
        GetProto(db_.get(), family(kSchemes),
                 keys::Scheme(request.id(), static_cast<uint32_t>(request.version())), &scheme);
    if (absl::IsNotFound(status)) {
      return absl::NotFoundError(
          absl::StrCat("no scheme ", request.id(), " version ", request.version()));
    }
    if (!status.ok()) return status;
    return scheme;
  }
  // The newest version is the last key with the id's prefix.
  std::string prefix = keys::SchemePrefix(request.id());
  std::string upper = keys::PrefixEnd(prefix);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family(kSchemes)));
  it->SeekForPrev(upper);
  if (it->Valid() && it->key() == upper) it->Prev();
  if (!it->Valid() || !it->key().starts_with(prefix)) {
    if (!it->status().ok()) return FromRocks(it->status(), "read scheme");
    return absl::NotFoundError(absl::StrCat("no scheme ", request.id()));
  }
  if (!scheme.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
    return absl::InternalError("stored scheme is corrupt");
  }
  return scheme;
}

absl::StatusOr<v1::ListStoredSchemesResponse> Store::Impl::ListSchemes(
    const v1::ListStoredSchemesRequest& request) {
  auto page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  auto after = page_tokens_->Decode(request.page_token(), "schemes", "", "");
  if (!after.ok()) return after.status();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family(kSchemes)));
  if (after->empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(*after);
    if (it->Valid() && it->key() == *after) it->Next();
  }
  v1::ListStoredSchemesResponse response;
  std::string last;
  for (; it->Valid() && response.schemes_size() < *page_size; it->Next()) {
    if (!response.add_schemes()->ParseFromArray(it->value().data(),
                                                static_cast<int>(it->value().size()))) {
      return absl::InternalError("stored scheme is corrupt");
    }
    last = it->key().ToString();
  }
  if (!it->status().ok()) return FromRocks(it->status(), "list schemes");
  if (it->Valid()) response.set_next_page_token(page_tokens_->Encode(last, "schemes"));
  return response;
}

absl::StatusOr<v1::ScoreCard> Store::Impl::SaveScoreCard(const v1::SaveScoreCardRequest& request,
                                                         const WriteContext& context,
                                                         const CardCheck& check) {
  const v1::ScoreCard& card = request.card();
  const v1::ReportRef& ref = card.report();
  std::vector<report::FieldViolation> violations;
  if (std::string problem = report::DepartmentCodeProblem(ref.department_code());
      !problem.empty()) {
    violations.push_back({"card.report.department_code", std::move(problem)});
  }
  if (ref.fiscal_year() < report::kMinFiscalYear || ref.fiscal_year() > report::kMaxFiscalYear) {
    violations.push_back({"card.report.fiscal_year", "must lie within [2000, 2100]"});
  }
  if (ref.revision() <= 0) {
    violations.push_back({"card.report.revision", "must name the stored revision that was scored"});
  }
  if (!IsSchemeId(card.scheme_id())) {
    violations.push_back({"card.scheme_id", "is required: letters, digits, '-', '_', '.'"});
  }
  if (card.scheme_version() <= 0)
    violations.push_back({"card.scheme_version", "must be 1 or more"});
  const bool has_prior = card.has_prior_report();
  if (has_prior) {
    const v1::ReportRef& prior = card.prior_report();
    if (prior.department_code() != ref.department_code()) {
      violations.push_back({"card.prior_report.department_code",
                            absl::StrCat("is \"", prior.department_code(),
                                         "\"; last year's report is of the same department, \"",
                                         ref.department_code(), "\"")});
    }
    if (prior.fiscal_year() != ref.fiscal_year() - 1) {
      violations.push_back({"card.prior_report.fiscal_year",
                            absl::StrCat("must be ", ref.fiscal_year() - 1, ", the year before")});
    }
    if (prior.revision() <= 0) {
      violations.push_back(
          {"card.prior_report.revision", "must name the stored revision that was scored with"});
    }
  }
  if (!violations.empty())
    return report::InvalidArgumentWithViolations("bad score card", violations);

  const uint32_t year = static_cast<uint32_t>(ref.fiscal_year());
  // Under the report's stripe: the status read below stays the report's
  // status, and two saves cannot take the same sequence.
  StripeLocks::Lock lock = report_stripes_.Acquire(keys::Report(ref.department_code(), year));
  v1::ReportRevision revision;
  absl::Status status =
      GetProto(db_.get(), family(kRevisions),
               keys::Revision(ref.department_code(), year, static_cast<uint64_t>(ref.revision())),
               &revision);
  if (absl::IsNotFound(status)) {
    return absl::FailedPreconditionError(absl::StrCat("report ", ref.department_code(), " ",
                                                      ref.fiscal_year(), " has no revision ",
                                                      ref.revision(), " to attach a card to"));
  }
  if (!status.ok()) return status;
  storage::ReportHead head;
  status = GetProto(db_.get(), family(kHeads), keys::Report(ref.department_code(), year), &head);
  if (!status.ok()) return status;
  if (head.status() == v1::REPORT_STATUS_DELETED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "report ", ref.department_code(), " ", ref.fiscal_year(), " was deleted at revision ",
        head.latest_revision(), ": a deleted report takes no cards"));
  }
  v1::ReportRevision prior;
  if (has_prior) {
    const v1::ReportRef& prior_ref = card.prior_report();
    auto authoritative = AuthoritativeRevision(prior_ref.department_code(), year - 1);
    if (!authoritative.ok()) return authoritative.status();
    if (*authoritative != prior_ref.revision()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the card was scored with report ", prior_ref.department_code(), " ",
          prior_ref.fiscal_year(), " revision ", prior_ref.revision(),
          ", but last year's report is ",
          *authoritative == 0 ? std::string("not stored (or was deleted)")
                              : absl::StrCat("revision ", *authoritative,
                                             " (its latest approved, else its latest)"),
          ": score it again"));
    }
    status = GetProto(db_.get(), family(kRevisions),
                      keys::Revision(prior_ref.department_code(), year - 1,
                                     static_cast<uint64_t>(prior_ref.revision())),
                      &prior);
    if (!status.ok()) return status;
  }
  if (check) {
    if (absl::Status checked =
            check(revision.report(), has_prior ? &prior.report() : nullptr, head.status(), card);
        !checked.ok()) {
      return checked;
    }
  }
  if (absl::Status known = CheckCardScheme(card); !known.ok()) return known;
  if (absl::Status assigned = CheckCardYear(card); !assigned.ok()) return assigned;

  // Cards are never replaced: the card shown already (the newest of the
  // revision) again is a no-op; any other is kept beside the earlier ones,
  // as the newest.
  auto newest = ReadNewestCard(
      db_.get(), family(kCards),
      keys::CardRevisionPrefix(year, ref.department_code(), static_cast<uint64_t>(ref.revision())));
  if (!newest.ok()) return newest.status();
  if (*newest && SameScores((*newest)->card, card)) return (*newest)->card;
  const uint32_t sequence = *newest ? (*newest)->sequence + 1 : 1;
  v1::ScoreCard saved_card = card;
  *saved_card.mutable_saved_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(context.time));
  rocksdb::WriteBatch batch;
  batch.Put(family(kCards),
            keys::Card(year, ref.department_code(), static_cast<uint64_t>(ref.revision()),
                       card.scheme_id(), static_cast<uint32_t>(card.scheme_version()), sequence),
            saved_card.SerializeAsString());
  Audit(batch, context, "SaveScoreCard",
        absl::StrCat(ref.department_code(), "/", ref.fiscal_year(), "@", ref.revision()),
        ref.revision(),
        absl::StrCat(card.scheme_id(), "@", card.scheme_version(), " ", card.total_score()));
  v1::Change change;
  *change.mutable_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(context.time));
  change.set_author(context.author);
  change.mutable_key()->set_department_code(ref.department_code());
  change.mutable_key()->set_fiscal_year(ref.fiscal_year());
  v1::CardSaved& saved = *change.mutable_card();
  saved.set_revision(ref.revision());
  saved.set_scheme_id(card.scheme_id());
  saved.set_scheme_version(card.scheme_version());
  saved.set_total_score(card.total_score());
  saved.set_grade(card.grade());
  saved.set_error_findings(static_cast<int32_t>(
      std::count_if(card.findings().begin(), card.findings().end(),
                    [](const v1::Finding& f) { return f.severity() == v1::SEVERITY_ERROR; })));
  status = WriteDurably(std::move(batch), "save score card", change.SerializeAsString());
  if (!status.ok()) return status;
  return saved_card;
}

absl::StatusOr<int64_t> Store::Impl::AuthoritativeRevision(const std::string& department,
                                                           uint32_t year) {
  storage::ReportHead head;
  absl::Status status = GetProto(db_.get(), family(kHeads), keys::Report(department, year), &head);
  if (absl::IsNotFound(status)) return 0;
  if (!status.ok()) return status;
  if (head.approved_revision() > 0) return head.approved_revision();
  if (head.status() == v1::REPORT_STATUS_DELETED) return 0;
  return head.latest_revision();
}

absl::Status Store::Impl::CheckCardYear(const v1::ScoreCard& card) {
  v1::SchemeAssignment assignment;
  absl::Status status =
      GetProto(db_.get(), family(kAssignments),
               keys::Assignment(static_cast<uint32_t>(card.report().fiscal_year())), &assignment);
  if (absl::IsNotFound(status)) return absl::OkStatus();  // any scheme the store knows
  if (!status.ok()) return status;
  if (assignment.scheme_id() == card.scheme_id() &&
      assignment.scheme_version() == card.scheme_version()) {
    return absl::OkStatus();
  }
  return report::InvalidArgumentWithViolations(
      absl::StrCat("score card refused: fiscal year ", card.report().fiscal_year(),
                   " is scored with scheme ", assignment.scheme_id(), "@",
                   assignment.scheme_version()),
      {{"card.scheme_id",
        absl::StrCat("is ", card.scheme_id(), "@", card.scheme_version(), "; fiscal year ",
                     card.report().fiscal_year(), " is scored with ", assignment.scheme_id(), "@",
                     assignment.scheme_version(), " (jixiao scheme list)")}});
}

const std::string* Store::Impl::BuiltInDigest(const std::string& id, int version) const {
  for (size_t i = 0; i < options_.built_in_schemes.size(); ++i) {
    const v1::Scheme& scheme = options_.built_in_schemes[i];
    if (scheme.id() == id && scheme.version() == version) return &built_in_digests_[i];
  }
  return nullptr;
}

absl::Status Store::Impl::CheckCardScheme(const v1::ScoreCard& card) {
  const std::string name = absl::StrCat(card.scheme_id(), "@", card.scheme_version());
  v1::Scheme published;
  absl::Status status = GetProto(
      db_.get(), family(kSchemes),
      keys::Scheme(card.scheme_id(), static_cast<uint32_t>(card.scheme_version())), &published);
  std::string digest;
  if (status.ok()) {
    digest = report::SchemeDigest(published);
  } else if (absl::IsNotFound(status)) {
    const std::string* builtin = BuiltInDigest(card.scheme_id(), card.scheme_version());
    if (builtin == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("scheme ", name,
                       " is not published here; an administrator publishes it (jixiao admin "
                       "publish) before cards scored with it can be kept"));
    }
    digest = *builtin;
  } else {
    return status;
  }
  if (card.scheme_sha256() == digest) return absl::OkStatus();
  return report::InvalidArgumentWithViolations(
      absl::StrCat("score card refused: it was not scored with scheme ", name, " as published"),
      {{"card.scheme_sha256",
        absl::StrCat("is not the digest of scheme ", name,
                     " as published (its rules differ); score the report with the published "
                     "scheme")}});
}

absl::StatusOr<v1::ScoreCard> Store::Impl::GetScoreCard(const v1::GetScoreCardRequest& request) {
  const v1::ReportKey& key = request.key();
  if (!report::DepartmentCodeProblem(key.department_code()).empty() ||
      key.fiscal_year() < report::kMinFiscalYear || key.fiscal_year() > report::kMaxFiscalYear ||
      request.revision() < 0) {
    return report::InvalidArgumentWithViolations(
        "bad card key", {{"key", "needs a department code and a fiscal year within [2000, 2100]"}});
  }
  const uint32_t year = static_cast<uint32_t>(key.fiscal_year());
  uint64_t revision = static_cast<uint64_t>(request.revision());
  if (revision == 0) {  // the latest revision that has a card
    const std::string prefix = keys::CardReportPrefix(year, key.department_code());
    const std::string upper = keys::PrefixEnd(prefix);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family(kCards)));
    it->SeekForPrev(upper);
    if (it->Valid() && it->key() == upper) it->Prev();
    if (!it->status().ok()) return FromRocks(it->status(), "read score card");
    uint32_t unused = 0;
    if (it->Valid() && it->key().starts_with(prefix) &&
        !keys::ParseCard(absl::string_view(it->key().data(), it->key().size()), &revision,
                         &unused)) {
      return absl::InternalError("malformed card key in the store");
    }
  }
  absl::StatusOr<std::optional<NewestCard>> newest =
      revision == 0
          ? std::optional<NewestCard>()
          : ReadNewestCard(db_.get(), family(kCards),
                           keys::CardRevisionPrefix(year, key.department_code(), revision));
  if (!newest.ok()) return newest.status();
  if (!*newest) {
    auto head = ReadHead(key);
    if (head.ok() && request.revision() > head->latest_revision()) {
      return absl::NotFoundError(absl::StrCat(
          "report ", key.department_code(), " ", key.fiscal_year(), " has no revision ",
          request.revision(), "; its latest is ", head->latest_revision()));
    }
    if (absl::IsNotFound(head.status())) return head.status();
    return absl::NotFoundError(absl::StrCat(
        "no score card for ", key.department_code(), " ", key.fiscal_year(),
        request.revision() ? absl::StrCat(" revision ", request.revision()) : "",
        "; score it (jixiao score ", key.department_code(), "/", key.fiscal_year(), ")"));
  }
  return std::move((*newest)->card);
}

absl::StatusOr<v1::ListScoreCardsResponse> Store::Impl::ListScoreCards(
    const v1::ListScoreCardsRequest& request) {
  if (request.fiscal_year() < report::kMinFiscalYear ||
      request.fiscal_year() > report::kMaxFiscalYear) {
    return report::InvalidArgumentWithViolations("bad year",
                                                 {{"fiscal_year", "must lie within [2000, 2100]"}});
  }
  auto page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const uint32_t year = static_cast<uint32_t>(request.fiscal_year());
  const std::string query = absl::StrCat("cards|", year);
  const std::string prefix = keys::CardYearPrefix(year);
  auto after = page_tokens_->Decode(request.page_token(), query, prefix, keys::PrefixEnd(prefix));
  if (!after.ok()) return after.status();
  // No iterate_upper_bound: the walk seeks backwards to the end of each
  // report's group, so it checks the year prefix itself.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family(kCards)));
  // Resume after the last report of the previous page.
  it->Seek(after->empty() ? prefix : keys::PrefixEnd(*after));
  v1::ListScoreCardsResponse response;
  std::string last_report;
  size_t bytes = 0;
  while (it->Valid() && it->key().starts_with(prefix) && response.cards_size() < *page_size &&
         bytes < kMaxPageBytes) {
    uint32_t card_year = 0;
    std::string dept;
    if (!keys::ParseCardReport(it->key().ToString(), &card_year, &dept)) {
      return absl::InternalError("malformed card key in the store");
    }
    // The report's latest scored revision ends its group; its newest card
    // is the one of highest sequence.
    std::string report_prefix = keys::CardReportPrefix(year, dept);
    it->SeekForPrev(keys::PrefixEnd(report_prefix));
    if (it->Valid() && !it->key().starts_with(report_prefix)) it->Prev();
    if (!it->Valid()) break;
    uint64_t revision = 0;
    uint32_t unused = 0;
    if (!keys::ParseCard(absl::string_view(it->key().data(), it->key().size()), &revision,
                         &unused)) {
      return absl::InternalError("malformed card key in the store");
    }
    auto newest =
        ReadNewestCard(db_.get(), family(kCards), keys::CardRevisionPrefix(year, dept, revision));
    if (!newest.ok()) return newest.status();
    if (!*newest) return absl::InternalError("a card vanished while it was read");
    bytes += (*newest)->card.ByteSizeLong();
    *response.add_cards() = std::move((*newest)->card);
    last_report = report_prefix;
    it->Seek(keys::PrefixEnd(report_prefix));
  }
  if (!it->status().ok()) return FromRocks(it->status(), "list score cards");
  if (it->Valid() && it->key().starts_with(prefix)) {
    response.set_next_page_token(page_tokens_->Encode(last_report, query));
  }
  return response;
}

}  // namespace jixiao::store

namespace jixiao::store {

absl::StatusOr<v1::SchemeAssignment> Store::Impl::AssignScheme(
    const v1::AssignSchemeRequest& request, const WriteContext& context) {
  std::vector<report::FieldViolation> violations;
  if (request.fiscal_year() < report::kMinFiscalYear ||
      request.fiscal_year() > report::kMaxFiscalYear) {
    violations.push_back({"fiscal_year", "must lie within [2000, 2100]"});
  }
  if (!IsSchemeId(request.scheme_id())) {
    violations.push_back({"scheme_id", "is required: letters, digits, '-', '_', '.'"});
  }
  if (request.scheme_version() <= 0) {
    violations.push_back({"scheme_version", "must name a version, 1 or more"});
  }
  if (!violations.empty()) {
    return report::InvalidArgumentWithViolations("bad scheme assignment", violations);
  }
  const std::string name = absl::StrCat(request.scheme_id(), "@", request.scheme_version());
  if (BuiltInDigest(request.scheme_id(), request.scheme_version()) == nullptr) {
    v1::Scheme published;
    absl::Status status =
        GetProto(db_.get(), family(kSchemes),
                 keys::Scheme(request.scheme_id(), static_cast<uint32_t>(request.scheme_version())),
                 &published);
    if (absl::IsNotFound(status)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "scheme ", name, " is not published here; publish it first (jixiao admin publish)"));
    }
    if (!status.ok()) return status;
  }
  const uint32_t year = static_cast<uint32_t>(request.fiscal_year());
  const std::string key = keys::Assignment(year);
  std::lock_guard<std::mutex> lock(assignments_mutex_);
  v1::SchemeAssignment current;
  absl::Status status = GetProto(db_.get(), family(kAssignments), key, &current);
  if (!status.ok() && !absl::IsNotFound(status)) return status;
  const bool assigned = status.ok();
  if (assigned && current.scheme_id() == request.scheme_id() &&
      current.scheme_version() == request.scheme_version()) {
    return current;  // already so: nothing to write
  }
  {
    // Changing a year's scheme (the built-in one, before any assignment)
    // would re-grade reports already approved.
    const std::string prefix =
        keys::StatusYearIndexPrefix(static_cast<uint8_t>(v1::REPORT_STATUS_APPROVED), year);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family(kIndex)));
    it->Seek(prefix);
    if (!it->status().ok()) return FromRocks(it->status(), "read approvals");
    auto approving = approvals_in_flight_.find(year);
    if ((it->Valid() && it->key().starts_with(prefix)) ||
        (approving != approvals_in_flight_.end() && approving->second > 0)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "fiscal year ", year, " has approved reports, scored with ",
          assigned ? absl::StrCat("scheme ", current.scheme_id(), "@", current.scheme_version())
                   : std::string("the scheme they were approved with"),
          ": its scheme can no longer change"));
    }
  }
  v1::SchemeAssignment assignment;
  assignment.set_fiscal_year(request.fiscal_year());
  assignment.set_scheme_id(request.scheme_id());
  assignment.set_scheme_version(request.scheme_version());
  assignment.set_author(context.author);
  *assignment.mutable_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(context.time));
  rocksdb::WriteBatch batch;
  batch.Put(family(kAssignments), key, assignment.SerializeAsString());
  Audit(batch, context, "AssignScheme", absl::StrCat("year ", year), 0,
        assigned
            ? absl::StrCat(name, " (was ", current.scheme_id(), "@", current.scheme_version(), ")")
            : name);
  status = WriteDurably(std::move(batch), "assign scheme");
  if (!status.ok()) return status;
  return assignment;
}

absl::StatusOr<v1::SchemeAssignment> Store::Impl::GetSchemeAssignment(
    const v1::GetSchemeAssignmentRequest& request) {
  if (request.fiscal_year() < report::kMinFiscalYear ||
      request.fiscal_year() > report::kMaxFiscalYear) {
    return report::InvalidArgumentWithViolations("bad fiscal year",
                                                 {{"fiscal_year", "must lie within [2000, 2100]"}});
  }
  v1::SchemeAssignment assignment;
  absl::Status status =
      GetProto(db_.get(), family(kAssignments),
               keys::Assignment(static_cast<uint32_t>(request.fiscal_year())), &assignment);
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(
        absl::StrCat("fiscal year ", request.fiscal_year(),
                     " has no scheme assigned; an administrator assigns one (jixiao admin "
                     "assign --year ",
                     request.fiscal_year(), " ID@VERSION)"));
  }
  if (!status.ok()) return status;
  return assignment;
}

absl::StatusOr<v1::ListSchemeAssignmentsResponse> Store::Impl::ListSchemeAssignments() {
  // One record per fiscal year, 101 at most.
  v1::ListSchemeAssignmentsResponse response;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), family(kAssignments)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!response.add_assignments()->ParseFromArray(it->value().data(),
                                                    static_cast<int>(it->value().size()))) {
      return absl::InternalError("stored scheme assignment is corrupt");
    }
  }
  if (!it->status().ok()) return FromRocks(it->status(), "list scheme assignments");
  return response;
}

absl::StatusOr<v1::Roster> Store::Impl::SetRoster(const v1::SetRosterRequest& request,
                                                  const WriteContext& context) {
  constexpr int kMaxEntries = 20000;
  constexpr size_t kMaxName = 200, kMaxGroup = 64;
  std::vector<report::FieldViolation> violations;
  if (request.fiscal_year() < report::kMinFiscalYear ||
      request.fiscal_year() > report::kMaxFiscalYear) {
    violations.push_back({"fiscal_year", "must lie within [2000, 2100]"});
  }
  if (request.entries_size() == 0) {
    violations.push_back({"entries", "is empty: a roster lists at least one department"});
    return report::InvalidArgumentWithViolations("bad roster", violations);
  }
  if (request.entries_size() > kMaxEntries) {
    violations.push_back(
        {"entries", absl::StrCat("has ", request.entries_size(), " departments; at most ",
                                 kMaxEntries, " are taken")});
    return report::InvalidArgumentWithViolations("bad roster", violations);
  }
  absl::flat_hash_map<std::string, int> seen;
  for (int i = 0; i < request.entries_size() && violations.size() < 100; ++i) {
    const v1::RosterEntry& entry = request.entries(i);
    const std::string at = absl::StrCat("entries[", i, "].");
    if (std::string problem = report::DepartmentCodeProblem(entry.department_code());
        !problem.empty()) {
      violations.push_back({at + "department_code", problem});
    } else if (auto [it, fresh] = seen.emplace(entry.department_code(), i); !fresh) {
      violations.push_back({at + "department_code", absl::StrCat("repeats entries[", it->second,
                                                                 "]'s ", entry.department_code())});
    }
    if (entry.name().empty()) {
      violations.push_back({at + "name", "is required"});
    } else if (report::IsBlank(entry.name())) {
      violations.push_back({at + "name", "is only spaces"});
    } else if (entry.name().size() > kMaxName || !report::IsOneLine(entry.name())) {
      violations.push_back({at + "name", absl::StrCat("must be one line of at most ", kMaxName,
                                                      " bytes, without control characters")});
    }
    if (entry.group().size() > kMaxGroup || !report::IsOneLine(entry.group())) {
      violations.push_back({at + "group", absl::StrCat("must be one line of at most ", kMaxGroup,
                                                       " bytes, without control characters")});
    }
  }
  if (!violations.empty()) return report::InvalidArgumentWithViolations("bad roster", violations);
  const uint32_t year = static_cast<uint32_t>(request.fiscal_year());
  std::lock_guard<std::mutex> lock(assignments_mutex_);
  v1::Roster current;
  absl::Status status = GetProto(db_.get(), family(kRosters), keys::Roster(year), &current);
  if (!status.ok() && !absl::IsNotFound(status)) return status;
  const bool had = status.ok();
  auto same_entries = [&] {
    if (current.entries_size() != request.entries_size()) return false;
    for (int i = 0; i < request.entries_size(); ++i) {
      if (report::DeterministicBytes(current.entries(i)) !=
          report::DeterministicBytes(request.entries(i))) {
        return false;
      }
    }
    return true;
  };
  if (had && same_entries()) {
    return current;  // already so: nothing to write
  }
  v1::Roster roster;
  roster.set_fiscal_year(request.fiscal_year());
  *roster.mutable_entries() = request.entries();
  roster.set_author(context.author);
  *roster.mutable_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(context.time));
  rocksdb::WriteBatch batch;
  batch.Put(family(kRosters), keys::Roster(year), roster.SerializeAsString());
  Audit(batch, context, "SetRoster", absl::StrCat("year ", year), 0,
        had ? absl::StrCat(roster.entries_size(), " departments (was ", current.entries_size(), ")")
            : absl::StrCat(roster.entries_size(), " departments"));
  status = WriteDurably(std::move(batch), "set roster");
  if (!status.ok()) return status;
  return roster;
}

absl::StatusOr<v1::Roster> Store::Impl::GetRoster(const v1::GetRosterRequest& request) {
  if (request.fiscal_year() < report::kMinFiscalYear ||
      request.fiscal_year() > report::kMaxFiscalYear) {
    return report::InvalidArgumentWithViolations("bad fiscal year",
                                                 {{"fiscal_year", "must lie within [2000, 2100]"}});
  }
  v1::Roster roster;
  absl::Status status =
      GetProto(db_.get(), family(kRosters),
               keys::Roster(static_cast<uint32_t>(request.fiscal_year())), &roster);
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(
        absl::StrCat("fiscal year ", request.fiscal_year(),
                     " has no roster; an administrator sets one (jixiao admin roster --year ",
                     request.fiscal_year(), " FILE.csv)"));
  }
  if (!status.ok()) return status;
  return roster;
}

}  // namespace jixiao::store

namespace jixiao::store {

absl::StatusOr<std::optional<v1::ScoreCard>> Store::Impl::FreshCardOf(
    const std::string& department, uint32_t year, const storage::ReportHead& head) {
  const int64_t first =
      head.content_revision() > 0 ? head.content_revision() : head.latest_revision();
  // A report has a handful of status revisions after its content's: read
  // each one's cards, newest revision first.
  for (int64_t revision = head.latest_revision(); revision >= first; --revision) {
    auto newest =
        ReadNewestCard(db_.get(), family(kCards),
                       keys::CardRevisionPrefix(year, department, static_cast<uint64_t>(revision)));
    if (!newest.ok()) return newest.status();
    if (*newest) return std::optional<v1::ScoreCard>(std::move((*newest)->card));
  }
  return std::optional<v1::ScoreCard>();
}

absl::StatusOr<storage::ReportHead> Store::Impl::ReadHead(const v1::ReportKey& key) {
  if (!report::DepartmentCodeProblem(key.department_code()).empty() ||
      key.fiscal_year() < report::kMinFiscalYear || key.fiscal_year() > report::kMaxFiscalYear) {
    return report::InvalidArgumentWithViolations(
        "bad report key",
        {{"key", "needs a department code and a fiscal year within [2000, 2100]"}});
  }
  storage::ReportHead head;
  absl::Status status = GetProto(
      db_.get(), family(kHeads),
      keys::Report(key.department_code(), static_cast<uint32_t>(key.fiscal_year())), &head);
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(
        absl::StrCat("no report ", key.department_code(), " ", key.fiscal_year()));
  }
  if (!status.ok()) return status;
  return head;
}

absl::StatusOr<std::optional<v1::ScoreCard>> Store::Impl::FreshCard(const v1::ReportKey& key) {
  auto head = ReadHead(key);
  if (!head.ok()) return head.status();
  return FreshCardOf(key.department_code(), static_cast<uint32_t>(key.fiscal_year()), *head);
}

absl::StatusOr<int64_t> Store::Impl::ContentRevision(const v1::ReportKey& key) {
  auto head = ReadHead(key);
  if (!head.ok()) return head.status();
  return head->content_revision() > 0 ? head->content_revision() : head->latest_revision();
}

absl::Status Store::Impl::CheckScoredFor(const v1::TransitionReportRequest& request,
                                         const storage::ReportHead& head) {
  const v1::ReportKey& key = request.key();
  const uint32_t year = static_cast<uint32_t>(key.fiscal_year());
  const bool submitting = request.to() == v1::REPORT_STATUS_SUBMITTED;
  const std::string name = absl::StrCat(key.department_code(), "/", key.fiscal_year());
  auto card = FreshCardOf(key.department_code(), year, head);
  if (!card.ok()) return card.status();
  const int64_t content =
      head.content_revision() > 0 ? head.content_revision() : head.latest_revision();
  if (!*card) {
    return absl::FailedPreconditionError(absl::StrCat(
        "report ", name, " revision ", content, " has no score card: ",
        submitting ? std::string("score it before submitting it (jixiao submit "
                                 "scores it first)")
                   : absl::StrCat("score it before approving it (jixiao score ", name, ")")));
  }
  if (absl::Status assigned = CheckCardYear(**card); !assigned.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "report ", name, "'s card was scored with scheme ", (*card)->scheme_id(), "@",
        (*card)->scheme_version(), ", not the year's: score it again (jixiao score ", name, ")"));
  }
  // Filled in for another table: no reason makes its scores stand.
  if (std::vector<std::string> ids = report::UndeclaredFigures(**card); !ids.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "report ", name, " ",
        report::FilledInForAnotherTable(
            absl::StrCat((*card)->scheme_id(), "@", (*card)->scheme_version()), ids),
        "; fill in the year's form (jixiao form) and store it again, or have an administrator "
        "assign the table it was filled in for"));
  }
  std::vector<std::string> errors;
  for (const v1::Finding& finding : (*card)->findings()) {
    if (finding.severity() == v1::SEVERITY_ERROR) errors.push_back(finding.subject());
  }
  if (!errors.empty() && request.reason().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "report ", name, "'s card has ", errors.size(), " error finding",
        errors.size() == 1 ? "" : "s", " (", absl::StrJoin(errors, ", "), "): ",
        submitting ? "fix the figures, or explain them (jixiao submit --explain TEXT)"
                   : "approve it only with the reason why (jixiao approve --despite-errors "
                     "REASON)"));
  }
  return absl::OkStatus();
}

}  // namespace jixiao::store
