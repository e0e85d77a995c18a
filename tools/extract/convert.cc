#include "tools/extract/convert.h"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/child_process.h"
#include "common/base/files.h"
#include "tools/extract/text.h"

namespace jixiao::extract {
namespace {

struct Converter {
  const char* program;
  const char* package;
};

// What `converter` prints given `argv`, or why it could not convert `file`.
absl::StatusOr<std::string> Run(const Converter& converter, const std::vector<std::string>& argv,
                                const std::string& file, const ConvertLimits& limits) {
  absl::StatusOr<std::string> text =
      base::RunChild(argv, {.max_seconds = limits.max_seconds,
                            .max_memory = limits.max_converter_memory,
                            .max_output = limits.max_text_bytes});
  if (absl::IsNotFound(text.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat("reading ", file, " needs ", converter.program,
                     ", which is not installed (Debian: apt-get install ", converter.package, ")"));
  }
  if (!text.ok()) {
    const bool limit = absl::IsResourceExhausted(text.status());
    return absl::InvalidArgumentError(absl::StrCat(converter.program, " could not convert ", file,
                                                   ": ", limit ? "it " : "",
                                                   text.status().message()));
  }
  return text;
}

// A .docx is a zip holding word/document.xml; what its directory says its
// parts unpack to must fit the limit (the converter's memory limit stops a
// directory that lies).
absl::Status CheckDocx(const std::string& path, const ConvertLimits& limits) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a Word document (.docx): not a zip archive"));
  }
  struct Closer {
    zip_t* archive;
    ~Closer() { zip_discard(archive); }
  } closer{archive};
  const zip_int64_t entries = zip_get_num_entries(archive, 0);
  if (entries > 10000) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds ", entries, " parts; a .docx has far fewer"));
  }
  bool has_body = false;
  uint64_t unpacked = 0;
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t stat;
    if (zip_stat_index(archive, i, 0, &stat) != 0) continue;
    if ((stat.valid & ZIP_STAT_NAME) && strcmp(stat.name, "word/document.xml") == 0) {
      has_body = true;
    }
    if (!(stat.valid & ZIP_STAT_SIZE)) continue;
    unpacked += stat.size;
    // A part that inflates hundreds of times over is built to, not written.
    if ((stat.valid & ZIP_STAT_COMP_SIZE) && stat.size > (uint64_t{1} << 20) &&
        stat.size / std::max<uint64_t>(stat.comp_size, 1) > limits.max_compression_ratio) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": the part ", (stat.valid & ZIP_STAT_NAME) ? stat.name : "?", " unpacks ",
          stat.size / std::max<uint64_t>(stat.comp_size, 1), " times over (a zip bomb?)"));
    }
  }
  if (!has_body) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a Word document (.docx): it has no word/document.xml"));
  }
  if (unpacked > limits.max_unpacked_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(path, " unpacks to ", unpacked,
                                                   " bytes, more than the ",
                                                   limits.max_unpacked_bytes, " a .docx may"));
  }
  // Text Word hides (w:vanish) would be read as if stated: it is refused.
  zip_file_t* body = zip_fopen(archive, "word/document.xml", 0);
  if (body == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": word/document.xml cannot be read"));
  }
  std::string window;
  char buffer[65536];
  bool hidden = false;
  uint64_t read = 0;
  for (zip_int64_t n; !hidden && (n = zip_fread(body, buffer, sizeof buffer)) > 0;) {
    read += n;
    if (read > limits.max_unpacked_bytes)
      break;  // the directory lied; the converter's limits stop it
    window.append(buffer, n);
    hidden = window.find("<w:vanish") != std::string::npos ||
             window.find("<w:specVanish") != std::string::npos;
    if (window.size() > 16) window.erase(0, window.size() - 16);
  }
  zip_fclose(body);
  if (hidden) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        " holds hidden text (Word's 隐藏文字), which would be read as if it were stated: "
        "show it or delete it in Word, save, and import again"));
  }
  return absl::OkStatus();
}

