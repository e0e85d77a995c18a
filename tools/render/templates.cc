// Templates (built in, or overridden from a directory), Mustache, and
// Markdown to HTML: what every document is made with.

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <dirent.h>

#include <cstdlib>
#include <functional>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/base/files.h"
#include "tools/render/document_parts.h"
#include "tools/render/formatting.h"
#include "tools/render/render.h"

namespace jixiao::render {

// Defined in the generated builtin_templates.cc.
const std::map<std::string, std::string>& BuiltInTemplates();

std::string Mustache(const std::string& text, const mstch::node& view, bool html_escape) {
  static std::mutex mutex;  // mstch's escape function is global
  std::lock_guard<std::mutex> lock(mutex);
  mstch::config::escape = html_escape ? std::function<std::string(const std::string&)>(HtmlEscape)
                                      : [](const std::string& s) { return s; };
  return mstch::render(text, view);
}

std::string Cell(std::string text) {
  absl::StrReplaceAll({{"|", "\\|"}, {"\n", " "}}, &text);
  return text;
}

Templates Templates::BuiltIn() {
  Templates templates;
  templates.templates_ = BuiltInTemplates();
  return templates;
}

absl::StatusOr<Templates> Templates::WithOverrides(const std::string& directory) {
  Templates templates = BuiltIn();
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr)
    return absl::NotFoundError(absl::StrCat("cannot read template directory ", directory));
  closedir(dir);
  for (auto& [path, text] : templates.templates_) {
    // A template the directory does not hold stays the built-in one.
    absl::StatusOr<std::string> override_text = base::ReadFile(directory + "/" + path);
    if (override_text.ok()) text = *std::move(override_text);
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) continue;
    // A set's template under its bare name stands for it in every set.
    std::string name = path.substr(slash + 1);
    absl::StatusOr<std::string> by_name = base::ReadFile(directory + "/" + name);
    if (by_name.ok()) templates.by_name_[name] = *std::move(by_name);
  }
  return templates;
}

const std::string& Templates::Get(const std::string& name, const std::string& set) const {
  static const std::string empty;
  if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
  for (const std::string& path :
       {set.empty() ? std::string() : set + "/" + name, "generic/" + name, name}) {
    if (auto it = templates_.find(path); it != templates_.end()) return it->second;
  }
  return empty;
}

std::string MarkdownToHtml(const std::string& markdown) {
  cmark_gfm_core_extensions_ensure_registered();
  const int options = CMARK_OPT_UNSAFE;  // keeps the charts; text is escaped beforehand
  cmark_parser* parser = cmark_parser_new(options);
  cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension("table"));
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  cmark_node* document = cmark_parser_finish(parser);
  char* html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser));
  std::string out(html);
  free(html);
  cmark_node_free(document);
  cmark_parser_free(parser);
  return out;
}

}  // namespace jixiao::render
