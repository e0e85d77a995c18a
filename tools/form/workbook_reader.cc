// Reading a filled form: the .xlsx zip with libzip, its XML with pugixml.

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/report/decimal.h"
#include "common/report/field_violations.h"
#include "common/report/plain_text.h"
#include "tools/form/layout.h"
#include "tools/form/report_paths.h"
#include "tools/form/workbook.h"

namespace jixiao::form {
namespace {

namespace L = layout;

constexpr size_t kMaxPartBytes = 64 << 20;
constexpr size_t kMaxTotalBytes = 256 << 20;
constexpr size_t kMaxProblems = 200;
constexpr int kMaxRows = 20000;

// User text quoted in a message: valid UTF-8, and 40 bytes or so at most.
std::string Clip(absl::string_view text) {
  if (text.size() <= 40) return report::ValidUtf8(text);
  size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return report::ValidUtf8(text.substr(0, cut)) + "…";
}

// "D12" from a zero-based row and column.
std::string CellName(int row, int col) {
  std::string letters;
  for (int c = col + 1; c > 0; c = (c - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  }
  return absl::StrCat(letters, row + 1);
}

// The zero-based row and column of "D12"; false if it is not a cell name.
bool ParseCellName(absl::string_view name, int* row, int* col) {
  size_t i = 0;
  int c = 0;
  while (i < name.size() && absl::ascii_isupper(name[i])) {
    c = c * 26 + (name[i] - 'A' + 1);
    if (c > 16384) return false;  // past XFD
    ++i;
  }
  int r = 0;
  if (i == 0 || i == name.size() || !absl::SimpleAtoi(name.substr(i), &r) || r < 1 || r > 1048576) {
    return false;
  }
  *row = r - 1;
  *col = c - 1;
  return true;
}

// The parts of the zip, read within the limits.
class Package {
 public:
  static absl::StatusOr<std::unique_ptr<Package>> Open(absl::string_view bytes) {
    if (bytes.size() > kMaxWorkbookBytes) {
      return absl::InvalidArgumentError(absl::StrCat("the workbook is ", bytes.size() >> 20,
                                                     " MiB; a form is at most ",
                                                     kMaxWorkbookBytes >> 20, " MiB"));
    }
    if (bytes.size() < 4 || bytes.substr(0, 2) != "PK") {
      if (bytes.size() >= 8 && bytes.substr(0, 8) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return absl::InvalidArgumentError(
            "this is an .xls file (Excel 97–2003) or a password-protected workbook: open it and "
            "save it as .xlsx (Excel workbook) without a password, then import that");
      }
      return absl::InvalidArgumentError("this is not an .xlsx workbook (not a zip file)");
    }
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) return absl::InvalidArgumentError("cannot read the workbook");
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive == nullptr) {
      zip_source_free(source);
      std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      return absl::InvalidArgumentError(
          absl::StrCat("this is not an .xlsx workbook (a damaged zip: ", why, ")"));
    }
    zip_error_fini(&error);
    return std::unique_ptr<Package>(new Package(archive));
  }
  ~Package() { zip_discard(archive_); }

  // The part's bytes; nullopt if absent. Reading stops at the limits
  // whatever the zip's headers claim.
  absl::StatusOr<std::optional<std::string>> Read(const std::string& name) {
    zip_int64_t index = zip_name_locate(archive_, name.c_str(), 0);
    if (index < 0) return std::optional<std::string>();
    zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("cannot read ", name, " in the workbook"));
    }
    std::string out;
    char buffer[1 << 16];
    while (true) {
      zip_int64_t got = zip_fread(file, buffer, sizeof buffer);
      if (got < 0) {
        zip_fclose(file);
        return absl::InvalidArgumentError(absl::StrCat(name, " in the workbook is damaged"));
      }
      if (got == 0) break;
      out.append(buffer, static_cast<size_t>(got));
      total_ += static_cast<size_t>(got);
      if (out.size() > kMaxPartBytes || total_ > kMaxTotalBytes) {
        zip_fclose(file);
        return absl::InvalidArgumentError(
            absl::StrCat(name, " in the workbook inflates past ",
                         (out.size() > kMaxPartBytes ? kMaxPartBytes : kMaxTotalBytes) >> 20,
                         " MiB: not a form (a zip bomb?)"));
      }
    }
    zip_fclose(file);
    return std::optional<std::string>(std::move(out));
  }

 private:
  explicit Package(zip_t* archive) : archive_(archive) {}
  zip_t* const archive_;
  size_t total_ = 0;
};

