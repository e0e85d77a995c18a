// `jixiao import` as a bureau uses it on last years' reports: the seed
// report (read from ../shared/seed where present) back figure for figure,
// with its Q2 contradiction found; documents written for these tests, each
// as Markdown, as Word (converted by pandoc) and as PDF (printed by headless
// Chromium), giving the same figures; a directory imported at once and the
// drafts saved; and a table of hostile files, each refused with a clear
// error in bounded time and memory.

#include <sys/resource.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "jixiao/v1/report.pb.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;
using testing::BinPath;
using testing::CommandResult;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::RunCommand;
using testing::ServerProcess;
using testing::SourcePath;

const char kPandoc[] = "/usr/bin/pandoc";
const char kChromium[] = "/usr/bin/chromium";

Struct ParseStruct(const std::string& json) {
  Struct s;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &s).ok()) << json.substr(0, 400);
  return s;
}

// What an import found, in a form to compare: the same shape as the
// tests/data/import/*.expected.json files.
struct Found {
  std::map<std::string, std::string> figures, inferred;
  std::map<std::string, std::vector<std::string>> conflicts;
  std::vector<std::string> missing;
  bool operator==(const Found& o) const {
    return figures == o.figures && inferred == o.inferred && conflicts == o.conflicts &&
           missing == o.missing;
  }
};

std::string Describe(const Found& f) {
  std::string out;
  for (const auto& [k, v] : f.figures) out += "  " + k + " = " + v + "\n";
  for (const auto& [k, v] : f.inferred) out += "  (inferred) " + k + " = " + v + "\n";
  for (const auto& [k, v] : f.conflicts) out += "  (conflict) " + k + "\n";
  for (const auto& m : f.missing) out += "  (missing) " + m + "\n";
  return out;
}

Found FromImportJson(const Struct& s) {
  Found f;
  for (const Value& r : s.fields().at("figures").list_value().values()) {
    f.figures[r.struct_value().fields().at("path").string_value()] =
        r.struct_value().fields().at("value").string_value();
  }
  for (const Value& r : s.fields().at("inferred").list_value().values()) {
    f.inferred[r.struct_value().fields().at("path").string_value()] =
        r.struct_value().fields().at("value").string_value();
  }
  for (const Value& c : s.fields().at("conflicts").list_value().values()) {
    auto& values = f.conflicts[c.struct_value().fields().at("path").string_value()];
    for (const Value& r : c.struct_value().fields().at("readings").list_value().values()) {
      values.push_back(r.struct_value().fields().at("value").string_value());
    }
  }
  for (const Value& m : s.fields().at("missing").list_value().values()) {
    f.missing.push_back(m.string_value());
  }
  return f;
}

Found FromExpected(const Struct& s) {
  Found f;
  for (const auto& [k, v] : s.fields().at("figures").struct_value().fields()) {
    f.figures[k] = v.string_value();
  }
  for (const auto& [k, v] : s.fields().at("inferred").struct_value().fields()) {
    f.inferred[k] = v.string_value();
  }
  for (const auto& [k, v] : s.fields().at("conflicts").struct_value().fields()) {
    for (const Value& x : v.list_value().values()) f.conflicts[k].push_back(x.string_value());
  }
  for (const Value& m : s.fields().at("missing").list_value().values()) {
    f.missing.push_back(m.string_value());
  }
  return f;
}

