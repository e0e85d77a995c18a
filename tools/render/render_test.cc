// Rendering the seed's example through the default scheme's template set:
// its computed sentences and tables, tables a Markdown parser reads back,
// self-contained escaped HTML; summary ranks and CSV; compare. And a scheme
// of the test's own through the generic set: its figures by group, its
// measures, rules and targets, its 一级 columns and grade bins.

#include "tools/render/render.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/str_replace.h"
#include "common/base/files.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"
#include "tools/render/formatting.h"
#include "tools/render/svg_charts.h"

namespace jixiao::render {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadFile(const std::string& path) { return base::ReadFile(path).value_or(""); }

v1::Report Seed() {
  v1::Report report;
  auto status = google::protobuf::util::JsonStringToMessage(
      ReadFile(std::string(JIXIAO_SOURCE_DIR) + "/examples/longhua-2019.json"), &report);
  EXPECT_TRUE(status.ok());
  return report;
}

v1::ScoreCard Score(const v1::Report& report) {
  auto card = engine::ScoreReport(report, *engine::DefaultScheme(), {});
  EXPECT_TRUE(card.ok()) << card.status();
  return *card;
}

const v1::Scheme& Default() { return engine::DefaultScheme()->proto(); }

// The seed text was extracted from a PDF with irregular spacing around
// numbers; compare without spaces.
std::string NoSpaces(std::string text) {
  absl::StrReplaceAll({{" ", ""}, {"\n", ""}}, &text);
  return text;
}

TEST(RenderReport, ReproducesTheSeedsComputedSentences) {
  // The seed report lies beside the repository, not in it.
  const std::string seed_path =
      std::string(JIXIAO_SOURCE_DIR) + "/../shared/seed/000_1b61a0e051686e8d.txt";
  const std::string raw_seed = ReadFile(seed_path);
  if (raw_seed.empty()) {
    GTEST_SKIP() << "the seed report " << seed_path
                 << " is not there (it sits beside a checkout, in ../shared): nothing to compare "
                    "the sentences with";
  }
  const std::string seed_text = NoSpaces(raw_seed);
  v1::Report seed = Seed();
  std::string markdown =
      NoSpaces(RenderReport(seed, Score(seed), Default(), Format::kMarkdown, Templates::BuiltIn()));
  // Each sentence as the seed words it; the test checks it is in the seed
  // too, so that it cannot drift from the document it stands for.
  const char* sentences[] = {
      "预算情况：2019 年我局部门预算收入 23,604.86 万元，其中一般公共预算拨款收入 23,604.86 万元；"
      "部门预算支出 23,604.86 万元，其中基本支出 1,683.62 万元，项目支出 21,921.23 万元。",
      "决算情况：2019 年度，我局收入决算数为 23,493.53 万元；支出决算数为 23,491.01 "
      "万元，含基本支出 "
      "1,655.08 万元，其中人员经费支出 874.35 万元，日常公用经费 780.73 万元；含项目支出 21,835.93 "
      "万元，其中含基本建设类项目支出 14,421.63 万元。",
      "结余结转情况：我局年初财政拨款结转和结余收入决算数 1.11 "
      "万元，年末财政拨款结转和结余决算数为 3.64 万元。",
      "2019 年度政府采购预算金额为 5,273.84 万元，实际政府采购金额为 4,668.81 "
      "万元，政府采购执行率为 88.53%。",
      "2019年我局“三公”经费支出预算总额为7.261万元，其中：公务用车购置及运行维护费7.261万元。"
      "“三公”经费支出决算数总额为3.75万元，其中：公务用车购置及运行维护费3."
      "75万元。我局“三公”经费控制率为51.65%",
      "2019年我局日常公用经费调整预算数为785.19万元，决算数为780.73万元，日常公用经费控制率为99."
      "43%",
      // The 决算数 then carries its note: it is not the final accounts' 项目支出.
      "2019 年我局项目支出经调整后预算数为 23,604.86 万元，决算数 23,491.01 万元",
      "项目支出执行率为 99.52%",
      "2019 年末我局的固定资产利用率为 96.2%",
      "2019 年末我局财政供养人员控制率为 85.71%",
      "2019 年末我局聘用人员使用总数与在职人员总数的比率为 92.27%。",
      "第三季度部门年度预算数 26,784 万元",
      "则三季度执行率为 101.33%",
      "则四季度执行率为 99.53%",
  };
  for (const char* sentence : sentences) {
    ASSERT_THAT(seed_text, HasSubstr(NoSpaces(sentence))) << "not the seed's wording: " << sentence;
    EXPECT_THAT(markdown, HasSubstr(NoSpaces(sentence))) << sentence;
  }
  // Where the seed's figure is wrong, the document prints the verified one.
  EXPECT_THAT(markdown, HasSubstr(NoSpaces("预算资金支出进度 35.71%")));
  EXPECT_THAT(markdown,
              HasSubstr(NoSpaces("全年平均执行率为 98.09%（申报为 105.69%，与构成数据不符）")));
}

// The text of a node: its literals, depth first (emphasis included).
std::string Literal(cmark_node* node) {
  std::string text;
  if (const char* literal = cmark_node_get_literal(node)) text += literal;
  for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
    text += Literal(child);
  }
  return text;
}

// Every table of a Markdown document, as rows of cell texts, read back by
// cmark-gfm's GitHub-table parser.
std::vector<std::vector<std::vector<std::string>>> Tables(const std::string& markdown) {
  cmark_gfm_core_extensions_ensure_registered();
  cmark_parser* parser = cmark_parser_new(CMARK_OPT_DEFAULT);
  cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension("table"));
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  cmark_node* document = cmark_parser_finish(parser);
  std::vector<std::vector<std::vector<std::string>>> tables;
  for (cmark_node* block = cmark_node_first_child(document); block;
       block = cmark_node_next(block)) {
    if (std::string(cmark_node_get_type_string(block)) != "table") continue;
    auto& table = tables.emplace_back();
    for (cmark_node* row = cmark_node_first_child(block); row; row = cmark_node_next(row)) {
      auto& cells = table.emplace_back();
      for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
        cells.push_back(Literal(cell));
      }
    }
  }
  cmark_node_free(document);
  cmark_parser_free(parser);
  return tables;
}

