// The form as a department uses it: written by `jixiao form`, filled in by
// another program (openpyxl, an independent .xlsx writer), read back by
// `jixiao import` and `jixiao save`; a stored report's form filled with it;
// and a table of bad workbooks, each refused naming the sheet and cell,
// nothing stored.

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "jixiao/v1/report.pb.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::RunCommand;
using testing::ServerProcess;
using testing::SourcePath;

const char kPython[] = "/usr/bin/python3";

v1::Report FromJson(const std::string& json) {
  v1::Report report;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &report).ok()) << json;
  return report;
}

// "101.80" as a number typed in a cell shows: "101.8".
std::string Shown(std::string value) {
  if (value.find('.') == std::string::npos) return value;
  while (value.back() == '0') value.pop_back();
  if (value.back() == '.') value.pop_back();
  return value;
}

// Every figure of `report` as a number cell shows it.
void ShowFigures(google::protobuf::Message& message) {
  const auto* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    if (field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) continue;
    if (field->is_map()) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        ShowFigures(*reflection->MutableRepeatedMessage(&message, field, i));
      }
    } else if (auto* figure =
                   dynamic_cast<v1::Decimal*>(reflection->MutableMessage(&message, field))) {
      figure->set_value(Shown(figure->value()));
    } else {
      ShowFigures(*reflection->MutableMessage(&message, field));
    }
  }
}

bool SameReport(v1::Report a, v1::Report b, std::string* differences) {
  for (v1::Report* r : {&a, &b}) {
    std::sort(r->mutable_checklist()->begin(), r->mutable_checklist()->end(),
              [](const auto& x, const auto& y) { return x.item_id() < y.item_id(); });
    std::sort(r->mutable_self_evaluation()->mutable_scores()->begin(),
              r->mutable_self_evaluation()->mutable_scores()->end(),
              [](const auto& x, const auto& y) { return x.indicator_id() < y.indicator_id(); });
  }
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(differences);
  return differ.Compare(a, b);
}

class FormFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RunCommand({kPython, "-c", "import openpyxl"}).exit_code != 0) {
      GTEST_SKIP() << "python3-openpyxl is not installed (tools/dev deps installs it)";
    }
    dir_ = testing::MakeTempDir("jixiao-form");
  }
  CommandResult Cli(std::vector<std::string> args) {
    std::vector<std::string> all = {BinPath("jixiao")};
    if (storage_) all.insert(all.end(), {"--storage", storage_->address()});
    all.insert(all.end(), args.begin(), args.end());
    return RunCommand(all);
  }
  CommandResult Fill(std::vector<std::string> args) {
    args.insert(args.begin(), {kPython, SourcePath("tests/form_fill.py")});
    CommandResult filled = RunCommand(args);
    EXPECT_EQ(filled.exit_code, 0) << filled.err;
    return filled;
  }
  std::string dir_;
  std::unique_ptr<ServerProcess> storage_;
};

