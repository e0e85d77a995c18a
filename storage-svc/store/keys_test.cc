#include "storage-svc/store/keys.h"

#include "gtest/gtest.h"

namespace jixiao::store::keys {
namespace {

TEST(Keys, NumbersSortNumerically) {
  EXPECT_LT(Revision("D", 2019, 9), Revision("D", 2019, 10));
  EXPECT_LT(Revision("D", 2019, 255), Revision("D", 2019, 256));
  EXPECT_LT(Report("D", 2019), Report("D", 2020));
  EXPECT_LT(YearIndex(2019, "ZZZ"), YearIndex(2020, "AAA"));
}

TEST(Keys, DepartmentsDoNotRunIntoEachOther) {
  // "D" and "D1" must not share a prefix range.
  std::string prefix = DepartmentPrefix("D");
  EXPECT_NE(Report("D1", 2019).rfind(prefix, 0), 0u);
  EXPECT_EQ(Report("D", 2019).rfind(prefix, 0), 0u);
}

TEST(Keys, RoundTrip) {
  std::string dept;
  uint32_t year = 0;
  ASSERT_TRUE(ParseReport(Report("LH-01", 2019), &dept, &year));
  EXPECT_EQ(dept, "LH-01");
  EXPECT_EQ(year, 2019u);
  ASSERT_TRUE(ParseYearIndex(YearIndex(2021, "X.Y"), &dept, &year));
  EXPECT_EQ(dept, "X.Y");
  EXPECT_EQ(year, 2021u);
  ASSERT_TRUE(ParseStatusIndex(StatusIndex(3, 2020, "Q"), &dept, &year));
  EXPECT_EQ(dept, "Q");
  EXPECT_EQ(year, 2020u);
  ASSERT_TRUE(ParseCardReport(Card(2019, "D9", 4, "s", 1, 1), &year, &dept));
  EXPECT_EQ(dept, "D9");
  EXPECT_FALSE(ParseReport("no-separator", &dept, &year));
}

TEST(Keys, PrefixEnd) {
  EXPECT_EQ(PrefixEnd("ab"), "ac");
  EXPECT_EQ(PrefixEnd(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixEnd(std::string("\xff\xff", 2)), "");
  EXPECT_GT(PrefixEnd(YearIndexPrefix(2019)), YearIndex(2019, "zzzz"));
}

TEST(Keys, CardsParseToTheirRevisionAndSequence) {
  uint64_t revision = 0;
  uint32_t sequence = 0;
  ASSERT_TRUE(ParseCard(Card(2019, "D9", 7, "dept-overall", 3, 12), &revision, &sequence));
  EXPECT_EQ(revision, 7u);
  EXPECT_EQ(sequence, 12u);
  // A card stored before sequences: the key ends at the version.
  std::string old_card = Card(2019, "D9", 5, "s", 1, 0);
  old_card.resize(old_card.size() - 4);
  ASSERT_TRUE(ParseCard(old_card, &revision, &sequence));
  EXPECT_EQ(revision, 5u);
  EXPECT_EQ(sequence, 0u);
  EXPECT_FALSE(ParseCard(CardRevisionPrefix(2019, "D9", 5), &revision, &sequence));
  // The newest of a revision sorts by sequence only among the same scheme;
  // across schemes the store compares sequences.
  EXPECT_LT(Card(2019, "D9", 5, "a", 9, 1), Card(2019, "D9", 5, "b", 1, 0));
}

}  // namespace
}  // namespace jixiao::store::keys
