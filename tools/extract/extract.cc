#include "tools/extract/extract.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/report/decimal.h"
#include "google/protobuf/descriptor.h"
#include "tools/form/report_paths.h"

namespace jixiao::extract {
namespace {

using Kind = Block::Kind;

// Whether blocks[index] lies under a heading `under` matches (any heading
// matches a null pattern).
bool Under(const Document& doc, int index, const RE2* under) {
  if (under == nullptr) return true;
  for (int i = doc.blocks[index].parent; i >= 0; i = doc.blocks[i].parent) {
    if (RE2::FullMatch(doc.blocks[i].heading.key, *under)) return true;
  }
  return false;
}

// Where each block's sentences end, found once a block: the sentence a
// match lies in is then two binary searches, whatever the block's length.
class Sentences {
 public:
  explicit Sentences(const Document& doc) : doc_(doc), ends_(doc.blocks.size()) {}

  // The sentence of blocks[b] that [begin, end) lies in, its ending
  // punctuation included.
  std::string Around(int b, size_t begin, size_t end) {
    const std::string& text = doc_.blocks[b].text;
    const auto& marks = Marks(b);  // (start, end) of every sentence-ending mark
    size_t start = 0, stop = text.size();
    // The last mark that ends at or before `begin`.
    auto after =
        std::upper_bound(marks.begin(), marks.end(), begin,
                         [](size_t o, const std::pair<size_t, size_t>& m) { return o < m.second; });
    if (after != marks.begin()) start = std::prev(after)->second;
    // The first mark that starts at or after `end`.
    auto next =
        std::lower_bound(marks.begin(), marks.end(), end,
                         [](const std::pair<size_t, size_t>& m, size_t o) { return m.first < o; });
    if (next != marks.end()) stop = next->second;
    if (stop < start) stop = text.size();
    return std::string(absl::StripAsciiWhitespace(text.substr(start, stop - start)));
  }

 private:
  const std::vector<std::pair<size_t, size_t>>& Marks(int b) {
    std::optional<std::vector<std::pair<size_t, size_t>>>& marks = ends_[b];
    if (!marks) {
      static const RE2 mark(R"((。|；|！|？|;|!|\?))");
      marks.emplace();
      const std::string& text = doc_.blocks[b].text;
      re2::StringPiece input(text);
      re2::StringPiece m;
      while (RE2::FindAndConsume(&input, mark, &m)) {
        const size_t at = m.data() - text.data();
        marks->emplace_back(at, at + m.size());
      }
    }
    return *marks;
  }

