#include "tools/render/wording.h"

#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::render {
namespace {

void AddIndicators(const google::protobuf::RepeatedPtrField<v1::Indicator>& indicators,
                   std::map<std::string, std::string>& names) {
  for (const v1::Indicator& i : indicators) {
    names.emplace(i.id(), i.name());
    AddIndicators(i.children(), names);
  }
}

}  // namespace

Wording::Wording(const v1::Scheme& scheme, const v1::ScoreCard& card) {
  // Measures and checks first: their names are the ones findings mean.
  for (const v1::MeasureResult& m : card.measures()) names_.emplace(m.id(), m.name());
  for (const v1::Measure& m : scheme.measures()) names_.emplace(m.id(), m.name());
  for (const v1::Check& c : scheme.checks()) names_.emplace(c.id(), c.name());
  for (const v1::IndicatorResult& i : card.indicators()) names_.emplace(i.id(), i.name());
  AddIndicators(scheme.indicators(), names_);
  for (const v1::FigureSpec& f : scheme.figures()) names_.emplace("figures." + f.id(), f.name());
  names_.emplace("total", "自评得分");  // the finding on the department's own total
  const std::string scheme_name = !card.scheme_name().empty() ? card.scheme_name() : scheme.name();
  if (!scheme_name.empty()) {
    names_.emplace(card.scheme_id().empty() ? scheme.id() : card.scheme_id(),
                   "《" + scheme_name + "》");
  }
}

std::string Wording::NameOf(const std::string& id) const {
  if (id.empty()) return id;
  absl::string_view path = id;
  const bool prior = absl::ConsumePrefix(&path, "prior.");
  std::string name;
  if (auto it = names_.find(std::string(path)); it != names_.end()) {
    name = it->second;
  } else {
    name = engine::StandardFieldName(path);
    absl::string_view bare = name;
    absl::ConsumePrefix(&bare, "其中：");  // the form's indentation, not the name
    // "二季度：累计支出数" is the form's row under its heading: 二季度累计支出数.
    name = absl::StrReplaceAll(bare, {{"：", ""}});
  }
  if (name.empty()) return id;
  return prior ? "上年" + name : name;
}

std::string Wording::Words(const std::string& text) const {
  // Ids and paths: lower-case words joined by '.', '_' or '-', some with '@'.
  static const RE2 token(R"(@?[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*)");
  std::string out;
  re2::StringPiece match;
  size_t at = 0;
  while (at < text.size() && token.Match(text, at, text.size(), RE2::UNANCHORED, &match, 1)) {
    const size_t begin = match.data() - text.data();
    out.append(text, at, begin - at);
    absl::string_view word(match.data(), match.size());
    const bool measure = absl::ConsumePrefix(&word, "@");
    const std::string id(word);
    const std::string name = NameOf(id);
    at = begin + match.size();
    if (name == id) {
      out += match.as_string();
      continue;
    }
    out += name;
    // An operator after a named operand is a formula's: in words.
    for (const auto& [op, words] : {std::pair<const char*, const char*>{" * 100", " × 100%"},
                                    {" / ", " ÷ "},
                                    {" * ", " × "}}) {
      if (absl::string_view(text).substr(at).substr(0, strlen(op)) == op) {
        out += words;
        at += strlen(op);
        break;
      }
    }
  }
  out.append(text, at, std::string::npos);
  // The engine spaces ids off from the Chinese around them; names need no
  // such space: "进度 申报 50.9%" is "进度申报 50.9%", "按 二季度…" is "按二季度…".
  // Chinese characters and punctuation: UTF-8 lead bytes E3..E9 and EF, and
  // the quotation marks “ ” (E2 80 9C/9D); not ÷ or ×, which keep their
  // spaces.
  auto chinese = [&](size_t lead) {
    const unsigned char c = out[lead];
    if (c == 0xE2) {
      return lead + 2 < out.size() && static_cast<unsigned char>(out[lead + 1]) == 0x80 &&
             (static_cast<unsigned char>(out[lead + 2]) == 0x9C ||
              static_cast<unsigned char>(out[lead + 2]) == 0x9D);
    }
    return (c >= 0xE3 && c <= 0xE9) || c == 0xEF;
  };
  std::string tight;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == ' ' && i > 0 && i + 1 < out.size()) {
      size_t lead = i - 1;
      while (lead > 0 && (static_cast<unsigned char>(out[lead]) & 0xC0) == 0x80) --lead;
      if (chinese(lead) && chinese(i + 1)) continue;
    }
    tight += out[i];
  }
  return tight;
}

}  // namespace jixiao::render