// Text as this module reads it: UTF-8 without a byte-order mark, no NUL,
// no line longer than the limit.
absl::Status CheckText(const std::string& path, std::string& text, const ConvertLimits& limits) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.erase(0, 3);
  if (absl::StartsWith(text, "\xFF\xFE") || absl::StartsWith(text, "\xFE\xFF")) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is UTF-16; save it as UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8"));
  }
  size_t bad = 0;
  const bool utf8 = IsValidUtf8(text, &bad);
  const size_t nul = text.find('\0');
  if (!utf8 || nul != std::string::npos) {
    const size_t at = utf8 ? nul : nul == std::string::npos ? bad : std::min(bad, nul);
    const size_t line = 1 + std::count(text.begin(), text.begin() + at, '\n');
    const size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    const size_t column = at - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
    if (at == nul && (utf8 || nul < bad)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line, ":", column, ": holds a NUL byte: not a text file"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", line, ":", column, ": not UTF-8 (byte 0x",
                     absl::Hex(static_cast<unsigned char>(text[at]), absl::kZeroPad2),
                     "); save it as UTF-8 first, e.g. iconv -f GB18030 -t UTF-8"));
  }
  size_t line = 1, start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end - start > limits.max_line_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": a line of ", end - start,
                                                     " bytes; at most ", limits.max_line_bytes));
    }
    start = end + 1;
    if (++line > limits.max_lines && start < text.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": more than ", limits.max_lines, " lines; a report has far fewer"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

Format FormatOf(const std::string& path) {
  const std::string lower = absl::AsciiStrToLower(path);
  for (const char* ext : {".txt", ".md", ".markdown", ".text"}) {
    if (absl::EndsWith(lower, ext)) return Format::kText;
  }
  if (absl::EndsWith(lower, ".docx")) return Format::kDocx;
  if (absl::EndsWith(lower, ".pdf")) return Format::kPdf;
  if (absl::EndsWith(lower, ".xlsx") || absl::EndsWith(lower, ".xls")) return Format::kWorkbook;
  return Format::kUnknown;
}

absl::StatusOr<std::string> DocumentText(const std::string& path, const ConvertLimits& limits) {
  const Format format = FormatOf(path);
  // Not a pipe or a device: reading one could wait for ever.
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a regular file"));
  }
  std::string text;
  switch (format) {
    case Format::kText: {
      auto file = base::ReadFile(path, "", limits.max_text_bytes);
      if (!file.ok()) return absl::InvalidArgumentError(file.status().message());
      text = *std::move(file);
      break;
    }
    case Format::kDocx:
    case Format::kPdf: {
      auto file = base::ReadFile(path, "", limits.max_file_bytes);
      if (!file.ok()) return absl::InvalidArgumentError(file.status().message());
      absl::StatusOr<std::string> converted;
      // A name that starts with '-' is not an option to the converter.
      const std::string operand = absl::StartsWith(path, "-") ? "./" + path : path;
      if (format == Format::kDocx) {
        if (!absl::StartsWith(*file, "PK")) {
          return absl::InvalidArgumentError(
              absl::StrCat(path, " is not a Word document (.docx): not a zip archive"));
        }
        absl::Status ok = CheckDocx(path, limits);
        if (!ok.ok()) return ok;
        converted =
            Run({"pandoc", "pandoc"}, {"pandoc", "--from=docx", "--to=gfm", "--wrap=none", operand},
                path, limits);
      } else {
        if (file->substr(0, 1024).find("%PDF-") == std::string::npos) {
          return absl::InvalidArgumentError(
              absl::StrCat(path, " is not a PDF: it does not begin with %PDF-"));
        }
        converted =
            Run({"pdftotext", "poppler-utils"},
                {"pdftotext", "-layout", "-enc", "UTF-8", "-nopgbrk", operand, "-"}, path, limits);
      }
      if (!converted.ok()) return converted.status();
      text = *std::move(converted);
      break;
    }
    case Format::kWorkbook:
      return absl::InvalidArgumentError(absl::StrCat(path, " is a workbook: it is read as a form"));
    case Format::kUnknown:
      if (absl::EndsWith(absl::AsciiStrToLower(path), ".doc")) {
        return absl::InvalidArgumentError(absl::StrCat(
            path,
            " is an old Word .doc: save it as .docx in Word or WPS (or: soffice --headless "
            "--convert-to docx ",
            path, "), then import the .docx"));
      }
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": not a document jixiao import reads (.txt, .md, .docx, .pdf, or a form .xlsx)"));
  }
  absl::Status ok = CheckText(path, text, limits);
  if (!ok.ok()) return ok;
  return text;
}

}  // namespace jixiao::extract
