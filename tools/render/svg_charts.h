// Inline SVG charts for the HTML pages: no script, no external resource, so
// a page is self-contained and prints as it shows. Coordinates are drawing
// geometry only; every number a reader sees is passed in as text.

#ifndef JIXIAO_TOOLS_RENDER_SVG_CHARTS_H_
#define JIXIAO_TOOLS_RENDER_SVG_CHARTS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

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

// One leaf indicator that lost points.
struct LostPoints {
  std::string label;  // the indicator's name
  double lost = 0;    // drawing geometry only
  std::string text;   // "扣 1.15 分（得 1.85 / 3）"
};

// Where the points went: a bar per leaf that lost points, the longest the
// largest loss, so that a loss of 0.03 on a weight of 6 still shows; with
// a legend.
std::string LostPointsSvg(const std::vector<LostPoints>& leaves, const std::string& title);

// An SVG with its caption below it, for a document's figure; the figure is
// numbered when its page is done (NumberFigures).
std::string Captioned(const std::string& svg, const std::string& caption);
// The page's figures numbered in the order they appear: 图 1, 图 2, ….
std::string NumberFigures(absl::string_view html);

// A line per series over the categories (e.g. quarters), in percent. The
// first series is solid with round markers, the second dashed with square
// ones, the third dotted with triangles, so that they stay apart printed in
// grey.
struct Series {
  std::string name;
  std::vector<std::optional<double>> values;
  std::string color;
  int style = 0;  // 0 solid ●, 1 dashed ■, 2 dotted ▲
};
std::string LinesSvg(const std::vector<std::string>& categories, const std::vector<Series>& series,
                     const std::string& title);

// Vertical bars counting items per bin.
std::string HistogramSvg(const std::vector<std::pair<std::string, int>>& bins,
                         const std::string& title);

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_SVG_CHARTS_H_