TEST(RenderReport, AFailedCheckIsFlaggedWhereItsFigureIsPrinted) {
  v1::Report seed = Seed();
  const std::string flagged =
      RenderReport(seed, Score(seed), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(flagged, HasSubstr("决算数 23,491.01 万元（与决算表中的项目支出 21,835.93 "
                                 "万元不一致，见附件），项目支出执行率为"));
  seed.mutable_project_expenditure()->mutable_actual()->set_value("21835.93");
  const std::string holds =
      RenderReport(seed, Score(seed), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(holds, HasSubstr("决算数 21,835.93 万元，项目支出执行率为"));
  EXPECT_THAT(holds, Not(HasSubstr("与决算表中的项目支出")));
}

TEST(RenderReport, DeliverySubsectionsAreNumberedAsTheFormNumbersThem) {
  v1::Report seed = Seed();
  v1::Section& delivery = *seed.mutable_narrative()->mutable_delivery();
  delivery.clear_subsections();
  v1::Section* first = delivery.add_subsections();
  first->set_title("制度保障");
  first->add_paragraphs("制度健全。");
  v1::Section* second = delivery.add_subsections();
  second->set_title("主要成绩");
  second->add_subsections()->set_title("改革");
  second->add_subsections()->set_title("（9）自己编号的成绩");
  delivery.add_subsections()->set_title("3、已编号");
  const std::string markdown =
      RenderReport(seed, Score(seed), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("#### 1. 制度保障\n"));
  EXPECT_THAT(markdown, HasSubstr("#### 2. 主要成绩\n"));
  EXPECT_THAT(markdown, HasSubstr("##### （1）改革\n"));
  EXPECT_THAT(markdown, HasSubstr("##### （9）自己编号的成绩\n"));
  EXPECT_THAT(markdown, HasSubstr("#### 3、已编号\n"));
}

TEST(RenderReport, AnIndicatorsTextIsPrintedUnderItsHeading) {
  v1::Report seed = Seed();
  seed.mutable_narrative()->clear_indicators();
  v1::IndicatorText& text = *seed.mutable_narrative()->add_indicators();
  text.set_indicator_id("financial_compliance");
  text.add_paragraphs("资金使用合规，未见违规支出。");
  text.add_paragraphs("会计核算规范。");
  const std::string markdown =
      RenderReport(seed, Score(seed), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("##### （2）财务合规性\n\n资金使用合规，未见违规支出。\n\n"
                                  "会计核算规范。\n\n##### （3）预决算信息公开性\n\n（未填报）"));
  // A lead-in the department did not write is simply absent.
  EXPECT_THAT(markdown, HasSubstr("#### 2. 项目管理\n\n##### （1）项目实施程序\n\n（未填报）"));
}

TEST(RenderReport, ADepartmentsOwnFigureParagraphStandsForTheSentenceAndIsFlagged) {
  v1::Report seed = Seed();
  v1::IndicatorText& text = *seed.mutable_narrative()->add_indicators();
  text.set_indicator_id("procurement_execution");
  text.add_paragraphs("本年政府采购执行率为 95.00%，采购政策落实到位。");
  seed.mutable_procurement()->mutable_declared_execution_rate()->set_value("95.00");
  const std::string markdown =
      RenderReport(seed, Score(seed), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("##### （1）政府采购执行情况\n\n本年政府采购执行率为 95.00%，"
                                  "采购政策落实到位。\n\n（核实：政府采购执行率为 88.53%，申报为 "
                                  "95.00%，与构成数据不符。）"));
  EXPECT_THAT(markdown, Not(HasSubstr("年度政府采购预算金额为")));
}

TEST(RenderReport, MarkdownTablesReadBack) {
  v1::Report seed = Seed();
  v1::ScoreCard card = Score(seed);
  auto tables =
      Tables(RenderReport(seed, card, Default(), Format::kMarkdown, Templates::BuiltIn()));
  ASSERT_EQ(tables.size(), 3u);  // quarters, scores, findings
  const auto& quarters = tables[0];
  ASSERT_EQ(quarters.size(), 6u);
  EXPECT_THAT(quarters[0], ::testing::ElementsAre("季度名称", "资金支出进度百分比",
                                                  "序时进度百分比", "预算执行率"));
  EXPECT_THAT(quarters[1], ::testing::ElementsAre("第一季度", "30.02%", "25%", "120.08%"));
  EXPECT_THAT(quarters[2], ::testing::ElementsAre("第二季度", "35.71%（申报 50.9%）", "50%",
                                                  "71.42%（申报 101.80%）"));
  EXPECT_THAT(quarters[3], ::testing::ElementsAre("第三季度", "76.0%", "75%", "101.33%"));
  EXPECT_THAT(quarters[4], ::testing::ElementsAre("第四季度", "99.53%", "100%", "99.53%"));
  EXPECT_EQ(quarters[5][0], "各季汇总平均");
  EXPECT_EQ(quarters[5][3], "98.09%（申报 105.69%）");  // flagged in place
  const auto& scores = tables[1];
  ASSERT_EQ(scores.size(), static_cast<size_t>(card.indicators_size()) + 2);
  for (const auto& row : scores) EXPECT_EQ(row.size(), 5u);
  EXPECT_EQ(scores[1][0], "部门决策");
  EXPECT_THAT(scores[0], ::testing::ElementsAre("指标", "分值", "评分标准", "得分", "扣分原因"));
  EXPECT_THAT(scores.back(), ::testing::ElementsAre("合计", "100", "", "97.06", ""));
  // Points lost as the printed scores show them: 3 − 1.85 = 1.15, not the exact 1.147.
  for (const auto& row : scores) {
    if (row[0] == "　　政府采购执行率") {
      EXPECT_EQ(row[3], "1.85");
      EXPECT_THAT(row[4], ::testing::EndsWith("扣 1.15 分"));
      EXPECT_THAT(row[2], HasSubstr("每低 1 个百分点扣 0.1 分"));  // the rule, in words
    }
  }
  const auto& findings = tables[2];
  ASSERT_EQ(findings.size(), static_cast<size_t>(card.findings_size()) + 1);
  // Named as people name them: the measure, the fields, the formula in words.
  EXPECT_THAT(findings[1],
              ::testing::ElementsAre(
                  "错误", "第二季度资金支出进度",
                  HasSubstr("按第二季度累计支出数 ÷ 第二季度部门年度预算数 × 100% 计算为 35.71%"),
                  "50.9%", "35.71%"));
}

// The quarterly chart of section 三, then where the points went and the
// level scores of section 四: numbered in the order a reader meets them,
// and a caption a department writes stays text.
TEST(RenderReport, FiguresAreNumberedInOrder) {
  v1::Report seed = Seed();
  seed.mutable_narrative()->mutable_plans()->add_paragraphs("<figcaption>图：假图");
  std::string html =
      RenderReport(seed, Score(seed), Default(), Format::kHtml, Templates::BuiltIn());
  const size_t first = html.find("<figcaption>图 1　分季资金支出进度与序时进度");
  const size_t second = html.find("<figcaption>图 2　各末级指标扣分");
  const size_t third = html.find("<figcaption>图 3　一级、二级指标得分与分值");
  ASSERT_NE(first, std::string::npos) << html;
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_THAT(html, Not(HasSubstr("<figcaption>图 4")));
  EXPECT_THAT(html, Not(HasSubstr("<figcaption>图：")));
  EXPECT_THAT(html, HasSubstr("&lt;figcaption&gt;图：假图"));
}

TEST(NumberFigures, NumbersEachCaptionOnceInOrder) {
  EXPECT_EQ(NumberFigures(""), "");
  EXPECT_EQ(NumberFigures("<p>图：无图</p>"), "<p>图：无图</p>");
  const std::string page = Captioned("<svg/>", "甲") + "<p>x</p>" + Captioned("<svg/>", "乙");
  const std::string numbered = NumberFigures(page);
  EXPECT_EQ(numbered,
            "<figure><svg/><figcaption>图 1　甲</figcaption></figure><p>x</p>"
            "<figure><svg/><figcaption>图 2　乙</figcaption></figure>");
  EXPECT_EQ(NumberFigures(numbered), numbered);  // numbered once only
}

TEST(RenderReport, HtmlIsSelfContainedAndEscaped) {
  v1::Report seed = Seed();
  seed.mutable_narrative()->mutable_plans()->add_paragraphs(
      "<script>alert('x')</script> & <b>x</b>");
  seed.mutable_identity()->set_submitter("<img src=http://example.invalid/x.png>");
  std::string html =
      RenderReport(seed, Score(seed), Default(), Format::kHtml, Templates::BuiltIn());
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<table>"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;"));
  // And were anything to slip through, the page's policy runs no script and
  // fetches nothing.
  EXPECT_THAT(html, HasSubstr("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                              "'none'; style-src 'unsafe-inline'; img-src data:\">"));
  // Nothing to fetch: the only URL is the SVG namespace.
  std::string without_namespace =
      absl::StrReplaceAll(html, {{"xmlns=\"http://www.w3.org/2000/svg\"", ""}});
  EXPECT_FALSE(std::regex_search(without_namespace, std::regex("<[^>]*\\ssrc=")));
  EXPECT_THAT(without_namespace, Not(HasSubstr("<link")));
  EXPECT_THAT(without_namespace, Not(HasSubstr("url(")));
}

