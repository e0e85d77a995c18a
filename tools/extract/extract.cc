#include "tools/extract/extract.h"

#include <map>
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

// The sentence of `text` that [begin, end) lies in, ending punctuation
// included.
std::string SentenceAround(const std::string& text, size_t begin, size_t end) {
  static const char* const kEnds[] = {"。", "；", "！", "？", ";", "!", "?"};
  size_t start = 0;
  size_t stop = text.size();
  for (const char* mark : kEnds) {
    const size_t len = strlen(mark);
    if (begin > 0) {
      const size_t before = text.rfind(mark, begin - 1);
      if (before != std::string::npos && before + len <= begin)
        start = std::max(start, before + len);
    }
    const size_t after = text.find(mark, end);
    if (after != std::string::npos) stop = std::min(stop, after + len);
  }
  return std::string(absl::StripAsciiWhitespace(text.substr(start, stop - start)));
}

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
  std::map<std::string, std::vector<Reading>> stated;
  std::map<std::string, std::vector<Reading>> implied;
  std::map<std::string, std::string> same_as;  // implied path -> the path it copies
  std::set<int> identity_blocks;               // paragraphs that are form lines
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

// Readings kept of one field: enough to show a conflict, few enough that
// a document repeating one sentence cannot make comparing them costly.
constexpr size_t kMaxReadings = 64;

void AddReading(std::map<std::string, std::vector<Reading>>& into, Reading reading) {
  std::vector<Reading>& readings = into[reading.path];
  if (readings.size() < kMaxReadings) readings.push_back(std::move(reading));
}

void ReadSentences(const Document& doc, const RuleSet& rules, Collected& out) {
  for (int b = 0; b < static_cast<int>(doc.blocks.size()); ++b) {
    const Block& block = doc.blocks[b];
    if (block.kind == Kind::kRow) continue;
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
        for (const Target& target : rule.targets) {
          Reading reading;
          reading.path = target.path;
          if (!target.same_as.empty()) {
            const auto [from, to] = block.norm.SourceSpan(begin, end);
            reading.line = block.LineAt(from);
            reading.text = SentenceAround(block.text, from, to);
            out.same_as[target.path] = target.same_as;
            AddReading(out.implied, std::move(reading));
            continue;
          }
          const re2::StringPiece group = m[target.index];
          if (group.data() == nullptr || group.empty()) continue;
          const size_t g = group.data() - text.data();
          const auto [from, to] = block.norm.SourceSpan(g, g + group.size());
          if (target.text) {
            reading.value = TrimText(absl::string_view(block.text).substr(from, to - from));
            if (reading.value.empty()) continue;
          } else if (form::KindOf(target.path) == form::PathKind::kYear) {
            reading.value = std::string(group);
          } else {
            auto value = FigureValue(absl::string_view(group.data(), group.size()), target.unit);
            if (!value.ok()) continue;
            reading.value = *std::move(value);
          }
          reading.line = block.LineAt(from);
          reading.text = SentenceAround(block.text, from, to);
          AddReading(rule.inferred ? out.implied : out.stated, std::move(reading));
        }
      }
    }
  }
}

