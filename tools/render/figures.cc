// A scheme's declared figures (Scheme.figures) as documents show them: by
// group, with names and units, the report's value in place.

#include <algorithm>
#include <set>

#include "common/report/decimal.h"
#include "scoring-svc/engine/engine.h"
#include "tools/render/document_parts.h"

namespace jixiao::render {

std::vector<FigureGroup> GroupFigures(const v1::Scheme& scheme,
                                      const std::vector<const v1::Report*>& reports) {
  std::vector<FigureGroup> groups;
  std::set<std::string> declared;
  for (const v1::FigureSpec& figure : scheme.figures()) {
    declared.insert(figure.id());
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const FigureGroup& g) { return g.name == figure.group(); });
    if (group == groups.end()) group = groups.insert(groups.end(), FigureGroup{figure.group(), {}});
    group->figures.push_back(figure);
  }
  std::set<std::string> undeclared;  // sorted: Report.figures is a map
  for (const v1::Report* report : reports) {
    for (const auto& [id, value] : report->figures()) {
      if (!declared.count(id)) undeclared.insert(id);
    }
  }
  if (!undeclared.empty()) {
    FigureGroup other;
    for (const std::string& id : undeclared) {
      v1::FigureSpec figure;
      figure.set_id(id);
      figure.set_name(id);
      other.figures.push_back(std::move(figure));
    }
    groups.push_back(std::move(other));
  }
  return groups;
}

std::string FigureText(const v1::Report& report, const v1::FigureSpec& figure) {
  auto it = report.figures().find(figure.id());
  if (it == report.figures().end()) return kMissing;
  return report::WithUnit(it->second.value(), figure.unit());
}

std::string FindingUnit(const v1::ScoreCard& card, const v1::Scheme& scheme,
                        const v1::Finding& finding) {
  for (const v1::MeasureResult& m : card.measures()) {
    if (m.id() == finding.subject()) return m.unit();
  }
  return engine::FigureUnit(scheme, finding.field_path());
}

}  // namespace jixiao::render
