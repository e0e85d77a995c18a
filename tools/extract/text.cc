#include "tools/extract/text.h"

#include <map>

#include "re2/re2.h"

namespace jixiao::extract {
namespace {

// The code point at text[i] and its length; U+FFFD and 1 for a byte that
// does not start a valid sequence.
std::pair<char32_t, size_t> Decode(absl::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const size_t left = text.size() - i;
  const unsigned char c = b(0);
  if (c < 0x80) return {c, 1};
  auto tail = [&](size_t n) {
    if (left < n) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((b(k) & 0xC0) != 0x80) return false;
    }
    return true;
  };
  if (c >= 0xC2 && c <= 0xDF && tail(2)) return {char32_t(c & 0x1F) << 6 | (b(1) & 0x3F), 2};
  if (c >= 0xE0 && c <= 0xEF && tail(3)) {
    const char32_t cp = char32_t(c & 0x0F) << 12 | char32_t(b(1) & 0x3F) << 6 | (b(2) & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3};
  }
  if (c >= 0xF0 && c <= 0xF4 && tail(4)) {
    const char32_t cp = char32_t(c & 0x07) << 18 | char32_t(b(1) & 0x3F) << 12 |
                        char32_t(b(2) & 0x3F) << 6 | (b(3) & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) return {cp, 4};
  }
  return {0xFFFD, 1};
}

void Encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// `text` with each match of `re` replaced by what `replace` makes of the
// match's groups (group 0 the whole match).
template <typename Replace>
std::string ReplaceEach(const std::string& text, const RE2& re, Replace replace) {
  std::string out;
  std::vector<re2::StringPiece> m(1 + re.NumberOfCapturingGroups());
  size_t at = 0;
  while (at <= text.size() &&
         re.Match(text, at, text.size(), RE2::UNANCHORED, m.data(), static_cast<int>(m.size()))) {
    const size_t begin = m[0].data() - text.data();
    out.append(text, at, begin - at);
    out += replace(m);
    at = begin + m[0].size();
    if (m[0].empty()) {
      if (at < text.size()) out += text[at];
      ++at;
    }
  }
  if (at < text.size()) out.append(text, at, std::string::npos);
  return out;
}

const char* Superscript(char c) {
  static const char* const digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  if (IsDigit(c)) return digits[c - '0'];
  if (c == '-') return "⁻";
  if (c == '+') return "⁺";
  return nullptr;
}

std::string SuperscriptOf(absl::string_view text) {
  std::string out;
  for (char c : text) {
    const char* s = Superscript(c);
    if (s == nullptr) return "^" + std::string(text);
    out += s;
  }
  return out;
}

// LaTeX math as text: "90\% \leq \text{率} \leq 100\%" is "90% ≤ 率 ≤ 100%".
std::string MathAsText(std::string math) {
  static const RE2 text_command(
      R"(\\(?:text|mathrm|textbf|textrm|mbox|operatorname)\s*\{([^{}]*)\})");
  while (RE2::GlobalReplace(&math, text_command, "\\1") > 0) {
  }
  static const RE2 power(R"(\^\s*(?:\{\s*([0-9+-]+)\s*\}|([0-9])))");
  const std::string out = ReplaceEach(math, power, [](const std::vector<re2::StringPiece>& m) {
    return SuperscriptOf(std::string(m[1].empty() ? m[2] : m[1]));
  });
  static const std::map<std::string, std::string> kSymbols = {
      {"leq", "≤"},      {"le", "≤"},   {"leqslant", "≤"}, {"geq", "≥"},   {"ge", "≥"},
      {"geqslant", "≥"}, {"neq", "≠"},  {"ne", "≠"},       {"times", "×"}, {"div", "÷"},
      {"cdot", "·"},     {"pm", "±"},   {"approx", "≈"},   {"lt", "<"},    {"gt", ">"},
      {"sim", "~"},      {"quad", " "}, {"qquad", " "},    {"infty", "∞"}};
  static const RE2 command(R"(\\([A-Za-z]+|.))");
  const std::string result =
      ReplaceEach(out, command, [](const std::vector<re2::StringPiece>& m) -> std::string {
        const std::string word(m[1]);
        if (auto it = kSymbols.find(word); it != kSymbols.end()) return it->second;
        if (word == "," || word == ";" || word == " " || word == "!") return " ";
        if (word.size() == 1 && !IsAsciiAlnum(word[0])) return word;  // \% is %
        return "";  // any other command is dropped
      });
  std::string clean;
  for (char c : result) {
    if (c != '{' && c != '}') clean += c;
  }
  return " " + clean + " ";
}

// Replaces each $...$ (and $$...$$) with its text.
std::string WithoutMath(absl::string_view line) {
  if (line.find('$') == absl::string_view::npos) return std::string(line);
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      out.append(line.data() + i, 2);
      i += 2;
      continue;
    }
    if (line[i] != '$') {
      out += line[i++];
      continue;
    }
    const size_t fence = (i + 1 < line.size() && line[i + 1] == '$') ? 2 : 1;
    size_t end = i + fence;
    while (end < line.size() && line[end] != '$') end += line[end] == '\\' ? 2 : 1;
    if (end >= line.size()) {  // an unpaired $ is a dollar sign
      out += line[i++];
      continue;
    }
    // A formula in a report is short; a long span between dollar signs is
    // left as it is, so that no nesting makes it costly.
    const size_t length = end - i - fence;
    if (length > 512) {
      out.append(line.data() + i, end + fence - i);
    } else {
      out += MathAsText(std::string(line.substr(i + fence, length)));
    }
    i = end + fence;
  }
  return out;
}

