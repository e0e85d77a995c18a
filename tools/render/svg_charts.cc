#include "tools/render/svg_charts.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "tools/render/formatting.h"

namespace jixiao::render {
namespace {

constexpr char kFont[] =
    "font-family=\"'WenQuanYi Zen Hei','Noto Sans CJK SC','Source Han Sans SC',"
    "'Microsoft YaHei',sans-serif\"";

std::string Num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", v);
  return buffer;
}

std::string Open(double width, double height, const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " + Num(width) +
         " " + Num(height) + "\" width=\"" + Num(width) + "\" " + kFont +
         " font-size=\"13\"><title>" + HtmlEscape(title) + "</title>";
}

std::string Text(double x, double y, const std::string& text, const std::string& extra = "") {
  return "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" " + extra + ">" + HtmlEscape(text) +
         "</text>";
}

// A series' marker: a circle, a square or a triangle.
std::string Marker(int style, double x, double y, const std::string& color) {
  switch (style) {
    case 1:
      return "<rect x=\"" + Num(x - 4) + "\" y=\"" + Num(y - 4) +
             "\" width=\"8\" height=\"8\" fill=\"" + color + "\"/>";
    case 2:
      return "<polygon points=\"" + Num(x) + "," + Num(y - 5) + " " + Num(x - 5) + "," +
             Num(y + 4) + " " + Num(x + 5) + "," + Num(y + 4) + "\" fill=\"" + color + "\"/>";
    default:
      return "<circle cx=\"" + Num(x) + "\" cy=\"" + Num(y) + "\" r=\"4\" fill=\"" + color + "\"/>";
  }
}

}  // namespace

std::string ScoreBarsSvg(const std::vector<ScoreBar>& bars, const std::string& title) {
  const double row = 26, label_width = 190, bar_width = 360, text_width = 110;
  double max_weight = 0;
  for (const ScoreBar& b : bars) max_weight = std::max(max_weight, b.weight);
  if (max_weight <= 0) max_weight = 1;
  double height = row * bars.size() + 10;
  std::string svg = Open(label_width + bar_width + text_width, height, title);
  for (size_t i = 0; i < bars.size(); ++i) {
    const ScoreBar& b = bars[i];
    double y = 5 + row * i;
    double track = bar_width * b.weight / max_weight;
    double fill = b.weight > 0 ? track * std::clamp(b.score / b.weight, 0.0, 1.0) : 0;
    bool full = b.score >= b.weight;
    svg +=
        Text(4 + 14 * (b.level - 1), y + 17, b.label, b.level == 1 ? "font-weight=\"bold\"" : "");
    svg += "<rect x=\"" + Num(label_width) + "\" y=\"" + Num(y + 4) + "\" width=\"" + Num(track) +
           "\" height=\"16\" fill=\"#e6e9ef\"/>";
    svg += "<rect x=\"" + Num(label_width) + "\" y=\"" + Num(y + 4) + "\" width=\"" + Num(fill) +
           "\" height=\"16\" fill=\"" + (full ? "#2f6f4f" : "#e3a04f") + "\"/>";
    svg += Text(label_width + bar_width + 8, y + 17, b.text);
  }
  return svg + "</svg>";
}

std::string LinesSvg(const std::vector<std::string>& categories, const std::vector<Series>& series,
                     const std::string& title) {
  const double width = 580, height = 300, left = 56, right = 48, top = 20, bottom = 70;
  double max_value = 100;
  for (const Series& s : series) {
    for (const auto& v : s.values) {
      if (v) max_value = std::max(max_value, *v);
    }
  }
  max_value = (static_cast<int>(max_value / 25) + 1) * 25.0;
  auto x_of = [&](size_t i) {
    return left + (width - left - right) *
                      (categories.size() == 1 ? 0.5 : double(i) / (categories.size() - 1));
  };
  auto y_of = [&](double v) { return top + (height - top - bottom) * (1 - v / max_value); };
  std::string svg = Open(width, height, title);
  for (double tick = 0; tick <= max_value; tick += 25) {
    svg += "<line x1=\"" + Num(left) + "\" x2=\"" + Num(width - right) + "\" y1=\"" +
           Num(y_of(tick)) + "\" y2=\"" + Num(y_of(tick)) + "\" stroke=\"#e6e9ef\"/>";
    svg += Text(left - 8, y_of(tick) + 4, Num(tick).substr(0, Num(tick).size() - 2) + "%",
                "text-anchor=\"end\" fill=\"#555\"");
  }
  for (size_t i = 0; i < categories.size(); ++i) {
    svg += Text(x_of(i), height - bottom + 20, categories[i], "text-anchor=\"middle\"");
  }
  double legend_x = left;
  static const char* const kDashes[] = {"", "stroke-dasharray=\"8 4\" ",
                                        "stroke-dasharray=\"2 3\" "};
  for (const Series& s : series) {
    const int style = std::clamp(s.style, 0, 2);
    std::string points;
    for (size_t i = 0; i < s.values.size() && i < categories.size(); ++i) {
      if (!s.values[i]) continue;
      points += Num(x_of(i)) + "," + Num(y_of(*s.values[i])) + " ";
      svg += Marker(style, x_of(i), y_of(*s.values[i]), s.color);
    }
    svg += "<polyline fill=\"none\" stroke=\"" + s.color + "\" stroke-width=\"2\" " +
           kDashes[style] + "points=\"" + points + "\"/>";
    double ly = height - 22;
    svg += "<line x1=\"" + Num(legend_x) + "\" x2=\"" + Num(legend_x + 28) + "\" y1=\"" +
           Num(ly - 4) + "\" y2=\"" + Num(ly - 4) + "\" stroke=\"" + s.color +
           "\" stroke-width=\"2\" " + kDashes[style] + "/>";
    svg += Marker(style, legend_x + 14, ly - 4, s.color);
    svg += Text(legend_x + 34, ly, s.name);
    legend_x += 44 + 14 * s.name.size() / 3.0 + 20;
  }
  return svg + "</svg>";
}

