// The Jixiao store: what it promises.
//
// The only owner of durable data: reports with every revision, schemes with
// every version, and score cards tied to the report revision and scheme
// version they came from, in one RocksDB database (key layout: keys.h).
//
// Guarantees (docs/storage.md says the same for readers of no C++):
//  - Durable: a call that returns OK has its data in the write-ahead log,
//    synced to disk. Concurrent writes share syncs: one thread
//    commits every write submitted since its last one as a single synced
//    batch (group_commit.h).
//  - Atomic: every write that touches several records (a revision, the
//    report's head, its list indexes, the idempotency record, the audit
//    record) is one WriteBatch: after a crash it is there whole or not at all.
//  - Immutable history: a revision, once written, never changes. Every
//    change of a report, status changes and deletion included, is a new
//    revision numbered 1, 2, 3, ... without gaps, with its author and time.
//  - No lost updates: a write names the revision it replaces; if another
//    write got there first it fails with ABORTED and writes nothing.
//  - Idempotent retries: a write with an idempotency key that was already
//    applied returns the first answer and writes nothing; the same key with
//    a different request is INVALID_ARGUMENT. A key belongs to its author
//    and method: one author's key never answers or blocks another's.
//  - Anything refused writes nothing.
//  - A page of a listing costs a page: every listing is a range scan over
//    the index matching its filters, ending after a page of results or 4
//    MiB of them (plus one key, to know whether more follow). It passes over,
//    without returning, deleted reports in its range and, for one
//    department with a status filter, that department's other statuses.
//  - Cards are never replaced (SaveScoreCard), and a published scheme
//    never changes (PublishScheme).
//
// Errors are absl::Status values: INVALID_ARGUMENT (with field violations)
// for malformed input, NOT_FOUND, ALREADY_EXISTS, ABORTED for a stale
// revision, FAILED_PRECONDITION for an illegal status change, INTERNAL for
// a storage failure a read meets.
//
// When storage fails, writes stop and reads go on (see Writable()): a full
// disk is RESOURCE_EXHAUSTED ("disk full: ...") until space is freed, when
// writes resume by themselves (unless the store opened on a full disk:
// it is then read-only until a restart). A failed write is UNAVAILABLE
// until RocksDB resumes after it, by itself when the error was passing; a
// failed sync is UNAVAILABLE until restart, and a data directory removed
// or replaced under the store until it is put back or restored. A write
// refused or failed this way was not acknowledged; every write that was is
// kept.
//
// Thread-safety: a Store is safe for concurrent use by any number of
// threads.

#ifndef JIXIAO_STORAGE_SVC_STORE_STORE_H_
#define JIXIAO_STORAGE_SVC_STORE_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/report/scheme_ref.h"
#include "jixiao/v1/storage_service.pb.h"

namespace rocksdb {
class FileSystem;
}  // namespace rocksdb

namespace jixiao::store {

struct StoreOptions {
  std::string data_dir;
  // Sync the write-ahead log before acknowledging a write. Only tests and
  // benchmarks of the unsynced path turn this off.
  bool sync = true;
  // The file system RocksDB works through; null: the local one. Tests pass
  // a wrapper that fails writes and syncs on demand.
  std::shared_ptr<rocksdb::FileSystem> file_system;
  // How often a background thread checks that the data directory is still
  // the one opened, and, while writes are stopped, whether they can resume.
  absl::Duration check_every = absl::Seconds(1);
  // Continuous backups: with backup_dir (absolute, outside data_dir), an
  // incremental backup every backup_every (which must be positive), keeping
  // the newest backup_keep (at least 1).
  std::string backup_dir;
  absl::Duration backup_every = absl::Minutes(10);
  int backup_keep = 24;
  // Told (from any thread) of faults, recoveries and failed backups, one
  // line each; null: nobody.
  std::function<void(const std::string&)> log;
  // The schemes the store knows without their being published (the
  // built-in one): cards scored with them are kept, and nothing else may be
  // published under their id and version.
  std::vector<v1::Scheme> built_in_schemes;
  // Submitting and approving need the report's fresh card (see
  // TransitionReport). storage-svc turns it on with signing keys, when
  // cards are signed.
  bool require_fresh_cards = true;
  // Run on every scheme before it is published; its error (field paths
  // under "scheme.") refuses it. Null: every scheme is taken. storage-svc
  // refuses what the engine could not score with.
  std::function<absl::Status(const v1::Scheme&)> check_scheme;
};

// Who is writing, and when; recorded with every revision and in the audit
// trail.
struct WriteContext {
  std::string author;
  absl::Time time = absl::Now();
};

class Store {
 public:
  // Opens (creating if absent) the store in options.data_dir.
  // FAILED_PRECONDITION if another process holds it; INTERNAL if it cannot
  // be read; INVALID_ARGUMENT for bad backup options. On a full disk it
  // opens read-only: reads are served, writes refused until a restart.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const StoreOptions& options);