  const Document& doc_;
  std::vector<std::optional<std::vector<std::pair<size_t, size_t>>>> ends_;
};

// Text read for a text field: without the spaces and punctuation around it.
std::string TrimText(absl::string_view text) {
  static const char* const kTrim[] = {"，", "。", "；", "：", "、", ",", ".", ";", ":", " "};
  for (bool trimmed = true; trimmed;) {
    trimmed = false;
    for (const char* mark : kTrim) {
      if (absl::ConsumePrefix(&text, mark) || absl::ConsumeSuffix(&text, mark)) trimmed = true;
    }
  }
  return std::string(text);
}

std::string ShiftPoint(bool minus, std::string integer, std::string fraction, int shift) {
  std::string digits = integer + fraction;
  int point = static_cast<int>(integer.size()) + shift;
  if (point < 1) {
    digits.insert(0, 1 - point, '0');
    point = 1;
  }
  if (point > static_cast<int>(digits.size())) digits.append(point - digits.size(), '0');
  std::string whole = digits.substr(0, point);
  std::string part = digits.substr(point);
  while (whole.size() > 1 && whole[0] == '0') whole.erase(0, 1);
  if (shift < 0) {  // the zeros a smaller unit brings say nothing of precision
    while (!part.empty() && part.back() == '0') part.pop_back();
  }
  std::string out = (minus ? "-" : "") + whole;
  if (!part.empty()) absl::StrAppend(&out, ".", part);
  return out;
}

struct Collected {
  explicit Collected(const Document& doc) : sentences(doc) {}
  std::map<std::string, std::vector<Reading>> stated;
  std::map<std::string, std::vector<Reading>> implied;
  std::map<std::string, std::string> same_as;  // implied path -> the path it copies
  std::set<int> identity_blocks;               // paragraphs that are form lines
  std::vector<std::string> notes;              // what was seen and not read, and why
  Sentences sentences;
};

bool SameValue(const std::string& path, const std::string& a, const std::string& b) {
  if (a == b) return true;
  // Text read twice is the same text if it differs only in spacing or in
  // the width of its punctuation.
  if (form::KindOf(path) != form::PathKind::kFigure) return Normalise(a).text == Normalise(b).text;
  auto x = report::ParseDecimal(a);
  auto y = report::ParseDecimal(b);
  return x.ok() && y.ok() && x->value == y->value;
}

// Different values kept of one field: every further value still makes the
// field a conflict, but is not listed; a value read again is not kept
// twice, so no repetition makes comparing costly or hides a difference.
constexpr size_t kMaxValues = 64;

using Readings = std::map<std::string, std::vector<Reading>>;

// Whether `value` of `path` has been read already.
bool Known(const Readings& into, const std::string& path, const std::string& value) {
  auto it = into.find(path);
  if (it == into.end()) return false;
  // A field with kMaxValues different values is a conflict whatever else
  // it is read as: no need to compare further values.
  if (it->second.size() >= kMaxValues) return true;
  for (const Reading& r : it->second) {
    if (SameValue(path, r.value, value)) return true;
  }
  return false;
}

// Keeps the first reading of each value of a field.
void AddReading(Readings& into, Reading reading) {
  if (Known(into, reading.path, reading.value)) return;
  std::vector<Reading>& readings = into[reading.path];
  if (readings.size() < kMaxValues) readings.push_back(std::move(reading));
}

bool IsIdeograph(absl::string_view text, size_t at) {
  // U+4E00..U+9FFF in UTF-8: E4 B8 80 .. E9 BF BF.
  if (at + 3 > text.size()) return false;
  const unsigned char c = text[at];
  return c >= 0xE4 && c <= 0xE9;
}

void ReadSentences(const Document& doc, const RuleSet& rules, Collected& out) {
  for (int b = 0; b < static_cast<int>(doc.blocks.size()); ++b) {
    const Block& block = doc.blocks[b];
    const std::string& text = block.norm.text;
    for (const SentenceRule& rule : rules.sentences) {
      if (!Under(doc, b, rule.under.get())) continue;
      std::vector<re2::StringPiece> m(1 + rule.pattern->NumberOfCapturingGroups());
      size_t at = 0;
      while (at <= text.size() && rule.pattern->Match(text, at, text.size(), RE2::UNANCHORED,
                                                      m.data(), static_cast<int>(m.size()))) {
        const size_t begin = m[0].data() - text.data();
        const size_t end = begin + m[0].size();
        at = end > begin ? end : begin + 1;
        if (rule.identity) out.identity_blocks.insert(b);
        Readings& into = rule.inferred ? out.implied : out.stated;
        for (const Target& target : rule.targets) {
          Reading reading;
          reading.path = target.path;
          if (!target.same_as.empty()) {
            out.same_as[target.path] = target.same_as;
            if (out.implied.count(target.path) != 0) continue;
            const auto [from, to] = block.norm.SourceSpan(begin, end);
            reading.line = block.LineAt(from);
            reading.text = out.sentences.Around(b, from, to);
            AddReading(out.implied, std::move(reading));
            continue;
          }
          const re2::StringPiece group = m[target.index];
          if (group.data() == nullptr || group.empty()) continue;
          const size_t g = group.data() - text.data();
          const auto [from, to] = block.norm.SourceSpan(g, g + group.size());
          const absl::string_view matched(group.data(), group.size());
          if (target.text) {
            reading.value = TrimText(absl::string_view(block.text).substr(from, to - from));
            if (reading.value.empty()) continue;
          } else if (form::KindOf(target.path) == form::PathKind::kYear) {
            reading.value = std::string(matched);
          } else {
            // "5120万" before 美元 or 人次 is not an amount in 万元.
            const bool bare_multiplier =
                absl::EndsWith(matched, "万") || absl::EndsWith(matched, "亿");
            if (bare_multiplier && target.unit != "个" && IsIdeograph(text, g + group.size())) {
              out.notes.push_back(absl::StrCat(
                  "line ", block.LineAt(from), ": 「", block.text.substr(from, to - from + 6),
                  "」 is not an amount in 万元; ", target.path, " not read from it"));
              continue;
            }
            auto value = FigureValue(matched, target.unit);
            if (!value.ok()) {
              out.notes.push_back(absl::StrCat("line ", block.LineAt(from), ": 「", matched,
                                               "」: ", value.status().message(), "; ", target.path,
                                               " not read from it"));
              continue;
            }
            reading.value = *std::move(value);
          }
          if (Known(into, reading.path, reading.value)) continue;  // its first reading stands
          reading.line = block.LineAt(from);
          reading.text = out.sentences.Around(b, from, to);
          AddReading(into, std::move(reading));
        }
      }
    }
  }
}

// A table cell as a figure of `target`: the whole cell a number, with a
// unit that fits the field (a rate's %, an amount's 万元); a rate without
// its % only under a heading that says the column is in percent.
absl::StatusOr<std::string> CellValue(const std::string& cell, const std::string& header,
                                      const Target& target) {
  static const RE2 figure(
      R"((-?[0-9]+(?:\.[0-9]+)?)\s*(%|万元|元|亿元|万亿元|万|亿|个|项|人|件)?)");
  std::string number, unit;
  if (!RE2::FullMatch(cell, figure, &number, &unit)) {
    return absl::InvalidArgumentError("is not a figure");
  }
  const bool rate = target.unit == "%" || absl::StrContains(target.path, "rate") ||
                    absl::StrContains(target.path, "progress");
  if (rate && !unit.empty() && unit != "%") return absl::InvalidArgumentError("is not a rate");
  if (rate && unit.empty() && !absl::StrContains(header, "%") &&
      !absl::StrContains(header, "百分比")) {
    return absl::InvalidArgumentError("has no %, and its column does not say it is in percent");
  }
  if (!rate && unit == "%") return absl::InvalidArgumentError("is a rate, not an amount");
  return FigureValue(cell, target.unit);
}

// Which header cell each of a short row's cells stands under, by where
// they stand on their lines; empty if that is not clear (two cells under
// one header, or no positions).
std::vector<int> PlaceByColumns(const Block& row, const std::vector<std::pair<int, int>>& header) {
  if (row.columns.size() != row.cells.size() || header.empty()) return {};
  std::vector<int> placed(row.cells.size(), -1);
  placed[0] = 0;  // the label
  std::set<int> used = {0};
  for (size_t k = 1; k < row.cells.size(); ++k) {
    const int center = (row.columns[k].first + row.columns[k].second) / 2;
    int best = -1, distance = 0;
    for (size_t h = 1; h < header.size(); ++h) {
      const int d = std::abs((header[h].first + header[h].second) / 2 - center);
      if (best < 0 || d < distance) {
        best = static_cast<int>(h);
        distance = d;
      }
    }
    if (best < 0 || !used.insert(best).second) return {};
    placed[k] = best;
  }
  return placed;
}

void ReadTables(const Document& doc, const RuleSet& rules, Collected& out) {
  for (const TableRule& rule : rules.tables) {
    std::vector<int> columns;  // the header's cell of each column
    std::vector<std::pair<int, int>> header_columns;
    std::vector<std::string> header_cells;
    for (int b = 0; b < static_cast<int>(doc.blocks.size()); ++b) {
      const Block& block = doc.blocks[b];
      if (block.kind == Kind::kHeading) {
        columns.clear();
        continue;
      }
      if (block.cells.empty() || !Under(doc, b, rule.under.get())) continue;
      std::vector<std::string> cells;
      for (const std::string& cell : block.cells) cells.push_back(Normalise(cell).text);
      // A header: every column's header in order, the optional ones where
      // present (-1 where not).
      std::vector<int> found;
      size_t k = 0;
      bool header = true;
      for (const TableRule::Column& column : rule.columns) {
        size_t at = k;
        while (at < cells.size() && !RE2::FullMatch(cells[at], *column.header)) ++at;
        if (at < cells.size()) {
          found.push_back(static_cast<int>(at));
          k = at + 1;
        } else if (column.optional) {
          found.push_back(-1);
        } else {
          header = false;
          break;
        }
      }
      if (header) {
        columns = std::move(found);
        header_columns = block.columns;
        header_cells = block.cells;
        continue;
      }
      if (columns.empty()) continue;
      for (const TableRule::RowRule& row : rule.rows) {
        if (!RE2::FullMatch(cells[0], *row.label)) continue;
        // A row missing empty cells (text laid out in columns drops them)
        // is placed by where its cells stand; if that is not clear, it is
        // not read.
        std::vector<int> placed;
        if (cells.size() == header_cells.size()) {
          for (size_t k = 0; k < cells.size(); ++k) placed.push_back(static_cast<int>(k));
        } else {
          placed = PlaceByColumns(block, header_columns);
          if (placed.empty()) {
            out.notes.push_back(absl::StrCat(
                "line ", block.LineAt(0), ": the row 「", block.text, "」 has ", cells.size(),
                " cells under ", header_cells.size(), " headings and cannot be placed; not read"));
            break;
          }
        }
        for (const auto& [column, target] : row.cells) {
          if (columns[column] < 0) continue;  // an optional column this table lacks
          const auto at = std::find(placed.begin(), placed.end(), columns[column]);
          if (at == placed.end()) continue;
          const size_t index = at - placed.begin();
          if (index < 1 || cells[index].empty()) continue;
          auto value =
              CellValue(cells[index], Normalise(header_cells[columns[column]]).text, target);
          if (!value.ok()) {
            out.notes.push_back(absl::StrCat("line ", block.LineAt(0), ": 「", block.cells[index],
                                             "」 under 「", header_cells[columns[column]], "」 ",
                                             value.status().message(), "; ", target.path,
                                             " not read from it"));
            continue;
          }
          Reading reading;
          reading.path = target.path;
          reading.value = *std::move(value);
          reading.line = block.LineAt(0);
          reading.text = block.text;
          AddReading(out.stated, std::move(reading));
        }
        break;
      }
    }
  }
}

void ReadCounts(const Document& doc, const RuleSet& rules, Collected& out) {
  for (const CountRule& rule : rules.counts) {
    // One pass: each matching paragraph counts for the heading it lies directly under.
    std::map<int, int> counts;
    for (const Block& block : doc.blocks) {
      if (block.kind == Kind::kParagraph && block.parent >= 0 &&
          RE2::PartialMatch(block.norm.text, *rule.item)) {
        ++counts[block.parent];
      }
    }
    for (const auto& [h, count] : counts) {
      const Block& heading = doc.blocks[h];
      if (!RE2::FullMatch(heading.heading.key, *rule.under)) continue;
      Reading reading;
      reading.path = rule.path;
      reading.value = std::to_string(count);
      reading.line = heading.LineAt(0);
      reading.text = absl::StrCat(heading.text, "（", count, " 项）");
      AddReading(out.implied, std::move(reading));
    }
  }
}

void ReadChecklist(const Document& doc, const RuleSet& rules, Collected& out) {
  for (const ChecklistRule& rule : rules.checklist) {
    for (int b = 0; b < static_cast<int>(doc.blocks.size()); ++b) {
      const Block& block = doc.blocks[b];
      if (block.kind != Kind::kParagraph || !Under(doc, b, rule.under.get())) continue;
      re2::StringPiece m;
      if (!rule.pattern->Match(block.norm.text, 0, block.norm.text.size(), RE2::UNANCHORED, &m,
                               1)) {
        continue;
      }
      const size_t g = m.data() - block.norm.text.data();
      const auto [from, to] = block.norm.SourceSpan(g, g + m.size());
      Reading reading;
      reading.path = "checklist." + rule.item;
      reading.value = rule.met ? "met" : "not met";
      reading.line = block.LineAt(from);
      reading.text = out.sentences.Around(b, from, to);
      const std::string reference = doc.Reference(b);
      if (!reference.empty()) absl::StrAppend(&reading.text, "（", reference, "）");
      AddReading(out.implied, std::move(reading));
      break;  // one sentence is evidence enough
    }
  }
}

v1::Section SectionAt(const Document& doc, int heading, const std::set<int>& skip) {
  v1::Section section;
  section.set_title(doc.blocks[heading].heading.title);
  for (int b = heading + 1; b < static_cast<int>(doc.blocks.size()); ++b) {
    const Block& block = doc.blocks[b];
    if (block.parent != heading) {
      // Past the heading's last block once a block lies outside it.
      bool inside = false;
      for (int p = block.parent; p >= 0; p = doc.blocks[p].parent) inside |= p == heading;
      if (!inside) break;
      continue;
    }
    if (block.kind == Kind::kParagraph && skip.count(b) == 0) {
      section.add_paragraphs(block.text);
    } else if (block.kind == Kind::kHeading) {
      *section.add_subsections() = SectionAt(doc, b, skip);
    }
  }
  return section;
}

void ReadNarrative(const Document& doc, const RuleSet& rules, const std::set<int>& skip,
                   v1::Narrative& narrative) {
  std::set<std::string> done;
  for (const SectionRule& rule : rules.sections) {
    for (int h = 0; h < static_cast<int>(doc.blocks.size()); ++h) {
      const Block& block = doc.blocks[h];
      if (block.kind != Kind::kHeading || !RE2::FullMatch(block.heading.key, *rule.heading) ||
          !Under(doc, h, rule.under.get())) {
        continue;
      }
      v1::Section section = SectionAt(doc, h, skip);
      if (rule.skip != nullptr) {
        auto* paragraphs = section.mutable_paragraphs();
        paragraphs->erase(
            std::remove_if(paragraphs->begin(), paragraphs->end(),
                           [&](const std::string& p) { return RE2::PartialMatch(p, *rule.skip); }),
            paragraphs->end());
      }
      if (rule.path == "preamble") {
        for (const std::string& p : section.paragraphs()) narrative.add_preamble(p);
        continue;
      }
      if (!done.insert(rule.path).second) break;
      if (absl::string_view id = rule.path; absl::ConsumePrefix(&id, "indicators.")) {
        if (section.paragraphs().empty()) break;
        v1::IndicatorText& text = *narrative.add_indicators();
        text.set_indicator_id(std::string(id));
        *text.mutable_paragraphs() = std::move(*section.mutable_paragraphs());
        break;
      }
      const auto* field = v1::Narrative::descriptor()->FindFieldByName(rule.path);
      narrative.GetReflection()->MutableMessage(&narrative, field)->CopyFrom(section);
      break;
    }
  }
}

// Puts `reading` into the report; false if the field cannot hold it (a
// year that is not a whole number).
bool Apply(v1::Report& report, const Reading& reading) {
  if (absl::StartsWith(reading.path, "checklist.")) {
    v1::ChecklistAnswer& answer = *report.add_checklist();
    answer.set_item_id(reading.path.substr(sizeof("checklist.") - 1));
    answer.set_met(reading.value == "met");
    answer.set_evidence(reading.text);
    return true;
  }
  return form::SetAt(report, reading.path, reading.value);
}

}  // namespace

absl::StatusOr<std::string> FigureValue(absl::string_view matched, const std::string& unit) {
  static const RE2 number(R"((-?)([0-9]+)(?:\.([0-9]+))?\s*(.*))");
  std::string minus, integer, fraction, suffix;
  if (!RE2::FullMatch(Piece(matched), number, &minus, &integer, &fraction, &suffix)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", matched, "\" is not a number"));
  }
  // Into 万元 for money, units for a count ("个").
  const bool count = unit == "个";
  int shift = 0;
  if (absl::StartsWith(suffix, "万亿")) {
    shift = count ? 12 : 8;
  } else if (absl::StartsWith(suffix, "亿")) {
    shift = count ? 8 : 4;
  } else if (absl::StartsWith(suffix, "万") && !absl::StartsWith(suffix, "万元")) {
    shift = count ? 4 : 0;
  } else if (absl::StartsWith(suffix, "元") && !count) {
    shift = -4;
  }
  // Zero has no sign: "-0" is 0.
  const bool zero = (integer + fraction).find_first_not_of('0') == std::string::npos;
  std::string value = ShiftPoint(!minus.empty() && !zero, integer, fraction, shift);
  auto checked = report::ScanDecimal(value);
  if (!checked.ok()) return checked.status();
  return value;
}