class Import : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("jixiao-import"); }

  CommandResult Cli(std::vector<std::string> args) {
    std::vector<std::string> all = {BinPath("jixiao")};
    if (storage_) all.insert(all.end(), {"--storage", storage_->address()});
    all.insert(all.end(), args.begin(), args.end());
    return RunCommand(all);
  }

  // Imports `file` with --output json; checks every figure's provenance.
  Struct ImportJson(const std::string& file, std::vector<std::string> more = {},
                    const std::string& department = "QH-TEST") {
    std::vector<std::string> args = {"--output", "json",         "import",
                                     file,       "--department", department};
    args.insert(args.end(), more.begin(), more.end());
    CommandResult run = Cli(args);
    EXPECT_EQ(run.exit_code, 0) << file << ": " << run.err;
    Struct s = ParseStruct(run.out);
    for (const Value& r : s.fields().at("figures").list_value().values()) {
      const auto& f = r.struct_value().fields();
      EXPECT_GT(f.at("line").number_value(), 0) << file << " " << f.at("path").string_value();
      EXPECT_FALSE(f.at("text").string_value().empty()) << f.at("path").string_value();
    }
    return s;
  }

  // The Markdown document as Word (pandoc) and as PDF (pandoc's HTML,
  // printed by Chromium); empty paths where the tool is missing.
  std::pair<std::string, std::string> Convert(const std::string& md) {
    const std::string stem = dir_ + "/" + std::filesystem::path(md).stem().string();
    std::string docx, pdf;
    if (std::filesystem::exists(kPandoc)) {
      docx = stem + ".docx";
      CommandResult to_docx = RunCommand({kPandoc, "-f", "markdown", "-t", "docx", md, "-o", docx});
      EXPECT_EQ(to_docx.exit_code, 0) << to_docx.err;
      const std::string html = stem + ".html";
      CommandResult to_html = RunCommand(
          {kPandoc, "-s", "-f", "markdown", "-t", "html", "--metadata", "title= ", md, "-o", html});
      EXPECT_EQ(to_html.exit_code, 0) << to_html.err;
      if (std::filesystem::exists(kChromium)) {
        pdf = stem + ".pdf";
        CommandResult printed = RunCommand(
            {"/usr/bin/timeout", "120", kChromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--user-data-dir=" + dir_ + "/chromium", "--host-resolver-rules=MAP * ~NOTFOUND",
             "--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + html});
        EXPECT_EQ(printed.exit_code, 0) << printed.err;
      }
    }
    return {docx, pdf};
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> storage_;
};

TEST_F(Import, TheSeedReportComesBackAsTheExampleAndItsContradictionIsFound) {
  const std::string seed = SourcePath("../shared/seed/000_1b61a0e051686e8d.txt");
  if (!std::filesystem::exists(seed)) GTEST_SKIP() << "the seed report is not at " << seed;
  const std::string draft = dir_ + "/draft.json";
  Struct imported = ImportJson(seed, {"--accept-inferred", "--out", draft}, "LH-ZWFWSJGLJ");
  EXPECT_TRUE(imported.fields().at("conflicts").list_value().values().empty());
  // Every figure of the example, equal (Decimal's text, exactly as printed).
  v1::Report example, got;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ReadFile(SourcePath("examples/longhua-2019.json")), &example)
                  .ok());
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(draft), &got).ok());
  for (auto* report : {&example, &got}) {
    report->clear_narrative();
    report->clear_checklist();
    report->mutable_satisfaction()->clear_source();
  }
  EXPECT_EQ(got.DebugString(), example.DebugString());
  // Scored, the draft shows what the seed's figures hide: Q2's stated
  // progress does not follow from its parts.
  CommandResult validated = Cli({"validate", draft});
  EXPECT_EQ(validated.exit_code, 3) << validated.out << validated.err;
  EXPECT_THAT(validated.out, HasSubstr("q2_progress (quarterly.q2.declared_progress)"));
}

TEST_F(Import, OwnDocumentsGiveTheSameFiguresAsMarkdownWordAndPdf) {
  if (!std::filesystem::exists(kPandoc)) GTEST_SKIP() << "pandoc is not installed";
  for (const char* name : {"qinghu-culture-2021", "qinghu-health-2020"}) {
    const std::string md = SourcePath(std::string("tests/data/import/") + name + ".md");
    const Found expected = FromExpected(ParseStruct(
        ReadFile(SourcePath(std::string("tests/data/import/") + name + ".expected.json"))));
    const Found from_md = FromImportJson(ImportJson(md));
    EXPECT_EQ(from_md, expected) << name << " (.md) read:\n" << Describe(from_md);
    auto [docx, pdf] = Convert(md);
    const Found from_docx = FromImportJson(ImportJson(docx));
    EXPECT_EQ(from_docx, expected) << name << " (.docx) read:\n" << Describe(from_docx);
    if (pdf.empty()) continue;
    const Found from_pdf = FromImportJson(ImportJson(pdf));
    EXPECT_EQ(from_pdf, expected) << name << " (.pdf) read:\n" << Describe(from_pdf);
  }
  // What the documents were written to test, said outright.
  const Found culture =
      FromImportJson(ImportJson(SourcePath("tests/data/import/qinghu-culture-2021.md")));
  EXPECT_EQ(culture.conflicts.at("procurement.declared_execution_rate"),
            (std::vector<std::string>{"88.00", "86.00"}));
  EXPECT_EQ(culture.figures.count("procurement.declared_execution_rate"), 0u);
  EXPECT_EQ(culture.figures.at("three_public.receptions.actual"), "5.25");  // 52,500 元
  EXPECT_EQ(culture.figures.at("project_expenditure.declared_execution_rate"), "96.43");
  const Found health =
      FromImportJson(ImportJson(SourcePath("tests/data/import/qinghu-health-2020.md")));
  EXPECT_EQ(health.figures.at("project_expenditure.declared_execution_rate"),
            "96.32");                                                              // "96." / "32%"
  EXPECT_EQ(health.figures.at("fixed_assets.declared_utilisation_rate"), "95.2");  // full-width
  EXPECT_EQ(health.figures.at("daily_public.adjusted_budget"), "190");             // 1,900,000 元
}

