// Scheme loading: the default scheme loads, and every file under
// testdata/broken/ is refused with the reason and line its header states:
//   # expect: <text the error must contain>
//   # expect-line: <line the error must name, or 0>

#include <filesystem>
#include <fstream>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/report/field_violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/test_util.h"

namespace jixiao::engine {
namespace {

const std::string kBrokenDir =
    std::string(JIXIAO_SOURCE_DIR) + "/scoring-svc/engine/testdata/broken";

TEST(SchemeLoader, DefaultSchemeLoadsFromItsFile) {
  auto scheme =
      LoadSchemeFile(std::string(JIXIAO_SOURCE_DIR) + "/schemes/dept-overall-v1.textproto");
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  EXPECT_EQ((*scheme)->id(), "dept-overall");
  EXPECT_EQ((*scheme)->proto().indicators_size(), 3);
  // The built-in copy is the same file.
  EXPECT_EQ(DefaultScheme()->proto().SerializeAsString(), (*scheme)->proto().SerializeAsString());
}

TEST(SchemeLoader, MissingFileIsNotFound) {
  auto scheme = LoadSchemeFile(kBrokenDir + "/no-such-file.textproto");
  EXPECT_EQ(scheme.status().code(), absl::StatusCode::kNotFound);
}

// Every kind of problem a scheme is refused for has a broken file (each
// checked below for its reason and line).
TEST(SchemeLoader, BrokenFilesCoverEveryKindOfProblem) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kBrokenDir)) {
    names.insert(entry.path().stem().string());
  }
  for (const char* kind : {
           "syntax_error",        // not protobuf text
           "unknown_field_path",  // a field that does not exist
           "path_to_message",     // a path that names no figure
           "text_field_path",     // a path to a text field
           "unknown_measure",     // @measure that does not exist
           "unknown_function",    // a function the grammar lacks
           "formula_syntax",      // a formula that does not parse
           "formula_too_long",    // a formula deeper than evaluation allows
           "measure_cycle",       // measures that refer to each other
           "total_weight",        // weights that do not add up to the total
           "children_weights",    // children that do not add up to their parent
           "bad_weight",          // a weight that is no number
           "leaf_without_rule",   // a rule that cannot be evaluated: none
           "deduction_without_direction",
           "zero_proportional_standard",
           "band_points_over_weight",
           "empty_band",
           "checklist_points",
           "duplicate_indicator",  // ids that repeat
           "too_deep",             // more levels than 四级
           "no_indicators",
           "undeclared_figure",    // figures.ID the scheme does not declare
           "figure_id_collision",  // a figure declared twice
           "bad_figure_id",        // a figure id a formula could not name
           "targets_on_measure",   // a targets rule given a measure
           "long_edition",         // an edition longer than a citation needs
           "duplicate_grade",      // two grades of one name
           "name_with_override",   // a name with a direction override
       }) {
    EXPECT_TRUE(names.count(kind)) << "no broken scheme file for " << kind;
  }
}

class BrokenSchemeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BrokenSchemeTest, RefusedWithReasonAndLine) {
  std::string path = kBrokenDir + "/" + GetParam();
  std::ifstream in(path);
  std::string line, expect;
  int expect_line = -1;
  while (std::getline(in, line) && line.rfind("# expect", 0) == 0) {
    if (line.rfind("# expect: ", 0) == 0) expect = line.substr(10);
    if (line.rfind("# expect-line: ", 0) == 0) expect_line = std::stoi(line.substr(15));
  }
  ASSERT_FALSE(expect.empty()) << path << " has no '# expect:' line";
  auto scheme = LoadSchemeFile(path);
  ASSERT_FALSE(scheme.ok()) << path << " loaded but should not";
  EXPECT_EQ(scheme.status().code(), absl::StatusCode::kInvalidArgument);
  std::string message(scheme.status().message());
  EXPECT_THAT(message, ::testing::HasSubstr(expect));
  if (expect_line > 0) {
    EXPECT_THAT(message, ::testing::HasSubstr(absl::StrCat(path, ":", expect_line, ":")));
  }
  EXPECT_FALSE(report::ViolationsOf(scheme.status()).empty());
}

