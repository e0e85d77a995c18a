// What the documents share, inside the render library: filling a Mustache
// template, and a table cell's text. Not for callers outside tools/render.

#ifndef JIXIAO_TOOLS_RENDER_DOCUMENT_PARTS_H_
#define JIXIAO_TOOLS_RENDER_DOCUMENT_PARTS_H_

#include <string>

#include "mstch/mstch.hpp"

namespace jixiao::render {

// Renders `text` with `view`, escaping {{values}} for HTML or not at all.
// Thread-safe (mstch's escape setting is global; calls take turns).
std::string Mustache(const std::string& text, const mstch::node& view, bool html_escape);

// A Markdown table cell: no line breaks, pipes escaped.
std::string Cell(std::string text);

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_DOCUMENT_PARTS_H_