TEST_F(FormFlow, AFormFilledByAnotherProgramImportsAsTheReport) {
  const std::string seed = SourcePath("examples/longhua-2019.json");
  const std::string form = dir_ + "/form.xlsx";
  CommandResult written = Cli({"form", "--scheme", "dept-overall@1", "--department", "LH-ZWFWSJGLJ",
                               "--year", "2019", "--out", form});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  // Figures typed as text: the report exactly, but for the two figures the
  // scheme does not read, which a blank form has no row for.
  v1::Report read = FromJson(ReadFile(seed));
  read.mutable_budget()->clear_general_public_appropriation();
  read.mutable_final_accounts()->clear_capital_construction();
  Fill({"fill", form, seed, dir_ + "/as-text.xlsx"});
  CommandResult text = Cli({"import", dir_ + "/as-text.xlsx"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  std::string differences;
  EXPECT_TRUE(SameReport(FromJson(text.out), read, &differences)) << differences;
  // Typed as numbers: each as the cell shows it.
  Fill({"fill", form, seed, dir_ + "/as-numbers.xlsx", "--numbers"});
  CommandResult numbers = Cli({"import", dir_ + "/as-numbers.xlsx"});
  ASSERT_EQ(numbers.exit_code, 0) << numbers.err;
  v1::Report expected = read;
  ShowFigures(expected);
  EXPECT_TRUE(SameReport(FromJson(numbers.out), expected, &differences)) << differences;
}

TEST_F(FormFlow, SavedFromTheWorkbookAndTheStoredReportsFormHoldsIt) {
  storage_ = std::make_unique<ServerProcess>(BinPath("storage-svc"),
                                             std::vector<std::string>{"--data-dir", dir_ + "/db"});
  ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
  const std::string seed = SourcePath("examples/longhua-2019.json");
  const std::string form = dir_ + "/form.xlsx";
  ASSERT_EQ(Cli({"form", "--scheme", "dept-overall@1", "--out", form}).exit_code, 0);
  Fill({"fill", form, seed, dir_ + "/filled.xlsx"});
  CommandResult saved = Cli({"save", dir_ + "/filled.xlsx"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_THAT(saved.out, HasSubstr("LH-ZWFWSJGLJ/2019@1"));
  // The stored report's own form, filled with it: read back, the same.
  CommandResult again = Cli({"form", "LH-ZWFWSJGLJ/2019", "--out", dir_ + "/stored.xlsx"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  CommandResult imported = Cli({"import", dir_ + "/stored.xlsx"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  v1::Report read = FromJson(ReadFile(seed));  // as a blank form holds it (above)
  read.mutable_budget()->clear_general_public_appropriation();
  read.mutable_final_accounts()->clear_capital_construction();
  std::string differences;
  EXPECT_TRUE(SameReport(FromJson(imported.out), read, &differences)) << differences;
  // With storage-svc, --year alone picks the year's scheme.
  CommandResult by_year =
      Cli({"form", "--department", "LH-CZJ", "--year", "2019", "--out", dir_ + "/by-year.xlsx"});
  ASSERT_EQ(by_year.exit_code, 0) << by_year.err;
  EXPECT_THAT(by_year.err, HasSubstr("dept-overall@1"));
  // Saving it unchanged writes nothing.
  CommandResult unchanged = Cli({"save", dir_ + "/stored.xlsx"});
  EXPECT_EQ(unchanged.exit_code, 0) << unchanged.err;
  EXPECT_THAT(unchanged.out + unchanged.err, HasSubstr("unchanged"));
}

TEST_F(FormFlow, BadWorkbooksAreRefusedNamingTheCellAndNothingIsStored) {
  storage_ = std::make_unique<ServerProcess>(BinPath("storage-svc"),
                                             std::vector<std::string>{"--data-dir", dir_ + "/db"});
  ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
  const std::string form = dir_ + "/form.xlsx";
  ASSERT_EQ(Cli({"form", "--scheme", "dept-overall@1", "--out", form}).exit_code, 0);
  const std::string good = dir_ + "/good.xlsx";
  Fill({"fill", form, SourcePath("examples/longhua-2019.json"), good});
  struct Row {
    std::string kind;
    std::string says;  // in the error
  };
  const std::vector<Row> rows = {
      {"word-in-amount", "基础数据!D2: \"一千二百\" is not an amount"},
      {"negative-amount", "基础数据!D2: \"-5\" is negative"},
      {"free-text-answer", "定性指标!D2: \"基本达到\": choose 是 or 否"},
      {"deleted-sheet", "the sheet 定性指标 is missing"},
      {"unknown-field", "基础数据!F2: unknown field id \"procurement.actuall\""},
      {"not-a-zip", "not an .xlsx workbook (not a zip file)"},
      {"zip-bomb", "inflates past 64 MiB"},
      {"huge", "a form is at most 16 MiB"},
      {"duplicate-field", "基础数据!F3: the field \"budget.expenditure\" is on row 2 too"},
      {"date-format", "基础数据!D2: shows a date (its number format), not an amount"},
      {"far-cell", "has a cell named \"A2000000000\", which is not a cell"},
      {"bad-shared-index", "基础数据!D101: names shared string \"99999999\""},
      {"shared-string-fanout", "基础数据!G300: this row has no field id"},
  };
  for (const Row& row : rows) {
    const std::string bad = dir_ + "/" + row.kind + ".xlsx";
    Fill({"bad", good, bad, row.kind});
    CommandResult refused = Cli({"save", bad});
    EXPECT_EQ(refused.exit_code, 4) << row.kind << ": " << refused.err;
    EXPECT_THAT(refused.err, HasSubstr(row.says)) << row.kind;
  }
  EXPECT_THAT(Cli({"list"}).out, Not(HasSubstr("LH-ZWFWSJGLJ")));
  // A unit or thousands separators typed in a text cell: taken, with a warning.
  Fill({"bad", good, dir_ + "/units.xlsx", "units-and-separators"});
  CommandResult units = Cli({"import", dir_ + "/units.xlsx"});
  ASSERT_EQ(units.exit_code, 0) << units.err;
  EXPECT_THAT(units.err, HasSubstr("基础数据!D2: \"12,000万元\" taken as 12000"));
  EXPECT_THAT(units.err, HasSubstr("基础数据!D3: \"95.5%\" taken as 95.5"));
  EXPECT_EQ(FromJson(units.out).budget().income().value(), "12000");
  // A moved row carries its field id with it.
  Fill({"bad", good, dir_ + "/moved.xlsx", "moved-row"});
  CommandResult moved = Cli({"import", dir_ + "/moved.xlsx"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(FromJson(moved.out).budget().income().value(), "1234.5");
}

// Real spreadsheet software: LibreOffice Calc opens the form (its sheets
// converted to CSV show the labels and the hidden field ids), and a filled
// form it saves again, a formula's value included, imports to the same
// report.
TEST_F(FormFlow, LibreOfficeOpensTheFormAndItsSavedCopyImportsTheSame) {
  if (!std::filesystem::exists("/usr/bin/soffice")) {
    GTEST_SKIP() << "LibreOffice Calc is not installed (tools/dev deps installs "
                    "libreoffice-calc-nogui)";
  }
  const std::string profile = "-env:UserInstallation=file://" + dir_ + "/lo-profile";
  auto soffice = [&](const std::string& to, const std::string& file, const std::string& out) {
    CommandResult converted = RunCommand(
        {"/usr/bin/soffice", profile, "--headless", "--convert-to", to, "--outdir", out, file});
    EXPECT_EQ(converted.exit_code, 0) << converted.err;
  };
  const std::string form = dir_ + "/form.xlsx";
  ASSERT_EQ(Cli({"form", "--scheme", "dept-overall@1", "--out", form}).exit_code, 0);
  // Every sheet as CSV (the filter's last token, -1: all sheets).
  soffice("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", form,
          dir_ + "/csv");
  const std::string figures = ReadFile(dir_ + "/csv/form-基础数据.csv");
  EXPECT_THAT(figures, HasSubstr("分组,名称,单位,数值,说明,字段"));
  EXPECT_THAT(figures, HasSubstr("政府采购,实际政府采购金额,万元,,,procurement.actual"));
  EXPECT_THAT(ReadFile(dir_ + "/csv/form-定性指标.csv"), HasSubstr("是否达到"));
  EXPECT_THAT(ReadFile(dir_ + "/csv/form-封面.csv"),
              HasSubstr("部门编码,,identity.department_code"));

  // Filled (openpyxl), with one figure a formula with no cached value;
  // saved again by LibreOffice, which computes it.
  const std::string filled = dir_ + "/filled.xlsx";
  Fill({"fill", form, SourcePath("examples/longhua-2019.json"), filled});
  CommandResult formula = RunCommand(
      {kPython, "-c",
       "import openpyxl, sys\n"
       "book = openpyxl.load_workbook(sys.argv[1])\n"
       "sheet = book['基础数据']\n"
       "row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 6).value == "
       "'carry_over.opening')\n"
       "sheet.cell(row, 4, '=0.1+0.2')\n"
       "typed = {'procurement.budget': 6887, 'procurement.actual': 5234.5,\n"
       "         'three_public.total.budget': 0.25, 'three_public.total.actual': 1.125,\n"
       "         'key_tasks.planned': 3.1416}\n"
       "for r in range(2, sheet.max_row + 1):\n"
       "    if sheet.cell(r, 6).value in typed:\n"
       "        sheet.cell(r, 4, typed[sheet.cell(r, 6).value]).number_format = 'General'\n"
       "book.save(sys.argv[1])\n",
       filled});
  ASSERT_EQ(formula.exit_code, 0) << formula.err;
  soffice("xlsx", filled, dir_ + "/resaved");
  CommandResult direct = Cli({"import", filled});  // openpyxl's: a formula, no value
  CommandResult resaved = Cli({"import", dir_ + "/resaved/filled.xlsx"});
  ASSERT_EQ(resaved.exit_code, 0) << resaved.err;
  EXPECT_THAT(resaved.err, HasSubstr("a formula: its value is used"));
  v1::Report expected = FromJson(ReadFile(SourcePath("examples/longhua-2019.json")));
  expected.mutable_budget()->clear_general_public_appropriation();
  expected.mutable_final_accounts()->clear_capital_construction();
  expected.mutable_carry_over()->mutable_opening()->set_value("0.3");  // 0.1 + 0.2, as shown
  // Numbers typed with 0 to 4 decimals, as shown.
  expected.mutable_procurement()->mutable_budget()->set_value("6887");
  expected.mutable_procurement()->mutable_actual()->set_value("5234.5");
  expected.mutable_three_public()->mutable_total()->mutable_budget()->set_value("0.25");
  expected.mutable_three_public()->mutable_total()->mutable_actual()->set_value("1.125");
  expected.mutable_key_tasks()->mutable_planned()->set_value("3.1416");
  std::string differences;
  EXPECT_TRUE(SameReport(FromJson(resaved.out), expected, &differences)) << differences;
  EXPECT_EQ(direct.exit_code, 4);
  EXPECT_THAT(direct.err, HasSubstr("基础数据!D"));
  EXPECT_THAT(direct.err, HasSubstr("value was never computed"));
}

}  // namespace
}  // namespace jixiao