  // OK while writes are taken; otherwise the status they are refused with
  // now (RESOURCE_EXHAUSTED for a full disk, UNAVAILABLE otherwise).
  absl::Status Writable() const;

  // Syncs and closes.
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Reports. A report is keyed by (department_code, fiscal_year).
  //
  // Each write comes in two forms. The first blocks until the write is
  // durable (or refused). The second does not: it checks the write on the
  // calling thread and hands it to the committer, and `done` runs once it is
  // durable, on the committer's answering thread; or at once, on the calling
  // thread, if it is refused or replayed. The request is read only before it returns.
  // `done` must not block on another write.
  using RevisionDone = absl::AnyInvocable<void(absl::StatusOr<v1::ReportRevision>) &&>;
  absl::StatusOr<v1::ReportRevision> CreateReport(const v1::CreateReportRequest& request,
                                                  const WriteContext& context);
  void CreateReport(const v1::CreateReportRequest& request, const WriteContext& context,
                    RevisionDone done);
  absl::StatusOr<v1::ReportRevision> UpdateReport(const v1::UpdateReportRequest& request,
                                                  const WriteContext& context);
  void UpdateReport(const v1::UpdateReportRequest& request, const WriteContext& context,
                    RevisionDone done);
  absl::StatusOr<v1::ReportRevision> GetReport(const v1::GetReportRequest& request);
  // The same revision as it is stored, a serialized v1::ReportRevision, for
  // a server to send on without parsing it.
  absl::StatusOr<std::string> GetReportBytes(const v1::GetReportRequest& request);
  absl::StatusOr<v1::ListReportsResponse> ListReports(const v1::ListReportsRequest& request);
  absl::StatusOr<v1::GetReportHistoryResponse> GetReportHistory(
      const v1::GetReportHistoryRequest& request);
  // draft → submitted → returned (with a reason) → submitted → approved;
  // approved → returned (reopened, with a reason).
  //
  // With options.require_fresh_cards, submitting and approving need a card
  // of the report as it stands (of its latest content revision or a later
  // status revision: FreshCard), scored with the year's assigned scheme if
  // it has one: FAILED_PRECONDITION otherwise. A card with error findings
  // needs a reason too (the department's explanation when submitting, the
  // reviewer's when approving despite them), kept with the revision.
  absl::StatusOr<v1::ReportRevision> TransitionReport(const v1::TransitionReportRequest& request,
                                                      const WriteContext& context);
  void TransitionReport(const v1::TransitionReportRequest& request, const WriteContext& context,
                        RevisionDone done);
  // Drafts only; recorded as a revision with status DELETED.
  absl::StatusOr<v1::ReportRevision> DeleteReport(const v1::DeleteReportRequest& request,
                                                  const WriteContext& context);
  void DeleteReport(const v1::DeleteReportRequest& request, const WriteContext& context,
                    RevisionDone done);

  // Schemes. A published (id, version) never changes; publishing the same
  // scheme again is a no-op, a different one ALREADY_EXISTS.
  absl::StatusOr<v1::Scheme> PublishScheme(const v1::PublishSchemeRequest& request,
                                           const WriteContext& context);
  absl::StatusOr<v1::Scheme> GetScheme(const v1::GetSchemeRequest& request);
  absl::StatusOr<v1::ListStoredSchemesResponse> ListSchemes(
      const v1::ListStoredSchemesRequest& request);

