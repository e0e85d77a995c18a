// The inside of a Store (store.h states what it promises): the RocksDB
// database and its column families, the committer, the locks, and the
// supervisor and backup threads. Store's methods forward to the methods of
// the same name here, which live in store.cc (opening, backups, audit,
// metrics), report_store.cc (reports) and catalog_store.cc (schemes and
// cards). Internal to the store.

#ifndef JIXIAO_STORAGE_SVC_STORE_STORE_IMPL_H_
#define JIXIAO_STORAGE_SVC_STORE_STORE_IMPL_H_

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage-svc/store/records.pb.h"
#include "storage-svc/store/store.h"
#include "storage-svc/store/stripe_locks.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class BackupEngine;
class Env;
class FileLock;
class WriteBatch;
}  // namespace rocksdb

namespace jixiao::store {

class GroupCommit;
class PageTokens;
class WriteGuard;

class Store::Impl {
 public:
  // Opens the database as Store::Open does.
  static absl::StatusOr<std::unique_ptr<Impl>> Open(const StoreOptions& options);
  ~Impl();

  // As Store's (store.h).

  absl::Status Writable() const;
  absl::StatusOr<v1::ReportRevision> CreateReport(const v1::CreateReportRequest& request,
                                                  const WriteContext& context);
  void CreateReport(const v1::CreateReportRequest& request, const WriteContext& context,
                    RevisionDone done);
  absl::StatusOr<v1::ReportRevision> UpdateReport(const v1::UpdateReportRequest& request,
                                                  const WriteContext& context);
  void UpdateReport(const v1::UpdateReportRequest& request, const WriteContext& context,
                    RevisionDone done);
  absl::StatusOr<v1::ReportRevision> GetReport(const v1::GetReportRequest& request);
  absl::StatusOr<std::string> GetReportBytes(const v1::GetReportRequest& request);
  absl::StatusOr<v1::ListReportsResponse> ListReports(const v1::ListReportsRequest& request);
  absl::StatusOr<v1::GetReportHistoryResponse> GetReportHistory(
      const v1::GetReportHistoryRequest& request);
  absl::StatusOr<v1::ReportRevision> TransitionReport(const v1::TransitionReportRequest& request,
                                                      const WriteContext& context);
  void TransitionReport(const v1::TransitionReportRequest& request, const WriteContext& context,
                        RevisionDone done);
  absl::StatusOr<v1::ReportRevision> DeleteReport(const v1::DeleteReportRequest& request,
                                                  const WriteContext& context);
  void DeleteReport(const v1::DeleteReportRequest& request, const WriteContext& context,
                    RevisionDone done);
  absl::StatusOr<v1::Scheme> PublishScheme(const v1::PublishSchemeRequest& request,
                                           const WriteContext& context);
  absl::StatusOr<v1::Scheme> GetScheme(const v1::GetSchemeRequest& request);
  absl::StatusOr<v1::ListStoredSchemesResponse> ListSchemes(
      const v1::ListStoredSchemesRequest& request);
  absl::StatusOr<v1::ScoreCard> SaveScoreCard(const v1::SaveScoreCardRequest& request,
                                              const WriteContext& context,
                                              const CardCheck& check = nullptr);
  absl::StatusOr<v1::ScoreCard> GetScoreCard(const v1::GetScoreCardRequest& request);
  absl::StatusOr<std::optional<v1::ScoreCard>> FreshCard(const v1::ReportKey& key);
  absl::StatusOr<int64_t> ContentRevision(const v1::ReportKey& key);
  // The head of `key`'s report; NOT_FOUND (naming it) if there is none,
  // INVALID_ARGUMENT for a malformed key.
  absl::StatusOr<storage::ReportHead> ReadHead(const v1::ReportKey& key);
  absl::StatusOr<v1::ListScoreCardsResponse> ListScoreCards(
      const v1::ListScoreCardsRequest& request);
  absl::StatusOr<v1::CreateBackupResponse> CreateBackup(const v1::CreateBackupRequest& request,
                                                        const WriteContext& context);
  std::string MetricsText() const;
  absl::StatusOr<v1::ListAuditResponse> ListAudit(const v1::ListAuditRequest& request);
  absl::StatusOr<v1::SchemeAssignment> AssignScheme(const v1::AssignSchemeRequest& request,
                                                    const WriteContext& context);
  absl::StatusOr<v1::SchemeAssignment> GetSchemeAssignment(
      const v1::GetSchemeAssignmentRequest& request);
  absl::StatusOr<v1::ListSchemeAssignmentsResponse> ListSchemeAssignments();
  absl::StatusOr<v1::Roster> SetRoster(const v1::SetRosterRequest& request,
                                       const WriteContext& context);
  absl::StatusOr<v1::Roster> GetRoster(const v1::GetRosterRequest& request);
  absl::StatusOr<v1::ListChangesResponse> ListChanges(const v1::ListChangesRequest& request);

 private:
  // What Open made, for the constructor.
  struct Opened;
  explicit Impl(Opened opened);
  enum Family {
    kRevisions,
    kHeads,
    kIndex,
    kSchemes,
    kCards,
    kIdempotency,
    kAudit,
    kMeta,
    kAssignments,
    kRosters,
    kChanges,
    kFamilyCount
  };

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
  // `change`, if given, is the serialized v1::Change the write adds to the
  // changes feed.
  absl::Status WriteDurably(rocksdb::WriteBatch batch, absl::string_view doing,
                            std::string change = {});
  // OK if `card` was scored with the scheme the store knows under its id and
  // version (SaveScoreCard).
  absl::Status CheckCardScheme(const v1::ScoreCard& card);
  // OK if the card's year has no assigned scheme, or was scored with it.
  absl::Status CheckCardYear(const v1::ScoreCard& card);
  // The revision of a report that counts as that year's report for the
  // year after: its latest approved revision, else its latest; 0 if it has
  // none (or was deleted).
  absl::StatusOr<int64_t> AuthoritativeRevision(const std::string& department, uint32_t year);
  // The newest card of revisions content_revision .. latest_revision of
  // `head` (Store::FreshCard).
  absl::StatusOr<std::optional<v1::ScoreCard>> FreshCardOf(const std::string& department,
                                                           uint32_t year,
                                                           const storage::ReportHead& head);
  // OK if `request` (to SUBMITTED or APPROVED) may go ahead as far as the
  // report's card is concerned (Store::TransitionReport).
  absl::Status CheckScoredFor(const v1::TransitionReportRequest& request,
                              const storage::ReportHead& head);
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
  // Guards assigning schemes to years, and approvals_in_flight_: the
  // approvals handed to the committer and not yet durable, per year. A
  // year's assignment changes only while it has none of either.
  std::mutex assignments_mutex_;
  std::map<uint32_t, int> approvals_in_flight_;
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

#endif  // JIXIAO_STORAGE_SVC_STORE_STORE_IMPL_H_
