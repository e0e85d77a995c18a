#include "common/base/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jixiao::base {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Csv, ReadsWhatSpreadsheetsSave) {
  auto records = ParseCsv(
      "\xEF\xBB\xBF"
      "code,name,group\r\n"
      "AA,\"区财政局, 本级\",行政\r\n"
      "\r\n"
      "BB,\"多行\n名称 \"\"引号\"\"\",\r\n"
      "CC,last");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_THAT((*records)[0].fields, ElementsAre("code", "name", "group"));
  EXPECT_THAT((*records)[1].fields, ElementsAre("AA", "区财政局, 本级", "行政"));
  EXPECT_EQ((*records)[2].line, 4);
  EXPECT_THAT((*records)[2].fields, ElementsAre("BB", "多行\n名称 \"引号\"", ""));
  EXPECT_EQ((*records)[3].line, 6);
  EXPECT_THAT((*records)[3].fields, ElementsAre("CC", "last"));
}

TEST(Csv, ErrorsNameTheLine) {
  auto status = [](absl::string_view text, CsvLimits limits = {}) {
    auto records = ParseCsv(text, limits);
    EXPECT_FALSE(records.ok());
    return std::string(records.status().message());
  };
  EXPECT_EQ(status("a,b\nc,\"open\nmore"), "line 2: a quoted field is not closed");
  EXPECT_EQ(status("a\nb\"c"), "line 2: a quote inside a field that does not start with one");
  EXPECT_EQ(status("\"a\"b"), "line 1: text after a quoted field's closing quote");
  EXPECT_EQ(status("a\rb"), "line 1: a carriage return not followed by a line feed");
  EXPECT_THAT(status("a,b,c", {.max_fields = 2}), HasSubstr("more than 2 fields"));
  EXPECT_THAT(status("abcdef", {.max_field_bytes = 5}), HasSubstr("longer than 5 bytes"));
  EXPECT_THAT(status("\"abcdef\"", {.max_field_bytes = 5}), HasSubstr("longer than 5 bytes"));
  EXPECT_THAT(status("a\nb\nc", {.max_records = 2}), HasSubstr("line 3: more than 2 records"));
}

TEST(Csv, EmptyTextHasNoRecords) {
  auto records = ParseCsv("\n\r\n\n");
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

}  // namespace
}  // namespace jixiao::base