struct Cell {
  enum Kind { kEmpty, kText, kNumber, kBool, kError } kind = kEmpty;
  // As stored: the string, or the number's digits. A shared string is not
  // copied into each cell that names it (a small file may name a large
  // one a million times): `shared` points at it instead.
  std::string own;
  const std::string* shared = nullptr;
  bool formula = false;  // its value is a formula's cached result
  int style = 0;
  const std::string& text() const { return shared != nullptr ? *shared : own; }
};

struct Sheet {
  std::string name;
  std::map<std::pair<int, int>, Cell> cells;  // (row, col), zero-based
  std::map<std::string, int> columns;         // header (row 1) → column
  int last_row = 0;

  const Cell* At(int row, int col) const {
    auto it = cells.find({row, col});
    return it == cells.end() ? nullptr : &it->second;
  }
};

// The number formats the cells' styles name: how a number cell shows.
struct NumberFormat {
  int decimals = -1;  // -1: General (as many as needed, 15 significant digits)
  int optional = 0;   // more decimals shown when not zero ("0.0##": 2)
  int percent = 0;    // each % shows the value a hundred times over
  int thousands = 0;  // each comma after the last digit shows it a thousand times smaller
  bool text = false;  // "@"
  std::string not_amount;  // "a date", "a time", "a fraction": never an amount
};

NumberFormat FormatOf(const std::string& code) {
  NumberFormat format;
  if (code == "@") {
    format.text = true;
    return format;
  }
  if (code.empty() || absl::AsciiStrToLower(code) == "general") return format;
  // The first section, without its quoted text, escapes and [brackets].
  std::string first;
  bool quoted = false;
  int bracket = 0;
  const std::string section = code.substr(0, code.find(';'));
  for (size_t i = 0; i < section.size(); ++i) {
    char c = section[i];
    if (quoted) {
      quoted = c != '"';
    } else if (c == '"') {
      quoted = true;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is shown as it is
    } else if (c == '[') {
      ++bracket;
    } else if (c == ']') {
      bracket = std::max(0, bracket - 1);
    } else if (bracket == 0) {
      first.push_back(c);
    }
  }
  const std::string lower = absl::AsciiStrToLower(first);
  if (lower.find_first_of("ymd") != std::string::npos) {
    format.not_amount = "a date";
  } else if (lower.find_first_of("hs") != std::string::npos || absl::StrContains(lower, "am/pm")) {
    format.not_amount = "a time";
  } else if (first.find_first_of("/?") != std::string::npos) {
    format.not_amount = "a fraction";
  }
  format.percent = static_cast<int>(std::count(first.begin(), first.end(), '%'));
  size_t last_digit = first.find_last_of("0#");
  if (last_digit != std::string::npos) {
    for (size_t i = last_digit + 1; i < first.size() && first[i] == ','; ++i) ++format.thousands;
  }
  format.decimals = 0;
  size_t point = first.find('.');
  if (point != std::string::npos) {
    for (size_t i = point + 1; i < first.size() && (first[i] == '0' || first[i] == '#'); ++i) {
      if (first[i] == '0' && format.optional == 0) {
        ++format.decimals;
      } else {
        ++format.optional;
      }
    }
  }
  return format;
}

NumberFormat BuiltInFormat(int id) {
  switch (id) {
    case 1:
    case 3:
    case 37:
    case 38:
      return FormatOf("0");
    case 2:
    case 4:
    case 39:
    case 40:
      return FormatOf("0.00");
    case 9:
      return FormatOf("0%");
    case 10:
      return FormatOf("0.00%");
    case 12:
    case 13:
      return FormatOf("# ?/?");
    case 49:
      return FormatOf("@");
    default:
      if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) {
        return FormatOf("yyyy-mm-dd");
      }
      if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return FormatOf("h:mm");
      return FormatOf("General");
  }
}

class Reader {
 public:
  explicit Reader(std::vector<CellProblem>& problems) : problems_(problems) {}

