#include "storage-svc/server/access.h"

#include "absl/strings/str_cat.h"

namespace jixiao::storage_svc {

absl::Status Authorize(const auth::Principal& principal, Action action,
                       const std::string& department, v1::ReportStatus to) {
  using auth::Role;
  auto deny = [&](absl::string_view why) {
    return absl::PermissionDeniedError(
        absl::StrCat(principal.name, " (", auth::RoleName(principal.role), ") ", why));
  };
  const bool own = principal.role == Role::kDepartment && department == principal.department;
  switch (action) {
    case Action::kReadScheme:
      return absl::OkStatus();
    case Action::kReadReport:
      if (principal.role != Role::kDepartment || own) return absl::OkStatus();
      return deny(absl::StrCat("may read only department ", principal.department, "'s reports"));
    case Action::kListReports:
      if (principal.role != Role::kDepartment || own) return absl::OkStatus();
      return deny(absl::StrCat("may list only department ", principal.department,
                               "'s reports: name it, or leave the department empty"));
    case Action::kWriteReport:
      if (own) return absl::OkStatus();
      if (principal.role == Role::kDepartment) {
        return deny(absl::StrCat("may write only department ", principal.department, "'s reports"));
      }
      return deny("may not write reports; departments write their own");
    case Action::kDeleteReport:
      if (own) return absl::OkStatus();
      return deny("may delete only its own department's drafts");
    case Action::kTransition:
      if (to == v1::REPORT_STATUS_SUBMITTED) {
        if (own) return absl::OkStatus();
        return deny("may not submit this report; its department submits it");
      }
      if (principal.role == Role::kReviewer) return absl::OkStatus();
      return deny("may not return or approve reports; reviewers do");
    case Action::kSaveCard:
      if (own || principal.role == Role::kReviewer) return absl::OkStatus();
      return deny("may save cards only for its own department's reports");
    case Action::kListCards:
      if (principal.role != Role::kDepartment) return absl::OkStatus();
      return deny("may not list other departments' cards");
    case Action::kReadAudit:
      if (principal.role != Role::kDepartment) return absl::OkStatus();
      return deny("may not read the audit trail");
    case Action::kReadRoster:
      if (principal.role != Role::kDepartment) return absl::OkStatus();
      return deny("may not read the roster; reviewers and administrators do");
    case Action::kSetRoster:
    case Action::kPublishScheme:
    case Action::kAssignScheme:
    case Action::kBackup:
      if (principal.role == Role::kAdmin) return absl::OkStatus();
      return deny("may not do this; administrators do");
  }
  return deny("unknown action");
}

}  // namespace jixiao::storage_svc
