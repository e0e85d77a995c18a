// The form written and read back: the same report, for both shipped
// schemes; and what reading refuses, naming the cell.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "common/base/files.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/form/workbook.h"

namespace jixiao::form {
namespace {

using ::testing::HasSubstr;

std::string Source(const std::string& path) { return std::string(JIXIAO_SOURCE_DIR) + "/" + path; }

v1::Report ReadJson(const std::string& path) {
  v1::Report report;
  auto text = base::ReadFile(Source(path));
  EXPECT_TRUE(text.ok());
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(*text, &report).ok());
  return report;
}

// A report as the form holds it: answers in the scheme's order.
v1::Report Sorted(v1::Report report) {
  std::sort(report.mutable_checklist()->begin(), report.mutable_checklist()->end(),
            [](const auto& a, const auto& b) { return a.item_id() < b.item_id(); });
  std::stable_sort(
      report.mutable_targets()->begin(), report.mutable_targets()->end(),
      [](const auto& a, const auto& b) { return a.indicator_id() < b.indicator_id(); });
  std::sort(report.mutable_self_evaluation()->mutable_scores()->begin(),
            report.mutable_self_evaluation()->mutable_scores()->end(),
            [](const auto& a, const auto& b) { return a.indicator_id() < b.indicator_id(); });
  return report;
}

class Form : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jixiao-form-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes and reads back `report`'s form.
  absl::StatusOr<Imported> RoundTrip(const engine::CompiledScheme& scheme, const v1::Report& report,
                                     std::vector<CellProblem>* problems) {
    const std::string path = dir_ + "/form.xlsx";
    absl::Status written = WriteWorkbook(scheme, report, path);
    EXPECT_TRUE(written.ok()) << written;
    auto bytes = base::ReadFile(path);
    EXPECT_TRUE(bytes.ok());
    return ReadWorkbook(*bytes, problems);
  }

  // The round trip of `report`, expected to read back as it went (answers
  // in any order); nullopt, having said why, if it did not.
  std::optional<Imported> ExpectRoundTrip(const engine::CompiledScheme& scheme,
                                          const v1::Report& report) {
    std::vector<CellProblem> problems;
    auto imported = RoundTrip(scheme, report, &problems);
    if (!imported.ok()) {
      ADD_FAILURE() << imported.status()
                    << (problems.empty() ? "" : problems[0].cell + " " + problems[0].message);
      return std::nullopt;
    }
    std::string differences;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&differences);
    if (!differ.Compare(Sorted(imported->report), Sorted(report))) {
      ADD_FAILURE() << differences;
      return std::nullopt;
    }
    return *std::move(imported);
  }

  std::string dir_;
};

TEST_F(Form, TheSeedComesBackAsItWent) {
  v1::Report seed = ReadJson("examples/longhua-2019.json");
  std::optional<Imported> imported = ExpectRoundTrip(*engine::DefaultScheme(), seed);
  ASSERT_TRUE(imported);
  EXPECT_TRUE(imported->warnings.empty());
}

TEST_F(Form, AnotherBureausSchemeComesBackToo) {
  auto scheme = engine::LoadSchemeFile(Source("schemes/yueyang-dept-overall-v1.textproto"));
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  v1::Report report = ReadJson("examples/yueyang-2020.json");
  EXPECT_TRUE(ExpectRoundTrip(**scheme, report));
}

TEST_F(Form, ABlankFormReadsAsTheIdentityAlone) {
  v1::Report blank;
  blank.mutable_identity()->set_department_code("LH-CZJ");
  blank.mutable_identity()->set_fiscal_year(2020);
  std::vector<CellProblem> problems;
  auto imported = RoundTrip(*engine::DefaultScheme(), blank, &problems);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(imported->report, blank))
      << imported->report.DebugString();
}

TEST_F(Form, NotAWorkbookIsSaidSo) {
  std::vector<CellProblem> problems;
  EXPECT_THAT(std::string(ReadWorkbook("{\"identity\": {}}", &problems).status().message()),
              HasSubstr("not an .xlsx workbook"));
  EXPECT_THAT(std::string(ReadWorkbook(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) +
                                           std::string(100, '\0'),
                                       &problems)
                              .status()
                              .message()),
              HasSubstr("save it as .xlsx"));
  EXPECT_THAT(std::string(ReadWorkbook("PK\x03\x04garbage", &problems).status().message()),
              HasSubstr("damaged zip"));
  EXPECT_THAT(
      std::string(
          ReadWorkbook(std::string(kMaxWorkbookBytes + 1, 'P'), &problems).status().message()),
      HasSubstr("at most 16 MiB"));
}

}  // namespace
}  // namespace jixiao::form
