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
  keys->Sign(Report("100"), card);
  EXPECT_EQ(card.signature().key_id(), "k2");
  EXPECT_TRUE(keys->Verify(Report("100"), card).ok());

  v1::ScoreCard altered = card;
  altered.set_total_score("99.00");
  EXPECT_FALSE(keys->Verify(Report("100"), altered).ok());
  v1::ScoreCard moved = card;
  moved.mutable_report()->set_revision(3);
  EXPECT_FALSE(keys->Verify(Report("100"), moved).ok());
  absl::Status other_report = keys->Verify(Report("101"), card);
  ASSERT_FALSE(other_report.ok());
  EXPECT_EQ(report::ViolationsOf(other_report)[0].field, "card.signature");
  EXPECT_FALSE(keys->Verify(Report("100"), Card()).ok());  // unsigned
}

TEST(CardSigning, RotationKeepsOldCardsValid) {
  auto old_keys = SigningKeys::Parse("k1 " + kOld, "old");
  auto rotated = SigningKeys::Parse("k2 " + kNew + "\nk1 " + kOld, "new");
  auto retired = SigningKeys::Parse("k2 " + kNew, "retired");
  v1::ScoreCard card = Card();
  old_keys->Sign(Report("1"), card);
  EXPECT_TRUE(rotated->Verify(Report("1"), card).ok());
  EXPECT_FALSE(retired->Verify(Report("1"), card).ok());
  auto forged =
      SigningKeys::Parse("k1 " + std::string(64, 'c'), "forged");  // same id, other secret
  v1::ScoreCard fake = Card();
  forged->Sign(Report("1"), fake);
  EXPECT_FALSE(rotated->Verify(Report("1"), fake).ok());
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