TEST(RenderReport, MissingFiguresAreMarked) {
  v1::Report report;
  report.mutable_identity()->set_department_code("D1");
  report.mutable_identity()->set_department_name("某某委员会");
  report.mutable_identity()->set_fiscal_year(2020);
  report.mutable_procurement()->mutable_budget()->set_value("100");
  std::string markdown =
      RenderReport(report, Score(report), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("政府采购预算金额为 100 万元，实际政府采购金额为（未填报）"));
  // A sentence with some of its figures prints each missing one in place; a
  // sentence with none of them is "（未填报）" in its place, the same way as
  // a section left empty.
  EXPECT_THAT(markdown, HasSubstr("预算情况：（未填报）\n"));
  EXPECT_THAT(markdown, HasSubstr("决算情况：（未填报）\n"));
  EXPECT_THAT(markdown, HasSubstr("##### （1）“三公”经费控制率\n\n（未填报）\n"));
  EXPECT_THAT(markdown, HasSubstr("第三季度：（未填报）；"));
  EXPECT_THAT(markdown, HasSubstr("部门自评得分（未填报）。"));
  EXPECT_THAT(markdown, Not(HasSubstr("部门预算收入（未填报）")));
  EXPECT_THAT(markdown, Not(HasSubstr("为 （未填报）")));  // no space before a figure not given
  report.mutable_budget()->mutable_income()->set_value("500");
  markdown =
      RenderReport(report, Score(report), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(
      markdown,
      HasSubstr(
          "预算情况：2020 年我单位部门预算收入 500 万元，其中一般公共预算拨款收入（未填报）；"));
  EXPECT_EQ(SelfReference("某某委员会"), "我单位");
  EXPECT_EQ(SelfReference("深圳市龙华区政务服务数据管理局"), "我局");
}

TEST(RenderReport, EveryContradictedRateIsFlaggedWhereItIsPrintedAndItsFormulaIsInWords) {
  // The seed's first quarter with an execution rate its progress does not give.
  v1::Report report = Seed();
  report.mutable_quarterly()->mutable_q1()->mutable_declared_execution_rate()->set_value("130.00");
  const std::string markdown =
      RenderReport(report, Score(report), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown,
              HasSubstr("则一季度执行率为 120.08%（申报为执行率 130.00%，与构成数据不符）"));
  // Its finding and the year's mean's give their formulas in words, each
  // input with its unit.
  EXPECT_THAT(
      markdown,
      HasSubstr(
          "按第一季度资金支出进度 ÷ 25 × 100% 计算为 120.08%（第一季度资金支出进度 = 30.02%）"));
  EXPECT_THAT(markdown, HasSubstr("按（第一季度预算执行率、第二季度预算执行率、第三季度预算执行率、"
                                  "第四季度预算执行率）的平均值计算为"));
  EXPECT_THAT(markdown, HasSubstr("第二季度累计支出数 = 10,442 万元"));
  EXPECT_THAT(markdown, Not(HasSubstr("mean(")));
  EXPECT_THAT(markdown, Not(HasSubstr("* 100")));
}

TEST(RenderReport, EveryPartOfTheThreePublicExpensesGivenIsNamed) {
  v1::Report report = Seed();
  v1::ThreePublic& three = *report.mutable_three_public();
  three.mutable_abroad()->mutable_budget()->set_value("2");
  three.mutable_receptions()->mutable_budget()->set_value("1");
  three.mutable_total()->mutable_budget()->set_value("10.261");
  const std::string markdown =
      RenderReport(report, Score(report), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("预算总额为 10.261 万元，其中：因公出国（境）费 2 万元，"
                                  "公务用车购置及运行维护费 7.261 万元，公务接待费 1 万元。"));
  // The seed gives its spending on vehicles alone.
  EXPECT_THAT(markdown,
              HasSubstr("决算数总额为 3.75 万元，其中：公务用车购置及运行维护费 3.75 万元。"));
  // In HTML the title is set on two lines: the department, then the report.
  EXPECT_THAT(
      RenderReport(report, Score(report), Default(), Format::kHtml, Templates::BuiltIn()),
      HasSubstr("<h1>深圳市龙华区政务服务数据管理局<br> 2019 年度部门整体支出绩效自评报告</h1>"));
}

TEST(RenderReport, ADeclaredRateLeftUncheckableIsPrintedAsNotTaken) {
  // The third quarter left out: the year's declared mean cannot be checked
  // against the other three, and is printed as the department gave it, not taken.
  v1::Report report = Seed();
  report.mutable_quarterly()->clear_q3();
  std::string markdown =
      RenderReport(report, Score(report), Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("全年平均执行率为 （申报为 105.69%，构成数据不全，无法核实，"
                                  "不予采用）"));
}

TEST(RenderReport, TemplatesCanBeReplacedFromADirectory) {
  std::string dir = std::filesystem::temp_directory_path() / "jixiao-templates-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/report.md.mustache")
      << "{{department_name}}：{{total_score}} 分（{{grade}}）\n";
  auto templates = Templates::WithOverrides(dir);
  ASSERT_TRUE(templates.ok());
  v1::Report seed = Seed();
  EXPECT_EQ(RenderReport(seed, Score(seed), Default(), Format::kMarkdown, *templates),
            "深圳市龙华区政务服务数据管理局：97.06 分（优）\n");
  EXPECT_THAT(templates->Get("summary.html.mustache"), HasSubstr("<table>"));  // others built in
  EXPECT_FALSE(Templates::WithOverrides(dir + "/missing").ok());
}

