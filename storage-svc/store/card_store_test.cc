// Score cards in the store: kept only for a scheme the store knows, with
// that scheme's digest; never replaced.

#include "absl/strings/str_cat.h"
#include "common/report/labels.h"
#include "common/report/scheme_ref.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"
#include "storage-svc/store/store.h"
#include "storage-svc/store/store_test_util.h"

namespace jixiao::store {
namespace {

using ::testing::HasSubstr;
using testing::Key;
using testing::MakeReport;
using testing::Reason;

class CardStore : public testing::ScratchStore {
 protected:
  void SetUp() override {
    ScratchStore::SetUp();
    Create(MakeReport("D1", 2019));
  }

  static v1::SaveScoreCardRequest Card(const std::string& total) {
    return testing::BuiltInSchemeCard("D1", 2019, 1, total);
  }

  int AuditRecords() {
    v1::ListAuditRequest request;
    request.set_page_size(1000);
    return store_->ListAudit(request)->records_size();
  }

  std::string ShownTotal() {
    v1::GetScoreCardRequest get;
    *get.mutable_key() = Key("D1", 2019);
    auto card = store_->GetScoreCard(get);
    return card.ok() ? card->total_score() : card.status().ToString();
  }
};

TEST_F(CardStore, KeepsOnlyCardsOfTheSchemeItKnows) {
  ASSERT_TRUE(store_->SaveScoreCard(Card("97.06"), {"x"}).ok());

  // The official id and version, over rules eased by hand.
  v1::Scheme eased = engine::DefaultScheme()->proto();
  eased.mutable_indicators(0)->set_name("eased");
  v1::SaveScoreCardRequest forged = Card("100.00");
  forged.mutable_card()->set_scheme_sha256(report::SchemeDigest(eased));
  auto saved = store_->SaveScoreCard(forged, {"x"});
  EXPECT_EQ(saved.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Reason(saved.status(), "card.scheme_sha256"), HasSubstr("rules differ"));

  v1::SaveScoreCardRequest no_digest = Card("100.00");
  no_digest.mutable_card()->clear_scheme_sha256();
  EXPECT_EQ(store_->SaveScoreCard(no_digest, {"x"}).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::SaveScoreCardRequest unpublished = Card("100.00");
  unpublished.mutable_card()->set_scheme_version(7);
  saved = store_->SaveScoreCard(unpublished, {"x"});
  EXPECT_EQ(saved.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(saved.status().message()), HasSubstr("not published"));

  EXPECT_EQ(ShownTotal(), "97.06");
}

TEST_F(CardStore, ADeletedReportTakesNoCards) {
  Create(MakeReport("DD", 2019));
  v1::DeleteReportRequest drop;
  *drop.mutable_key() = Key("DD", 2019);
  drop.set_expected_revision(1);
  ASSERT_TRUE(store_->DeleteReport(drop, {"alice"}).ok());
  for (int64_t revision : {1, 2}) {  // the draft, and the deletion itself
    auto saved =
        store_->SaveScoreCard(testing::BuiltInSchemeCard("DD", 2019, revision, "90"), {"sam"});
    EXPECT_EQ(saved.status().code(), absl::StatusCode::kFailedPrecondition) << revision;
    EXPECT_THAT(std::string(saved.status().message()), ::testing::HasSubstr("deleted"));
  }
}

TEST_F(CardStore, KeepsCardsOfAPublishedScheme) {
  v1::Scheme next = engine::DefaultScheme()->proto();
  next.set_version(2);
  next.set_name("next year's");
  v1::PublishSchemeRequest publish;
  *publish.mutable_scheme() = next;
  ASSERT_TRUE(store_->PublishScheme(publish, {"ops"}).ok());

  v1::SaveScoreCardRequest card = Card("90.00");
  card.mutable_card()->set_scheme_version(2);
  EXPECT_EQ(store_->SaveScoreCard(card, {"x"}).status().code(),
            absl::StatusCode::kInvalidArgument);  // version 2, scored with version 1
  card.mutable_card()->set_scheme_sha256(report::SchemeDigest(next));
  EXPECT_TRUE(store_->SaveScoreCard(card, {"x"}).ok());
}

TEST_F(CardStore, TheBuiltInSchemeCannotBePublishedOver) {
  v1::Scheme eased = engine::DefaultScheme()->proto();
  eased.set_name("eased");
  v1::PublishSchemeRequest publish;
  *publish.mutable_scheme() = eased;
  auto published = store_->PublishScheme(publish, {"ops"});
  EXPECT_EQ(published.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(published.status().message()), HasSubstr("built-in"));
  *publish.mutable_scheme() = engine::DefaultScheme()->proto();
  EXPECT_TRUE(store_->PublishScheme(publish, {"ops"}).ok());
}

TEST_F(CardStore, NeverReplacesACard) {
  ASSERT_TRUE(store_->SaveScoreCard(Card("90.00"), {"x"}).ok());
  const int after_first = AuditRecords();

  // The same scores again, signed by another key: nothing is written.
  v1::SaveScoreCardRequest again = Card("90.00");
  again.mutable_card()->mutable_signature()->set_key_id("rotated");
  auto saved = store_->SaveScoreCard(again, {"x"});
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_FALSE(saved->has_signature());  // the stored card comes back
  EXPECT_EQ(AuditRecords(), after_first);

  // Other scores are kept beside the first, and the newest shows.
  ASSERT_TRUE(store_->SaveScoreCard(Card("80.00"), {"x"}).ok());
  ASSERT_TRUE(store_->SaveScoreCard(Card("85.00"), {"x"}).ok());
  EXPECT_EQ(AuditRecords(), after_first + 2);
  EXPECT_EQ(ShownTotal(), "85.00");
  Reopen();
  EXPECT_EQ(ShownTotal(), "85.00");
  v1::ListScoreCardsRequest list;
  list.set_fiscal_year(2019);
  auto cards = store_->ListScoreCards(list);
  ASSERT_TRUE(cards.ok());
  ASSERT_EQ(cards->cards_size(), 1);
  EXPECT_EQ(cards->cards(0).total_score(), "85.00");
}

// The card shown is the one saved last, whatever its scheme: a card under
// a later version (or an id that sorts later) saved before the reviewer's
// does not hide it.
TEST_F(CardStore, TheNewestCardShowsWhateverItsScheme) {
  v1::Scheme later = engine::DefaultScheme()->proto();
  later.set_version(3);
  v1::PublishSchemeRequest publish;
  *publish.mutable_scheme() = later;
  ASSERT_TRUE(store_->PublishScheme(publish, {"ops"}).ok());
  v1::SaveScoreCardRequest department = Card("98.21");
  department.mutable_card()->set_scheme_version(3);
  department.mutable_card()->set_scheme_sha256(report::SchemeDigest(later));
  ASSERT_TRUE(store_->SaveScoreCard(department, {"lh"}).ok());
  EXPECT_EQ(ShownTotal(), "98.21");
  ASSERT_TRUE(store_->SaveScoreCard(Card("97.06"), {"wang"}).ok());
  EXPECT_EQ(ShownTotal(), "97.06");
  v1::ListScoreCardsRequest list;
  list.set_fiscal_year(2019);
  EXPECT_EQ(store_->ListScoreCards(list)->cards(0).total_score(), "97.06");
  // The department's card again is saved again, as the newest now.
  const int before = AuditRecords();
  ASSERT_TRUE(store_->SaveScoreCard(department, {"lh"}).ok());
  EXPECT_EQ(AuditRecords(), before + 1);
  EXPECT_EQ(ShownTotal(), "98.21");
  Reopen();
  EXPECT_EQ(ShownTotal(), "98.21");
  v1::GetScoreCardRequest by_revision;
  *by_revision.mutable_key() = Key("D1", 2019);
  by_revision.set_revision(1);
  EXPECT_EQ(store_->GetScoreCard(by_revision)->total_score(), "98.21");
}

// The check sees the report's status now, not the scored revision's.
TEST_F(CardStore, TheCheckSeesTheCurrentStatus) {
  v1::TransitionReportRequest submit;
  *submit.mutable_key() = Key("D1", 2019);
  submit.set_to(v1::REPORT_STATUS_SUBMITTED);
  submit.set_expected_revision(1);
  ASSERT_TRUE(store_->TransitionReport(submit, {"d1"}).ok());
  std::vector<v1::ReportStatus> seen;
  auto saved = store_->SaveScoreCard(Card("90.00"), {"x"},
                                     [&seen](const v1::Report& report, const v1::Report* prior,
                                             v1::ReportStatus current, const v1::ScoreCard&) {
                                       EXPECT_EQ(prior, nullptr);
                                       EXPECT_EQ(report.identity().department_code(), "D1");
                                       seen.push_back(current);
                                       return absl::PermissionDeniedError("no");
                                     });
  EXPECT_EQ(saved.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(seen, ::testing::ElementsAre(v1::REPORT_STATUS_SUBMITTED));
  EXPECT_THAT(ShownTotal(), HasSubstr("NOT_FOUND"));
}

TEST_F(CardStore, ACardScoredWithLastYearsReportNamesAStoredRevisionOfIt) {
  auto with_prior = [](const std::string& department, int year, int64_t revision) {
    v1::SaveScoreCardRequest request = Card("91.00");
    v1::ReportRef& prior = *request.mutable_card()->mutable_prior_report();
    prior.set_department_code(department);
    prior.set_fiscal_year(year);
    prior.set_revision(revision);
    return request;
  };
  auto wrong = store_->SaveScoreCard(with_prior("D2", 2017, 0), {"x"});
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Reason(wrong.status(), "card.prior_report.department_code"), HasSubstr("\"D1\""));
  EXPECT_THAT(Reason(wrong.status(), "card.prior_report.fiscal_year"), HasSubstr("2018"));
  EXPECT_THAT(Reason(wrong.status(), "card.prior_report.revision"), HasSubstr("stored revision"));

  auto absent = store_->SaveScoreCard(with_prior("D1", 2018, 1), {"x"});
  EXPECT_EQ(absent.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(absent.status().message(), HasSubstr("not stored"));
  EXPECT_THAT(ShownTotal(), HasSubstr("NOT_FOUND"));

  v1::Report last_year = MakeReport("D1", 2018);
  Create(last_year);
  std::string seen_code;
  auto saved = store_->SaveScoreCard(with_prior("D1", 2018, 1), {"x"},
                                     [&seen_code](const v1::Report&, const v1::Report* prior,
                                                  v1::ReportStatus, const v1::ScoreCard&) {
                                       if (prior != nullptr) {
                                         seen_code =
                                             absl::StrCat(prior->identity().department_code(), "/",
                                                          prior->identity().fiscal_year());
                                       }
                                       return absl::OkStatus();
                                     });
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(seen_code, "D1/2018");
  EXPECT_EQ(ShownTotal(), "91.00");

  // A later revision of last year's report supersedes the first; once
  // approved, the approval is the one that counts, even after later ones.
  v1::UpdateReportRequest update;
  *update.mutable_report() = last_year;
  update.mutable_report()->mutable_identity()->set_department_name("改");
  update.set_expected_revision(1);
  ASSERT_TRUE(store_->UpdateReport(update, {"d1"}).ok());
  auto superseded = store_->SaveScoreCard(with_prior("D1", 2018, 1), {"x"});
  EXPECT_EQ(superseded.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(superseded.status().message(), HasSubstr("last year's report is revision 2"));
  for (auto [to, expected] :
       {std::pair{v1::REPORT_STATUS_SUBMITTED, 2}, std::pair{v1::REPORT_STATUS_APPROVED, 3}}) {
    v1::TransitionReportRequest move;
    *move.mutable_key() = Key("D1", 2018);
    move.set_to(to);
    move.set_expected_revision(expected);
    ASSERT_TRUE(store_->TransitionReport(move, {"x"}).ok());
  }
  EXPECT_EQ(store_->SaveScoreCard(with_prior("D1", 2018, 2), {"x"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->SaveScoreCard(with_prior("D1", 2018, 4), {"x"}).ok());
}

TEST_F(CardStore, ADeletedReportIsNoOnesLastYear) {
  Create(MakeReport("D1", 2018));
  v1::DeleteReportRequest remove;
  *remove.mutable_key() = Key("D1", 2018);
  remove.set_expected_revision(1);
  ASSERT_TRUE(store_->DeleteReport(remove, {"d1"}).ok());
  for (int64_t revision : {1, 2}) {
    v1::SaveScoreCardRequest request = Card("91.00");
    v1::ReportRef& prior = *request.mutable_card()->mutable_prior_report();
    prior.set_department_code("D1");
    prior.set_fiscal_year(2018);
    prior.set_revision(revision);
    auto saved = store_->SaveScoreCard(request, {"x"});
    EXPECT_EQ(saved.status().code(), absl::StatusCode::kFailedPrecondition) << revision;
    EXPECT_THAT(saved.status().message(), HasSubstr("not stored (or was deleted)"));
  }
}

TEST_F(CardStore, AYearWithASchemeKeepsOnlyCardsOfIt) {
  v1::Scheme other = engine::DefaultScheme()->proto();
  other.set_version(7);
  v1::PublishSchemeRequest publish;
  *publish.mutable_scheme() = other;
  ASSERT_TRUE(store_->PublishScheme(publish, {"ops"}).ok());
  v1::AssignSchemeRequest assign;
  assign.set_fiscal_year(2019);
  assign.set_scheme_id(other.id());
  assign.set_scheme_version(7);
  ASSERT_TRUE(store_->AssignScheme(assign, {"ops"}).ok());
  auto refused = store_->SaveScoreCard(Card("97.06"), {"x"});  // of the built-in version 1
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Reason(refused.status(), "card.scheme_id"), HasSubstr("is scored with"));
  EXPECT_THAT(ShownTotal(), HasSubstr("NOT_FOUND"));
}

TEST_F(CardStore, AYearsSchemeIsAssignedAndFixedOnceAReportIsApproved) {
  const v1::Scheme& built_in = engine::DefaultScheme()->proto();
  auto assign = [this](const std::string& id, int version, int year = 2019) {
    v1::AssignSchemeRequest request;
    request.set_fiscal_year(year);
    request.set_scheme_id(id);
    request.set_scheme_version(version);
    return store_->AssignScheme(request, {"ops"});
  };
  auto bad = assign("", 0, 1999);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Reason(bad.status(), "fiscal_year"), HasSubstr("2000"));
  EXPECT_THAT(Reason(bad.status(), "scheme_version"), HasSubstr("version"));
  EXPECT_EQ(assign("unpublished", 1).status().code(), absl::StatusCode::kFailedPrecondition);

  v1::GetSchemeAssignmentRequest get;
  get.set_fiscal_year(2019);
  EXPECT_EQ(store_->GetSchemeAssignment(get).status().code(), absl::StatusCode::kNotFound);
  const int audited = AuditRecords();
  auto assigned = assign(built_in.id(), built_in.version());
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  EXPECT_EQ(assigned->author(), "ops");
  EXPECT_EQ(store_->GetSchemeAssignment(get)->scheme_id(), built_in.id());
  EXPECT_EQ(AuditRecords(), audited + 1);
  ASSERT_TRUE(assign(built_in.id(), built_in.version()).ok());  // again: nothing written
  EXPECT_EQ(AuditRecords(), audited + 1);

  v1::Scheme other = built_in;
  other.set_version(2);
  v1::PublishSchemeRequest publish;
  *publish.mutable_scheme() = other;
  ASSERT_TRUE(store_->PublishScheme(publish, {"ops"}).ok());
  ASSERT_TRUE(assign(built_in.id(), 2).ok());  // no report approved yet: it may change
  ASSERT_TRUE(assign(built_in.id(), 2, 2020).ok());
  auto listed = store_->ListSchemeAssignments();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->assignments_size(), 2);
  EXPECT_EQ(listed->assignments(0).fiscal_year(), 2019);
  EXPECT_EQ(listed->assignments(1).fiscal_year(), 2020);

  for (v1::ReportStatus to : {v1::REPORT_STATUS_SUBMITTED, v1::REPORT_STATUS_APPROVED}) {
    v1::TransitionReportRequest move;
    *move.mutable_key() = Key("D1", 2019);
    move.set_to(to);
    move.set_expected_revision(to == v1::REPORT_STATUS_SUBMITTED ? 1 : 2);
    ASSERT_TRUE(store_->TransitionReport(move, {"x"}).ok());
  }
  auto fixed = assign(built_in.id(), built_in.version());
  EXPECT_EQ(fixed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(fixed.status().message(), HasSubstr("approved"));
  EXPECT_EQ(store_->GetSchemeAssignment(get)->scheme_version(), 2);
  EXPECT_TRUE(assign(built_in.id(), 2).ok());                         // unchanged: fine
  EXPECT_TRUE(assign(built_in.id(), built_in.version(), 2020).ok());  // another year
}

class ScoredLifecycle : public CardStore {
 protected:
  StoreOptions Options() const override {
    StoreOptions options = CardStore::Options();
    options.require_fresh_cards = true;
    return options;
  }

  absl::Status Move(v1::ReportStatus to, int64_t expected, const std::string& reason = "") {
    v1::TransitionReportRequest move;
    *move.mutable_key() = Key("D1", 2019);
    move.set_to(to);
    move.set_expected_revision(expected);
    move.set_reason(reason);
    return store_->TransitionReport(move, {"x"}).status();
  }

  absl::Status SaveFor(int64_t revision, bool with_error = false) {
    v1::SaveScoreCardRequest request = testing::BuiltInSchemeCard("D1", 2019, revision, "90.00");
    if (with_error) {
      v1::Finding& finding = *request.mutable_card()->add_findings();
      finding.set_severity(v1::SEVERITY_ERROR);
      finding.set_code("declared_contradicted");
      finding.set_subject("q2_progress");
    }
    return store_->SaveScoreCard(request, {"x"}).status();
  }
};

TEST_F(ScoredLifecycle, SubmittingAndApprovingNeedTheReportsFreshCard) {
  absl::Status refused = Move(v1::REPORT_STATUS_SUBMITTED, 1);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("revision 1 has no score card"));
  ASSERT_TRUE(SaveFor(1).ok());
  ASSERT_TRUE(Move(v1::REPORT_STATUS_SUBMITTED, 1).ok());  // revision 2
  // Revision 1's card stands for revision 2: a status change keeps the content.
  EXPECT_EQ(*store_->ContentRevision(Key("D1", 2019)), 1);
  ASSERT_TRUE(Move(v1::REPORT_STATUS_APPROVED, 2).ok());  // 3

  // Reopened and edited: the old card no longer stands for it.
  EXPECT_EQ(Move(v1::REPORT_STATUS_RETURNED, 3).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(Move(v1::REPORT_STATUS_RETURNED, 3, "approved by mistake").ok());  // 4
  v1::UpdateReportRequest update;
  *update.mutable_report() = MakeReport("D1", 2019);
  update.mutable_report()->mutable_identity()->set_department_name("改");
  update.set_expected_revision(4);
  ASSERT_TRUE(store_->UpdateReport(update, {"d1"}).ok());  // 5
  EXPECT_EQ(*store_->ContentRevision(Key("D1", 2019)), 5);
  EXPECT_FALSE(store_->FreshCard(Key("D1", 2019))->has_value());
  EXPECT_THAT(Move(v1::REPORT_STATUS_SUBMITTED, 5).message(), HasSubstr("revision 5 has no"));

  // A card with an error finding: submitted with an explanation, approved
  // with a reason.
  ASSERT_TRUE(SaveFor(5, /*with_error=*/true).ok());
  absl::Status unexplained = Move(v1::REPORT_STATUS_SUBMITTED, 5);
  EXPECT_EQ(unexplained.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(unexplained.message(), HasSubstr("1 error finding (q2_progress)"));
  EXPECT_THAT(unexplained.message(), HasSubstr("--explain"));
  ASSERT_TRUE(Move(v1::REPORT_STATUS_SUBMITTED, 5, "二季度数据以财政系统为准").ok());  // 6
  EXPECT_THAT(Move(v1::REPORT_STATUS_APPROVED, 6).message(), HasSubstr("--despite-errors"));
  ASSERT_TRUE(Move(v1::REPORT_STATUS_APPROVED, 6, "差异已核实").ok());
  v1::GetReportRequest get;
  *get.mutable_key() = Key("D1", 2019);
  auto approved = store_->GetReport(get);
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->reason(), "差异已核实");
  EXPECT_EQ(approved->content_revision(), 5);
}

TEST_F(ScoredLifecycle, AReportFilledInForAnotherTableIsSubmittedWithNoReason) {
  v1::SaveScoreCardRequest request = testing::BuiltInSchemeCard("D1", 2019, 1, "90.00");
  v1::Finding& finding = *request.mutable_card()->add_findings();
  finding.set_severity(v1::SEVERITY_ERROR);
  finding.set_code(report::kFigureUndeclaredCode);
  finding.set_subject("initial_budget");
  ASSERT_TRUE(store_->SaveScoreCard(request, {"x"}).ok());
  for (const char* reason : {"", "按本局表式填报"}) {
    absl::Status refused = Move(v1::REPORT_STATUS_SUBMITTED, 1, reason);
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << reason;
    EXPECT_THAT(refused.message(), HasSubstr("does not declare (initial_budget)"));
    EXPECT_THAT(refused.message(), HasSubstr("another table"));
  }
  v1::GetReportRequest get;
  *get.mutable_key() = Key("D1", 2019);
  EXPECT_EQ(store_->GetReport(get)->status(), v1::REPORT_STATUS_DRAFT);
}

TEST_F(ScoredLifecycle, ACardOfAnotherSchemeThanTheYearsDoesNotCount) {
  ASSERT_TRUE(SaveFor(1).ok());
  v1::Scheme other = engine::DefaultScheme()->proto();
  other.set_version(3);
  v1::PublishSchemeRequest publish;
  *publish.mutable_scheme() = other;
  ASSERT_TRUE(store_->PublishScheme(publish, {"ops"}).ok());
  v1::AssignSchemeRequest assign;
  assign.set_fiscal_year(2019);
  assign.set_scheme_id(other.id());
  assign.set_scheme_version(3);
  ASSERT_TRUE(store_->AssignScheme(assign, {"ops"}).ok());
  absl::Status refused = Move(v1::REPORT_STATUS_SUBMITTED, 1);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("not the year's"));
}

}  // namespace
}  // namespace jixiao::store