void ReadTables(const Document& doc, const RuleSet& rules, Collected& out) {
  for (const TableRule& rule : rules.tables) {
    std::vector<int> columns;  // the header's cell of each column
    int header_cells = 0;
    for (int b = 0; b < static_cast<int>(doc.blocks.size()); ++b) {
      const Block& block = doc.blocks[b];
      if (block.kind == Kind::kHeading) {
        columns.clear();
        continue;
      }
      if (block.cells.empty() || !Under(doc, b, rule.under.get())) continue;
      std::vector<std::string> cells;
      for (const std::string& cell : block.cells) cells.push_back(Normalise(cell).text);
      // A header: every column's header in order.
      std::vector<int> found;
      for (size_t c = 0, k = 0; c < rule.columns.size() && k < cells.size(); ++k) {
        if (RE2::FullMatch(cells[k], *rule.columns[c].second)) {
          found.push_back(static_cast<int>(k));
          ++c;
        }
      }
      if (found.size() == rule.columns.size()) {
        columns = std::move(found);
        header_cells = static_cast<int>(cells.size());
        continue;
      }
      if (columns.empty()) continue;
      for (const TableRule::RowRule& row : rule.rows) {
        if (!RE2::FullMatch(cells[0], *row.label)) continue;
        // A short row is missing its empty cells: it fills from the right.
        const int missing = header_cells - static_cast<int>(cells.size());
        for (const auto& [column, target] : row.cells) {
          const int index = columns[column] - std::max(missing, 0);
          if (index < 1 || index >= static_cast<int>(cells.size()) || cells[index].empty()) {
            continue;
          }
          auto value = FigureValue(cells[index], target.unit);
          if (!value.ok()) continue;
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
      reading.text = SentenceAround(block.text, from, to);
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
      if (rule.path == "preamble") {
        for (const std::string& p : section.paragraphs()) narrative.add_preamble(p);
        continue;
      }
      if (!done.insert(rule.path).second) break;
      const auto* field = v1::Narrative::descriptor()->FindFieldByName(rule.path);
      narrative.GetReflection()->MutableMessage(&narrative, field)->CopyFrom(section);
      break;
    }
  }
}

// The different values among `readings`, the first reading of each.
std::vector<Reading> Distinct(const std::vector<Reading>& readings) {
  std::vector<Reading> distinct;
  for (const Reading& r : readings) {
    bool seen = false;
    for (const Reading& d : distinct) seen |= SameValue(r.path, r.value, d.value);
    if (!seen) distinct.push_back(r);
  }
  return distinct;
}

void Apply(v1::Report& report, const Reading& reading) {
  if (absl::StartsWith(reading.path, "checklist.")) {
    v1::ChecklistAnswer& answer = *report.add_checklist();
    answer.set_item_id(reading.path.substr(sizeof("checklist.") - 1));
    answer.set_met(reading.value == "met");
    answer.set_evidence(reading.text);
    return;
  }
  form::SetAt(report, reading.path, reading.value);
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
  if (absl::StartsWith(suffix, "亿")) {
    shift = count ? 8 : 4;
  } else if (absl::StartsWith(suffix, "万") && !absl::StartsWith(suffix, "万元")) {
    shift = count ? 4 : 0;
  } else if (absl::StartsWith(suffix, "元") && !count) {
    shift = -4;
  }
  std::string value = ShiftPoint(!minus.empty(), integer, fraction, shift);
  auto checked = report::ScanDecimal(value);
  if (!checked.ok()) return checked.status();
  return value;
}

Extraction Extract(const Document& doc, const RuleSet& rules, const ExtractOptions& options) {
  Collected collected;
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
  for (const std::string& path : order) {
    auto stated = collected.stated.find(path);
    if (stated == collected.stated.end()) continue;
    settled.insert(path);
    std::vector<Reading> distinct = Distinct(stated->second);
    if (distinct.size() > 1) {
      out.conflicts.push_back({path, std::move(distinct)});
      continue;
    }
    values[path] = distinct.front().value;
    Apply(out.report, distinct.front());
    out.figures.push_back(std::move(distinct.front()));
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
        for (Reading& r : readings) r.value = source->second;
      }
      settled.insert(path);
      std::vector<Reading> distinct = Distinct(readings);
      if (distinct.size() > 1) {
        out.conflicts.push_back({path, std::move(distinct)});
        continue;
      }
      values[path] = distinct.front().value;
      if (options.accept_inferred) Apply(out.report, distinct.front());
      out.inferred.push_back(std::move(distinct.front()));
    }
  }
  for (const std::string& path : rules.Paths()) {
    if (settled.count(path) == 0) out.missing.push_back(path);
  }
  ReadNarrative(doc, rules, collected.identity_blocks, *out.report.mutable_narrative());
  return out;
}

}  // namespace jixiao::extract
