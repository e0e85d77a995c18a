#include "common/report/plain_text.h"

#include "gtest/gtest.h"

namespace jixiao::report {
namespace {

TEST(PlainText, OneLineRefusesWhatForgesARowOrMovesTheCursor) {
  EXPECT_TRUE(IsOneLine("深圳市龙华区政务服务数据管理局 (本级)"));
  EXPECT_TRUE(IsOneLine(""));
  for (const char* bad :
       {"a\nb", "a\rb", "tab\there", "\x1b[31m", "del\x7f",
        "c1\xc2\x9b"
        "31m",
        "next\xc2\x85line", "ls\xe2\x80\xa8", "ps\xe2\x80\xa9", "rlo\xe2\x80\xae",
        "isolate\xe2\x81\xa6", "bad\xff", "overlong\xc0\xaf", "surrogate\xed\xa0\x80"}) {
    EXPECT_FALSE(IsOneLine(bad)) << bad;
  }
}

TEST(PlainText, BlankIncludesIdeographicAndZeroWidthSpaces) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \xe3\x80\x80\xe2\x80\x8b\xc2\xa0\xef\xbb\xbf"));
  EXPECT_FALSE(IsBlank(" 局 "));
}

TEST(PlainText, TrimSpacesTakesUnicodeSpacesToo) {
  EXPECT_EQ(TrimSpaces("\xe3\x80\x80 123\xc2\xa0\t"), "123");
  EXPECT_EQ(TrimSpaces("是\xe3\x80\x80"), "是");
  EXPECT_EQ(TrimSpaces("a b"), "a b");
  EXPECT_EQ(TrimSpaces("\xe3\x80\x80"), "");
}

TEST(PlainText, OneLineShowsBreaksAndReplacesControls) {
  EXPECT_EQ(OneLine("第一行\n第二行\r\n第三行"), "第一行⏎第二行⏎第三行");
  EXPECT_EQ(OneLine("a\tb"), "a b");
  EXPECT_EQ(OneLine("\x1b[31mred"), "\xEF\xBF\xBD[31mred");
  EXPECT_EQ(OneLine("bad\xff"), "bad\xEF\xBF\xBD");
  EXPECT_EQ(OneLine("plain 文本"), "plain 文本");
}

}  // namespace
}  // namespace jixiao::report

namespace jixiao::report {
namespace {

TEST(PlainText, DisplayWidthCountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth("部门ab"), 6);
  EXPECT_EQ(DisplayWidth("ＡＢ，"), 6);  // full-width forms
  EXPECT_EQ(DisplayWidth("a²·"), 3);
  EXPECT_EQ(DisplayWidth(""), 0);
}

}  // namespace
}  // namespace jixiao::report