TEST_F(Import, TheTableShowsProvenanceAndTheDraftIsReadyToSave) {
  const std::string md = SourcePath("tests/data/import/qinghu-culture-2021.md");
  const std::string draft = dir_ + "/draft.json";
  CommandResult table = Cli({"import", md, "--department", "QH-WHGLJ", "--out", draft});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("budget.income"));
  EXPECT_THAT(table.out, HasSubstr("stated differently in different places"));
  EXPECT_THAT(table.out, HasSubstr("not found in the document (missing, not guessed)"));
  EXPECT_THAT(table.out, HasSubstr("--accept-inferred"));
  // --text numbers the lines that provenance names.
  CommandResult text = Cli({"import", md, "--text"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("   51  预算情况：2021 年我局部门预算收入 8,650.40 万元"));

  storage_ = std::make_unique<ServerProcess>(BinPath("storage-svc"),
                                             std::vector<std::string>{"--data-dir", dir_ + "/db"});
  ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
  CommandResult saved = Cli({"save", draft});
  ASSERT_EQ(saved.exit_code, 0) << saved.out << saved.err;
  EXPECT_THAT(saved.out, HasSubstr("QH-WHGLJ/2021@1"));
  CommandResult got = Cli({"get", "--report", "QH-WHGLJ/2021"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_THAT(got.out, HasSubstr("\"8650.40\""));
}

TEST_F(Import, ADocumentWithoutFiguresGivesAnEmptyDraftWithEverythingMissing) {
  const std::string empty = dir_ + "/notes.md";
  std::ofstream(empty) << "# 说明\n\n本文件只有文字，没有任何数字。\n";
  Struct s = ImportJson(empty, {"--year", "2021"});
  EXPECT_TRUE(s.fields().at("figures").list_value().values().empty());
  EXPECT_GT(s.fields().at("missing").list_value().values_size(), 60);
  EXPECT_EQ(s.fields()
                .at("report")
                .struct_value()
                .fields()
                .at("identity")
                .struct_value()
                .fields()
                .at("fiscal_year")
                .number_value(),
            2021);
}

TEST_F(Import, ADirectoryComesInOneLineADocument) {
  const std::string in = dir_ + "/archive";
  std::filesystem::create_directories(in);
  for (const char* name : {"qinghu-culture-2021.md", "qinghu-health-2020.md"}) {
    std::filesystem::copy_file(SourcePath(std::string("tests/data/import/") + name),
                               in + "/" + name);
  }
  std::ofstream(in + "/broken.pdf") << "not a pdf";
  std::ofstream(in + "/readme.rtf") << "skipped: not a document jixiao reads";
  std::ofstream(dir_ + "/departments.csv")
      << "file,department\nqinghu-culture-2021.md,QH-WHGLJ\nqinghu-health-2020.md,QH-WJJ\n"
         "broken.pdf,QH-X\n";
  CommandResult run = Cli({"import", "--dir", in, "--departments", dir_ + "/departments.csv",
                           "--out-dir", dir_ + "/drafts"});
  EXPECT_EQ(run.exit_code, 4) << run.out << run.err;  // one file could not be read
  EXPECT_THAT(run.out, HasSubstr("broken.pdf: error: "));
  EXPECT_THAT(run.out, HasSubstr("is not a PDF"));
  EXPECT_THAT(run.out,
              HasSubstr("qinghu-culture-2021.md: 65 read, 4 missing, 1 conflict "
                        "(procurement.declared_execution_rate), 9 implied, 0 not read -> "));
  EXPECT_THAT(run.out, HasSubstr("qinghu-health-2020.md: 40 read, 31 missing, 0 conflicts"));
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("readme.rtf")));
  v1::Report health;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ReadFile(dir_ + "/drafts/qinghu-health-2020.json"), &health)
                  .ok());
  EXPECT_EQ(health.identity().department_code(), "QH-WJJ");
  EXPECT_EQ(health.identity().fiscal_year(), 2020);
}

