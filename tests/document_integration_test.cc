// Documents through the real CLI and services: a stored report rendered
// with its stored card, the year's summary over several stored reports,
// and every HTML page loaded in real headless Chromium (no console message,
// no network request from the page, a screenshot kept under
// build/artifacts/), the default scheme's and one of the test's own, whose
// figures, targets and grade bins the loaded page must show.

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/score_card.pb.h"
#include "tests/browser.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using testing::CommandResult;
using testing::DomInChromium;
using ::testing::HasSubstr;
using testing::LoadInChromium;
using ::testing::Not;
using testing::ReadFile;
using testing::RunCommand;
using testing::ServerProcess;
using testing::SourcePath;

const std::string kSeed = SourcePath("examples/longhua-2019.json");

// The seed with another department code and, optionally, another
// procurement figure (which moves its score).
std::string Variant(const std::string& dir, const std::string& code, const std::string& actual,
                    int year = 2019) {
  v1::Report report;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(kSeed), &report).ok());
  report.mutable_identity()->set_department_code(code);
  report.mutable_identity()->set_department_name("部门" + code);
  report.mutable_identity()->set_fiscal_year(year);
  if (!actual.empty()) report.mutable_procurement()->mutable_actual()->set_value(actual);
  report.mutable_procurement()->clear_declared_execution_rate();
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(report, &json).ok());
  std::string path = dir + "/" + code + "-" + std::to_string(year) + ".json";
  std::ofstream(path) << json;
  return path;
}

class Documents : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = testing::MakeTempDir("jixiao-docs");
    storage_ = std::make_unique<ServerProcess>(
        BinPath("storage-svc"), std::vector<std::string>{"--data-dir", data_ + "/db"});
    scoring_ = std::make_unique<ServerProcess>(BinPath("scoring-svc"), std::vector<std::string>{});
    ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
    ASSERT_FALSE(scoring_->address().empty()) << scoring_->Log();
  }

  testing::CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {BinPath("jixiao"), "--storage", storage_->address(), "--scoring",
                               scoring_->address()});
    return RunCommand(args);
  }

  std::string data_;
  std::unique_ptr<ServerProcess> storage_, scoring_;
};

TEST_F(Documents, RendersAStoredReportWithItsStoredCard) {
  ASSERT_EQ(Cli({"save", kSeed}).exit_code, 0);
  testing::CommandResult unscored = Cli({"render", "LH-ZWFWSJGLJ/2019"});
  EXPECT_EQ(unscored.exit_code, 4);
  EXPECT_THAT(unscored.err, HasSubstr("score it first"));
  ASSERT_EQ(Cli({"score", "LH-ZWFWSJGLJ/2019"}).exit_code, 3);
  testing::CommandResult rendered = Cli({"render", "LH-ZWFWSJGLJ/2019"});
  ASSERT_EQ(rendered.exit_code, 3) << rendered.err;  // the seed's Q2 error
  EXPECT_THAT(rendered.out, HasSubstr("政府采购执行率为 88.53%"));
  EXPECT_THAT(rendered.out, HasSubstr("得分 97.06 分，等级为“优”"));
}