std::string LostPointsSvg(const std::vector<LostPoints>& leaves, const std::string& title) {
  const double row = 26, label_width = 200, bar_width = 300, text_width = 200, top = 30;
  double most = 0;
  for (const LostPoints& l : leaves) most = std::max(most, l.lost);
  if (most <= 0) most = 1;
  const double height = top + row * leaves.size() + 10;
  std::string svg = Open(label_width + bar_width + text_width, height, title);
  // The legend: what a bar's length means.
  svg +=
      "<rect x=\"" + Num(label_width) + "\" y=\"6\" width=\"14\" height=\"12\" fill=\"#8b1a1a\"/>";
  svg += Text(label_width + 20, 17, "扣分（条长与扣分最多的指标相比）", "fill=\"#333\"");
  for (size_t i = 0; i < leaves.size(); ++i) {
    const LostPoints& l = leaves[i];
    const double y = top + row * i;
    // At least a sliver, so that no loss is invisible.
    const double length = std::max(3.0, bar_width * l.lost / most);
    svg += Text(4, y + 17, l.label);
    svg += "<rect x=\"" + Num(label_width) + "\" y=\"" + Num(y + 4) + "\" width=\"" + Num(length) +
           "\" height=\"16\" fill=\"#8b1a1a\"/>";
    svg += Text(label_width + length + 8, y + 17, l.text);
  }
  return svg + "</svg>";
}

// A caption not yet numbered. Every text a page shows is escaped, so only
// Captioned writes this markup.
constexpr absl::string_view kUnnumberedCaption = "<figcaption>图：";

std::string Captioned(const std::string& svg, const std::string& caption) {
  return absl::StrCat("<figure>", svg, kUnnumberedCaption, HtmlEscape(caption),
                      "</figcaption></figure>");
}

std::string NumberFigures(absl::string_view html) {
  std::string numbered;
  int figure = 0;
  for (size_t at = 0;;) {
    const size_t found = html.find(kUnnumberedCaption, at);
    if (found == absl::string_view::npos) {
      absl::StrAppend(&numbered, html.substr(at));
      return numbered;
    }
    absl::StrAppend(&numbered, html.substr(at, found - at), "<figcaption>图 ", ++figure, "　");
    at = found + kUnnumberedCaption.size();
  }
}

std::string HistogramSvg(const std::vector<std::pair<std::string, int>>& bins,
                         const std::string& title) {
  const double width = 520, height = 260, left = 40, bottom = 40, top = 20;
  int max_count = 1;
  for (const auto& [label, count] : bins) max_count = std::max(max_count, count);
  double slot = (width - left - 10) / std::max<size_t>(bins.size(), 1);
  std::string svg = Open(width, height, title);
  for (size_t i = 0; i < bins.size(); ++i) {
    double h = (height - top - bottom) * bins[i].second / max_count;
    double x = left + slot * i + slot * 0.15;
    svg += "<rect x=\"" + Num(x) + "\" y=\"" + Num(height - bottom - h) + "\" width=\"" +
           Num(slot * 0.7) + "\" height=\"" + Num(h) + "\" fill=\"#3b6ea5\"/>";
    svg += Text(x + slot * 0.35, height - bottom - h - 5, std::to_string(bins[i].second),
                "text-anchor=\"middle\"");
    svg += Text(x + slot * 0.35, height - bottom + 18, bins[i].first, "text-anchor=\"middle\"");
  }
  return svg + "</svg>";
}

}  // namespace jixiao::render
