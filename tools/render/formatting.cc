#include "tools/render/formatting.h"

#include <cctype>

#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/report/decimal.h"

namespace jixiao::render {

std::string WithThousands(const std::string& decimal) {
  size_t start = decimal.empty() || (decimal[0] != '-' && decimal[0] != '+') ? 0 : 1;
  size_t point = decimal.find('.');
  size_t end = point == std::string::npos ? decimal.size() : point;
  if (end <= start) return decimal;
  for (size_t i = start; i < decimal.size(); ++i) {
    if (i != point && !std::isdigit(static_cast<unsigned char>(decimal[i]))) return decimal;
  }
  std::string integer = decimal.substr(start, end - start);
  std::string grouped;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(integer[i]);
  }
  return decimal.substr(0, start) + grouped + decimal.substr(end);
}

std::string Money(const std::string& decimal) {
  return decimal.empty() ? "" : WithThousands(decimal) + " 万元";
}

std::string Percent(const std::string& decimal) { return decimal.empty() ? "" : decimal + "%"; }

std::string Quantity(const std::string& decimal, const std::string& unit) {
  if (decimal.empty()) return "";
  if (unit == "%") return Percent(decimal);
  return unit.empty() ? WithThousands(decimal) : WithThousands(decimal) + " " + unit;
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