std::vector<std::string> BrokenFiles() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kBrokenDir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Files, BrokenSchemeTest, ::testing::ValuesIn(BrokenFiles()),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           return name;
                         });

// A few lines of scheme whose measures each square the last would double
// the size of the exact numbers at every step, and so take a core and its
// memory for ever: past 4096 bits a value is a problem instead, found at
// once.
TEST(SchemeLoader, MeasuresThatExplodeStopAtAProblem) {
  std::string text = absl::StrCat(
      "id: \"t\" version: 1 name: \"t\" total_weight: \"10\" score_decimals: 2\n",
      "measures { id: \"m0\" name: \"m0\" decimals: 2 formula: \"procurement.actual / 3 + 1\" }\n");
  for (int i = 1; i <= 40; ++i) {
    absl::StrAppend(&text, "measures { id: \"m", i, "\" name: \"m", i,
                    "\" decimals: 2 formula: \"@m", i - 1, " * @m", i - 1, " / 7 + 1 / 3\" }\n");
  }
  absl::StrAppend(&text,
                  "indicators { id: \"a\" name: \"a\" weight: \"10\" measure: \"m40\" rule { "
                  "proportional { standard: \"100\" } } }\n");
  auto scheme = LoadSchemeText(text, "chain");
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  v1::Report report = testing::MinimalReport();
  report.mutable_procurement()->mutable_actual()->set_value("4668.81");
  const auto start = absl::Now();
  auto card = ScoreReport(report, **scheme, {});
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  const v1::MeasureResult& last = card->measures(40);
  EXPECT_EQ(last.id(), "m40");
  EXPECT_FALSE(last.has_verified());
  bool found = false;
  for (const v1::MeasureResult& m : card->measures()) {
    found |= m.explanation().find("超过 4096 位") != std::string::npos;
  }
  EXPECT_TRUE(found) << last.explanation();
}

TEST(SchemeLoader, ReportsEveryProblemAtOnce) {
  auto scheme = LoadSchemeText(
      "id: \"t\" version: 0 name: \"\" total_weight: \"10\"\n"
      "indicators { id: \"a\" name: \"a\" weight: \"10\" }\n",
      "inline");
  ASSERT_FALSE(scheme.ok());
  std::vector<std::string> fields;
  for (const auto& v : report::ViolationsOf(scheme.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("version", "name", "indicators[0].rule"));
}

TEST(SchemeLoader, UnknownEnumValuesAreRefused) {
  v1::Scheme scheme = DefaultScheme()->proto();
  // procurement_execution's linear deduction
  v1::Indicator* leaf = scheme.mutable_indicators(1)->mutable_children(0)->mutable_children(0);
  leaf->mutable_rule()->mutable_linear_deduction()->set_direction(
      static_cast<v1::LinearDeductionRule::Direction>(7));
  scheme.set_score_on(static_cast<v1::ValueBasis>(9));
  auto compiled = CompileScheme(scheme, "request");
  ASSERT_FALSE(compiled.ok());
  std::vector<std::string> fields;
  for (const auto& v : report::ViolationsOf(compiled.status())) fields.push_back(v.field);
  EXPECT_THAT(
      fields,
      ::testing::IsSupersetOf(
          {"score_on", "indicators[1].children[0].children[0].rule.linear_deduction.direction"}));
}

TEST(SchemeLoader, InlineSchemeErrorsNameTheFieldPath) {
  v1::Scheme scheme = DefaultScheme()->proto();
  scheme.mutable_indicators(1)->mutable_children(0)->mutable_children(0)->set_weight("4");
  auto compiled = CompileScheme(scheme, "request");
  ASSERT_FALSE(compiled.ok());
  std::vector<std::string> fields;
  for (const auto& v : report::ViolationsOf(compiled.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::Contains("indicators[1].children[0].weight"));
}

}  // namespace
}  // namespace jixiao::engine