TEST_F(Import, RulesForAnotherStyleAreData) {
  const std::string rules = dir_ + "/rules.textproto";
  std::ofstream(rules) << R"rules(name: "another-style"
sentence {
  pattern: "年初预算数{is}(?P<v>{amount})"
  field { group: "v" path: "figures.initial_budget" }
}
sentence {
  pattern: "(?P<y>20[0-9]{2})年度部门整体支出绩效评价"
  field { group: "y" path: "identity.fiscal_year" }
}
section { heading: "部门概况" path: "functions" }
)rules";
  const std::string doc = dir_ + "/other.txt";
  std::ofstream(doc) << "2022年度部门整体支出绩效评价报告\n\n一、部门概况\n\n本部门负责全县水利工作"
                        "。年初预算数为 1,922.76 万元。\n";
  Struct s = ImportJson(doc, {"--rules", rules});
  const Found found = FromImportJson(s);
  EXPECT_EQ(found.figures.at("figures.initial_budget"), "1922.76");
  EXPECT_EQ(found.figures.at("identity.fiscal_year"), "2022");
  const auto& report = s.fields().at("report").struct_value().fields();
  EXPECT_THAT(report.at("narrative")
                  .struct_value()
                  .fields()
                  .at("functions")
                  .struct_value()
                  .fields()
                  .at("title")
                  .string_value(),
              "部门概况");
  // A broken rules file names its line and field.
  std::ofstream(rules) << "sentence {\n  pattern: \"(?P<v>{amount}\"\n  field { group: \"v\" path: "
                          "\"budget.income\" }\n}\n";
  CommandResult bad = Cli({"import", doc, "--department", "X", "--rules", rules});
  EXPECT_EQ(bad.exit_code, 4);
  EXPECT_THAT(bad.err, HasSubstr("rules.textproto:2: sentence: pattern: missing )"));
  // --print-rules gives the built-in rules, which read back as rules.
  CommandResult builtin = Cli({"import", "--print-rules"});
  ASSERT_EQ(builtin.exit_code, 0);
  std::ofstream(rules) << builtin.out;
  EXPECT_EQ(Cli({"import", doc, "--department", "X", "--rules", rules}).exit_code, 0);
}