v1::ReportRevision Revision(const std::string& code, v1::ReportStatus status) {
  v1::ReportRevision revision;
  revision.mutable_key()->set_department_code(code);
  revision.mutable_key()->set_fiscal_year(2019);
  revision.set_status(status);
  revision.mutable_report()->mutable_identity()->set_department_name("部门" + code + ",甲");
  return revision;
}

v1::ScoreCard Card(const std::string& code, const std::string& total, int errors) {
  v1::ScoreCard card;
  card.mutable_report()->set_department_code(code);
  card.mutable_report()->set_fiscal_year(2019);
  card.set_total_score(total);
  card.set_grade("优");
  auto* level = card.add_indicators();
  level->set_level(1);
  level->set_name("部门决策");
  level->set_score("20.00");
  for (int i = 0; i < errors; ++i) card.add_findings()->set_severity(v1::SEVERITY_ERROR);
  return card;
}

TEST(Summary, RanksWithTiesSharingARank) {
  std::vector<v1::ReportRevision> reports = {
      Revision("A", v1::REPORT_STATUS_APPROVED),  Revision("B", v1::REPORT_STATUS_SUBMITTED),
      Revision("C", v1::REPORT_STATUS_SUBMITTED), Revision("D", v1::REPORT_STATUS_DRAFT),
      Revision("E", v1::REPORT_STATUS_DRAFT),     Revision("F", v1::REPORT_STATUS_SUBMITTED)};
  std::vector<v1::ScoreCard> cards = {Card("A", "85.50", 0), Card("B", "90.00", 1),
                                      Card("C", "85.5", 0), Card("D", "70.00", 0),
                                      Card("F", "100.00", 0)};
  Summary summary = BuildSummary(2019, reports, cards, v1::Scheme());
  std::vector<std::pair<std::string, int>> ranks;
  for (const auto& row : summary.rows) ranks.emplace_back(row.code, row.rank);
  EXPECT_THAT(ranks, ::testing::ElementsAre(
                         std::pair<std::string, int>{"F", 1}, std::pair<std::string, int>{"B", 2},
                         std::pair<std::string, int>{"A", 3}, std::pair<std::string, int>{"C", 3},
                         std::pair<std::string, int>{"D", 0}, std::pair<std::string, int>{"E", 0}));
  EXPECT_EQ(summary.rows[1].errors, 1);
  EXPECT_THAT(summary.level_names, ::testing::ElementsAre("部门决策"));
  // Drafts are listed apart, by their status; ranked, they rank among
  // themselves.
  EXPECT_EQ(summary.rows[4].apart, "草稿");
  EXPECT_EQ(summary.rows[5].apart, "草稿");
  EXPECT_EQ(summary.average_total, "90.25");  // (100 + 90 + 85.5 + 85.5) / 4
  Summary drafts =
      BuildSummary(2019, reports, cards, v1::Scheme(), {.only = v1::REPORT_STATUS_DRAFT});
  ASSERT_EQ(drafts.rows.size(), 2u);
  EXPECT_EQ(drafts.rows[0].code, "D");
  EXPECT_EQ(drafts.rows[0].rank, 1);
  EXPECT_EQ(drafts.rows[1].apart, "未评分");
  EXPECT_EQ(drafts.progress.submitted, 3);  // progress counts every report
}

TEST(Summary, TheRosterListsWhoHasNotStartedAndFlagsWhoIsNotOnIt) {
  v1::Roster roster;
  for (const auto& [code, group] : std::vector<std::pair<std::string, std::string>>{
           {"A", "行政"}, {"B", "事业"}, {"N", "事业"}}) {
    v1::RosterEntry& entry = *roster.add_entries();
    entry.set_department_code(code);
    entry.set_name("名册" + code);
    entry.set_group(group);
  }
  v1::ScoreCard declared = Card("A", "90.00", 1);
  declared.set_declared_total("95.5");
  declared.mutable_report()->set_revision(1);
  declared.mutable_findings(0)->set_subject("q2_progress");
  declared.mutable_saved_time()->set_seconds(1764583200);  // 2025-12-01T10:00:00Z
  Summary summary = BuildSummary(
      2019,
      {Revision("A", v1::REPORT_STATUS_APPROVED), Revision("B", v1::REPORT_STATUS_RETURNED),
       Revision("X", v1::REPORT_STATUS_SUBMITTED)},
      {declared}, v1::Scheme(), {.roster = &roster});
  EXPECT_EQ(ProgressText(summary.progress),
            "名册 3 个部门：未提交 1，草稿 0，已提交 0，已退回 1，审核通过 1；名册外 1");
  ASSERT_EQ(summary.rows.size(), 4u);
  const SummaryRow& a = summary.rows[0];
  EXPECT_EQ(a.rank, 1);
  EXPECT_EQ(a.group, "行政");
  EXPECT_EQ(a.name, "名册A");  // the roster's name, not the report's
  EXPECT_EQ(a.gap, "+5.50");
  EXPECT_EQ(a.card_revision, 1);
  EXPECT_EQ(a.card_time, "2025-12-01 18:00");  // Beijing time
  EXPECT_THAT(a.error_subjects, ::testing::ElementsAre("q2_progress"));
  EXPECT_EQ(summary.rows[1].code, "X");  // submitted, not scored
  EXPECT_EQ(summary.rows[1].apart, "未评分");
  EXPECT_TRUE(summary.rows[1].off_roster);
  EXPECT_EQ(summary.rows[2].apart, "已退回");
  EXPECT_EQ(summary.rows[3].code, "N");
  EXPECT_EQ(summary.rows[3].apart, "未提交");
  EXPECT_EQ(summary.rows[3].name, "名册N");
  EXPECT_THAT(SummaryCsv(summary), HasSubstr("未提交,N,名册N,事业,"));
  std::string html = SummaryHtml(summary, Templates::BuiltIn());
  EXPECT_THAT(html, HasSubstr("<h2>未排名</h2>"));
  EXPECT_THAT(html, HasSubstr("名册外"));
}

