// What the documents share, inside the render library: filling a Mustache
// template, a table cell's text, and a scheme's figures by group. Not for
// callers outside tools/render.

#ifndef JIXIAO_TOOLS_RENDER_DOCUMENT_PARTS_H_
#define JIXIAO_TOOLS_RENDER_DOCUMENT_PARTS_H_

#include <string>
#include <vector>

#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/scheme.pb.h"
#include "jixiao/v1/score_card.pb.h"
#include "mstch/mstch.hpp"

namespace jixiao::render {

// Renders `text` with `view`, escaping {{values}} for HTML or not at all.
// Thread-safe (mstch's escape setting is global; calls take turns).
std::string Mustache(const std::string& text, const mstch::node& view, bool html_escape);

// A Markdown table cell: no line breaks, pipes escaped.
std::string Cell(std::string text);

// What a document prints for a figure or measure it has no value for.
inline constexpr char kMissing[] = "（未填报）";

// The figures of one group (FigureSpec.group), in the scheme's order.
struct FigureGroup {
  std::string name;  // "" for figures declared without a group
  std::vector<v1::FigureSpec> figures;
};

// The figures a document shows: the scheme's own (Scheme.figures), grouped
// in the order their groups first appear, then every figure one of
// `reports` holds that the scheme does not declare (the whole of
// Report.figures when the scheme is not known), under its id, in a group
// named "".
std::vector<FigureGroup> GroupFigures(const v1::Scheme& scheme,
                                      const std::vector<const v1::Report*>& reports);

// The value `report` gives for the figure, with its unit (Quantity), or
// kMissing.
std::string FigureText(const v1::Report& report, const v1::FigureSpec& figure);

// The indicator's reasons for points lost, worded (`words`), their points
// as the printed scores show them: one reason's points are the weight less
// the score as printed; several are each rounded to the score's decimals.
class Wording;
std::string Deductions(const v1::IndicatorResult& i, const Wording& words);

// The unit a finding's declared and computed values are in: its measure's,
// else its field's (a standard field's, or a declared figure's); "" if
// neither is known.
std::string FindingUnit(const v1::ScoreCard& card, const v1::Scheme& scheme,
                        const v1::Finding& finding);

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_DOCUMENT_PARTS_H_
