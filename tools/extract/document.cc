#include "tools/extract/document.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/report/plain_text.h"
#include "re2/re2.h"

namespace jixiao::extract {
namespace {

enum class LineKind { kBlank, kSkip, kText, kHeading, kRow };

struct Line {
  LineKind kind = LineKind::kBlank;
  int number = 0;
  std::string text;                // clean
  std::vector<std::string> cells;  // kRow
  std::vector<std::pair<int, int>> columns;  // of cells split at spaces
  Heading heading;                 // kHeading
  int width = 0;
};

struct Word {
  std::string text;
  std::pair<int, int> columns;  // [begin, end), in characters from the line's start
};

int Characters(absl::string_view text) {
  int n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// The words of `raw` split at runs of at least `gap` spaces, each with the
// columns it takes, counted in characters: pdftotext -layout places each
// character, Chinese or not, in one column of its grid.
std::vector<Word> Words(absl::string_view raw, size_t gap) {
  std::vector<Word> out;
  size_t i = 0;
  int column = 0;
  while (i < raw.size()) {
    if (raw[i] == ' ') {
      ++i;
      ++column;
      continue;
    }
    size_t end = i;
    while (end < raw.size()) {
      if (raw[end] != ' ') {
        ++end;
        continue;
      }
      size_t run = end;
      while (run < raw.size() && raw[run] == ' ') ++run;
      if (run - end >= gap || run == raw.size()) break;
      end = run;
    }
    const absl::string_view word = raw.substr(i, end - i);
    const int width = Characters(word);
    out.push_back({std::string(word), {column, column + width}});
    column += width;
    i = end;
  }
  return out;
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Whether `text` ends a sentence: 。！？；：and their ASCII forms, before any
// closing quotes or brackets.
bool EndsSentence(absl::string_view text) {
  static const char* const kClosers[] = {"”", "’", "）", ")", "」", "』", "\"", "'", "》"};
  static const char* const kEnds[] = {"。", "！", "？", "；", "：", ".", "!", "?", ";", ":", "…"};
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (const char* closer : kClosers) {
      if (absl::ConsumeSuffix(&text, closer)) stripped = true;
    }
  }
  // "95." at a line's end is a number broken across lines.
  if (text.size() >= 2 && text.back() == '.' && text[text.size() - 2] >= '0' &&
      text[text.size() - 2] <= '9') {
    return false;
  }
  for (const char* end : kEnds) {
    if (absl::EndsWith(text, end)) return true;
  }
  return false;
}

// Whether a line that does not end its sentence shows that the sentence
// runs on, whatever the line's width: it ends in a comma, an enumeration
// comma or a number cut at its point, or it is prose (a sentence ended
// in it) whose last sentence is unfinished.
bool RunsOn(absl::string_view text) {
  if (absl::EndsWith(text, "，") || absl::EndsWith(text, "、") || absl::EndsWith(text, ",") ||
      absl::StrContains(text, "。") || absl::StrContains(text, "；")) {
    return true;
  }
  return text.size() >= 2 && text.back() == '.' && text[text.size() - 2] >= '0' &&
         text[text.size() - 2] <= '9';
}

// Whether a line starts with an amount or a rate: "96.43%，", "6 万元".
bool StartsWithFigure(const std::string& clean) {
  static const RE2 figure(R"(^[0-9]*(?:[.][0-9]+)?\s*(?:%|％|万元|万|元|亿元|亿))");
  return !clean.empty() && RE2::PartialMatch(clean, figure) &&
         (std::isdigit(static_cast<unsigned char>(clean[0])) || clean[0] == '.' || clean[0] == '%');
}

// The heading `clean` is, if its normalised form starts with a number.
bool ParseNumbered(const std::string& clean, Heading* heading) {
  const Normalised norm = Normalise(clean);
  static const RE2 kLevels[] = {
      RE2(R"(([一二三四五六七八九十]{1,3})[、.])"),
      RE2(R"((\([一二三四五六七八九十]{1,3}\)))"),
      RE2(R"(([0-9]{1,2})(?:[、.]|\x{3002}))"),
      RE2(R"((\([0-9]{1,2}\)))"),
      RE2(R"(([①-⑳]))"),
  };
  for (int level = 1; level <= 5; ++level) {
    re2::StringPiece m[2];
    const RE2& re = kLevels[level - 1];
    if (!re.Match(norm.text, 0, norm.text.size(), RE2::ANCHOR_START, m, 2)) continue;
    const size_t end = m[0].size();
    // "1.5万元" and "2019.5" are numbers, not headings.
    if (level == 3 && end < norm.text.size() && norm.text[end] >= '0' && norm.text[end] <= '9') {
      return false;
    }
    const size_t source = norm.SourceSpan(end, norm.text.size()).first;
    heading->level = level;
    heading->number = std::string(m[1]);
    heading->title = std::string(absl::StripAsciiWhitespace(clean.substr(source)));
    heading->key = Normalise(heading->title).text;
    return !heading->title.empty();
  }
  return false;
}

// A heading line: a Markdown heading, or a short numbered line that is not
// a sentence.
bool ParseHeading(absl::string_view raw, const std::string& clean, Heading* heading) {
  static const RE2 markdown(R"(^\s{0,3}#{1,6}\s)");
  const bool marked = RE2::PartialMatch(Piece(raw), markdown);
  if (ParseNumbered(clean, heading)) {
    if (marked) return true;
    const std::string& key = heading->key;
    const bool sentence =
        key.find(';') != std::string::npos || clean.find("。") != std::string::npos ||
        (!key.empty() && (key.back() == ',' || key.back() == ':')) || absl::EndsWith(key, "、");
    return !sentence && report::DisplayWidth(clean) <= 60;
  }
  if (!marked || clean.empty()) return false;
  *heading = Heading{};
  heading->title = clean;
  heading->key = Normalise(clean).text;
  return true;
}

std::vector<std::string> PipeCells(absl::string_view line, Markup markup) {
  line = absl::StripAsciiWhitespace(line);
  absl::ConsumePrefix(&line, "|");
  absl::ConsumeSuffix(&line, "|");
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.push_back(CleanLine(cell, markup));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  cells.push_back(CleanLine(cell, markup));
  return cells;
}

Line Classify(absl::string_view raw, int number, Markup markup) {
  Line line;
  line.number = number;
  while (!raw.empty() && (raw.back() == '\r' || raw.back() == ' ' || raw.back() == '\f')) {
    raw.remove_suffix(1);
  }
  while (!raw.empty() && raw.front() == '\f') raw.remove_prefix(1);
  line.text = CleanLine(raw, markup);
  if (line.text.empty()) return line;
  // A table-of-contents entry: dot leaders, then its page number.
  static const RE2 contents(R"((?:\.{3,}|…{2,}|·{3,})\s*[0-9]{1,4}$)");
  static const RE2 page(
      R"(^[-—–\s]*(?:第\s*)?[0-9]{1,4}\s*(?:页)?\s*(?:/\s*[0-9]{1,4}|共\s*[0-9]{1,4}\s*页)?[-—–\s]*$)");
  if (RE2::PartialMatch(line.text, contents) || RE2::FullMatch(line.text, page)) {
    line.kind = LineKind::kSkip;
    return line;
  }
  const absl::string_view trimmed = absl::StripAsciiWhitespace(raw);
  // The rule under a table's header (pandoc's simple and grid tables).
  static const RE2 rule(R"(^[-=+: ]{3,}$)");
  if (RE2::FullMatch(Piece(trimmed), rule) && trimmed.find('-') != absl::string_view::npos) {
    line.kind = LineKind::kSkip;
    return line;
  }
  if (markup != Markup::kPlain && absl::StartsWith(trimmed, "|")) {
    static const RE2 separator(R"(^\|?[\s:|-]+\|?$)");
    if (RE2::FullMatch(Piece(trimmed), separator)) {
      line.kind = LineKind::kSkip;
      return line;
    }
    line.kind = LineKind::kRow;
    line.cells = PipeCells(trimmed, markup);
    return line;
  }
  if (trimmed.find('\t') != absl::string_view::npos) {
    for (absl::string_view cell : absl::StrSplit(trimmed, '\t')) {
      line.cells.push_back(CleanLine(cell, markup));
    }
    if (std::count_if(line.cells.begin(), line.cells.end(),
                      [](const std::string& c) { return !c.empty(); }) >= 2) {
      line.kind = LineKind::kRow;
      return line;
    }
    line.cells.clear();
  }
  if (ParseHeading(markup == Markup::kPlain ? absl::string_view(line.text) : raw, line.text,
                   &line.heading)) {
    line.kind = LineKind::kHeading;
    return line;
  }
  // Text laid out in columns (pdftotext -layout): cells two spaces apart,
  // none of them a sentence.
  if (trimmed.find("  ") != absl::string_view::npos) {
    std::vector<std::string> cells;
    std::vector<std::pair<int, int>> columns;
    for (Word& word : Words(raw, 2)) {
      cells.push_back(CleanLine(word.text, markup));
      columns.push_back(word.columns);
    }
    bool laid_out = cells.size() >= 2;
    for (size_t i = 0; laid_out && i < cells.size(); ++i) {
      const std::string& c = cells[i];
      if (c.find("。") != std::string::npos || c.find("，") != std::string::npos ||
          c.find("；") != std::string::npos || (i > 0 && report::DisplayWidth(c) > 20)) {
        laid_out = false;
      }
    }
    if (laid_out) {
      line.kind = LineKind::kRow;
      line.cells = std::move(cells);
      line.columns = std::move(columns);
      return line;
    }
  }
  line.kind = LineKind::kText;
  line.width = report::DisplayWidth(line.text);
  // A line that may be a table's header: its words, where they stand.
  for (Word& word : Words(raw, 1)) {
    line.cells.push_back(CleanLine(word.text, markup));
    line.columns.push_back(word.columns);
  }
  return line;
}

// The width from which a line counts as running to the margin: three
// quarters of the document's usual long line, at most 30 Chinese
// characters, at least 8.
int WrapWidth(const std::vector<Line>& lines) {
  std::vector<int> widths;
  for (const Line& line : lines) {
    if (line.kind == LineKind::kText) widths.push_back(line.width);
  }
  if (widths.empty()) return 60;
  std::sort(widths.begin(), widths.end());
  const int usual = widths[widths.size() * 9 / 10];
  return std::clamp(usual * 3 / 4, 16, 60);
}

}  // namespace

int Block::LineAt(size_t offset) const {
  auto it =
      std::upper_bound(lines.begin(), lines.end(), offset,
                       [](size_t o, const std::pair<uint32_t, int>& l) { return o < l.first; });
  return it == lines.begin() ? lines.front().second : std::prev(it)->second;
}

std::string Document::Reference(int index) const {
  std::vector<const Heading*> chain;
  for (int i = blocks[index].kind == Block::Kind::kHeading ? index : blocks[index].parent; i >= 0;
       i = blocks[i].parent) {
    chain.push_back(&blocks[i].heading);
  }
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) out += (*it)->number;
  return out;
}

Document Segment(absl::string_view text, Markup markup) {
  std::vector<Line> lines;
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    lines.push_back(Classify(raw, ++number, markup));
  }
  const int wrap = WrapWidth(lines);

