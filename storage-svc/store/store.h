// The Jixiao store: what it promises.
//
// The only owner of durable data: reports with every revision, schemes with
// every version, and score cards tied to the report revision and scheme
// version they came from, in one RocksDB database (key layout: keys.h).
//
// Guarantees:
//  - Durable: a call that returns OK has its data in the write-ahead log,
//    synced to disk. Concurrent writes share syncs: one thread
//    commits every write submitted since its last one as a single synced
//    batch (group_commit.h).
//  - Atomic: every write that touches several records (a revision, the
//    report's head, its list indexes, the idempotency record) is one
//    WriteBatch: after a crash it is there whole or not at all.
//  - Immutable history: a revision, once written, never changes. Every
//    change of a report, status changes and deletion included, is a new
//    revision numbered 1, 2, 3, ... without gaps, with its author and time.
//  - No lost updates: a write names the revision it replaces; if another
//    write got there first it fails with ABORTED and writes nothing.
//  - Idempotent retries: a write with an idempotency key that was already
//    applied returns the first answer and writes nothing; the same key with
//    a different request is INVALID_ARGUMENT.
//  - Anything refused writes nothing.
//  - A page of a listing costs a page: every listing is a range scan over
//    exactly the keys it returns (plus one to know whether more follow).
//
// Errors are absl::Status values: INVALID_ARGUMENT (with field violations)
// for malformed input, NOT_FOUND, ALREADY_EXISTS, ABORTED for a stale
// revision, FAILED_PRECONDITION for an illegal status change, INTERNAL for
// a storage failure a read meets.
//
// When storage fails, writes stop and reads go on (see Writable()): a full
// disk is RESOURCE_EXHAUSTED ("disk full: ...") until space is freed, when
// writes resume by themselves; a failed write or sync, and a data directory
// removed or replaced under the store, are UNAVAILABLE until restart. A
// write refused or failed this way was not acknowledged; every write that
// was is kept.
//
// Thread-safety: a Store is safe for concurrent use by any number of
// threads.

#ifndef JIXIAO_STORAGE_SVC_STORE_STORE_H_
#define JIXIAO_STORAGE_SVC_STORE_STORE_H_

#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/report/scheme_ref.h"
#include "jixiao/v1/storage_service.pb.h"
#include "storage-svc/store/stripe_locks.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class BackupEngine;
class Env;
class FileLock;
class FileSystem;
class WriteBatch;
}  // namespace rocksdb

namespace jixiao::store {

class GroupCommit;
class PageTokens;
class WriteGuard;

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
  // draft → submitted → returned (with a reason) → submitted → approved.
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
  // `check`, if given, is run before anything is written, with the report
  // revision the card names and the report's current status (e.g. to verify
  // the card's signature, or to refuse a department once its report is
  // approved); its error is returned as is.
  using CardCheck = std::function<absl::Status(const v1::Report& scored, v1::ReportStatus current,
                                               const v1::ScoreCard& card)>;
  absl::StatusOr<v1::ScoreCard> SaveScoreCard(const v1::SaveScoreCardRequest& request,
                                              const WriteContext& context,
                                              const CardCheck& check = nullptr);
  absl::StatusOr<v1::ScoreCard> GetScoreCard(const v1::GetScoreCardRequest& request);
  absl::StatusOr<v1::ListScoreCardsResponse> ListScoreCards(
      const v1::ListScoreCardsRequest& request);

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
  enum Family {
    kRevisions,
    kHeads,
    kIndex,
    kSchemes,
    kCards,
    kIdempotency,
    kAudit,
    kMeta,
    kFamilyCount
  };

