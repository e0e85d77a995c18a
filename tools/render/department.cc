// One department's page of the year's site: its standing, its card and
// its history (templates/department.html.mustache).

#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "common/report/labels.h"
#include "google/protobuf/util/time_util.h"
#include "tools/render/document_parts.h"
#include "tools/render/formatting.h"
#include "tools/render/render.h"
#include "tools/render/wording.h"

namespace jixiao::render {
std::string DepartmentHtml(const DepartmentPage& page, const Templates& templates) {
  const SummaryRow& row = *page.row;
  mstch::map view{{"code", row.code},
                  {"name", row.name},
                  {"group", row.group},
                  {"status", row.status.empty() ? std::string("未提交") : row.status},
                  {"rank", row.rank > 0 ? std::to_string(row.rank) : std::string()},
                  {"apart", row.apart},
                  {"has_document", page.has_document},
                  {"has_pdf", page.has_pdf}};
  if (page.card != nullptr) {
    const v1::ScoreCard& card = *page.card;
    const Wording words(page.scheme != nullptr ? *page.scheme : v1::Scheme(), card);
    mstch::array levels, findings;
    // Every indicator, the tree shown by indenting, as in the document's table.
    for (const v1::IndicatorResult& i : card.indicators()) {
      std::string indent;
      for (int k = 1; k < i.level(); ++k) indent += "　";  // full-width space
      levels.push_back(mstch::map{{"name", indent + i.name()},
                                  {"top", i.level() == 1},
                                  {"weight", i.weight()},
                                  {"value", i.value()},
                                  {"score", i.score()},
                                  {"deductions", Deductions(i, words)}});
    }
    for (const v1::Finding& f : card.findings()) {
      const std::string unit =
          FindingUnit(card, page.scheme != nullptr ? *page.scheme : v1::Scheme(), f);
      findings.push_back(
          mstch::map{{"severity", std::string(report::SeverityLabel(f.severity()).chinese)},
                     {"error", f.severity() == v1::SEVERITY_ERROR},
                     {"subject", words.NameOf(f.subject())},
                     {"message", words.Words(f.message())},
                     {"declared", report::WithUnit(f.declared(), unit)},
                     {"computed", report::WithUnit(f.computed(), unit)}});
    }
    view["card"] = mstch::map{{"total", card.total_score()},
                              {"weight", card.total_weight()},
                              {"grade", card.grade()},
                              {"declared", card.declared_total()},
                              {"gap", row.gap},
                              {"revision", std::to_string(card.report().revision())},
                              {"stale", row.stale},
                              {"levels", levels},
                              {"findings", findings},
                              {"has_findings", !findings.empty()}};
  }
  mstch::array history;
  for (const v1::ReportRevision& r : page.history) {
    history.push_back(mstch::map{{"revision", std::to_string(r.revision())},
                                 {"kind", std::string(report::RevisionKindLabel(r).chinese)},
                                 {"status", std::string(report::StatusLabel(r.status()).chinese)},
                                 {"author", r.author()},
                                 {"time", r.has_time() ? BeijingTime(r.time().seconds()) : ""},
                                 {"reason", r.reason()}});
  }
  view["history"] = history;
  view["fiscal_year"] = page.history.empty()
                            ? std::string()
                            : std::to_string(page.history.back().key().fiscal_year());
  return Mustache(templates.Get("department.html.mustache"), view, true);
}

}  // namespace jixiao::render
