// The importer's parts on documents written for the tests: normalisation,
// segmentation, rules and extraction; and the seed report (read from
// ../shared/seed, where present) read back figure for figure.

#include "tools/extract/extract.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tools/extract/convert.h"
#include "tools/extract/document.h"
#include "tools/extract/rules.h"
#include "tools/extract/text.h"
#include "tools/form/report_paths.h"

namespace jixiao::extract {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Extraction Read(const std::string& text, bool accept = false) {
  return Extract(Segment(text), *BuiltInRules(), {.accept_inferred = accept});
}

const Reading* FigureAt(const Extraction& e, const std::string& path) {
  for (const Reading& r : e.figures) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

TEST(Text, CleanLineRemovesWhatConvertersLeave) {
  EXPECT_EQ(CleanLine("### **（3）预决算信息公开性**"), "（3）预决算信息公开性");
  EXPECT_EQ(CleanLine("国家A级2009 m<sup>2</sup>机房"), "国家A级2009 m²机房");
  EXPECT_EQ(CleanLine(R"(在  $90\% \leq \text{日常公用经费控制率} \leq 100\%$  的)"),
            "在 90% ≤ 日常公用经费控制率 ≤ 100% 的");
  EXPECT_EQ(CleanLine("<b>一、部门基本情况</b> &amp; 其他"), "一、部门基本情况 & 其他");
  EXPECT_EQ(CleanLine(R"(收入 1\,200 \* 2)"), R"(收入 1,200 * 2)");
  EXPECT_EQ(CleanLine("价格 $5 与 6 元"), "价格 $5 与 6 元");  // an unpaired $ is a dollar
}

TEST(Text, NormaliseMakesOneFormOfEachNumber) {
  EXPECT_EQ(Normalise("收入 23,604.86 万元，其中").text, "收入23604.86万元,其中");
  EXPECT_EQ(Normalise("收入２３，６０４．８６万元").text, "收入23604.86万元");
  EXPECT_EQ(Normalise("共 1 234 567 元（含税）").text, "共1234567元(含税)");
  EXPECT_EQ(Normalise("“三公”经费 ９９．５３％").text, "\"三公\"经费99.53%");
  EXPECT_EQ(Normalise("OCR 技术 and AI tools").text, "OCR技术and AI tools");
  EXPECT_EQ(Normalise("分别为 1,2,3 项").text, "分别为1,2,3项");
  EXPECT_EQ(Normalise("2019 年").text, "2019年");
  // Where each byte came from.
  const Normalised n = Normalise("收入 23,604 万元");
  const auto [from, to] = n.SourceSpan(n.text.find('2'), n.text.find("万"));
  EXPECT_EQ(std::string("收入 23,604 万元").substr(from, to - from), "23,604 ");
}

TEST(Text, Utf8) {
  size_t bad = 0;
  EXPECT_TRUE(IsValidUtf8("部门 ok", &bad));
  EXPECT_FALSE(IsValidUtf8("ab\xB2\xBF", &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80", &bad));  // a surrogate
}

TEST(FigureValue, KeepsPrintedPrecisionAndConvertsUnitsExactly) {
  EXPECT_EQ(*FigureValue("6万元", ""), "6");
  EXPECT_EQ(*FigureValue("12.50万元", ""), "12.50");
  EXPECT_EQ(*FigureValue("7.261万元", "万元"), "7.261");
  EXPECT_EQ(*FigureValue("72610元", "万元"), "7.261");
  EXPECT_EQ(*FigureValue("5元", ""), "0.0005");
  EXPECT_EQ(*FigureValue("1.5亿元", ""), "15000");
  EXPECT_EQ(*FigureValue("88.53%", ""), "88.53");
  EXPECT_EQ(*FigureValue("2万", "个"), "20000");
  EXPECT_EQ(*FigureValue("-3.2%", "%"), "-3.2");
  EXPECT_FALSE(FigureValue("1234567890123456789012万元", "").ok());
}

TEST(Segment, JoinsLinesBrokenByExtractionAndFindsHeadings) {
  const Document doc = Segment(
      "# 2021 年度部门整体支出绩效自评报告\n"
      "一、部门基本情况 ..... 1\n"
      "\n"
      "## 一、部门基本情况\n"
      "### （一）部门主要职能\n"
      "我局部门预算收入为 1,234.50 万元，其中一般公共预算拨款收入为 1,200 "
      "万元，结余结转资金情况良好，未经\n"
      "\n"
      "批准不得调整。\n"
      "- 3 -\n"
      "1. 预算编制\n"
      "季度名称\t资金支出进度\t预算执行率\n"
      "第一季度\t30.02%\t120.08%\n");
  ASSERT_EQ(doc.blocks.size(), 7u);
  EXPECT_EQ(doc.blocks[0].heading.level, 0);
  EXPECT_EQ(doc.blocks[1].heading.number, "一");
  EXPECT_EQ(doc.blocks[2].heading.title, "部门主要职能");
  EXPECT_EQ(doc.blocks[2].heading.level, 2);
  EXPECT_EQ(doc.blocks[3].kind, Block::Kind::kParagraph);
  EXPECT_THAT(doc.blocks[3].text, HasSubstr("未经批准不得调整。"));
  EXPECT_EQ(doc.blocks[3].LineAt(doc.blocks[3].text.find("批准")), 8);
  EXPECT_EQ(doc.blocks[4].heading.number, "1");
  EXPECT_EQ(doc.blocks[4].parent, 2);
  EXPECT_EQ(doc.Reference(4), "一(一)1");
  EXPECT_THAT(doc.blocks[6].cells, ElementsAre("第一季度", "30.02%", "120.08%"));
}

TEST(Rules, ErrorsNameTheLineAndTheField) {
  auto bad = CompileRules(
      "sentence {\n  pattern: \"收入(?P<v>{amount}\"\n  field { group: \"v\" path: "
      "\"budget.income\" }\n}\n",
      "r.textproto");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("r.textproto:2: sentence: pattern: missing )"));
  bad = CompileRules(
      "sentence { pattern: \"收入(?P<v>{amount})\" field { group: \"v\" path: \"budget.incom\" } }",
      "r");
  EXPECT_THAT(bad.status().message(), HasSubstr("\"budget.incom\" is not a field of a report"));
  bad = CompileRules(
      "sentence { pattern: \"收入(?P<w>{amount})\" field { group: \"v\" path: \"budget.income\" } "
      "}",
      "r");
  EXPECT_THAT(bad.status().message(), HasSubstr("the pattern has no group (?P<v>"));
  bad = CompileRules(
      "sentence { pattern: \"收入{money}\" field { group: \"v\" path: \"budget.income\" } }", "r");
  EXPECT_THAT(bad.status().message(), HasSubstr("{money} is not a placeholder"));
  bad = CompileRules("sentenc { }", "r");
  EXPECT_THAT(bad.status().message(), HasSubstr("r:1:"));
  bad = CompileRules("section { heading: \"x\" path: \"budget\" }", "r");
  EXPECT_THAT(bad.status().message(), HasSubstr("not a section of the narrative"));
  bad = CompileRules(
      "sentence { pattern: \"(?P<v>.+)\" field { group: \"v\" path: \"identity.department_code\" } "
      "}",
      "r");
  EXPECT_THAT(bad.status().message(), HasSubstr("--department"));
}

TEST(Extract, ReadsTheFiguresWithTheirSentences) {
  const Extraction e = Read(
      "## （四）2021 年部门预算执行情况\n"
      "预算情况：2021 年我局部门预算收入 1,234.50 万元，其中一般公共预算拨款收入 1,200 "
      "万元；部门预算支出 1,234.50 万元。\n"
      "2021 年度政府采购预算金额为 500 万元，实际政府采购金额为 4,500,000 元，政府采购执行率为 "
      "90.00%。\n");
  const Reading* income = FigureAt(e, "budget.income");
  ASSERT_NE(income, nullptr);
  EXPECT_EQ(income->value, "1234.50");
  EXPECT_EQ(income->line, 2);
  EXPECT_EQ(
      income->text,
      "预算情况：2021 年我局部门预算收入 1,234.50 万元，其中一般公共预算拨款收入 1,200 万元；");
  EXPECT_EQ(e.report.budget().general_public_appropriation().value(), "1200");
  EXPECT_EQ(e.report.procurement().actual().value(), "450");
  EXPECT_EQ(e.report.procurement().declared_execution_rate().value(), "90.00");
  EXPECT_TRUE(e.conflicts.empty());
  EXPECT_THAT(e.missing, ::testing::Contains("final_accounts.income"));
}

TEST(Extract, AFigureStatedTwiceDifferentlyIsAConflictAndLeftOut) {
  const Extraction e = Read(
      "政府采购执行率为 88.53%。\n"
      "\n"
      "今后将提高政府采购执行率，2021 年度政府采购执行率为 85.3%。\n"
      "政府采购执行率为 88.530%。\n");
  ASSERT_EQ(e.conflicts.size(), 1u);
  EXPECT_EQ(e.conflicts[0].path, "procurement.declared_execution_rate");
  ASSERT_EQ(e.conflicts[0].readings.size(), 2u);  // 88.530 is 88.53
  EXPECT_EQ(e.conflicts[0].readings[0].line, 1);
  EXPECT_EQ(e.conflicts[0].readings[1].line, 3);
  EXPECT_FALSE(e.report.procurement().has_declared_execution_rate());
  EXPECT_EQ(FigureAt(e, "procurement.declared_execution_rate"), nullptr);
}

TEST(Extract, NoFiguresGivesAnEmptyDraftWithEverythingMissing) {
  const Extraction e = Read("这是一份没有任何数字的说明。\n");
  EXPECT_TRUE(e.figures.empty());
  EXPECT_EQ(e.missing, BuiltInRules()->Paths());
  EXPECT_FALSE(e.report.has_budget());
}

TEST(Extract, InferredValuesAreProposedAndKeptOnlyWhenAccepted) {
  const std::string text =
      "## 一、部门基本情况\n"
      "### （二）年度总体工作和重点工作任务\n"
      "1. 完成甲项工作。\n"
      "2. 完成乙项工作。\n"
      "### （三）部门履职绩效情况\n"
      "2021 年我局的主要工作任务和履职目标圆满完成。会计核算规范，财务和内控制度均得到有效执行。\n";
  const Extraction proposed = Read(text);
  EXPECT_FALSE(proposed.report.key_tasks().has_planned());
  EXPECT_TRUE(proposed.report.checklist().empty());
  std::vector<std::string> paths;
  for (const Reading& r : proposed.inferred) paths.push_back(r.path + "=" + r.value);
  EXPECT_THAT(paths, ::testing::UnorderedElementsAre("key_tasks.planned=2", "key_tasks.completed=2",
                                                     "checklist.finance.accounting=met",
                                                     "checklist.rules.effective=met",
                                                     "checklist.effect.goals=met"));
  const Extraction accepted = Read(text, true);
  EXPECT_EQ(accepted.report.key_tasks().planned().value(), "2");
  EXPECT_EQ(accepted.report.key_tasks().completed().value(), "2");
  ASSERT_EQ(accepted.report.checklist_size(), 3);
  EXPECT_THAT(accepted.report.checklist(0).evidence(), HasSubstr("（一(三)）"));
}

TEST(Extract, TablesAreReadByColumnTabsPipesOrSpaces) {
  for (const std::string table : {
           "季度名称\t资金支出进度百分比\t序时进度百分比\t预算执行率\n"
           "第二季度\t50.9%\t50%\t101.80%\n"
           "各季汇总平均\t\t\t105.69%\n",
           "| 季度名称 | 资金支出进度百分比 | 序时进度百分比 | 预算执行率 |\n"
           "|---|---|---|---|\n"
           "| 第二季度 | 50.9% | 50% | 101.80% |\n"
           "| 各季汇总平均 | | | 105.69% |\n",
           "  季度名称 资金支出进度百分比 序时进度百分比 预算执行率\n"
           " 第二季度   50.9%       50%  101.80%\n"
           " 各季汇总平均                  105.69%\n",
       }) {
    const Extraction e = Read("### （1）预算执行率\n" + table);
    EXPECT_EQ(e.report.quarterly().q2().declared_progress().value(), "50.9") << table;
    EXPECT_EQ(e.report.quarterly().q2().declared_execution_rate().value(), "101.80") << table;
    EXPECT_EQ(e.report.quarterly().declared_mean_execution_rate().value(), "105.69") << table;
  }
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every figure path the report holds, with its value.
std::map<std::string, std::string> Figures(const v1::Report& report) {
  std::map<std::string, std::string> out;
  for (const std::string& path : form::StandardFigurePaths()) {
    const std::string value = form::ValueAt(report, path);
    if (!value.empty()) out[path] = value;
  }
  for (const auto& s : report.self_evaluation().scores()) {
    out["self_evaluation.scores." + s.indicator_id()] = s.score().value();
  }
  if (report.self_evaluation().has_total()) {
    out["self_evaluation.total"] = report.self_evaluation().total().value();
  }
  return out;
}

// A section's paragraph count, then its subsections' in brackets: "3[1,2[4]]".
std::string SectionShape(const v1::Section& section) {
  std::string shape = std::to_string(section.paragraphs_size());
  if (section.subsections().empty()) return shape;
  std::vector<std::string> subs;
  for (const v1::Section& sub : section.subsections()) subs.push_back(SectionShape(sub));
  return absl::StrCat(shape, "[", absl::StrJoin(subs, ","), "]");
}

// Each section of a narrative by its title and shape, in order.
std::string NarrativeShape(const v1::Narrative& narrative) {
  std::string shape = absl::StrCat("preamble ", narrative.preamble_size());
  const auto* reflection = narrative.GetReflection();
  const auto* type = narrative.GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const auto* field = type->field(i);
    if (field->is_repeated()) continue;
    const auto& section = static_cast<const v1::Section&>(reflection->GetMessage(narrative, field));
    absl::StrAppend(&shape, "; ", field->name(), " ", section.title(), " ", SectionShape(section));
  }
  return shape;
}

TEST(Seed, ImportsToTheExampleReportFigureForFigure) {
  const std::filesystem::path seed =
      std::filesystem::path(JIXIAO_SOURCE_DIR) / "../shared/seed/000_1b61a0e051686e8d.txt";
  if (!std::filesystem::exists(seed)) GTEST_SKIP() << "the seed report is not at " << seed;
  v1::Report example;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ReadAll(std::filesystem::path(JIXIAO_SOURCE_DIR) / "examples/longhua-2019.json"),
                  &example)
                  .ok());
  const Extraction e = Read(ReadAll(seed), /*accept=*/true);
  EXPECT_EQ(Figures(e.report), Figures(example));
  EXPECT_TRUE(e.conflicts.empty()) << e.conflicts.front().path;
  for (const Reading& r : e.figures) {
    EXPECT_GT(r.line, 0) << r.path;
    EXPECT_FALSE(r.text.empty()) << r.path;
  }
  EXPECT_EQ(e.report.identity().department_name(), example.identity().department_name());
  EXPECT_EQ(e.report.identity().fiscal_year(), 2019);
  EXPECT_EQ(e.report.identity().legal_representative(), "熊帅");
  EXPECT_EQ(e.report.identity().submitter(), "李瑶");
  EXPECT_EQ(e.report.identity().phone(), "13113698020");
  EXPECT_FALSE(e.report.satisfaction().source().empty());
  // The narrative in the example's shape, paragraph for paragraph (the
  // example words it in its own text; the figures are the seed's).
  EXPECT_EQ(NarrativeShape(e.report.narrative()), NarrativeShape(example.narrative()));
  // The text under every indicator heading the example writes to, as many
  // paragraphs; the seed's figure paragraphs besides (the example lets the
  // document word those itself).
  std::map<std::string, int> imported;
  for (const v1::IndicatorText& t : e.report.narrative().indicators()) {
    imported[t.indicator_id()] = t.paragraphs_size();
  }
  for (const v1::IndicatorText& t : example.narrative().indicators()) {
    EXPECT_EQ(imported[t.indicator_id()], t.paragraphs_size()) << t.indicator_id();
  }
  for (const char* leaf : {"procurement_execution", "three_public_control", "daily_public_control",
                           "fixed_asset_utilisation", "fiscal_staff_control", "hired_staff_control",
                           "project_timeliness", "decision"}) {
    EXPECT_EQ(imported[leaf], 1) << leaf;
  }
  // Every checklist answer of the example is proposed, met.
  std::set<std::string> answered;
  for (const auto& a : e.report.checklist()) {
    if (a.met()) answered.insert(a.item_id());
  }
  for (const auto& a : example.checklist())
    EXPECT_EQ(answered.count(a.item_id()), 1u) << a.item_id();
}

}  // namespace
}  // namespace jixiao::extract