  // Score cards, each for an existing report revision, scored with a
  // scheme the store knows: published under the card's scheme id and
  // version, or the built-in default, with the digest the card carries
  // (report::SchemeDigest); FAILED_PRECONDITION for an unknown scheme,
  // INVALID_ARGUMENT (card.scheme_sha256) for another scheme under its name.
  // A card is never replaced: saving the scores shown already (the
  // signature aside) is a no-op that returns the stored card; any other card
  // is kept beside the earlier ones. A read shows, of the revision asked for
  // (or the latest scored one), the card saved last, whatever its scheme.
  //
  // A card that names last year's report (card.prior_report) names the
  // same department's report for the year before (INVALID_ARGUMENT,
  // card.prior_report.*, otherwise), at the revision that counts: its latest
  // approved revision, else its latest, never a deleted report's
  // (FAILED_PRECONDITION otherwise). A card of a year with an assigned
  // scheme was scored with that scheme (INVALID_ARGUMENT, card.scheme_id).
  //
  // `check`, if given, is run before anything is written, with the report
  // revision the card names, last year's revision it names (null: none) and
  // the report's current status (e.g. to verify the card's signature, or to
  // refuse a department once its report is approved); its error is returned
  // as is.
  using CardCheck =
      std::function<absl::Status(const v1::Report& scored, const v1::Report* prior,
                                 v1::ReportStatus current, const v1::ScoreCard& card)>;
  absl::StatusOr<v1::ScoreCard> SaveScoreCard(const v1::SaveScoreCardRequest& request,
                                              const WriteContext& context,
                                              const CardCheck& check = nullptr);
  absl::StatusOr<v1::ScoreCard> GetScoreCard(const v1::GetScoreCardRequest& request);
  // The card that stands for the report as it is now: the newest card of
  // its latest content revision or of any later (status-only) revision;
  // nullopt if there is none. NOT_FOUND for a report that does not exist.
  absl::StatusOr<std::optional<v1::ScoreCard>> FreshCard(const v1::ReportKey& key);
  // The report's latest content revision (ReportRevision.content_revision
  // of its latest revision; its latest revision in heads stored before
  // that was kept). NOT_FOUND for a report that does not exist.
  absl::StatusOr<int64_t> ContentRevision(const v1::ReportKey& key);
  absl::StatusOr<v1::ListScoreCardsResponse> ListScoreCards(
      const v1::ListScoreCardsRequest& request);

  // Which scheme (published, or built-in) a fiscal year is scored with.
  // Assigning the year's current scheme again is a no-op; another one is
  // FAILED_PRECONDITION once any of the year's reports is approved, or
  // while one is being approved, and for a scheme not published here.
  absl::StatusOr<v1::SchemeAssignment> AssignScheme(const v1::AssignSchemeRequest& request,
                                                    const WriteContext& context);
  // NOT_FOUND for a year without an assignment.
  absl::StatusOr<v1::SchemeAssignment> GetSchemeAssignment(
      const v1::GetSchemeAssignmentRequest& request);
  absl::StatusOr<v1::ListSchemeAssignmentsResponse> ListSchemeAssignments();

  // Which departments must report for a fiscal year: the whole list,
  // replacing the year's earlier one (INVALID_ARGUMENT, entries[i].*, for a
  // bad or repeated code, a missing or long name, a long group, more than
  // 20000 entries). Setting the list there is already is a no-op.
  absl::StatusOr<v1::Roster> SetRoster(const v1::SetRosterRequest& request,
                                       const WriteContext& context);
  // NOT_FOUND for a year without a roster.
  absl::StatusOr<v1::Roster> GetRoster(const v1::GetRosterRequest& request);

  // The changes feed: every report revision written and every card saved
  // (not the no-ops: replays, a card saved again), numbered 1, 2, ... in
  // commit order, each numbered change durable with its write. A page
  // holds the changes after `after` that match the request's filters,
  // looking at no more than 10000 changes to fill it; next_after says where
  // it stopped. OUT_OF_RANGE for a cursor past the latest change.
  absl::StatusOr<v1::ListChangesResponse> ListChanges(const v1::ListChangesRequest& request);

  // A consistent backup of everything into `backup_dir` (BackupEngine),
  // while writes go on. `backup_dir` must be an absolute path outside the
  // data directory, and a directory if it exists: INVALID_ARGUMENT (field
  // backup_dir) otherwise.
  absl::StatusOr<v1::CreateBackupResponse> CreateBackup(const v1::CreateBackupRequest& request,
                                                        const WriteContext& context);

  // The audit trail, oldest first: every write above, recorded in the same
  // batch as the write itself.
  // RocksDB's own figures for the /metrics page, in Prometheus' text format:
  // estimated keys, SST bytes and memtable bytes per column family.
  std::string MetricsText() const;

  absl::StatusOr<v1::ListAuditResponse> ListAudit(const v1::ListAuditRequest& request);

  // Restores the latest backup in `backup_dir` into `data_dir`, which must
  // be empty or absent. Not for a store that is open.
  static absl::Status Restore(const std::string& backup_dir, const std::string& data_dir);

 private:
  class Impl;  // store_impl.h
  explicit Store(std::unique_ptr<Impl> impl);
  const std::unique_ptr<Impl> impl_;
};

}  // namespace jixiao::store

#endif  // JIXIAO_STORAGE_SVC_STORE_STORE_H_