TEST(Summary, AStaleCardIsShownButNotRanked) {
  v1::ReportRevision edited = Revision("A", v1::REPORT_STATUS_SUBMITTED);
  edited.set_revision(4);  // submitted after an edit at revision 3
  edited.set_content_revision(3);
  v1::ReportRevision resubmitted = Revision("B", v1::REPORT_STATUS_SUBMITTED);
  resubmitted.set_revision(2);  // a status change keeps revision 1's content
  resubmitted.set_content_revision(1);
  v1::ScoreCard old_card = Card("A", "95.00", 0);
  old_card.mutable_report()->set_revision(2);  // scored before the edit
  v1::ScoreCard fresh = Card("B", "80.00", 0);
  fresh.mutable_report()->set_revision(1);
  Summary summary = BuildSummary(2019, {edited, resubmitted}, {old_card, fresh}, v1::Scheme());
  ASSERT_EQ(summary.rows.size(), 2u);
  EXPECT_EQ(summary.rows[0].code, "B");
  EXPECT_EQ(summary.rows[0].rank, 1);
  EXPECT_EQ(summary.rows[1].code, "A");
  EXPECT_TRUE(summary.rows[1].stale);
  EXPECT_EQ(summary.rows[1].rank, 0);
  EXPECT_EQ(summary.rows[1].total, "95.00");
  EXPECT_EQ(RankText(summary.rows[1], "—"), "需重新评分");
  EXPECT_THAT(SummaryCsv(summary), HasSubstr("需重新评分,A,"));
  int counted = 0;
  for (const GradeBin& bin : summary.grade_bins) counted += bin.count;
  EXPECT_EQ(counted, 1);
}

TEST(Summary, ACardOfAnotherTableOrSchemeIsListedApart) {
  v1::Scheme scheme;
  scheme.set_id("county");
  scheme.set_version(2);
  std::vector<v1::ReportRevision> reports = {Revision("A", v1::REPORT_STATUS_SUBMITTED),
                                             Revision("B", v1::REPORT_STATUS_SUBMITTED),
                                             Revision("C", v1::REPORT_STATUS_SUBMITTED)};
  std::vector<v1::ScoreCard> cards = {Card("A", "99.00", 1), Card("B", "98.00", 0),
                                      Card("C", "60.00", 0)};
  for (v1::ScoreCard& card : cards) {
    card.set_scheme_id("county");
    card.set_scheme_version(2);
  }
  // A's report carries figures the scheme does not declare: filled in for
  // another table. B was scored under the scheme's first version.
  v1::Finding& undeclared = *cards[0].mutable_findings(0);
  undeclared.set_code("figure_undeclared");
  undeclared.set_subject("initial_budget");
  cards[1].set_scheme_version(1);
  Summary summary = BuildSummary(2019, reports, cards, scheme);
  ASSERT_EQ(summary.rows.size(), 3u);
  EXPECT_EQ(summary.rows[0].code, "C");
  EXPECT_EQ(summary.rows[0].rank, 1);
  EXPECT_EQ(summary.rows[1].code, "A");
  EXPECT_EQ(summary.rows[1].apart, "表式不符");
  EXPECT_EQ(summary.rows[1].total, "");  // no score under a table it was not filled in for
  EXPECT_EQ(summary.rows[2].code, "B");
  EXPECT_TRUE(summary.rows[2].stale);
  EXPECT_EQ(summary.rows[2].apart, "需重新评分");
  EXPECT_EQ(summary.average_total, "60.00");  // C's alone

  // A draft filled in for another table shows no score either.
  reports[0].set_status(v1::REPORT_STATUS_DRAFT);
  summary = BuildSummary(2019, reports, cards, scheme);
  auto a = std::find_if(summary.rows.begin(), summary.rows.end(),
                        [](const SummaryRow& row) { return row.code == "A"; });
  ASSERT_NE(a, summary.rows.end());
  EXPECT_EQ(a->apart, "表式不符");
  EXPECT_EQ(a->total, "");
  EXPECT_EQ(a->grade, "");
}

TEST(Summary, CsvHasABomTheColumnsAndChineseIntact) {
  Summary summary = BuildSummary(2019, {Revision("A", v1::REPORT_STATUS_APPROVED)},
                                 {Card("A", "91.00", 2)}, v1::Scheme());
  std::string csv = SummaryCsv(summary);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  std::istringstream lines(csv.substr(3));
  std::string header, row;
  std::getline(lines, header);
  std::getline(lines, row);
  EXPECT_EQ(header,
            "名次,部门编码,部门名称,类别,得分,等级,自评得分,差额,部门决策,错误,警告,提示,"
            "错误事项,状态,评分所依据的修订版本,评分时间（北京时间）,备注\r");
  EXPECT_EQ(row, "1,A,\"部门A,甲\",,91.00,优,,,20.00,2,0,0,,审核通过,,,\r");
  // The averages over the ranked rows close the table, as in the workbook.
  std::string blank, average, rest;
  std::getline(lines, blank);
  EXPECT_EQ(blank, "\r");
  std::getline(lines, average);
  EXPECT_EQ(average, ",,平均（已排名）,,91.00,,,,20.00,,,,,,,,\r");
  EXPECT_FALSE(std::getline(lines, rest));
}

// A name a department chose cannot run as a formula in the reviewer's
// spreadsheet; numbers stay numbers.
TEST(Summary, CsvCellsAreNeverFormulas) {
  v1::ReportRevision a = Revision("A", v1::REPORT_STATUS_APPROVED);
  a.mutable_report()->mutable_identity()->set_department_name("=cmd|' /C calc'!A0");
  v1::ReportRevision b = Revision("B", v1::REPORT_STATUS_APPROVED);
  b.mutable_report()->mutable_identity()->set_department_name("@SUM(1)");
  v1::ScoreCard card = Card("A", "91.00", 0);
  card.set_declared_total("90.5");
  Summary summary = BuildSummary(2019, {a, b}, {card, Card("B", "80.00", 0)}, v1::Scheme());
  std::string csv = SummaryCsv(summary);
  EXPECT_THAT(csv, HasSubstr(",'=cmd|' /C calc'!A0,"));
  EXPECT_THAT(csv, HasSubstr(",'@SUM(1),"));
  EXPECT_THAT(csv, HasSubstr(",-0.50,"));  // the gap, a number
}