Extraction Extract(const Document& doc, const RuleSet& rules, const ExtractOptions& options) {
  Collected collected(doc);
  ReadSentences(doc, rules, collected);
  ReadTables(doc, rules, collected);
  ReadCounts(doc, rules, collected);
  ReadChecklist(doc, rules, collected);

  Extraction out;
  out.inferred_accepted = options.accept_inferred;
  std::set<std::string> settled;  // stated, implied or in conflict
  std::map<std::string, std::string> values;
  std::vector<std::string> order = rules.Paths();
  for (const ChecklistRule& c : rules.checklist) order.push_back("checklist." + c.item);
  // One value read: into the draft (if `keep`), or a note if the field
  // cannot hold it. Several: a conflict.
  auto settle = [&](const std::string& path, std::vector<Reading> readings, bool keep,
                    std::vector<Reading>& list) {
    settled.insert(path);
    if (readings.size() > 1) {
      out.conflicts.push_back({path, std::move(readings)});
      return;
    }
    Reading& reading = readings.front();
    if (keep && !Apply(out.report, reading)) {
      collected.notes.push_back(absl::StrCat("line ", reading.line, ": 「", reading.value,
                                             "」 cannot be ", path, "; not read"));
      settled.erase(path);
      return;
    }
    values[path] = reading.value;
    list.push_back(std::move(reading));
  };
  for (const std::string& path : order) {
    auto stated = collected.stated.find(path);
    if (stated != collected.stated.end()) settle(path, stated->second, true, out.figures);
  }
  // Implied values: counts and checklist answers first, then copies.
  for (bool copies : {false, true}) {
    for (const std::string& path : order) {
      if (settled.count(path) != 0 || collected.same_as.count(path) != copies) continue;
      auto implied = collected.implied.find(path);
      if (implied == collected.implied.end()) continue;
      std::vector<Reading> readings = implied->second;
      if (copies) {
        auto source = values.find(collected.same_as[path]);
        if (source == values.end()) continue;
        readings.resize(1);  // one copy of one value
        readings.front().value = source->second;
      }
      settle(path, std::move(readings), options.accept_inferred, out.inferred);
    }
  }
  for (const std::string& path : rules.Paths()) {
    if (settled.count(path) == 0) out.missing.push_back(path);
  }
  out.notes = std::move(collected.notes);
  ReadNarrative(doc, rules, collected.identity_blocks, *out.report.mutable_narrative());
  return out;
}

}  // namespace jixiao::extract