TEST_F(Documents, SummaryRanksStoredReportsWithTies) {
  std::vector<std::string> files = {kSeed,
                                    Variant(data_, "A1", "5273.84"),
                                    Variant(data_, "A2", "5273.84"),
                                    Variant(data_, "A3", "2000"),
                                    Variant(data_, "A4", "", 2020),
                                    Variant(data_, "A5", "")};
  std::vector<std::string> submit = {"save"};
  submit.insert(submit.end(), files.begin(), files.end());
  ASSERT_EQ(Cli(submit).exit_code, 0);
  for (const char* ref : {"LH-ZWFWSJGLJ/2019", "A1/2019", "A2/2019", "A3/2019", "A4/2020"}) {
    ASSERT_EQ(Cli({"score", ref}).exit_code, 3) << ref;  // all keep the seed's Q2 error
  }
  // A5 is stored but not scored.
  // Drafts all: ranked among themselves with --status draft (by default
  // only submitted and approved reports are).
  testing::CommandResult csv =
      Cli({"summary", "--year", "2019", "--format", "csv", "--status", "draft"});
  ASSERT_EQ(csv.exit_code, 3) << csv.err;  // the cards keep the seed's Q2 error
  ASSERT_EQ(csv.out.substr(0, 3), "\xEF\xBB\xBF");
  std::vector<std::string> lines;
  std::istringstream in(csv.out.substr(3));
  for (std::string line; std::getline(in, line);) lines.push_back(line.substr(0, line.size() - 1));
  // The header, five 2019 reports, a blank line, the averages.
  ASSERT_EQ(lines.size(), 8u) << csv.out;
  EXPECT_EQ(lines[0],
            "名次,部门编码,部门名称,类别,得分,等级,自评得分,差额,部门决策,部门管理,部门绩效,错误,"
            "警告,提示,错误事项,状态,评分所依据的修订版本,评分时间（北京时间）,备注");
  // A1 and A2 executed all their procurement: tied first.
  EXPECT_THAT(lines[1], ::testing::StartsWith("1,A1,部门A1,,98.21,优,97.89,-0.32,"));
  EXPECT_THAT(lines[2], ::testing::StartsWith("1,A2,部门A2,,98.21,优,"));
  EXPECT_THAT(lines[3],
              ::testing::StartsWith("3,LH-ZWFWSJGLJ,深圳市龙华区政务服务数据管理局,,97.06,优,"));
  EXPECT_THAT(lines[4], ::testing::StartsWith("4,A3,部门A3,"));
  EXPECT_THAT(lines[5], ::testing::StartsWith("未评分,A5,部门A5,,,,"));
  // (98.21 + 98.21 + 97.06 + 95.21) / 4 = 97.1725, over the ranked four only.
  EXPECT_EQ(lines[6], "");
  EXPECT_THAT(lines[7], ::testing::StartsWith(",,平均（已排名）,,97.17,,,,25.00,"));
  EXPECT_THAT(lines[1], ::testing::HasSubstr(",第二季度资金支出进度,草稿,1,"));
  // By default drafts are listed apart, as drafts.
  testing::CommandResult table = Cli({"summary", "--year", "2019"});
  EXPECT_THAT(table.out, HasSubstr("排名 0 个部门"));
  EXPECT_THAT(table.out, HasSubstr("未排名 5 个部门"));
  EXPECT_THAT(table.out, HasSubstr("未设名册：草稿 5，已提交 0"));
  testing::CommandResult html =
      Cli({"summary", "--year", "2019", "--format", "html", "--status", "draft"});
  EXPECT_THAT(html.out, HasSubstr("<svg"));
  EXPECT_THAT(html.out, HasSubstr("排名 4 个部门"));
}

TEST_F(Documents, ComparesTwoYears) {
  ASSERT_EQ(
      Cli({"save", Variant(data_, "C1", "2000"), Variant(data_, "C1", "5273.84", 2020)}).exit_code,
      0);
  ASSERT_EQ(Cli({"score", "C1/2019", "C1/2020"}).exit_code, 3);
  testing::CommandResult compared = Cli({"compare", "C1/2020", "C1/2019"});
  ASSERT_EQ(compared.exit_code, 3) << compared.err;
  EXPECT_THAT(compared.out, HasSubstr("2019 年 / 2020 年"));
  // Each side's standing before its scores: both drafts, both with the seed's Q2 error.
  EXPECT_THAT(compared.out, HasSubstr("2019 年：草稿（修订版本 1），有错误发现 1 项；"
                                      "2020 年：草稿（修订版本 1），有错误发现 1 项。"));
  EXPECT_THAT(compared.out, HasSubstr("| 　　**政府采购执行率** | 3 | 37.92% | 100.00% | "
                                      "+62.08 个百分点 | 0.00 | 3.00 | **+3.00** |"));
  EXPECT_THAT(compared.out, HasSubstr("| **实际政府采购金额** | 2,000 万元 | 5,273.84 万元 | "
                                      "**+3,273.84** | +163.69% |"));
  EXPECT_EQ(Cli({"compare", "C1/2019", "LH-ZWFWSJGLJ/2019"}).exit_code, 4);  // not stored
}