TEST(Summary, HtmlPageHasTheChartAndTheTable) {
  Summary summary = BuildSummary(2019, {Revision("A", v1::REPORT_STATUS_APPROVED)},
                                 {Card("A", "91.00", 2)}, v1::Scheme());
  std::string html = SummaryHtml(summary, Templates::BuiltIn());
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("部门A,甲"));
  EXPECT_THAT(html, HasSubstr("class=\"flagged\""));
  EXPECT_THAT(html, HasSubstr("<figcaption>图 1　已排名部门的等级分布</figcaption>"));
  EXPECT_THAT(html, HasSubstr("<td>平均（已排名）</td>"));
  // The averages row has the header's columns, its total under 得分.
  auto cells_of = [&](const std::string& open, const std::string& close, const std::string& cell) {
    const size_t begin = html.find(open);
    const size_t end = html.find(close, begin);
    std::vector<std::string> cells;
    for (size_t at = html.find(cell, begin + open.size()); at < end; at = html.find(cell, at + 1)) {
      const size_t text = html.find('>', at) + 1;
      cells.push_back(html.substr(text, html.find('<', text) - text));
    }
    return cells;
  };
  std::vector<std::string> header = cells_of("<thead>", "</thead>", "<th");
  std::vector<std::string> average = cells_of("<tr class=\"average\">", "</tr>", "<td");
  ASSERT_EQ(average.size(), header.size());
  ASSERT_GT(header.size(), 4u);
  EXPECT_EQ(header[4], "得分");
  EXPECT_EQ(average[4], "91.00");
  EXPECT_EQ(header[2], "部门名称");
}