std::string HtmlEntity(absl::string_view name) {
  static const std::map<absl::string_view, std::string> kNamed = {
      {"nbsp", " "},  {"amp", "&"},  {"lt", "<"}, {"gt", ">"},
      {"quot", "\""}, {"apos", "'"}, {"le", "≤"}, {"ge", "≥"}};
  if (auto it = kNamed.find(name); it != kNamed.end()) return it->second;
  if (name.size() > 1 && name[0] == '#') {
    char32_t cp = 0;
    const bool hex = name[1] == 'x' || name[1] == 'X';
    for (char c : name.substr(hex ? 2 : 1)) {
      int d = IsDigit(c)                                              ? c - '0'
              : (hex && std::isxdigit(static_cast<unsigned char>(c))) ? (std::tolower(c) - 'a' + 10)
                                                                      : -1;
      if (d < 0 || cp > 0x10FFFF) return "";
      cp = cp * (hex ? 16 : 10) + d;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return "";
    std::string out;
    Encode(cp, out);
    return out;
  }
  return "&" + std::string(name) + ";";
}

// One space for every run of white space; none at either end.
std::string CollapseSpaces(const std::string& line) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < line.size();) {
    auto [cp, n] = Decode(line, i);
    const bool blank = cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v' ||
                       cp == 0xA0 || cp == 0x3000;
    if (blank) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out.append(line, i, n);
    }
    i += n;
  }
  return out;
}

}  // namespace

std::string CleanLine(absl::string_view raw, Markup markup) {
  std::string line(raw);
  if (markup == Markup::kPlain) return CollapseSpaces(line);
  static const RE2 heading_marks(R"(^\s{0,3}(?:#{1,6}\s+|>\s?))");
  RE2::Replace(&line, heading_marks, "");
  line = WithoutMath(line);
  static const RE2 sup(R"((?i)<sup>\s*([0-9+-]{1,8})\s*</sup>)");
  line = ReplaceEach(line, sup, [](const std::vector<re2::StringPiece>& m) {
    return SuperscriptOf(std::string(m[1]));
  });
  static const RE2 br(R"((?i)<br\s*/?>)");
  RE2::GlobalReplace(&line, br, " ");
  static const RE2 tag(R"(</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>)");
  RE2::GlobalReplace(&line, tag, "");
  static const RE2 link(R"(!?\[([^\]]*)\]\([^)]*\))");
  RE2::GlobalReplace(&line, link, "\\1");
  static const RE2 emphasis(R"(\*\*|__|~~)");
  RE2::GlobalReplace(&line, emphasis, "");
  if (markup == Markup::kMarkdown) {
    static const RE2 entity(R"(&(#?[A-Za-z0-9]{1,8});)");
    line = ReplaceEach(line, entity, [](const std::vector<re2::StringPiece>& m) {
      return HtmlEntity(absl::string_view(m[1].data(), m[1].size()));
    });
  }
  static const RE2 escape(R"(\\([!-/:-@\[-`{-~]))");
  RE2::GlobalReplace(&line, escape, "\\1");
  return CollapseSpaces(line);
}