// A report for the county scheme; its file's path.
std::string CountyReport(const std::string& dir, const std::string& code,
                         const std::string& actual_spending) {
  v1::Report report;
  report.mutable_identity()->set_department_code(code);
  report.mutable_identity()->set_department_name("测试县" + code + "局");
  report.mutable_identity()->set_fiscal_year(2021);
  (*report.mutable_figures())["initial_budget"].set_value("1200");
  (*report.mutable_figures())["adjusted_budget"].set_value("1250.5");
  (*report.mutable_figures())["actual_spending"].set_value(actual_spending);
  v1::PerformanceTarget& target = *report.add_targets();
  target.set_indicator_id("results");
  target.set_name("政务服务办件量");
  target.set_direction(v1::PerformanceTarget::DIRECTION_AT_LEAST);
  target.mutable_target()->set_value("50000");
  target.mutable_actual()->set_value("52310");
  target.set_unit("件");
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(report, &json).ok());
  std::string path = dir + "/county-" + code + ".json";
  std::ofstream(path) << json;
  return path;
}

TEST_F(Documents, ASchemesOwnDocumentsShowItsFiguresTargetsAndGradesInChromium) {
  if (!std::filesystem::exists("/usr/bin/chromium")) GTEST_SKIP() << "chromium is not installed";
  std::string artifacts = std::string(JIXIAO_BIN_DIR) + "/../artifacts";
  std::filesystem::create_directories(artifacts);
  // A scheme nothing like the default: figures in two groups, targets,
  // grades A/B/C, and no template set of its own.
  const std::string scheme = SourcePath("tools/render/testdata/county-test.textproto");
  // The generic report document, from a file scored here.
  std::string report = data_ + "/county-report.html";
  testing::CommandResult rendered =
      RunCommand({BinPath("jixiao"), "render", CountyReport(data_, "JY", "1200.48"), "--scheme",
                  scheme, "-f", "html", "--out", report});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  // The year's summary of reports stored and scored with the published scheme.
  ASSERT_EQ(Cli({"admin", "publish", scheme}).exit_code, 0);
  ASSERT_EQ(Cli({"save", CountyReport(data_, "JY", "1200.48"), CountyReport(data_, "GA", "1000.4"),
                 CountyReport(data_, "WJ", "1125.45")})
                .exit_code,
            0);
  testing::CommandResult scored =
      Cli({"score", "JY/2021", "GA/2021", "WJ/2021", "--scheme", scheme});
  ASSERT_EQ(scored.exit_code, 0) << scored.out << scored.err;
  std::string summary = data_ + "/county-summary.html";
  testing::CommandResult summarised =
      Cli({"summary", "--year", "2021", "-f", "html", "--out", summary, "--status", "draft"});
  ASSERT_EQ(summarised.exit_code, 0) << summarised.err;

  for (const auto& [page, name] : std::vector<std::pair<std::string, std::string>>{
           {report, "county-report"}, {summary, "county-summary-2021"}}) {
    EXPECT_EQ(LoadInChromium(page, artifacts + "/" + name + ".png"), "") << name;
  }
  std::string report_dom = DomInChromium(report);
  ASSERT_THAT(report_dom, HasSubstr("</html>"));
  for (const char* shown :
       {"预算安排", "预算执行", "<td>年初预算数</td>", "1,250.5 万元", "<td>全年实际支出</td>",
        "<td>政务服务办件量</td>", "52,310 件", "100.00%", "等级为“A”", "<svg"}) {
    EXPECT_THAT(report_dom, HasSubstr(shown)) << "report page lacks " << shown;
  }
  EXPECT_THAT(report_dom, Not(HasSubstr("<td align=\"right\">（未填报）</td>")));  // figures filled
  std::string summary_dom = DomInChromium(summary);
  ASSERT_THAT(summary_dom, HasSubstr("</html>"));
  // The scheme's own 一级 columns and one bin per grade, each holding one
  // department (92.00 A, 80.00 B, 60.00 C).
  for (const char* shown : {"<th>资金使用</th><th>履职成效</th>", ">A ≥85</text>",
                            ">B ≥70 且 &lt;85</text>", ">C &lt;70</text>", "测试县JY局"}) {
    EXPECT_THAT(summary_dom, HasSubstr(shown)) << "summary page lacks " << shown;
  }
  EXPECT_THAT(summary_dom, Not(HasSubstr("优 ≥90")));
  EXPECT_THAT(summary_dom, Not(HasSubstr("（未填报）")));

  // A shipped scheme of another jurisdiction prints generically too.
  std::string yueyang = data_ + "/yueyang-report.html";
  testing::CommandResult shipped =
      RunCommand({BinPath("jixiao"), "render", SourcePath("examples/yueyang-2020.json"), "--scheme",
                  SourcePath("schemes/yueyang-dept-overall-v1.textproto"), "--prior",
                  SourcePath("examples/yueyang-2019.json"), "-f", "html", "--out", yueyang});
  ASSERT_EQ(shipped.exit_code, 0) << shipped.err;
  EXPECT_EQ(LoadInChromium(yueyang, artifacts + "/yueyang-2020-report.png"), "");
  std::string yueyang_dom = DomInChromium(yueyang);
  for (const char* shown :
       {"<td>年初预算数</td>", "2,150.00 万元", "<td>汛期水情预警信息发布次数</td>"}) {
    EXPECT_THAT(yueyang_dom, HasSubstr(shown)) << "岳阳 page lacks " << shown;
  }
  // Scored with last year's report, as `score --prior` scores it.
  testing::CommandResult with_prior = RunCommand(
      {BinPath("jixiao"), "--output", "json", "score", SourcePath("examples/yueyang-2020.json"),
       "--scheme", SourcePath("schemes/yueyang-dept-overall-v1.textproto"), "--prior",
       SourcePath("examples/yueyang-2019.json")});
  v1::ScoreCard card;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(with_prior.out, &card).ok())
      << with_prior.out;
  EXPECT_THAT(yueyang_dom, HasSubstr("得分 " + card.total_score() + " 分"));
}

