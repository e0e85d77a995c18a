// Inline SVG charts for the HTML pages: no script, no external resource, so
// a page is self-contained and prints as it shows. Coordinates are drawing
// geometry only; every number a reader sees is passed in as text.

#ifndef JIXIAO_TOOLS_RENDER_SVG_CHARTS_H_
#define JIXIAO_TOOLS_RENDER_SVG_CHARTS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace jixiao::render {

// One indicator: its score against its weight.
struct ScoreBar {
  std::string label;
  double score = 0;
  double weight = 0;
  std::string text;  // "18.85 / 20"
  int level = 1;     // indented by level
};

// Horizontal bars, one per indicator: the weight as the track, the score
// filled in.
std::string ScoreBarsSvg(const std::vector<ScoreBar>& bars, const std::string& title);

// A line per series over the categories (e.g. quarters), in percent.
struct Series {
  std::string name;
  std::vector<std::optional<double>> values;
  std::string color;
  bool dashed = false;
};
std::string LinesSvg(const std::vector<std::string>& categories, const std::vector<Series>& series,
                     const std::string& title);

// Vertical bars counting items per bin.
std::string HistogramSvg(const std::vector<std::pair<std::string, int>>& bins,
                         const std::string& title);

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_SVG_CHARTS_H_
