// A converted document as blocks: headings with their level and number,
// paragraphs (lines broken by PDF extraction joined again), and table rows;
// each block knows the lines it came from and the headings it lies under.

#ifndef JIXIAO_TOOLS_EXTRACT_DOCUMENT_H_
#define JIXIAO_TOOLS_EXTRACT_DOCUMENT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/extract/text.h"

namespace jixiao::extract {

struct Heading {
  // 0 a title (a Markdown heading without a number); 1 一、 2 (一) 3 1. 4 (1) 5 ①.
  int level = 0;
  std::string number;  // "一", "(一)", "1", "(1)", "①"; empty for a title
  std::string title;   // without its number: "部门主要职能"
  std::string key;     // the title normalised, for patterns to match
};

struct Block {
  enum class Kind { kHeading, kParagraph, kRow };
  Kind kind = Kind::kParagraph;
  std::string text;  // the heading's line, the paragraph's joined lines, the row's cells joined
  Normalised norm;   // of text
  // Where each source line starts in text: (offset, 1-based line number).
  std::vector<std::pair<uint32_t, int>> lines;
  Heading heading;                 // kHeading
  std::vector<std::string> cells;  // kRow; a one-line paragraph's words
  // Where each cell stands on its line, [begin, end) in characters, for
  // cells split at spaces (text laid out in columns); empty otherwise.
  std::vector<std::pair<int, int>> columns;
  int parent = -1;                 // the heading block it lies under; -1 for none

  // The source line of text[offset].
  int LineAt(size_t offset) const;
};

struct Document {
  std::vector<Block> blocks;

  // "一(四)1(2)": the numbers of the headings blocks[index] lies under
  // (itself included, if a heading), outermost first.
  std::string Reference(int index) const;
};

// Splits converted text into blocks. Lines are joined into one paragraph
// where a line stops short of sentence-ending punctuation and runs to the
// document's usual line width (a blank line between does not stop it, as
// in text extracted from PDF); table-of-contents lines and lines holding
// only a page number are dropped.
Document Segment(absl::string_view text, Markup markup = Markup::kMarkdown);

}  // namespace jixiao::extract

#endif  // JIXIAO_TOOLS_EXTRACT_DOCUMENT_H_
