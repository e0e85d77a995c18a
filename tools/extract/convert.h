// A self-evaluation document as text: .txt and .md as they are; .docx
// through pandoc (Markdown tables, --wrap=none); .pdf through poppler's
// pdftotext (-layout, so that table columns stay apart). Each converter runs
// as a child process with a time limit, an address-space limit and a cap on
// what it may print; the file is checked before it is handed over (size,
// a .docx's declared unpacked size, a PDF's header).

#ifndef JIXIAO_TOOLS_EXTRACT_CONVERT_H_
#define JIXIAO_TOOLS_EXTRACT_CONVERT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace jixiao::extract {

enum class Format { kText, kDocx, kPdf, kWorkbook, kUnknown };

// By the file's extension, case aside: .txt .md .markdown / .docx / .pdf /
// .xlsx .xls.
Format FormatOf(const std::string& path);

struct ConvertLimits {
  size_t max_file_bytes = size_t{64} << 20;       // a .docx or .pdf
  size_t max_text_bytes = size_t{8} << 20;        // a text file, or what a converter prints
  size_t max_line_bytes = 100000;                 // one line of the text
  size_t max_lines = 50000;                       // lines of the text
  size_t max_unpacked_bytes = size_t{64} << 20;   // a .docx's parts, as its directory declares them
  uint64_t max_compression_ratio = 200;           // a .docx part's unpacked size over its packed
  int max_seconds = 30;                           // a converter's run
  size_t max_converter_memory = size_t{1} << 30;  // a converter's address space
};

// The document's text, UTF-8, its lines as the converter wrote them.
// INVALID_ARGUMENT naming the file (and the line, for bad text) when it is
// too large, not what its extension says, not UTF-8, or a converter fails
// or overruns; FAILED_PRECONDITION naming the Debian package when the
// converter is not installed.
absl::StatusOr<std::string> DocumentText(const std::string& path, const ConvertLimits& limits = {});

}  // namespace jixiao::extract

#endif  // JIXIAO_TOOLS_EXTRACT_CONVERT_H_
