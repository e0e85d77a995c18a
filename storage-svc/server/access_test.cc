#include "storage-svc/server/access.h"

#include "gtest/gtest.h"

namespace jixiao::storage_svc {
namespace {

const auth::Principal kDept{"lh", auth::Role::kDepartment, "LH"};
const auth::Principal kReviewer{"wang", auth::Role::kReviewer, ""};
const auth::Principal kAdmin{"ops", auth::Role::kAdmin, ""};

bool Allowed(const auth::Principal& p, Action a, const std::string& dept,
             v1::ReportStatus to = v1::REPORT_STATUS_UNSPECIFIED) {
  absl::Status status = Authorize(p, a, dept, to);
  EXPECT_TRUE(status.ok() || absl::IsPermissionDenied(status)) << status;
  return status.ok();
}

TEST(Access, DepartmentsKeepToTheirOwn) {
  EXPECT_TRUE(Allowed(kDept, Action::kWriteReport, "LH"));
  EXPECT_FALSE(Allowed(kDept, Action::kWriteReport, "OTHER"));
  EXPECT_TRUE(Allowed(kDept, Action::kReadReport, "LH"));
  EXPECT_FALSE(Allowed(kDept, Action::kReadReport, "OTHER"));
  EXPECT_TRUE(Allowed(kDept, Action::kListReports, "LH"));
  EXPECT_FALSE(Allowed(kDept, Action::kListReports, ""));
  EXPECT_TRUE(Allowed(kDept, Action::kTransition, "LH", v1::REPORT_STATUS_SUBMITTED));
  EXPECT_FALSE(Allowed(kDept, Action::kTransition, "OTHER", v1::REPORT_STATUS_SUBMITTED));
  EXPECT_FALSE(Allowed(kDept, Action::kTransition, "LH", v1::REPORT_STATUS_APPROVED));
  EXPECT_FALSE(Allowed(kDept, Action::kTransition, "LH", v1::REPORT_STATUS_RETURNED));
  EXPECT_TRUE(Allowed(kDept, Action::kDeleteReport, "LH"));
  EXPECT_TRUE(Allowed(kDept, Action::kSaveCard, "LH"));
  EXPECT_FALSE(Allowed(kDept, Action::kSaveCard, "OTHER"));
  EXPECT_FALSE(Allowed(kDept, Action::kListCards, ""));
  EXPECT_FALSE(Allowed(kDept, Action::kPublishScheme, ""));
  EXPECT_FALSE(Allowed(kDept, Action::kBackup, ""));
  EXPECT_TRUE(Allowed(kDept, Action::kReadScheme, ""));
  EXPECT_FALSE(Allowed(kDept, Action::kReadAudit, ""));
  EXPECT_FALSE(Allowed(kDept, Action::kReadRoster, ""));
  EXPECT_FALSE(Allowed(kDept, Action::kSetRoster, ""));
}

TEST(Access, ReviewersReadAllAndMoveStatuses) {
  EXPECT_TRUE(Allowed(kReviewer, Action::kReadReport, "ANY"));
  EXPECT_TRUE(Allowed(kReviewer, Action::kListReports, ""));
  EXPECT_TRUE(Allowed(kReviewer, Action::kTransition, "ANY", v1::REPORT_STATUS_RETURNED));
  EXPECT_TRUE(Allowed(kReviewer, Action::kTransition, "ANY", v1::REPORT_STATUS_APPROVED));
  EXPECT_FALSE(Allowed(kReviewer, Action::kTransition, "ANY", v1::REPORT_STATUS_SUBMITTED));
  EXPECT_FALSE(Allowed(kReviewer, Action::kWriteReport, "ANY"));
  EXPECT_FALSE(Allowed(kReviewer, Action::kDeleteReport, "ANY"));
  EXPECT_TRUE(Allowed(kReviewer, Action::kSaveCard, "ANY"));
  EXPECT_TRUE(Allowed(kReviewer, Action::kListCards, ""));
  EXPECT_FALSE(Allowed(kReviewer, Action::kPublishScheme, ""));
  EXPECT_FALSE(Allowed(kReviewer, Action::kBackup, ""));
  EXPECT_TRUE(Allowed(kReviewer, Action::kReadRoster, ""));
  EXPECT_FALSE(Allowed(kReviewer, Action::kSetRoster, ""));
}

TEST(Access, AdminsPublishAndBackUp) {
  EXPECT_TRUE(Allowed(kAdmin, Action::kPublishScheme, ""));
  EXPECT_TRUE(Allowed(kAdmin, Action::kBackup, ""));
  EXPECT_TRUE(Allowed(kAdmin, Action::kSetRoster, ""));
  EXPECT_TRUE(Allowed(kAdmin, Action::kReadRoster, ""));
  EXPECT_TRUE(Allowed(kAdmin, Action::kReadAudit, ""));
  EXPECT_TRUE(Allowed(kReviewer, Action::kReadAudit, ""));
  EXPECT_TRUE(Allowed(kAdmin, Action::kReadReport, "ANY"));
  EXPECT_FALSE(Allowed(kAdmin, Action::kWriteReport, "ANY"));
  EXPECT_FALSE(Allowed(kAdmin, Action::kTransition, "ANY", v1::REPORT_STATUS_APPROVED));
}

}  // namespace
}  // namespace jixiao::storage_svc
