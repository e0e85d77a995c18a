#include "common/auth/card_signing.h"

#include "common/report/field_violations.h"
#include "gtest/gtest.h"

namespace jixiao::auth {
namespace {

const std::string kOld = std::string(64, 'a');
const std::string kNew = std::string(64, 'b');

v1::Report Report(const std::string& budget) {
  v1::Report report;
  report.mutable_identity()->set_department_code("D1");
  report.mutable_procurement()->mutable_budget()->set_value(budget);
  return report;
}

v1::ScoreCard Card() {
  v1::ScoreCard card;
  card.set_total_score("88.00");
  card.mutable_report()->set_department_code("D1");
  card.mutable_report()->set_revision(2);
  return card;
}

TEST(CardSigning, SignedCardsVerifyAndTamperingIsCaught) {
  auto keys = SigningKeys::Parse("# keys\nk2 " + kNew + "\nk1 " + kOld + "\n", "keys");
  ASSERT_TRUE(keys.ok()) << keys.status();
  v1::ScoreCard card = Card();
  keys->Sign(Report("100"), nullptr, card);
  EXPECT_EQ(card.signature().key_id(), "k2");
  EXPECT_TRUE(keys->Verify(Report("100"), nullptr, card).ok());

  v1::ScoreCard altered = card;
  altered.set_total_score("99.00");
  EXPECT_FALSE(keys->Verify(Report("100"), nullptr, altered).ok());
  v1::ScoreCard moved = card;
  moved.mutable_report()->set_revision(3);
  EXPECT_FALSE(keys->Verify(Report("100"), nullptr, moved).ok());
  absl::Status other_report = keys->Verify(Report("101"), nullptr, card);
  ASSERT_FALSE(other_report.ok());
  EXPECT_EQ(report::ViolationsOf(other_report)[0].field, "card.signature");
  EXPECT_FALSE(keys->Verify(Report("100"), nullptr, Card()).ok());  // unsigned
}

TEST(CardSigning, TheSignatureCoversLastYearsReport) {
  auto keys = SigningKeys::Parse("k1 " + kOld, "keys");
  ASSERT_TRUE(keys.ok()) << keys.status();
  const v1::Report prior = Report("90");
  v1::ScoreCard card = Card();
  card.mutable_prior_report()->set_revision(4);
  keys->Sign(Report("100"), &prior, card);
  EXPECT_EQ(card.signature().prior_report_sha256(), ReportDigest(prior));
  EXPECT_TRUE(keys->Verify(Report("100"), &prior, card).ok());

  const v1::Report other_prior = Report("91");
  absl::Status other = keys->Verify(Report("100"), &other_prior, card);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.message().find("last year's report"), std::string::npos) << other;
  EXPECT_FALSE(keys->Verify(Report("100"), nullptr, card).ok());
  v1::ScoreCard renamed = card;
  renamed.mutable_prior_report()->set_revision(5);
  EXPECT_FALSE(keys->Verify(Report("100"), &prior, renamed).ok());

  // A card scored without one cannot be passed off as scored with one.
  v1::ScoreCard plain = Card();
  keys->Sign(Report("100"), nullptr, plain);
  EXPECT_FALSE(keys->Verify(Report("100"), &prior, plain).ok());
}

TEST(CardSigning, AReportsDigestDoesNotDependOnTheOrderOfItsFigures) {
  v1::Report forward = Report("1"), backward = Report("1");
  for (int i = 0; i < 50; ++i) {
    (*forward.mutable_figures())["f" + std::to_string(i)].set_value(std::to_string(i));
    (*backward.mutable_figures())["f" + std::to_string(49 - i)].set_value(std::to_string(49 - i));
  }
  EXPECT_EQ(ReportDigest(forward), ReportDigest(backward));
  v1::Report reparsed;
  ASSERT_TRUE(reparsed.ParseFromString(backward.SerializeAsString()));
  EXPECT_EQ(ReportDigest(reparsed), ReportDigest(forward));
  auto keys = SigningKeys::Parse("k1 " + kOld, "keys");
  v1::ScoreCard card = Card();
  keys->Sign(forward, nullptr, card);
  EXPECT_TRUE(keys->Verify(reparsed, nullptr, card).ok());
}

TEST(CardSigning, RotationKeepsOldCardsValid) {
  auto old_keys = SigningKeys::Parse("k1 " + kOld, "old");
  auto rotated = SigningKeys::Parse("k2 " + kNew + "\nk1 " + kOld, "new");
  auto retired = SigningKeys::Parse("k2 " + kNew, "retired");
  v1::ScoreCard card = Card();
  old_keys->Sign(Report("1"), nullptr, card);
  EXPECT_TRUE(rotated->Verify(Report("1"), nullptr, card).ok());
  EXPECT_FALSE(retired->Verify(Report("1"), nullptr, card).ok());
  auto forged =
      SigningKeys::Parse("k1 " + std::string(64, 'c'), "forged");  // same id, other secret
  v1::ScoreCard fake = Card();
  forged->Sign(Report("1"), nullptr, fake);
  EXPECT_FALSE(rotated->Verify(Report("1"), nullptr, fake).ok());
}

TEST(CardSigning, RefusesBadKeyFiles) {
  EXPECT_FALSE(SigningKeys::Parse("", "k").ok());
  EXPECT_FALSE(SigningKeys::Parse("k1 abcd", "k").ok());  // too short
  EXPECT_FALSE(SigningKeys::Parse("k1 " + std::string(64, 'z'), "k").ok());
  EXPECT_FALSE(SigningKeys::Parse("k1 " + kOld + "\nk1 " + kNew, "k").ok());
  EXPECT_FALSE(SigningKeys::Load("/nonexistent").ok());
}

}  // namespace
}  // namespace jixiao::auth