// The seed's document as a PDF for the official file, checked with poppler:
// its sentences and its score table are text, its pages A4, its fonts
// embedded; a stored report's carries its mark and revision.
TEST_F(Documents, TheSeedsPdfIsA4WithItsTextTablesAndFontsEmbedded) {
  if (!std::filesystem::exists("/usr/bin/pdftotext"))
    GTEST_SKIP() << "poppler-utils is not installed";
  const std::string pdf = data_ + "/seed.pdf";
  CommandResult printed = RunCommand(
      {BinPath("jixiao"), "render", kSeed, "-f", "pdf", "--date", "2020-04-15", "--out", pdf});
  ASSERT_EQ(printed.exit_code, 3) << printed.err;  // written, with the seed's Q2 error
  const std::string artifacts = std::string(JIXIAO_BIN_DIR) + "/../artifacts";
  std::filesystem::create_directories(artifacts);
  std::filesystem::copy_file(pdf, artifacts + "/seed-report.pdf",
                             std::filesystem::copy_options::overwrite_existing);
  CommandResult text = RunCommand({"/usr/bin/pdftotext", "-layout", pdf, "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  // pdftotext lays Chinese out with spaces of its own; compare without them.
  std::string flat = text.out;
  flat.erase(std::remove_if(flat.begin(), flat.end(), [](char c) { return c == ' ' || c == '\n'; }),
             flat.end());
  for (const char* sentence : {"为规范财政预算资金管理、提升部门履职效能", "政府采购执行率为88.53%",
                               "指标分值评分标准得分扣分原因",
                               "深圳市龙华区政务服务数据管理局2020年4月15日", "草稿", "—1—"}) {
    EXPECT_THAT(flat, HasSubstr(sentence));
  }
  CommandResult info = RunCommand({"/usr/bin/pdfinfo", pdf});
  EXPECT_THAT(info.out, HasSubstr("(A4)"));
  std::smatch pages;
  ASSERT_TRUE(std::regex_search(info.out, pages, std::regex("Pages:\\s+([0-9]+)")));
  EXPECT_GE(std::stoi(pages[1]), 10);
  CommandResult fonts = RunCommand({"/usr/bin/pdffonts", pdf});
  std::istringstream rows(fonts.out);
  int listed = 0;
  for (std::string row; std::getline(rows, row);) {
    if (row.rfind("name", 0) == 0 || row.rfind("---", 0) == 0) continue;
    ++listed;
    // name, type, encoding, then emb sub uni: every font embedded, by name
    // (a TrueType font from Debian's packages, not an unnamed Type 3 glyph set).
    EXPECT_THAT(row, ::testing::Not(::testing::HasSubstr("Type 3"))) << row;
    EXPECT_THAT(row, ::testing::ContainsRegex("^[A-Z]{6}\\+(UMing|WenQuanYi)")) << row;
    EXPECT_THAT(row,
                ::testing::ContainsRegex("\\s+yes\\s+(yes|no)\\s+(yes|no)\\s+[0-9]+\\s+[0-9]+$"))
        << row;
  }
  EXPECT_GT(listed, 0);
  // A stored, submitted report's PDF says it is not yet reviewed.
  ASSERT_EQ(Cli({"save", kSeed}).exit_code, 0);
  ASSERT_EQ(
      Cli({"submit", "LH-ZWFWSJGLJ/2019", "--explain", "第二季度数据以财政系统为准"}).exit_code, 0);
  const std::string stored = data_ + "/stored.pdf";
  CommandResult rendered = Cli({"render", "LH-ZWFWSJGLJ/2019", "-f", "pdf", "--out", stored});
  ASSERT_EQ(rendered.exit_code, 3) << rendered.err;
  CommandResult stored_text = RunCommand({"/usr/bin/pdftotext", stored, "-"});
  // The mark is letter-spaced, and pdftotext may break it: compare without spacing.
  std::string unspaced = stored_text.out;
  unspaced.erase(std::remove_if(unspaced.begin(), unspaced.end(),
                                [](char c) { return c == ' ' || c == '\n'; }),
                 unspaced.end());
  EXPECT_NE(unspaced.find("未审核（修订版本2）"), std::string::npos);  // submitted: revision 2
}

// The year's site: the summary linking to each department's page and
// document, every page loading in Chromium with nothing fetched.
// The seed itself, imported from its text and printed: every paragraph of
// its narrative is in the PDF (what the paragraphs say is read from the
// seed at run time, so that none of its text is kept here).
TEST_F(Documents, TheImportedSeedsPdfKeepsEveryParagraph) {
  const std::string seed = SourcePath("../shared/seed/000_1b61a0e051686e8d.txt");
  if (!std::filesystem::exists(seed)) GTEST_SKIP() << "the seed report is not at " << seed;
  if (!std::filesystem::exists("/usr/bin/pdftotext"))
    GTEST_SKIP() << "poppler-utils is not installed";
  const std::string draft = data_ + "/imported.json";
  CommandResult imported = RunCommand({BinPath("jixiao"), "import", seed, "--department",
                                       "LH-ZWFWSJGLJ", "--accept-inferred", "--out", draft});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string pdf = data_ + "/imported.pdf";
  CommandResult printed =
      RunCommand({BinPath("jixiao"), "render", draft, "-f", "pdf", "--out", pdf});
  ASSERT_TRUE(printed.exit_code == 0 || printed.exit_code == 3) << printed.err;
  CommandResult text = RunCommand({"/usr/bin/pdftotext", pdf, "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  auto flat = [](std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n'; }),
            s.end());
    return s;
  };
  const std::string printed_text = flat(text.out);
  v1::Report report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(draft), &report).ok());
  std::vector<std::string> paragraphs(report.narrative().preamble().begin(),
                                      report.narrative().preamble().end());
  std::function<void(const v1::Section&)> collect = [&](const v1::Section& section) {
    paragraphs.insert(paragraphs.end(), section.paragraphs().begin(), section.paragraphs().end());
    for (const v1::Section& sub : section.subsections()) collect(sub);
  };
  const v1::Narrative& n = report.narrative();
  for (const v1::Section* section :
       {&n.functions(), &n.key_tasks(), &n.budget_preparation(), &n.target_setting(),
        &n.performance_goals(), &n.delivery(), &n.key_work(), &n.effectiveness(), &n.experience(),
        &n.problems_and_measures(), &n.plans()}) {
    collect(*section);
  }
  // And the text under the indicators' headings (一(四), 二(三)).
  ASSERT_GE(n.indicators_size(), 15);
  for (const v1::IndicatorText& t : n.indicators()) {
    paragraphs.insert(paragraphs.end(), t.paragraphs().begin(), t.paragraphs().end());
  }
  ASSERT_GT(paragraphs.size(), 55u);
  for (const std::string& paragraph : paragraphs) {
    // Its first dozen characters (36 bytes), without spaces.
    const std::string whole = flat(paragraph);
    const std::string head = whole.substr(0, std::min<size_t>(whole.size(), 36));
    EXPECT_THAT(printed_text, HasSubstr(head)) << paragraph;
  }
}