TEST(Compare, ShowsEachIndicatorsChange) {
  v1::Report seed = Seed();
  v1::ScoreCard first = Score(seed);
  v1::Report next = seed;
  next.mutable_identity()->set_fiscal_year(2020);
  next.mutable_procurement()->mutable_actual()->set_value("5273.84");  // 100%
  v1::ScoreCard second = Score(next);
  std::string markdown =
      RenderCompare(seed, first, next, second, Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("2019 年 / 2020 年"));
  // The value's change beside the score's; the largest move in bold.
  EXPECT_THAT(markdown,
              HasSubstr("| 　　**政府采购执行率** | 3 | 88.53% | 100.00% | +11.47 个百分点 | "
                        "1.85 | 3.00 | **+1.15** |"));
  // The amounts, in 万元 and in percent.
  EXPECT_THAT(markdown,
              HasSubstr("| **实际政府采购金额** | 4,668.81 万元 | 5,273.84 万元 | **+605.03** "
                        "| +12.96% |"));
  EXPECT_THAT(markdown, HasSubstr("第二季度累计支出数"));
  // Only what changed, when asked.
  const std::string changed = RenderCompare(seed, first, next, second, Default(), Format::kMarkdown,
                                            Templates::BuiltIn(), true);
  EXPECT_THAT(changed, HasSubstr("政府采购执行率"));
  EXPECT_THAT(changed, Not(HasSubstr("财政供养人员控制率")));
  EXPECT_THAT(changed, Not(HasSubstr("部门预算收入")));
  EXPECT_THAT(markdown, HasSubstr("**97.06**"));
  EXPECT_THAT(markdown, HasSubstr("**98.21**"));
  // A fall is signed too, and computed exactly.
  std::string back =
      RenderCompare(next, second, seed, first, Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(back, HasSubstr("| 100.00% | 88.53% | -11.47 个百分点 | 3.00 | 1.85 | **-1.15** |"));
  EXPECT_THAT(back, HasSubstr("**-1.15**"));
}

// testdata/county-test.textproto.
std::shared_ptr<const engine::CompiledScheme> County() {
  static auto scheme = engine::LoadSchemeFile(std::string(JIXIAO_SOURCE_DIR) +
                                              "/tools/render/testdata/county-test.textproto");
  EXPECT_TRUE(scheme.ok()) << scheme.status();
  return *scheme;
}

v1::Report CountyReport(const std::string& code, const std::string& actual_spending) {
  v1::Report report;
  report.mutable_identity()->set_department_code(code);
  report.mutable_identity()->set_department_name("测试县" + code + "局");
  report.mutable_identity()->set_fiscal_year(2021);
  report.mutable_identity()->set_submitter("张三");
  (*report.mutable_figures())["initial_budget"].set_value("1200");
  (*report.mutable_figures())["adjusted_budget"].set_value("1250.5");
  (*report.mutable_figures())["actual_spending"].set_value(actual_spending);
  auto add_target = [&](const std::string& name, v1::PerformanceTarget::Direction direction,
                        const std::string& target, const std::string& actual,
                        const std::string& unit) {
    v1::PerformanceTarget& t = *report.add_targets();
    t.set_indicator_id("results");
    t.set_name(name);
    t.set_direction(direction);
    t.mutable_target()->set_value(target);
    t.mutable_actual()->set_value(actual);
    t.set_unit(unit);
  };
  add_target("政务服务办件量", v1::PerformanceTarget::DIRECTION_AT_LEAST, "50000", "52310", "件");
  add_target("群众投诉件数", v1::PerformanceTarget::DIRECTION_AT_MOST, "20", "25", "件");
  return report;
}

v1::ScoreCard CountyCard(const v1::Report& report) {
  auto card = engine::ScoreReport(report, *County(), {});
  EXPECT_TRUE(card.ok()) << card.status();
  return *card;
}

TEST(GenericTemplates, ReportFollowsTheSchemesFiguresMeasuresRulesAndTargets) {
  v1::Report report = CountyReport("JY", "1200.48");  // 96.00% of the adjusted budget
  v1::ScoreCard card = CountyCard(report);
  ASSERT_EQ(County()->proto().document_templates(), "");
  std::string markdown =
      RenderReport(report, card, County()->proto(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("# 测试县JY局 2021 年度部门整体支出绩效自评报告"));
  EXPECT_THAT(markdown, HasSubstr("填报人：张三"));
  EXPECT_THAT(markdown, HasSubstr("指标体系：《测试县部门绩效指标体系》第 1 版\n"));
  EXPECT_THAT(markdown, Not(HasSubstr("| （未填报） |")));  // every figure filled in
  EXPECT_THAT(markdown, HasSubstr("### （一）部门主要职能\n\n（未填报）"));  // no narrative
  EXPECT_THAT(markdown, Not(HasSubstr("三公")));  // none of the standard form's wording
  auto tables = Tables(markdown);
  ASSERT_EQ(tables.size(), 5u);  // two figure groups, measures, targets, scores
  // Each group under its heading, in the scheme's order, with names and units.
  EXPECT_THAT(markdown, HasSubstr("#### 预算安排"));
  EXPECT_THAT(markdown, HasSubstr("#### 预算执行"));
  EXPECT_LT(markdown.find("#### 预算安排"), markdown.find("#### 预算执行"));
  ASSERT_EQ(tables[0].size(), 3u);
  EXPECT_THAT(tables[0][1], ::testing::ElementsAre("年初预算数", "1,200 万元"));
  EXPECT_THAT(tables[0][2], ::testing::ElementsAre("调整预算数", "1,250.5 万元"));
  EXPECT_THAT(tables[1][1], ::testing::ElementsAre("全年实际支出", "1,200.48 万元"));
  // The measure as declared (nothing), computed and verified.
  EXPECT_THAT(tables[2][1], ::testing::ElementsAre("预算资金执行率", "—", "96.00%", "96.00%",
                                                   "未申报，按构成数据计算"));
  // The score table gives every leaf's rule in words.
  const auto& scores = tables[4];
  ASSERT_EQ(scores.size(), static_cast<size_t>(card.indicators_size()) + 2);
  for (int i = 0; i < card.indicators_size(); ++i) {
    // As the card words it, but for the spaces names need none of.
    EXPECT_EQ(absl::StrReplaceAll(scores[i + 1][2], {{" ", ""}}),
              absl::StrReplaceAll(card.indicators(i).rule(), {{" ", ""}}))
        << card.indicators(i).id();
    if (card.indicators(i).leaf()) {
      EXPECT_NE(card.indicators(i).rule(), "");
    }
  }
  EXPECT_EQ(scores[1][0], "资金使用");
  EXPECT_EQ(scores[2][4], "32.00");  // 4 points short, 2 points each
  // The department's targets, each with what it attained and earned.
  const auto& targets = tables[3];
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_THAT(targets[1], ::testing::ElementsAre("履职成效", "政务服务办件量", "≥", "50,000 件",
                                                 "52,310 件", "100.00%", "30", "30"));
  EXPECT_THAT(targets[2], ::testing::ElementsAre("履职成效", "群众投诉件数", "≤", "20 件", "25 件",
                                                 "80.00%", "30", "24"));
  EXPECT_THAT(markdown, HasSubstr("得分 86.00 分，等级为“A”"));
  EXPECT_THAT(markdown, HasSubstr("## 附件：数据核验情况\n\n以下为依据填报数据自动核验的结果，供审核参考，不属于部门自评内容。\n\n所有数据相互一致"));
}

TEST(GenericTemplates, HtmlHasTheScoreChartAndNoStandardFormChart) {
  v1::Report report = CountyReport("JY", "1200.48");
  std::string html = RenderReport(report, CountyCard(report), County()->proto(), Format::kHtml,
                                  Templates::BuiltIn());
  EXPECT_THAT(html, HasSubstr("<title>一级、二级指标得分与分值</title>"));
  EXPECT_THAT(html, Not(HasSubstr("序时进度")));
  EXPECT_THAT(html, HasSubstr("<td>政务服务办件量</td>"));
}

TEST(GenericTemplates, AnUnknownSchemePrintsTheCardAloneWithFigureIds) {
  v1::Report report = CountyReport("JY", "1200.48");
  std::string markdown = RenderReport(report, CountyCard(report), v1::Scheme(), Format::kMarkdown,
                                      Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("### 其他数据"));
  EXPECT_THAT(markdown, HasSubstr("| actual_spending | 1,200.48 |"));
  EXPECT_THAT(markdown, HasSubstr("| 96.00% | 32.00 |"));
}

TEST(GenericTemplates, TheSchemeNamesItsSet) {
  v1::Report seed = Seed();
  v1::ScoreCard card = Score(seed);
  EXPECT_EQ(Default().document_templates(), "dept-overall");
  std::string standard =
      RenderReport(seed, card, Default(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(standard, HasSubstr("## 一、部门基本情况"));
  v1::Scheme generic = Default();
  generic.set_document_templates("");
  std::string laid_out = RenderReport(seed, card, generic, Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(laid_out, HasSubstr("## 一、部门基本情况"));  // the same outline
  EXPECT_THAT(laid_out,
              Not(HasSubstr("序时进度 25%，则一季度执行率为")));  // no standard-form sentence
  EXPECT_THAT(laid_out,
              HasSubstr("| 政府采购执行率 | 88.53% | 88.53% | 88.53% | 申报与计算一致 |"));
  // A set no binary has prints generically.
  generic.set_document_templates("no-such-set");
  EXPECT_EQ(RenderReport(seed, card, generic, Format::kMarkdown, Templates::BuiltIn()), laid_out);
  // A directory's file at a set's path replaces that set's template only.
  std::string dir = std::filesystem::temp_directory_path() / "jixiao-template-sets-test";
  std::filesystem::create_directories(dir + "/generic");
  std::ofstream(dir + "/generic/report.md.mustache") << "通用：{{department_name}}\n";
  auto templates = Templates::WithOverrides(dir);
  ASSERT_TRUE(templates.ok());
  EXPECT_EQ(RenderReport(seed, card, generic, Format::kMarkdown, *templates),
            "通用：深圳市龙华区政务服务数据管理局\n");
  EXPECT_EQ(RenderReport(seed, card, Default(), Format::kMarkdown, *templates), standard);
}

TEST(GenericTemplates, SummaryColumnsAndBinsAreTheSchemes) {
  std::vector<v1::ReportRevision> reports;
  std::vector<v1::ScoreCard> cards;
  // 96% → 86.00 (A); 80% → 54.00 (C); 90% → 74.00 (B); the last unscored.
  for (const auto& [code, spending] : std::vector<std::pair<std::string, std::string>>{
           {"JY", "1200.48"}, {"GA", "1000.4"}, {"WJ", "1125.45"}, {"NY", ""}}) {
    v1::ReportRevision revision;
    revision.mutable_key()->set_department_code(code);
    revision.mutable_key()->set_fiscal_year(2021);
    revision.set_status(v1::REPORT_STATUS_SUBMITTED);
    *revision.mutable_report() = CountyReport(code, spending.empty() ? "1" : spending);
    reports.push_back(revision);
    if (!spending.empty()) cards.push_back(CountyCard(revision.report()));
  }
  Summary summary = BuildSummary(2021, reports, cards, County()->proto());
  EXPECT_THAT(summary.level_names, ::testing::ElementsAre("资金使用", "履职成效"));
  std::vector<std::pair<std::string, int>> bins;
  for (const GradeBin& bin : summary.grade_bins) bins.emplace_back(bin.label, bin.count);
  EXPECT_THAT(bins, ::testing::ElementsAre(std::pair<std::string, int>{"C <70", 1},
                                           std::pair<std::string, int>{"B ≥70 且 <85", 1},
                                           std::pair<std::string, int>{"A ≥85", 1}));
  ASSERT_EQ(summary.rows.size(), 4u);
  EXPECT_EQ(summary.rows[0].code, "JY");
  EXPECT_THAT(summary.rows[0].level_scores, ::testing::ElementsAre("32.00", "54.00"));
  for (size_t i = 0; i < 3; ++i) {
    for (const std::string& score : summary.rows[i].level_scores) EXPECT_NE(score, "");
  }
  std::string csv = SummaryCsv(summary);
  EXPECT_THAT(
      csv, HasSubstr("名次,部门编码,部门名称,类别,得分,等级,自评得分,差额,资金使用,履职成效,错误"));
  std::string html = SummaryHtml(summary, Templates::BuiltIn());
  EXPECT_THAT(html, HasSubstr(">A ≥85</text>"));
  EXPECT_THAT(html, HasSubstr(">C &lt;70</text>"));
  EXPECT_THAT(html, Not(HasSubstr("优")));
  EXPECT_THAT(html, HasSubstr("<th>资金使用</th><th>履职成效</th>"));
  EXPECT_THAT(html, HasSubstr("指标体系：《测试县部门绩效指标体系》"));
  EXPECT_THAT(html, Not(HasSubstr("（未填报）")));
}

TEST(GenericTemplates, ASchemeWithoutGradesBinsByTheEnginesDefaultBands) {
  v1::Scheme scheme = County()->proto();
  scheme.clear_grades();
  Summary summary = BuildSummary(2021, {}, {}, scheme);
  std::vector<std::string> labels;
  for (const GradeBin& bin : summary.grade_bins) labels.push_back(bin.label);
  EXPECT_THAT(labels, ::testing::ElementsAre("差 <60", "中 ≥60 且 <80", "良 ≥80 且 <90", "优 ≥90"));
  // The default scheme states the same bands.
  labels.clear();
  for (const GradeBin& bin : BuildSummary(2021, {}, {}, Default()).grade_bins)
    labels.push_back(bin.label);
  EXPECT_THAT(labels, ::testing::ElementsAre("差 <60", "中 ≥60 且 <80", "良 ≥80 且 <90", "优 ≥90"));
}

TEST(GenericTemplates, CompareShowsTheSchemesFiguresByGroup) {
  v1::Report first = CountyReport("JY", "1125.45");
  v1::Report second = CountyReport("JY", "1200.48");
  second.mutable_identity()->set_fiscal_year(2022);
  std::string markdown = RenderCompare(first, CountyCard(first), second, CountyCard(second),
                                       County()->proto(), Format::kMarkdown, Templates::BuiltIn());
  EXPECT_THAT(markdown, HasSubstr("指标体系：《测试县部门绩效指标体系》"));
  EXPECT_THAT(markdown,
              HasSubstr("| 　**预算资金执行率** | 40 | 90.00% | 96.00% | +6.00 个百分点 | "
                        "20.00 | 32.00 | **+12.00** |"));
  EXPECT_THAT(markdown, HasSubstr("### 预算执行"));
  EXPECT_THAT(markdown,
              HasSubstr("| 全年实际支出 | 万元 | 1,125.45 万元 | 1,200.48 万元 | +75.03 |"));
  EXPECT_THAT(markdown, HasSubstr("| 年初预算数 | 万元 | 1,200 万元 | 1,200 万元 | +0 |"));
}

}  // namespace
}  // namespace jixiao::render

namespace jixiao::render {
namespace {

v1::Report Example(const std::string& name) {
  v1::Report report;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ReadFile(std::string(JIXIAO_SOURCE_DIR) + "/examples/" + name + ".json"), &report)
                  .ok());
  return report;
}

// What a reader must never see in a printed document: the ids of a
// scheme's measures, checks and figures, the scheme's own id, its formulas.
std::vector<std::string> Internals(const v1::Scheme& scheme) {
  std::vector<std::string> out = {scheme.id()};
  for (const v1::Measure& m : scheme.measures()) {
    out.push_back(m.id());
    if (!m.formula().empty()) out.push_back(m.formula());
  }
  for (const v1::Check& c : scheme.checks()) out.push_back(c.id());
  for (const v1::FigureSpec& f : scheme.figures()) out.push_back("figures." + f.id());
  return out;
}

TEST(PrintedDocuments, NameNoSchemeIdMeasureIdOrFormulaOfEitherShippedScheme) {
  auto yueyang = engine::LoadSchemeFile(std::string(JIXIAO_SOURCE_DIR) +
                                        "/schemes/yueyang-dept-overall-v1.textproto");
  ASSERT_TRUE(yueyang.ok()) << yueyang.status();
  const v1::Report prior = Example("yueyang-2019");
  const v1::Report current = Example("yueyang-2020");
  engine::ScoreOptions with_prior;
  with_prior.prior = &prior;
  auto yueyang_card = engine::ScoreReport(current, **yueyang, with_prior);
  ASSERT_TRUE(yueyang_card.ok()) << yueyang_card.status();
  const v1::Report seed = Seed();
  struct Case {
    const v1::Report* report;
    v1::ScoreCard card;
    const v1::Scheme* scheme;
  } cases[] = {{&seed, Score(seed), &Default()}, {&current, *yueyang_card, &(*yueyang)->proto()}};
  for (const Case& c : cases) {
    ASSERT_GT(c.card.findings_size(), 0);  // findings are where ids used to show
    for (Format format : {Format::kMarkdown, Format::kHtml}) {
      const std::string document =
          RenderReport(*c.report, c.card, *c.scheme, format, Templates::BuiltIn());
      for (const std::string& internal : Internals(*c.scheme)) {
        EXPECT_THAT(document, Not(HasSubstr(internal)))
            << c.scheme->id() << (format == Format::kHtml ? " (html)" : " (md)");
      }
    }
  }
}

}  // namespace
}  // namespace jixiao::render
