// One-line text: names that are printed in tables, terminals, CSV files
// and line-based feeds, where a line break or a terminal escape in a name
// would forge a row.
//
//   if (!report::IsOneLine(name)) refuse("must be one line, without control characters");
//   std::cout << report::OneLine(reason);  // "第一行\n第二行" shown as "第一行⏎第二行"
//
// Pure; thread-safe. Text is UTF-8 (invalid sequences count as control).

#ifndef JIXIAO_COMMON_REPORT_PLAIN_TEXT_H_
#define JIXIAO_COMMON_REPORT_PLAIN_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace jixiao::report {

// Whether `text` holds no control character (C0, DEL, C1), no line or
// paragraph separator (U+2028, U+2029), no bidirectional override or
// isolate (U+202A–U+202E, U+2066–U+2069), and is valid UTF-8.
bool IsOneLine(absl::string_view text);

// Whether `text` is empty or only spaces: ASCII, no-break (U+00A0),
// ideographic (U+3000), zero-width (U+200B–U+200D, U+2060, U+FEFF) and the
// other Unicode spaces (U+2000–U+200A, U+202F, U+205F).
bool IsBlank(absl::string_view text);

// `text` without the spaces IsBlank counts, before and after it.
std::string TrimSpaces(absl::string_view text);

// `text` as one line for display: a line break (LF, CR LF, CR, U+2028,
// U+2029) as "⏎", a tab as a space, any other character IsOneLine refuses
// (or an invalid byte) as U+FFFD.
std::string OneLine(absl::string_view text);

// Columns `text` takes in a fixed-width rendering (a terminal, pdftotext's
// grid): East Asian wide characters (CJK, full-width forms) two, others one.
int DisplayWidth(absl::string_view text);

}  // namespace jixiao::report

#endif  // JIXIAO_COMMON_REPORT_PLAIN_TEXT_H_