TEST_F(Documents, TheYearsSiteLinksEveryStoredDepartmentsPageAndDocument) {
  ASSERT_EQ(Cli({"save", kSeed, Variant(data_, "H1", "5273.84")}).exit_code, 0);
  ASSERT_EQ(Cli({"score", "LH-ZWFWSJGLJ/2019"}).exit_code, 3);
  ASSERT_EQ(
      Cli({"submit", "LH-ZWFWSJGLJ/2019", "--explain", "第二季度数据以财政系统为准"}).exit_code, 0);
  // Another bureau's report, filled in for its own table, stored in a year
  // scored by the default one.
  const std::string other = std::string(JIXIAO_SOURCE_DIR) + "/examples/yueyang-2019.json";
  ASSERT_EQ(Cli({"save", other}).exit_code, 0);
  ASSERT_EQ(Cli({"score", "YY-SJYJ/2019"}).exit_code, 3);
  // No explanation submits it: its scores under this table mean nothing.
  CommandResult submitted = Cli({"submit", "YY-SJYJ/2019", "--explain", "按本局表式填报"});
  EXPECT_EQ(submitted.exit_code, 4) << submitted.err;
  EXPECT_THAT(submitted.err,
              HasSubstr("not submitted: the report carries figures that dept-overall@1"
                        " does not declare (budget_decrease"));
  const std::string site = data_ + "/site";
  CommandResult made = Cli({"site", "--year", "2019", "--out", site, "--pdf"});
  EXPECT_EQ(made.exit_code, 3) << made.err;  // the seed's card has an error finding
  EXPECT_THAT(made.err, HasSubstr("3 department pages, 1 document (HTML and PDF)"));
  EXPECT_THAT(made.err, HasSubstr("YY-SJYJ/2019: the stored report carries figures that 《"));
  EXPECT_THAT(made.err, HasSubstr("does not declare ("));
  // Rendered alone, the same: no document of scores under the wrong table.
  CommandResult alone = Cli({"render", "YY-SJYJ/2019"});
  EXPECT_EQ(alone.exit_code, 4) << alone.err;
  EXPECT_THAT(alone.err, HasSubstr("jixiao admin assign"));
  EXPECT_EQ(alone.out, "");
  CommandResult file = RunCommand({BinPath("jixiao"), "render", other});
  EXPECT_EQ(file.exit_code, 4) << file.err;
  EXPECT_THAT(file.err, HasSubstr("initial_budget"));
  EXPECT_THAT(file.err, HasSubstr("pass --scheme"));
  for (const char* file :
       {"index.html", "summary.csv", "summary.xlsx", "LH-ZWFWSJGLJ/index.html",
        "LH-ZWFWSJGLJ/report.html", "LH-ZWFWSJGLJ/report.pdf", "H1/index.html"}) {
    EXPECT_TRUE(std::filesystem::exists(site + "/" + file)) << file;
  }
  EXPECT_FALSE(std::filesystem::exists(site + "/H1/report.html"));  // not scored: no document
  // Scored under a table it was not filled in for: listed apart, no document.
  EXPECT_FALSE(std::filesystem::exists(site + "/YY-SJYJ/report.html"));
  EXPECT_THAT(ReadFile(site + "/index.html"),
              HasSubstr("<tr class=\"apart flagged\"><td>表式不符"));
  EXPECT_THAT(RunCommand({"/usr/bin/pdfinfo", site + "/LH-ZWFWSJGLJ/report.pdf"}).out,
              HasSubstr("(A4)"));
  const std::string index = ReadFile(site + "/index.html");
  EXPECT_THAT(index, HasSubstr("<a href=\"LH-ZWFWSJGLJ/index.html\">"));
  EXPECT_THAT(index, HasSubstr("<a href=\"LH-ZWFWSJGLJ/report.html\">"));
  EXPECT_THAT(index, ::testing::Not(HasSubstr("H1/report.html")));  // not scored
  EXPECT_THAT(index, HasSubstr("第二季度资金支出进度"));  // the error, named
  const std::string page = ReadFile(site + "/LH-ZWFWSJGLJ/index.html");
  EXPECT_THAT(page, HasSubstr("<a href=\"report.html\">"));
  EXPECT_THAT(page, HasSubstr("<a href=\"report.pdf\">"));
  EXPECT_THAT(page, HasSubstr("<a href=\"../index.html\">"));
  EXPECT_THAT(page, HasSubstr("修订记录"));
  EXPECT_THAT(page, HasSubstr("第二季度数据以财政系统为准"));  // the submission's explanation
  EXPECT_THAT(page, HasSubstr("　　政府采购执行率"));          // every indicator, not only 一级
  // Each indicator's value and why it lost points, as the document gives them.
  EXPECT_THAT(page,
              HasSubstr("<td class=\"n\">88.53%</td><td class=\"n\">1.85</td><td>政府采购执行率 "
                        "88.53% 低于标准 100% 11.47 个百分点，每低 1 个百分点扣 0.1 分，扣 "
                        "1.15 分</td>"));
  EXPECT_THAT(ReadFile(site + "/H1/index.html"), HasSubstr("尚未评分"));
  // The document links back to its department's page on screen only.
  const std::string document = ReadFile(site + "/LH-ZWFWSJGLJ/report.html");
  EXPECT_THAT(document, HasSubstr("<nav><a href=\"index.html\">"));
  EXPECT_THAT(document, HasSubstr("nav { display: none; }"));
  const std::string artifacts = std::string(JIXIAO_BIN_DIR) + "/../artifacts";
  std::filesystem::create_directories(artifacts);
  for (const auto& [file, name] : std::vector<std::pair<std::string, std::string>>{
           {"index.html", "site-index"},
           {"LH-ZWFWSJGLJ/index.html", "site-department"},
           {"LH-ZWFWSJGLJ/report.html", "site-report"}}) {
    EXPECT_EQ(LoadInChromium(site + "/" + file, artifacts + "/" + name + ".png"), "") << file;
  }
  // On a 1280-pixel screen the year's table fits: nothing scrolls sideways.
  const int width = testing::ScrollWidthInChromium(site + "/index.html", 1280);
  EXPECT_GT(width, 0);
  EXPECT_LE(width, 1280);
}