namespace jixiao::extract {
namespace {

TEST(Extract, AValueRepeatedManyTimesCannotHideAnotherValue) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "部门预算收入5120万元。\n\n";
  text += "经核对，部门预算收入为9999万元。\n";
  const Extraction e = Read(text);
  ASSERT_EQ(e.conflicts.size(), 1u);
  EXPECT_EQ(e.conflicts[0].readings.size(), 2u);
  EXPECT_EQ(e.conflicts[0].readings[1].value, "9999");
  EXPECT_FALSE(e.report.budget().has_income());
}

TEST(Extract, UnitsAreReadWholeOrNotAtAll) {
  const Extraction e = Read(
      "部门预算收入共计5120万美元。\n\n收入决算数为3.2万亿元。\n\n年初结转结余51\u200d20万元。\n\n"
      "人员经费为 -0 万元。\n");
  EXPECT_FALSE(e.report.budget().has_income());  // 美元 are not 万元
  ASSERT_FALSE(e.notes.empty());
  EXPECT_THAT(e.notes[0], HasSubstr("is not an amount in 万元; budget.income not read"));
  EXPECT_EQ(e.report.final_accounts().income().value(), "320000000");  // 3.2 × 10^8 万元
  EXPECT_EQ(e.report.carry_over().opening().value(), "5120");          // the joiner is invisible
  EXPECT_EQ(e.report.final_accounts().personnel().value(), "0");
}

TEST(Extract, TableCellsMustBeFiguresOfTheirColumn) {
  const Extraction e = Read(
      "### （1）预算执行率\n"
      "| 季度名称 | 资金支出进度 | 预算执行率 |\n|---|---|---|\n"
      "| 第一季度 | 1/4 | 85.92‰ |\n| 第二季度 | 2.5亿元 | 0.9570 |\n| 第三季度 | 73.5% | 98.00% "
      "|\n");
  EXPECT_FALSE(e.report.quarterly().q1().has_declared_progress());
  EXPECT_FALSE(e.report.quarterly().q2().has_declared_execution_rate());
  EXPECT_EQ(e.report.quarterly().q3().declared_progress().value(), "73.5");
  EXPECT_EQ(e.notes.size(), 4u);
}

TEST(Extract, PdfTextIsReadAsThePageShowsIt) {
  const std::string text = "部门预算收入为5&#48;0万元。\n";
  EXPECT_EQ(Read(text).report.budget().income().value(), "500");  // Markdown: an entity
  const Extraction plain = Extract(Segment(text, Markup::kPlain), *BuiltInRules(), {});
  EXPECT_FALSE(plain.report.budget().has_income());  // the page shows "5&#48;0"
}

TEST(Extract, AShortRowIsPlacedByWhereItsCellsStand) {
  // As pdftotext -layout prints a table whose second row lacks its rate.
  const Extraction e = Read(
      "### （1）预算执行率\n"
      "季度          年度预算数（万元） 支出进度      执行率\n"
      "第一季度        5120       21.48%   85.92%\n"
      "第二季度        5120       47.85%\n");
  EXPECT_EQ(e.report.quarterly().q2().declared_progress().value(), "47.85");
  EXPECT_FALSE(e.report.quarterly().q2().has_declared_execution_rate());
}

}  // namespace
}  // namespace jixiao::extract
