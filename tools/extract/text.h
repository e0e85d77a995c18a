// The text of a converted document made fit to read figures from: the
// markup converters leave removed (CleanLine), and the forms a figure can be
// printed in made one (Normalise), keeping where each character came from.

#ifndef JIXIAO_TOOLS_EXTRACT_TEXT_H_
#define JIXIAO_TOOLS_EXTRACT_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "re2/stringpiece.h"

namespace jixiao::extract {

// RE2's view of a string.
inline re2::StringPiece Piece(absl::string_view text) { return {text.data(), text.size()}; }

// What markup a document's text carries, so that only that is removed.
enum class Markup {
  kMarkdown,  // .md and .txt: Markdown, with HTML tags, entities and $math$
  kPandoc,    // pandoc's GFM from .docx: its escapes, raw HTML tags and math, never entities
  kPlain,     // pdftotext: none; the text is what the page shows
};

// One line with the markup `markup` says it has removed: Markdown heading
// marks, emphasis and backslash escapes, HTML tags (<sup>2</sup> becomes
// ²), entities (Markdown only), LaTeX math ($90\% \leq \text{率}$ becomes
// "90% ≤ 率"); then, for every kind, tabs and runs of spaces made one space,
// trimmed.
std::string CleanLine(absl::string_view line, Markup markup = Markup::kMarkdown);

// Text for patterns to match, with the offset in the source of the
// character each byte belongs to.
struct Normalised {
  std::string text;
  std::vector<uint32_t> from;  // from[i]: where text[i]'s character starts in the source
  uint32_t source_size = 0;

  // The source's bytes that text[begin, end) came from.
  std::pair<size_t, size_t> SourceSpan(size_t begin, size_t end) const;
};

// Full-width digits, letters and punctuation made half-width (，→ , ％→ %
// （→ ( ), the ideographic and no-break spaces and other spaces made
// spaces, curly and corner quotes made straight, the minus sign a hyphen;
// then spaces removed except one between two ASCII letters or digits, and
// thousands separators (a comma or space before exactly three digits)
// removed. "23，604.86 万元" becomes "23604.86万元".
Normalised Normalise(absl::string_view source);

// Whether `text` is valid UTF-8; if not, `bad` gets the offset of the first
// byte that is not.
bool IsValidUtf8(absl::string_view text, size_t* bad);

}  // namespace jixiao::extract

#endif  // JIXIAO_TOOLS_EXTRACT_TEXT_H_
