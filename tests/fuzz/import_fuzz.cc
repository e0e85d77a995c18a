// Fuzzes reading a document's text: any bytes, as text, are segmented and
// read by the built-in rules, never a crash or a hang; what is read has a
// line within the text and a value the engine's decimal grammar accepts.
// Input that begins with "#rules\n" is compiled as extraction rules
// instead, which must fail with a message or compile.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "common/report/decimal.h"
#include "tools/extract/document.h"
#include "tools/extract/extract.h"
#include "tools/extract/rules.h"
#include "tools/form/report_paths.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (absl::StartsWith(text, "#rules\n")) {
    auto rules = jixiao::extract::CompileRules(text, "fuzz");
    if (!rules.ok() && rules.status().message().empty()) __builtin_trap();
    return 0;
  }
  const jixiao::extract::Document document = jixiao::extract::Segment(text);
  const jixiao::extract::Extraction extraction = jixiao::extract::Extract(
      document, *jixiao::extract::BuiltInRules(), {.accept_inferred = true});
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  for (const auto& figure : extraction.figures) {
    if (figure.line < 1 || figure.line > lines) __builtin_trap();
    if (jixiao::form::KindOf(figure.path) == jixiao::form::PathKind::kFigure &&
        !jixiao::report::ScanDecimal(figure.value).ok()) {
      __builtin_trap();
    }
  }
  return 0;
}
