// Who may do what in storage-svc.
//
//   department  reads and writes only its own department's reports and
//               cards; submits its own drafts; deletes its own drafts.
//   reviewer    reads every report and card; returns (with a reason) and
//               approves submitted reports, reopens approved ones; saves
//               cards.
//   admin       publishes schemes, assigns them to fiscal years, sets a
//               year's roster, runs backups, reads everything.
//
// Reviewers and administrators read the audit trail and the rosters. The
// changes feed is read as reports are listed: a department its own.
//
// Anyone authenticated may read schemes and which year uses which. Pure functions; thread-safe.

#ifndef JIXIAO_STORAGE_SVC_SERVER_ACCESS_H_
#define JIXIAO_STORAGE_SVC_SERVER_ACCESS_H_

#include <string>

#include "absl/status/status.h"
#include "common/auth/tokens.h"
#include "jixiao/v1/storage_service.pb.h"

namespace jixiao::storage_svc {

enum class Action {
  kWriteReport,  // create, update
  kReadReport,   // get, history, render, a card
  kListReports,  // across departments unless one is named
  kTransition,   // to a status
  kDeleteReport,
  kSaveCard,
  kListCards,  // a year's cards across departments
  kPublishScheme,
  kAssignScheme,  // to a fiscal year
  kReadScheme,    // schemes and assignments
  kBackup,
  kReadAudit,  // the audit trail
  kSetRoster,  // which departments report for a fiscal year
  kReadRoster,
};

// OK, or PERMISSION_DENIED saying why. `department` is the report's
// department ("" when the action concerns no single one); `to` is the
// target status of a transition.
absl::Status Authorize(const auth::Principal& principal, Action action,
                       const std::string& department,
                       v1::ReportStatus to = v1::REPORT_STATUS_UNSPECIFIED);

}  // namespace jixiao::storage_svc

#endif  // JIXIAO_STORAGE_SVC_SERVER_ACCESS_H_