std::pair<size_t, size_t> Normalised::SourceSpan(size_t begin, size_t end) const {
  if (begin >= text.size()) return {source_size, source_size};
  const size_t source_end = end < text.size() ? from[end] : source_size;
  return {from[begin], source_end};
}

Normalised Normalise(absl::string_view source) {
  // Characters mapped, with where each came from.
  std::vector<std::pair<char32_t, uint32_t>> chars;
  chars.reserve(source.size());
  for (size_t i = 0; i < source.size();) {
    auto [cp, n] = Decode(source, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      cp -= 0xFEE0;
    } else if (cp == 0x3000 || cp == 0xA0 || cp == '\t' || (cp >= 0x2000 && cp <= 0x200B) ||
               cp == 0x202F || cp == 0x205F || cp == '\r' || cp == '\n' || cp == '\f') {
      cp = ' ';
    } else if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F || cp == 0x300C ||
               cp == 0x300D || cp == 0x300E || cp == 0x300F) {
      cp = '"';
    } else if (cp == 0x2018 || cp == 0x2019) {
      cp = '\'';
    } else if (cp == 0x2212) {
      cp = '-';
    } else if (cp == 0x2266) {
      cp = 0x2264;  // ≦ as ≤
    } else if (cp == 0x2267) {
      cp = 0x2265;  // ≧ as ≥
    } else if (cp == 0xFE6A) {
      cp = '%';  // small percent sign
    }
    // Invisible characters (zero-width joiners, soft hyphens, a byte-order
    // mark) are not part of what the page shows: "51\u200d20" is 5120.
    const bool invisible = cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
                           cp == 0x00AD || cp == 0x200E || cp == 0x200F;
    if (!invisible) chars.emplace_back(cp, static_cast<uint32_t>(i));
    i += n;
  }
  // Spaces only between two ASCII letters or digits.
  std::vector<std::pair<char32_t, uint32_t>> kept;
  kept.reserve(chars.size());
  for (size_t i = 0; i < chars.size(); ++i) {
    if (chars[i].first != ' ') {
      kept.push_back(chars[i]);
      continue;
    }
    size_t next = i;
    while (next < chars.size() && chars[next].first == ' ') ++next;
    const bool between = !kept.empty() && next < chars.size() && kept.back().first < 0x80 &&
                         IsAsciiAlnum(static_cast<char>(kept.back().first)) &&
                         chars[next].first < 0x80 &&
                         IsAsciiAlnum(static_cast<char>(chars[next].first));
    if (between) kept.push_back(chars[i]);
    i = next - 1;
  }
  // Thousands separators: "23,604.86" and "1 234 567" are one number each.
  auto digit = [&](size_t k) {
    return k < kept.size() && kept[k].first >= '0' && kept[k].first <= '9';
  };
  std::vector<bool> drop(kept.size(), false);
  for (size_t i = 0; i < kept.size(); ++i) {
    if (!digit(i) || (i > 0 && (digit(i - 1) || kept[i - 1].first == '.'))) continue;
    size_t j = i;
    while (digit(j) && j - i < 4) ++j;
    if (j - i > 3 || j == i) continue;
    while (j < kept.size() && (kept[j].first == ',' || kept[j].first == ' ') && digit(j + 1) &&
           digit(j + 2) && digit(j + 3) && !digit(j + 4)) {
      drop[j] = true;
      j += 4;
    }
    i = j > i ? j - 1 : i;
  }
  Normalised out;
  out.source_size = static_cast<uint32_t>(source.size());
  out.text.reserve(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) {
    if (drop[i]) continue;
    const size_t before = out.text.size();
    Encode(kept[i].first, out.text);
    out.from.insert(out.from.end(), out.text.size() - before, kept[i].second);
  }
  return out;
}

bool IsValidUtf8(absl::string_view text, size_t* bad) {
  for (size_t i = 0; i < text.size();) {
    auto [cp, n] = Decode(text, i);
    if (cp == 0xFFFD && n == 1 && static_cast<unsigned char>(text[i]) >= 0x80) {
      if (bad != nullptr) *bad = i;
      return false;
    }
    i += n;
  }
  return true;
}

}  // namespace jixiao::extract