  Document doc;
  std::vector<int> open;  // the heading blocks enclosing the current position
  auto parent = [&] { return open.empty() ? -1 : open.back(); };
  bool in_paragraph = false;
  bool continues = false;   // the paragraph's last line runs on
  bool unfinished = false;  // ... or at least does not end its sentence
  for (Line& line : lines) {
    switch (line.kind) {
      case LineKind::kSkip:
        continue;
      case LineKind::kBlank:
        if (!continues) in_paragraph = false;
        continue;
      case LineKind::kText:
        // A sentence left open before a line that starts with an amount or
        // a rate ("…执行率为" / "96.43%，…") goes on in it, blank line or not.
        if ((in_paragraph && continues) || (unfinished && StartsWithFigure(line.text))) {
          Block& block = doc.blocks.back();
          if (!block.text.empty() && IsAsciiAlnum(block.text.back()) &&
              IsAsciiAlnum(line.text.front())) {
            block.text += ' ';
          }
          block.lines.emplace_back(block.text.size(), line.number);
          block.text += line.text;
          block.cells.clear();
          block.columns.clear();
        } else {
          Block block;
          block.kind = Block::Kind::kParagraph;
          block.lines.emplace_back(0, line.number);
          block.text = line.text;
          block.cells = std::move(line.cells);
          block.columns = std::move(line.columns);
          block.parent = parent();
          doc.blocks.push_back(std::move(block));
          in_paragraph = true;
        }
        unfinished = !EndsSentence(line.text);
        continues = unfinished && (line.width >= wrap || RunsOn(line.text));
        continue;
      case LineKind::kHeading: {
        while (!open.empty() && doc.blocks[open.back()].heading.level >= line.heading.level) {
          open.pop_back();
        }
        Block block;
        block.kind = Block::Kind::kHeading;
        block.lines.emplace_back(0, line.number);
        block.text = line.text;
        block.heading = std::move(line.heading);
        block.parent = parent();
        doc.blocks.push_back(std::move(block));
        open.push_back(static_cast<int>(doc.blocks.size()) - 1);
        break;
      }
      case LineKind::kRow: {
        Block block;
        block.kind = Block::Kind::kRow;
        block.lines.emplace_back(0, line.number);
        block.text = absl::StrJoin(line.cells, " ");
        block.cells = std::move(line.cells);
        block.columns = std::move(line.columns);
        block.parent = parent();
        doc.blocks.push_back(std::move(block));
        break;
      }
    }
    in_paragraph = false;
    continues = false;
    unfinished = false;
  }
  for (Block& block : doc.blocks) block.norm = Normalise(block.text);
  return doc;
}

}  // namespace jixiao::extract