  absl::StatusOr<Imported> Read(absl::string_view bytes) {
    auto package = Package::Open(bytes);
    if (!package.ok()) return Fail("", package.status().message());
    package_ = std::move(*package);
    if (absl::Status loaded = Load(); !loaded.ok()) return loaded;
    Cover();
    Figures();
    Checklist();
    Targets();
    Manual();
    SelfScores();
    Text();
    if (!problems_.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(problems_.size(),
                       problems_.size() == 1 ? " cell cannot be read" : " cells cannot be read"));
    }
    return std::move(imported_);
  }

 private:
  absl::Status Fail(const std::string& where, absl::string_view message) {
    problems_.push_back({where, std::string(message)});
    return absl::InvalidArgumentError(std::string(message));
  }
  void Problem(const std::string& sheet, int row, int col, const std::string& message) {
    if (problems_.size() < kMaxProblems) {
      problems_.push_back({absl::StrCat(sheet, "!", CellName(row, col)), message});
    }
  }
  void Problem(const Sheet& sheet, int row, int col, const std::string& message) {
    Problem(sheet.name, row, col, message);
  }
  void Warn(const Sheet& sheet, int row, int col, const std::string& message) {
    imported_.warnings.push_back({absl::StrCat(sheet.name, "!", CellName(row, col)), message});
  }
  void Record(const std::string& path, const Sheet& sheet, int row, int col) {
    imported_.cells.emplace_back(path, absl::StrCat(sheet.name, "!", CellName(row, col)));
  }

  absl::StatusOr<pugi::xml_document> Xml(const std::string& part, bool required) {
    auto text = package_->Read(part);
    if (!text.ok()) return Fail("", text.status().message());
    pugi::xml_document document;
    if (!*text) {
      if (required) return Fail("", absl::StrCat("not an .xlsx workbook: it has no ", part));
      return document;
    }
    pugi::xml_parse_result parsed = document.load_buffer(text->value().data(), text->value().size(),
                                                         pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      return Fail("", absl::StrCat(part, " in the workbook is not XML: ", parsed.description()));
    }
    return document;
  }

  absl::Status Load() {
    auto book = Xml("xl/workbook.xml", true);
    if (!book.ok()) return book.status();
    auto rels = Xml("xl/_rels/workbook.xml.rels", true);
    if (!rels.ok()) return rels.status();
    std::map<std::string, std::string> targets;
    for (pugi::xml_node rel : rels->child("Relationships").children("Relationship")) {
      std::string target = rel.attribute("Target").value();
      if (absl::StartsWith(target, "/")) {
        target = target.substr(1);
      } else {
        target = "xl/" + target;
      }
      targets[rel.attribute("Id").value()] = target;
    }
    auto shared = Xml("xl/sharedStrings.xml", false);
    if (!shared.ok()) return shared.status();
    for (pugi::xml_node si : shared->child("sst").children("si")) {
      std::string text;
      // The text of the item and of its runs, not of phonetic guides.
      for (pugi::xpath_node found : si.select_nodes(".//t")) {
        pugi::xml_node t = found.node();
        if (std::string(t.parent().name()) != "rPh") text += t.text().get();
      }
      shared_.push_back(std::move(text));
    }
    auto styles = Xml("xl/styles.xml", false);
    if (!styles.ok()) return styles.status();
    std::map<int, std::string> custom;
    for (pugi::xml_node f : styles->child("styleSheet").child("numFmts").children("numFmt")) {
      custom[f.attribute("numFmtId").as_int()] = f.attribute("formatCode").value();
    }
    for (pugi::xml_node xf : styles->child("styleSheet").child("cellXfs").children("xf")) {
      int id = xf.attribute("numFmtId").as_int();
      auto it = custom.find(id);
      formats_.push_back(it != custom.end() ? FormatOf(it->second) : BuiltInFormat(id));
    }
    for (pugi::xml_node sheet : book->child("workbook").child("sheets").children("sheet")) {
      const std::string name = sheet.attribute("name").value();
      auto target = targets.find(sheet.attribute("r:id").value());
      if (target == targets.end()) continue;
      auto loaded = LoadSheet(name, target->second);
      if (!loaded.ok()) return loaded;
    }
    return absl::OkStatus();
  }

  absl::Status LoadSheet(const std::string& name, const std::string& part) {
    auto xml = Xml(part, true);
    if (!xml.ok()) return xml.status();
    Sheet sheet;
    sheet.name = name;
    int next_row = 0;
    for (pugi::xml_node row : xml->child("worksheet").child("sheetData").children("row")) {
      int r = row.attribute("r") ? row.attribute("r").as_int() - 1 : next_row;
      if (r < 0) {
        return Fail(name,
                    absl::StrCat("sheet ", name, " has a row numbered \"",
                                 Clip(row.attribute("r").value()), "\": the file is damaged"));
      }
      if (r >= kMaxRows) {
        return Fail(name,
                    absl::StrCat("sheet ", name, " has more than ", kMaxRows, " rows: not a form"));
      }
      next_row = r + 1;
      int next_col = 0;
      for (pugi::xml_node c : row.children("c")) {
        int cr = r, cc = next_col;
        if (c.attribute("r") && !ParseCellName(c.attribute("r").value(), &cr, &cc)) {
          problems_.push_back({name, absl::StrCat("sheet ", name, " has a cell named \"",
                                                  Clip(c.attribute("r").value()),
                                                  "\", which is not a cell: the file is damaged")});
          continue;
        }
        if (cr >= kMaxRows) {
          return Fail(
              name, absl::StrCat("sheet ", name, " has more than ", kMaxRows, " rows: not a form"));
        }
        next_col = cc + 1;
        Cell cell;
        cell.style = c.attribute("s").as_int();
        cell.formula = static_cast<bool>(c.child("f"));
        const std::string type = c.attribute("t").value();
        const char* v = c.child("v").text().get();
        if (type == "s") {
          long long index = -1;
          if (!absl::SimpleAtoi(v, &index) || index < 0 ||
              static_cast<unsigned long long>(index) >= shared_.size()) {
            Problem(name, cr, cc,
                    absl::StrCat("names shared string \"", Clip(v),
                                 "\", which the workbook "
                                 "does not have: the file is damaged"));
            continue;
          }
          cell.kind = Cell::kText;
          cell.shared = &shared_[static_cast<size_t>(index)];
        } else if (type == "inlineStr") {
          cell.kind = Cell::kText;
          for (pugi::xpath_node t : c.child("is").select_nodes(".//t")) {
            cell.own += t.node().text().get();
          }
        } else if (type == "str") {
          cell.kind = Cell::kText;
          cell.own = v;
        } else if (type == "b") {
          cell.kind = Cell::kBool;
          cell.own = v;
        } else if (type == "e") {
          cell.kind = Cell::kError;
          cell.own = v;
        } else if (*v != '\0') {
          cell.kind = Cell::kNumber;
          cell.own = v;
        } else if (cell.formula) {
          cell.kind = Cell::kError;  // a formula never computed: no value to read
          cell.own = "";
        }
        if (cell.kind == Cell::kEmpty) continue;
        sheet.last_row = std::max(sheet.last_row, cr);
        sheet.cells[{cr, cc}] = std::move(cell);
      }
    }
    for (const auto& [at, cell] : sheet.cells) {
      if (at.first == 0 && cell.kind == Cell::kText) {
        sheet.columns[std::string(absl::StripAsciiWhitespace(cell.text()))] = at.second;
      }
    }
    sheets_[name] = std::move(sheet);
    return absl::OkStatus();
  }

  // The sheet and the columns it must have; null (with a problem) if not.
  const Sheet* Need(const char* name, std::initializer_list<const char*> columns,
                    bool required = true) {
    auto it = sheets_.find(name);
    if (it == sheets_.end()) {
      if (required) {
        problems_.push_back({name, absl::StrCat("the sheet ", name,
                                                " is missing: fill in the form jixiao form wrote, "
                                                "without deleting or renaming sheets")});
      }
      return nullptr;
    }
    bool ok = true;
    for (const char* column : columns) {
      if (!it->second.columns.count(column)) {
        problems_.push_back({name, absl::StrCat("the sheet ", name, " has no column “", column,
                                                "” in its first row")});
        ok = false;
      }
    }
    if (!it->second.columns.count(L::kField)) {
      problems_.push_back({name, absl::StrCat("the sheet ", name, " has lost its hidden column “",
                                              L::kField, "”: fill in the form jixiao form wrote")});
      ok = false;
    }
    return ok ? &it->second : nullptr;
  }

  // Every data row of `sheet` (row 2 on) with its field id. With
  // `unique`, a field on two rows is a problem (which would win?).
  template <typename Row>
  void Rows(const Sheet& sheet, Row row, bool unique = true) {
    const int field_col = sheet.columns.at(L::kField);
    std::map<std::string, int> seen;
    for (auto it = sheet.cells.lower_bound({1, 0}); it != sheet.cells.end();) {
      const int r = it->first.first;
      const auto next_row = sheet.cells.lower_bound({r + 1, 0});
      const Cell* field = sheet.At(r, field_col);
      if (field == nullptr) {
        // A row without a field id that holds input is a row someone added.
        for (; it != next_row; ++it) {
          if (!absl::StripAsciiWhitespace(it->second.text()).empty()) {
            Problem(sheet, r, it->first.second,
                    "this row has no field id (the hidden last column): copy a row of the form "
                    "instead of typing a new one");
            break;
          }
        }
        it = next_row;
        continue;
      }
      it = next_row;
      std::string id(absl::StripAsciiWhitespace(field->text()));
      if (unique) {
        auto [earlier, fresh] = seen.emplace(id, r);
        if (!fresh) {
          Problem(sheet, r, field_col,
                  absl::StrCat("the field \"", Clip(id), "\" is on row ", earlier->second + 1,
                               " too: which value counts? keep one row of each"));
          continue;
        }
      }
      row(r, id);
    }
  }

  // A cell's text as the user wrote or saw it; "" when empty.
  std::string Text(const Sheet& sheet, int row, const char* column) {
    const Cell* cell = sheet.At(row, sheet.columns.at(column));
    if (cell == nullptr) return "";
    if (cell->formula && cell->kind != Cell::kError) {
      Warn(sheet, row, sheet.columns.at(column), "a formula: its value is used");
    }
    if (cell->kind == Cell::kNumber) {
      const NumberFormat& format = FormatFor(*cell);
      if (!format.not_amount.empty()) {
        Problem(sheet, row, sheet.columns.at(column),
                absl::StrCat("shows ", format.not_amount,
                             " (its number format), not an amount: set the cell to text or "
                             "General and type the figure"));
        return "";
      }
      return NumberShown(*cell);
    }
    if (cell->kind == Cell::kError) {
      Problem(sheet, row, sheet.columns.at(column),
              cell->text().empty()
                  ? std::string("a formula whose value was never computed (the program that "
                                "wrote it does not calculate): open the workbook in Excel, WPS "
                                "or LibreOffice and save it, or type the number")
                  : absl::StrCat("holds an error, ", cell->text()));
      return "";
    }
    if (cell->kind == Cell::kBool) return cell->text() == "1" ? "TRUE" : "FALSE";
    return cell->text();
  }

  // A number cell as Excel shows it: its format's decimals, or (General)
  // 15 significant digits with trailing zeros dropped. Exact: the stored
  // text is read as a decimal, never as a binary double.
  const NumberFormat& FormatFor(const Cell& cell) const {
    static const NumberFormat kGeneral;
    return cell.style >= 0 && static_cast<size_t>(cell.style) < formats_.size()
               ? formats_[static_cast<size_t>(cell.style)]
               : kGeneral;
  }

  std::string NumberShown(const Cell& cell) {
    auto exact = ExactOf(cell.text());
    if (!exact) return Clip(cell.text());
    const NumberFormat& format = FormatFor(cell);
    mpq_class value = *exact;
    for (int i = 0; i < format.percent; ++i) value *= 100;
    for (int i = 0; i < format.thousands; ++i) value /= 1000;
    std::string text;
    if (format.decimals >= 0 && !format.text) {
      text = report::FormatFixed(value, format.decimals + format.optional);
      // Optional decimals (#) are shown only when they are not zero.
      for (int i = 0; i < format.optional && text.back() == '0'; ++i) text.pop_back();
      if (text.back() == '.') text.pop_back();
      return text == "-0" ? "0" : text;
    }
    // General: 15 significant digits, decimals = 14 - floor(log10 |value|).
    mpq_class magnitude = abs(value);
    int decimals = 14;
    if (magnitude != 0) {
      int exponent = 0;
      mpq_class probe(1);
      while (probe * 10 <= magnitude) probe *= 10, ++exponent;
      while (probe > magnitude) probe /= 10, --exponent;
      decimals = std::max(0, 14 - exponent);
    }
    text = report::FormatFixed(value, decimals);
    if (text.find('.') != std::string::npos) {
      while (text.back() == '0') text.pop_back();
      if (text.back() == '.') text.pop_back();
    }
    if (text == "-0") text = "0";
    return text;
  }

  // "23604.860000000001", "1E-3", "-5" as an exact rational.
  static std::optional<mpq_class> ExactOf(const std::string& text) {
    std::string mantissa = text;
    long exponent = 0;
    size_t e = text.find_first_of("eE");
    if (e != std::string::npos) {
      mantissa = text.substr(0, e);
      if (!absl::SimpleAtoi(text.substr(e + 1), &exponent) || exponent > 400 || exponent < -400) {
        return std::nullopt;
      }
    }
    // Any number of digits: what Excel stores may hold 17 significant
    // digits, more decimals than a report figure may.
    bool minus = !mantissa.empty() && mantissa[0] == '-';
    std::string digits = minus ? mantissa.substr(1) : mantissa;
    size_t point = digits.find('.');
    size_t decimals = 0;
    if (point != std::string::npos) {
      decimals = digits.size() - point - 1;
      digits.erase(point, 1);
    }
    if (digits.empty() || digits.size() > 400 ||
        !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
      return std::nullopt;
    }
    mpz_class numerator(digits, 10), scale;
    mpz_ui_pow_ui(scale.get_mpz_t(), 10, static_cast<unsigned long>(decimals));
    mpq_class value(numerator, scale);
    value.canonicalize();  // GMP's arithmetic wants canonical operands
    if (minus) value = -value;
    mpz_class power;
    mpz_ui_pow_ui(power.get_mpz_t(), 10,
                  static_cast<unsigned long>(exponent < 0 ? -exponent : exponent));
    if (exponent > 0) value *= power;
    if (exponent < 0) value /= power;
    value.canonicalize();
    return value;
  }

  // A figure cell's text as a report figure; "" when blank. A problem (or
  // a warning, for a unit or separators dropped) names the cell.
  std::string Figure(const Sheet& sheet, int row, const char* column, const std::string& path) {
    const int col = sheet.columns.at(column);
    Record(path, sheet, row, col);  // blank too: a required figure names its cell
    std::string text = report::TrimSpaces(Text(sheet, row, column));
    if (text.empty()) return "";
    std::string bare = text;
    if (bare[0] == '+') {
      bare.erase(0, 1);
      Warn(sheet, row, col, absl::StrCat("\"", Clip(text), "\" taken as ", Clip(bare)));
    }
    for (const char* unit : {"万元", "%", "％"}) {
      if (absl::EndsWith(bare, unit) && bare.size() > strlen(unit)) {
        bare = std::string(absl::StripAsciiWhitespace(bare.substr(0, bare.size() - strlen(unit))));
        Warn(sheet, row, col,
             absl::StrCat("\"", text, "\" taken as ", bare, " (the unit is implied)"));
        break;
      }
    }
    if (absl::StrContains(bare, ',') || absl::StrContains(bare, "，")) {
      std::string without = absl::StrReplaceAll(bare, {{",", ""}, {"，", ""}});
      if (report::ScanDecimal(without).ok()) {
        Warn(sheet, row, col, absl::StrCat("\"", text, "\" taken as ", without));
        bare = without;
      }
    }
    auto scanned = report::ScanDecimal(bare);
    if (!scanned.ok()) {
      Problem(sheet, row, col,
              absl::StrCat("\"", Clip(text),
                           "\" is not an amount: write the number alone, e.g. 12000 or "
                           "95.5"));
      return "";
    }
    if (scanned->IsNegative()) {
      Problem(sheet, row, col,
              absl::StrCat("\"", Clip(text), "\" is negative: figures are 0 or more"));
      return "";
    }
    return bare;
  }

  void Cover() {
    const Sheet* sheet = Need(L::kCover, {L::kCoverValue});
    if (sheet == nullptr) return;
    Rows(*sheet, [&](int r, const std::string& path) {
      if (!absl::StartsWith(path, "identity.") || KindOf(path) == PathKind::kNone) {
        Problem(*sheet, r, sheet->columns.at(L::kField),
                absl::StrCat("unknown field id \"", path, "\""));
        return;
      }
      // Recorded blank too: "is required" names the cell to fill in.
      Record(path, *sheet, r, sheet->columns.at(L::kCoverValue));
      std::string value = report::TrimSpaces(Text(*sheet, r, L::kCoverValue));
      if (value.empty()) return;
      if (!SetAt(imported_.report, path, value)) {
        Problem(*sheet, r, sheet->columns.at(L::kCoverValue),
                absl::StrCat("\"", value, "\" is not a year: write it as 2020"));
      }
    });
  }

  void Figures() {
    const Sheet* sheet = Need(L::kFigures, {L::kFigureValue});
    if (sheet == nullptr) return;
    Rows(*sheet, [&](int r, const std::string& path) {
      if (absl::StartsWith(path, "prior.")) {  // last year's: not filled in here
        std::string typed = report::TrimSpaces(Text(*sheet, r, L::kFigureValue));
        if (!typed.empty() && typed != "上年") {
          Warn(*sheet, r, sheet->columns.at(L::kFigureValue),
               "a 上年 row: last year's figures come from last year's report, so this value is "
               "not used");
        }
        return;
      }
      PathKind kind = KindOf(path);
      if (kind == PathKind::kNone || absl::StartsWith(path, "identity.")) {
        Problem(*sheet, r, sheet->columns.at(L::kField),
                absl::StrCat("unknown field id \"", path, "\""));
        return;
      }
      if (kind == PathKind::kText && path != "satisfaction.source") {
        Problem(*sheet, r, sheet->columns.at(L::kField),
                absl::StrCat("the field \"", Clip(path), "\" is not a figure: it belongs on ",
                             absl::StartsWith(path, "narrative.") ? L::kText : L::kCover));
        return;
      }
      if (kind == PathKind::kText) {
        std::string text = Text(*sheet, r, L::kFigureValue);
        if (!text.empty()) {
          Record(path, *sheet, r, sheet->columns.at(L::kFigureValue));
          SetAt(imported_.report, path, text);
        }
        return;
      }
      std::string value = Figure(*sheet, r, L::kFigureValue, path + ".value");
      if (!value.empty()) SetAt(imported_.report, path, value);
    });
  }

  void Checklist() {
    const Sheet* sheet = Need(L::kChecklist, {L::kItemMet, L::kItemEvidence});
    if (sheet == nullptr) return;
    Rows(*sheet, [&](int r, const std::string& id) {
      std::string met = report::TrimSpaces(Text(*sheet, r, L::kItemMet));
      std::string evidence = Text(*sheet, r, L::kItemEvidence);
      if (met.empty() && evidence.empty()) return;  // not answered: not met
      if (!met.empty() && met != L::kYes && met != L::kNo) {
        Problem(*sheet, r, sheet->columns.at(L::kItemMet),
                absl::StrCat("\"", met, "\": choose 是 or 否"));
        return;
      }
      const std::string path = absl::StrCat("checklist[", imported_.report.checklist_size(), "]");
      Record(path, *sheet, r, sheet->columns.at(L::kItemMet));
      v1::ChecklistAnswer& answer = *imported_.report.add_checklist();
      answer.set_item_id(id);
      answer.set_met(met == L::kYes);
      answer.set_evidence(evidence);
    });
  }

  void Targets() {
    const Sheet* sheet =
        Need(L::kTargets, {L::kTargetName, L::kTargetDirection, L::kTargetValue, L::kTargetUnit,
                           L::kTargetActual, L::kTargetWeight, L::kTargetNote});
    if (sheet == nullptr) return;
    Rows(
        *sheet,
        [&](int r, const std::string& id) {
          const std::string name(absl::StripAsciiWhitespace(Text(*sheet, r, L::kTargetName)));
          const std::string direction = report::TrimSpaces(Text(*sheet, r, L::kTargetDirection));
          const std::string path = absl::StrCat("targets[", imported_.report.targets_size(), "]");
          const std::string target = Figure(*sheet, r, L::kTargetValue, path + ".target.value");
          const std::string actual = Figure(*sheet, r, L::kTargetActual, path + ".actual.value");
          const std::string weight = Figure(*sheet, r, L::kTargetWeight, path + ".weight.value");
          const std::string unit(absl::StripAsciiWhitespace(Text(*sheet, r, L::kTargetUnit)));
          const std::string note = Text(*sheet, r, L::kTargetNote);
          if (name.empty() && target.empty() && actual.empty()) return;  // a spare row
          Record(path, *sheet, r, sheet->columns.at(L::kTargetName));
          v1::PerformanceTarget& row = *imported_.report.add_targets();
          row.set_indicator_id(id);
          row.set_name(name);
          row.set_unit(unit);
          if (direction.empty() || direction == L::kAtLeast || direction == ">=") {
            row.set_direction(v1::PerformanceTarget::DIRECTION_AT_LEAST);
          } else if (direction == L::kAtMost || direction == "<=") {
            row.set_direction(v1::PerformanceTarget::DIRECTION_AT_MOST);
          } else if (direction == L::kEqual || direction == "＝") {
            row.set_direction(v1::PerformanceTarget::DIRECTION_EQUAL);
          } else {
            Problem(*sheet, r, sheet->columns.at(L::kTargetDirection),
                    absl::StrCat("\"", direction, "\": choose ≥, ≤ or ="));
          }
          if (!target.empty()) row.mutable_target()->set_value(target);
          if (!actual.empty()) row.mutable_actual()->set_value(actual);
          if (!weight.empty()) row.mutable_weight()->set_value(weight);
          row.set_note(note);
        },
        /*unique=*/false);
  }

  void Manual() {
    const Sheet* sheet = Need(L::kManual, {L::kManualScore, L::kManualReason, L::kManualAssessor},
                              /*required=*/false);
    if (sheet == nullptr) return;
    Rows(*sheet, [&](int r, const std::string& id) {
      const std::string path =
          absl::StrCat("manual_scores[", imported_.report.manual_scores_size(), "]");
      const std::string score = Figure(*sheet, r, L::kManualScore, path + ".score.value");
      const std::string reason = Text(*sheet, r, L::kManualReason);
      const std::string assessor = Text(*sheet, r, L::kManualAssessor);
      if (score.empty() && reason.empty() && assessor.empty()) return;
      Record(path, *sheet, r, sheet->columns.at(L::kManualScore));
      v1::ManualScore& row = *imported_.report.add_manual_scores();
      row.set_indicator_id(id);
      if (!score.empty()) row.mutable_score()->set_value(score);
      row.set_reason(reason);
      row.set_assessor(assessor);
    });
  }

  void SelfScores() {
    const Sheet* sheet = Need(L::kSelf, {L::kSelfScore});
    if (sheet == nullptr) return;
    Rows(*sheet, [&](int r, const std::string& id) {
      v1::SelfEvaluation& self = *imported_.report.mutable_self_evaluation();
      if (id == L::kSelfTotal) {
        std::string total = Figure(*sheet, r, L::kSelfScore, "self_evaluation.total.value");
        if (!total.empty()) self.mutable_total()->set_value(total);
        return;
      }
      const std::string path = absl::StrCat("self_evaluation.scores[", self.scores_size(), "]");
      std::string score = Figure(*sheet, r, L::kSelfScore, path + ".score.value");
      if (score.empty()) return;
      v1::DeclaredScore& declared = *self.add_scores();
      declared.set_indicator_id(id);
      declared.mutable_score()->set_value(score);
    });
    if (imported_.report.self_evaluation().ByteSizeLong() == 0) {
      imported_.report.clear_self_evaluation();
    }
  }

  void Text() {
    const Sheet* sheet = Need(L::kText, {L::kTextContent});
    if (sheet == nullptr) return;
    v1::Narrative& narrative = *imported_.report.mutable_narrative();
    Rows(*sheet, [&](int r, const std::string& path) {
      const std::string text = Text(*sheet, r, L::kTextContent);
      auto refuse = [&] {
        Problem(*sheet, r, sheet->columns.at(L::kField),
                absl::StrCat("unknown field id \"", path, "\""));
      };
      // A cell's paragraphs, a line each; blank lines dropped.
      auto paragraphs = [&text] {
        std::vector<std::string> out;
        for (absl::string_view line : absl::StrSplit(text, '\n')) {
          line = absl::StripTrailingAsciiWhitespace(line);
          if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
          if (!absl::StripAsciiWhitespace(line).empty()) out.emplace_back(line);
        }
        return out;
      };
      if (path == "narrative.preamble") {
        for (std::string& p : paragraphs()) narrative.add_preamble(std::move(p));
        return;
      }
      if (absl::string_view id = path; absl::ConsumePrefix(&id, "narrative.indicators.")) {
        std::vector<std::string> lines = paragraphs();
        if (lines.empty()) return;
        v1::IndicatorText& t = *narrative.add_indicators();
        t.set_indicator_id(std::string(id));
        for (std::string& line : lines) t.add_paragraphs(std::move(line));
        return;
      }
      // narrative.SECTION.title, or narrative.SECTION.paragraphs: its
      // paragraphs, a line each, and its subsections under "# 小标题" lines.
      std::vector<std::string> parts = absl::StrSplit(path, '.');
      if (parts.size() != 3 || parts[0] != "narrative") return refuse();
      const auto* field = v1::Narrative::descriptor()->FindFieldByName(parts[1]);
      if (field == nullptr || field->message_type() != v1::Section::descriptor()) return refuse();
      if (parts[2] != "title" && parts[2] != "paragraphs") return refuse();
      if (text.empty()) return;
      v1::Section* section =
          static_cast<v1::Section*>(narrative.GetReflection()->MutableMessage(&narrative, field));
      if (parts[2] == "title") {
        section->set_title(text);
        return;
      }
      std::vector<v1::Section*> open = {section};  // open[d]: the section at depth d
      for (std::string& line : paragraphs()) {
        size_t hashes = 0;
        while (hashes < line.size() && line[hashes] == '#') ++hashes;
        if (hashes > 0 && hashes < line.size() && line[hashes] == ' ') {
          size_t depth = std::min(hashes, open.size());  // no level skipped
          open.resize(depth);
          v1::Section* child = open.back()->add_subsections();
          child->set_title(std::string(absl::StripAsciiWhitespace(line.substr(hashes + 1))));
          open.push_back(child);
        } else {
          open.back()->add_paragraphs(std::move(line));
        }
      }
    });
    if (narrative.ByteSizeLong() == 0) imported_.report.clear_narrative();
  }

  std::vector<CellProblem>& problems_;
  std::unique_ptr<Package> package_;
  std::vector<std::string> shared_;
  std::vector<NumberFormat> formats_;
  std::map<std::string, Sheet> sheets_;
  Imported imported_;
};

}  // namespace

absl::StatusOr<Imported> ReadWorkbook(absl::string_view bytes, std::vector<CellProblem>* problems) {
  problems->clear();
  return Reader(*problems).Read(bytes);
}

}  // namespace jixiao::form