TEST_F(Documents, HtmlPagesLoadInChromiumWithoutErrorsOrRequests) {
  std::string artifacts = std::string(JIXIAO_BIN_DIR) + "/../artifacts";
  std::filesystem::create_directories(artifacts);
  std::string report = data_ + "/report.html";
  ASSERT_EQ(
      RunCommand({BinPath("jixiao"), "render", kSeed, "-f", "html", "--out", report}).exit_code, 3);
  ASSERT_EQ(Cli({"save", kSeed, Variant(data_, "H1", "5273.84")}).exit_code, 0);
  ASSERT_EQ(Cli({"score", "LH-ZWFWSJGLJ/2019", "H1/2019"}).exit_code, 3);
  std::string summary = data_ + "/summary.html";
  ASSERT_EQ(Cli({"summary", "--year", "2019", "-f", "html", "--out", summary}).exit_code, 3);
  std::string compare = data_ + "/compare.html";
  ASSERT_EQ(
      RunCommand({BinPath("jixiao"), "compare", kSeed, Variant(data_, "LH-ZWFWSJGLJ", "5000", 2020),
                  "-f", "html", "--out", compare})
          .exit_code,
      3);
  for (const auto& [page, name] : std::vector<std::pair<std::string, std::string>>{
           {report, "seed-report"}, {summary, "summary-2019"}, {compare, "compare"}}) {
    EXPECT_EQ(LoadInChromium(page, artifacts + "/" + name + ".png"), "") << name;
  }
  // The check itself catches a page that misbehaves.
  std::string bad = data_ + "/bad.html";
  std::ofstream(bad) << "<html><body><img src=\"http://example.invalid/x.png\">"
                        "<script>console.error('boom')</script></body></html>";
  std::string problems = LoadInChromium(bad, data_ + "/bad.png");
  EXPECT_THAT(problems, HasSubstr("console"));
  EXPECT_THAT(problems, HasSubstr("network request: http://example.invalid/x.png"));
}

}  // namespace
}  // namespace jixiao