// Every hostile file is refused with its reason, quickly, in bounded memory.
TEST_F(Import, HostileFilesAreRefusedClearlyInBoundedTimeAndMemory) {
  const std::string big(50 << 20, 'a');
  std::ofstream(dir_ + "/big.txt") << big;
  std::ofstream(dir_ + "/bad-utf8.md") << "第一行\n收入 \xB2\xBF 万元\n";
  std::ofstream(dir_ + "/nul.txt") << std::string("abc\0def", 7);
  std::ofstream(dir_ + "/long-line.txt") << std::string(200000, 'x') << "\n";
  std::ofstream(dir_ + "/fake.pdf") << "<html>not a pdf</html>";
  std::ofstream(dir_ + "/garbage.pdf") << "%PDF-1.7\n" << std::string(5000, 'z');
  std::ofstream(dir_ + "/fake.docx") << "not a zip at all";
  std::ofstream(dir_ + "/notes.rtf") << "{\\rtf1 hello}";
  std::ofstream(dir_ + "/utf16.txt") << std::string("\xFF\xFE\x30\x00", 4);
  ASSERT_EQ(mkfifo((dir_ + "/pipe.txt").c_str(), 0600), 0);
  {
    // A zip bomb: one part that says it unpacks to 4 GiB.
    CommandResult made = RunCommand({"/usr/bin/python3", "-c",
                                     "import zipfile,sys\n"
                                     "z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\n"
                                     "z.writestr('[Content_Types].xml','<Types/>')\n"
                                     "f=z.open('word/document.xml','w',force_zip64=True)\n"
                                     "b=b' '*(1<<24)\n"
                                     "[f.write(b) for i in range(256)]\n"
                                     "f.close(); z.close()\n",
                                     dir_ + "/bomb.docx"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    CommandResult hidden = RunCommand(
        {"/usr/bin/python3", "-c",
         "import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w')\n"
         "z.writestr('word/document.xml','<w:document><w:body><w:p><w:r><w:rPr><w:vanish/>"
         "</w:rPr><w:t>部门预算收入5120万元。</w:t></w:r></w:p></w:body></"
         "w:document>')\nz.close()\n",
         dir_ + "/hidden.docx"});
    ASSERT_EQ(hidden.exit_code, 0) << hidden.err;
    CommandResult zipped = RunCommand(
        {"/usr/bin/python3", "-c",
         "import "
         "zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w')\nz.writestr('a.txt','x')\nz.close()\n",
         dir_ + "/no-body.docx"});
    ASSERT_EQ(zipped.exit_code, 0);
  }
  struct Row {
    const char* file;
    const char* says;
  };
  const Row rows[] = {
      {"big.txt", "is larger than 8388608 bytes"},
      {"bad-utf8.md", "bad-utf8.md:2:8: not UTF-8 (byte 0xb2)"},
      {"nul.txt", "nul.txt:1:4: holds a NUL byte"},
      {"long-line.txt", "long-line.txt:1: a line of 200000 bytes; at most 100000"},
      {"fake.pdf", "is not a PDF: it does not begin with %PDF-"},
      {"garbage.pdf", "pdftotext could not convert"},
      {"fake.docx", "is not a Word document (.docx): not a zip archive"},
      {"no-body.docx", "it has no word/document.xml"},
      {"bomb.docx", "the part word/document.xml unpacks 1028 times over (a zip bomb?)"},
      {"notes.rtf", "not a document jixiao import reads"},
      {"hidden.docx", "holds hidden text (Word's 隐藏文字)"},
      {"utf16.txt", "is UTF-16; save it as UTF-8 first"},
      {"pipe.txt", "pipe.txt is not a regular file"},
  };
  for (const Row& row : rows) {
    const auto start = std::chrono::steady_clock::now();
    CommandResult run = Cli({"import", dir_ + "/" + row.file, "--department", "X"});
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
            .count();
    EXPECT_EQ(run.exit_code, 4) << row.file << ": " << run.out << run.err;
    EXPECT_THAT(run.err, HasSubstr(row.says)) << row.file;
    EXPECT_LT(seconds, 30) << row.file;
  }
  struct rusage usage;
  getrusage(RUSAGE_CHILDREN, &usage);
  EXPECT_LT(usage.ru_maxrss, 512 * 1024)
      << "KiB, the largest child";  // well below any file's size x 10
  // No department code: the command line is wrong.
  CommandResult no_code = Cli({"import", SourcePath("tests/data/import/qinghu-health-2020.md")});
  EXPECT_EQ(no_code.exit_code, 2);
  EXPECT_THAT(no_code.err, HasSubstr("--department is required"));
  // A converter that is not installed is named with its package.
  ASSERT_EQ(RunCommand({"/usr/bin/python3", "-c",
                        "import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w')\n"
                        "z.writestr('word/document.xml','<w:document/>')\nz.close()\n",
                        dir_ + "/body.docx"})
                .exit_code,
            0);
  CommandResult no_pandoc = RunCommand({"/usr/bin/env", "PATH=/nonexistent", BinPath("jixiao"),
                                        "import", dir_ + "/body.docx", "--department", "X"});
  EXPECT_NE(no_pandoc.exit_code, 0);
  EXPECT_THAT(no_pandoc.err, HasSubstr("needs pandoc, which is not installed (Debian: apt-get "
                                       "install pandoc)"));
  std::filesystem::copy_file(dir_ + "/garbage.pdf", dir_ + "/real-name.pdf");
  CommandResult no_poppler = RunCommand({"/usr/bin/env", "PATH=/nonexistent", BinPath("jixiao"),
                                         "import", dir_ + "/real-name.pdf", "--department", "X"});
  EXPECT_NE(no_poppler.exit_code, 0);
  EXPECT_THAT(no_poppler.err, HasSubstr("needs pdftotext, which is not installed (Debian: apt-get "
                                        "install poppler-utils)"));
}

}  // namespace
}  // namespace jixiao
