#include "tools/render/formatting.h"

#include <cctype>

#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/report/decimal.h"

namespace jixiao::render {

std::string Money(const std::string& decimal) { return report::WithUnit(decimal, "万元"); }

std::string Percent(const std::string& decimal) { return report::WithUnit(decimal, "%"); }

std::string SchemeCitation(const std::string& name, const std::string& edition, int version) {
  return absl::StrCat("《", name, "》",
                      edition.empty() ? absl::StrCat("第 ", version, " 版") : edition);
}

std::string BeijingTime(int64_t unix_seconds) {
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(unix_seconds),
                          absl::FixedTimeZone(8 * 60 * 60));
}

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string field = fields[i];
    if (!field.empty() && absl::string_view("=+-@\t\r").find(field[0]) != absl::string_view::npos &&
        !report::ParseDecimal(field[0] == '-' || field[0] == '+' ? field.substr(1) : field).ok()) {
      field.insert(0, "'");
    }
    if (i > 0) line += ',';
    if (field.find_first_of(",\"\n\r") == std::string::npos) {
      line += field;
    } else {
      line += "\"" + absl::StrReplaceAll(field, {{"\"", "\"\""}}) + "\"";
    }
  }
  return line + "\r\n";
}

std::string SelfReference(const std::string& name) {
  for (const char* suffix : {"局", "委", "办", "院", "中心", "厅", "部"}) {
    std::string s(suffix);
    if (name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      return "我" + s;
    }
  }
  return "我单位";
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace jixiao::render
