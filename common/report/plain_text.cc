#include "common/report/plain_text.h"

#include <cstdint>

namespace jixiao::report {
namespace {

// The code point starting at text[i] and its length in bytes; length 0 for
// an invalid sequence (overlong, surrogate, out of range, truncated).
struct Decoded {
  uint32_t code = 0;
  size_t length = 0;
};

Decoded Decode(absl::string_view text, size_t i) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return {c, 1};
  size_t length;
  uint32_t code, min;
  if ((c & 0xE0) == 0xC0) {
    length = 2, code = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3, code = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4, code = c & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (size_t k = 1; k < length; ++k) {
    const unsigned char next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return {};
    code = (code << 6) | (next & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {code, length};
}

bool IsLineBreak(uint32_t code) {
  return code == '\n' || code == '\r' || code == 0x2028 || code == 0x2029;
}

bool IsRefused(uint32_t code) {
  return code < 0x20 || (code >= 0x7F && code <= 0x9F) || code == 0x2028 || code == 0x2029 ||
         (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069);
}

bool IsSpace(uint32_t code) {
  return code == ' ' || code == 0xA0 || code == 0x3000 || (code >= 0x2000 && code <= 0x200D) ||
         code == 0x202F || code == 0x205F || code == 0x2060 || code == 0xFEFF;
}

}  // namespace

bool IsOneLine(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    Decoded d = Decode(text, i);
    if (d.length == 0 || IsRefused(d.code)) return false;
    i += d.length;
  }
  return true;
}

bool IsBlank(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    Decoded d = Decode(text, i);
    if (d.length == 0 || !IsSpace(d.code)) return false;
    i += d.length;
  }
  return true;
}

std::string TrimSpaces(absl::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end) {
    Decoded d = Decode(text, begin);
    if (d.length == 0 || !(IsSpace(d.code) || d.code == '\t' || d.code == '\n' || d.code == '\r')) {
      break;
    }
    begin += d.length;
  }
  // Backwards: find the start of the last character, and drop it while a space.
  while (end > begin) {
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    Decoded d = Decode(text, start);
    if (d.length == 0 || start + d.length != end ||
        !(IsSpace(d.code) || d.code == '\t' || d.code == '\n' || d.code == '\r')) {
      break;
    }
    end = start;
  }
  return std::string(text.substr(begin, end - begin));
}

std::string OneLine(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    Decoded d = Decode(text, i);
    if (d.length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    if (d.code == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;  // CR LF is one break
      continue;
    }
    if (IsLineBreak(d.code)) {
      out += "\xE2\x8F\x8E";  // U+23CE ⏎
    } else if (d.code == '\t') {
      out += ' ';
    } else if (IsRefused(d.code)) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(text.data() + i, d.length);
    }
    i += d.length;
  }
  return out;
}

int DisplayWidth(absl::string_view utf8) {
  int width = 0;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = utf8[i];
    uint32_t code;
    int length;
    if (c < 0x80) {
      code = c, length = 1;
    } else if ((c >> 5) == 0x6) {
      code = c & 0x1F, length = 2;
    } else if ((c >> 4) == 0xE) {
      code = c & 0x0F, length = 3;
    } else {
      code = c & 0x07, length = 4;
    }
    for (int k = 1; k < length && i + k < utf8.size(); ++k)
      code = (code << 6) | (utf8[i + k] & 0x3F);
    i += length;
    bool wide = (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
                (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
                (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF60) ||
                (code >= 0xFFE0 && code <= 0xFFE6) || (code >= 0x20000 && code <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return width;
}

}  // namespace jixiao::report
