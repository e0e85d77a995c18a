#include "tools/render/wording.h"

#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

std::string Wording::Words(const std::string& raw) const {
  // A formula's functions in words: mean(a, b) is （a、b）的平均值, and so on
  // (innermost first, for nested calls).
  static const RE2 call(R"((\b(mean|sum|min|max)\(([^()]*)\)))");
  std::string text = raw;
  for (int round = 0; round < 8; ++round) {
    re2::StringPiece whole, function, arguments;
    if (!RE2::PartialMatch(text, call, &whole, &function, &arguments)) break;
    const char* what = function == "mean"  ? "的平均值"
                       : function == "sum" ? "之和"
                       : function == "min" ? "中的最小值"
                                           : "中的最大值";
    const std::string words =
        absl::StrCat("（",
                     absl::StrReplaceAll(absl::string_view(arguments.data(), arguments.size()),
                                         {{", ", "、"}, {",", "、"}}),
                     "）", what);
    const size_t begin = whole.data() - text.data();
    text.replace(begin, whole.size(), words);
  }
  // Ids and paths: lower-case words joined by '.', '_' or '-', some with '@'.
  static const RE2 token(R"(@?[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*)");
  std::string out;
  re2::StringPiece match;
  size_t at = 0;
  while (at < text.size() && token.Match(text, at, text.size(), RE2::UNANCHORED, &match, 1)) {
    const size_t begin = match.data() - text.data();
    out.append(text, at, begin - at);
    absl::string_view word(match.data(), match.size());
    absl::ConsumePrefix(&word, "@");  // a measure is named as a figure is
    const std::string id(word);
    const std::string name = NameOf(id);
    at = begin + match.size();
    if (name == id) {
      out += match.as_string();
      continue;
    }
    out += name;
    // An operator after a named operand is a formula's: in words, and so
    // are those that follow it after a number ("÷ 25 × 100%").
    static const RE2 number(R"(([0-9]+(?:\.[0-9]+)?))");
    for (bool more = true; more;) {
      more = false;
      for (const auto& [op, words] : {std::pair<const char*, const char*>{" * 100", " × 100%"},
                                      {" / ", " ÷ "},
                                      {" * ", " × "},
                                      {" + ", " + "},
                                      {" - ", " − "}}) {
        absl::string_view rest = absl::string_view(text).substr(at);
        if (rest.substr(0, strlen(op)) != op) continue;
        // " * 100" ends the formula's multiplication by a hundred only where
        // no digit follows (not " * 1000").
        if (op == std::string(" * 100") && rest.size() > 6 && absl::ascii_isdigit(rest[6]))
          continue;
        out += words;
        at += strlen(op);
        re2::StringPiece operand(text.data() + at, text.size() - at);
        std::string digits;
        if (RE2::Consume(&operand, number, &digits)) {
          out += digits;
          at += digits.size();
          more = true;
        }
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
  // What the engine calls 缺失 a document calls 未填报, as it does in its text.
  return absl::StrReplaceAll(tight, {{"缺失", "未填报"}});
}

}  // namespace jixiao::render
