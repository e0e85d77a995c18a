#include "common/report/json_input.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jixiao/v1/report.pb.h"

namespace jixiao::report {
namespace {

using ::testing::HasSubstr;

std::vector<JsonProblem> Problems(const std::string& text) {
  v1::Report report;
  std::vector<JsonProblem> problems;
  absl::Status status = ParseJson(text, &report, &problems);
  EXPECT_EQ(status.ok(), problems.empty());
  return problems;
}

std::string Line(const JsonProblem& p) {
  return absl::StrCat(p.line, ":", p.column, ": ", p.path, ": ", p.message);
}

TEST(JsonInput, ReadsAGoodReport) {
  v1::Report report;
  std::vector<JsonProblem> problems;
  ASSERT_TRUE(ParseJson(R"({"identity": {"department_code": "LH", "fiscalYear": 2019},
                            "procurement": {"budget": {"value": "5234.5"}},
                            "figures": {"initial_budget": {"value": "100"}}})",
                        &report, &problems)
                  .ok());
  EXPECT_EQ(report.identity().fiscal_year(), 2019);
  EXPECT_EQ(report.procurement().budget().value(), "5234.5");
  EXPECT_EQ(report.figures().at("initial_budget").value(), "100");
}

TEST(JsonInput, EveryProblemOnceWithItsLineColumnAndAFix) {
  std::vector<JsonProblem> problems = Problems(
      "{\n"
      "  \"identity\": {\"department_code\": \"LH\", \"fiscal_year\": \"twenty\"},\n"
      "  \"procurment\": {},\n"
      "  \"procurement\": {\"budget\": {\"value\": 5234.5}, \"actual\": \"12\"},\n"
      "  \"final_accounts\": {\"expenditure\": {\"value\": \"12000万元\"}},\n"
      "  \"identity\": {}\n"
      "}\n");
  ASSERT_EQ(problems.size(), 6u);
  EXPECT_EQ(Line(problems[0]), "2:56: identity.fiscal_year: is a whole number, e.g. 2019");
  EXPECT_EQ(Line(problems[1]),
            "3:3: procurment: unknown field \"procurment\" in the report; did you mean "
            "\"procurement\"?");
  EXPECT_EQ(Line(problems[2]),
            "4:39: procurement.budget.value: write figures as strings: \"5234.5\" (the digits as "
            "reported, no more, no fewer)");
  EXPECT_THAT(Line(problems[3]), HasSubstr("procurement.actual: a figure is {\"value\": \"12\"}"));
  EXPECT_THAT(Line(problems[4]), HasSubstr("amounts are in 万元 and the unit is implied; write "
                                           "\"12000\""));
  EXPECT_EQ(Line(problems[5]), "6:3: identity: \"identity\" is given twice (first at line 2)");
}

TEST(JsonInput, AFieldGivenTwiceAndAlternativesAreNamed) {
  std::vector<JsonProblem> problems =
      Problems("{\"identity\": {\"department_code\": \"LH\"},\n \"identity\": {}}");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(Line(problems[0]), "2:2: identity: \"identity\" is given twice (first at line 1)");
}

TEST(JsonInput, SyntaxErrorsAndTrailingCommas) {
  std::vector<JsonProblem> problems = Problems("{\n  \"identity\": {},\n}");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 3);
  EXPECT_THAT(problems[0].message, HasSubstr("a comma before } or ] is not allowed"));
  EXPECT_THAT(Problems("[1, 2]")[0].message, HasSubstr("a report is a JSON object"));
  EXPECT_THAT(Problems("{\"narrative\": \"x\"}")[0].message, HasSubstr("is an object"));
  EXPECT_THAT(Problems(std::string("{}\0{}", 5))[0].message, HasSubstr("NUL"));
  EXPECT_THAT(Problems("{\"identity\": {\"department_name\": \"\xff\"}}")[0].message,
              HasSubstr("not JSON"));
  EXPECT_THAT(Problems(std::string(100, '[') + std::string(100, ']'))[0].message,
              HasSubstr("a report is a JSON object"));
  std::string deep = "{\"narrative\": ";
  for (int i = 0; i < 200; ++i) deep += "{\"x\": ";
  EXPECT_FALSE(Problems(deep).empty());
}

// Found by report_json_fuzz: a text that ends inside a multi-byte UTF-8
// sequence read past its end.
TEST(JsonInput, ATextEndingInsideACharacterIsRefused) {
  std::vector<JsonProblem> problems = Problems("{\"identity\": {\"department_name\": \"d\xe9");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].message, HasSubstr("not JSON"));
  EXPECT_FALSE(Problems("\xe9").empty());
  EXPECT_FALSE(Problems("{\"a\xf0").empty());
}

TEST(JsonInput, ColumnsCountCharactersNotBytes) {
  std::vector<JsonProblem> problems =
      Problems("{\"identity\": {\"department_name\": \"区财政局\", \"phonee\": \"1\"}}");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].column, 42);
  EXPECT_THAT(problems[0].message, HasSubstr("did you mean \"phone\""));
}

TEST(JsonInput, AtMostAHundredProblems) {
  std::string text = "{\"identity\": {";
  for (int i = 0; i < 300; ++i) absl::StrAppend(&text, i ? "," : "", "\"x", i, "\": 1");
  text += "}}";
  EXPECT_EQ(Problems(text).size(), 100u);
}

}  // namespace
}  // namespace jixiao::report