  // What Open made, for the constructor.
  struct Opened;
  explicit Store(Opened opened);
  class Writer;
  struct Prepared;
  rocksdb::ColumnFamilyHandle* family(Family f) const { return families_[f]; }
  // Each report write checks its request and reads what it needs under its
  // report's stripe, then prepares its batch; Commit hands the batch to the
  // committer, or answers at once if there is nothing to write.
  absl::StatusOr<Prepared> PrepareCreateReport(const v1::CreateReportRequest& request,
                                               const WriteContext& context);
  absl::StatusOr<Prepared> PrepareUpdateReport(const v1::UpdateReportRequest& request,
                                               const WriteContext& context);
  absl::StatusOr<Prepared> PrepareTransitionReport(const v1::TransitionReportRequest& request,
                                                   const WriteContext& context);
  absl::StatusOr<Prepared> PrepareDeleteReport(const v1::DeleteReportRequest& request,
                                               const WriteContext& context);
  void Commit(absl::StatusOr<Prepared> prepared, RevisionDone done);
  // Hands `batch` to the committer and waits until it is durable. Every
  // synced write goes through the committer, and shares its syncs.
  absl::Status WriteDurably(rocksdb::WriteBatch batch, absl::string_view doing);
  // OK if `card` was scored with the scheme the store knows under its id and
  // version (SaveScoreCard).
  absl::Status CheckCardScheme(const v1::ScoreCard& card);
  // The digest of the built-in scheme `id` `version`; null if none.
  const std::string* BuiltInDigest(const std::string& id, int version) const;
  // Adds the audit record of a write to its batch.
  void Audit(rocksdb::WriteBatch& batch, const WriteContext& context, absl::string_view method,
             std::string target, int64_t revision = 0, std::string detail = "");

  // A backup of everything into `dir` (checked by the caller), recording
  // when it started (Unix nanoseconds) as its app metadata; then only the
  // newest `keep` are kept (0: all). One at a time; counted for /metrics.
  absl::StatusOr<v1::CreateBackupResponse> BackUp(const std::string& dir, bool flush, int keep);
  // The supervisor thread: every options_.check_every, checks the data
  // directory and, while writes are stopped, asks RocksDB to resume.
  void Supervise();
  void TryResume();
  // The backup thread: a backup every options_.backup_every.
  void BackUpContinuously();

  // Declared before db_ so that they outlive it: RocksDB works through
  // env_ (null: the default Env) and reports its errors to guard_.
  const StoreOptions options_;
  // report::SchemeDigest of each of options_.built_in_schemes, in order.
  const std::vector<std::string> built_in_digests_;
  const std::unique_ptr<rocksdb::Env> env_;
  const std::unique_ptr<WriteGuard> guard_;
  // Immutable after Open.
  const std::unique_ptr<rocksdb::DB> db_;
  // By Family; a family a read-only store lacks (one written before the
  // family existed) is null.
  const std::vector<rocksdb::ColumnFamilyHandle*> families_;
  std::unique_ptr<const PageTokens> page_tokens_;
  // Opened read-only (the disk was full): holds the directory's lock itself.
  const bool read_only_;
  rocksdb::FileLock* const read_only_lock_;

  // Writes to one report are serialised by the stripe its key hashes to,
  // held until the write is durable; writes to different reports run, and
  // are committed in groups, concurrently.
  StripeLocks report_stripes_;
  std::unique_ptr<GroupCommit> committer_;
  std::mutex schemes_mutex_;                 // guards publishing
  std::mutex backup_mutex_;                  // one backup at a time
  std::atomic<uint32_t> audit_sequence_{0};  // orders records written in the same nanosecond

  // Backups taken (by CreateBackup or continuously), and failed.
  std::atomic<int64_t> backups_made_{0}, backups_failed_{0};
  std::atomic<int64_t> last_backup_unix_seconds_{0};  // 0: none yet

  // The supervisor and backup threads, stopped by the destructor.
  std::mutex threads_mutex_;
  std::condition_variable threads_wake_;
  bool stopping_ = false;                            // guarded by threads_mutex_
  rocksdb::BackupEngine* running_backup_ = nullptr;  // guarded by threads_mutex_
  std::thread supervisor_, backer_;
};

}  // namespace jixiao::store

#endif  // JIXIAO_STORAGE_SVC_STORE_STORE_H_
