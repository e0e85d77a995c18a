// Printing Jixiao's documents: the self-evaluation report (the seed is one),
// the year's summary across departments, and a department's two years side
// by side.
//
// Wording lives in Mustache templates (templates/*.mustache), built into the
// binary and overridable from a directory, so a finance bureau can change a
// sentence without touching C++. The report's Markdown template is the only
// place its wording is written: HTML is that Markdown converted with
// cmark-gfm, inside a page template, with SVG charts.

#ifndef JIXIAO_TOOLS_RENDER_RENDER_H_
#define JIXIAO_TOOLS_RENDER_RENDER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/score_card.pb.h"
#include "jixiao/v1/storage_service.pb.h"

namespace jixiao::render {

enum class Format { kMarkdown, kHtml };

// The templates to render with: the built-in set, any of which a directory
// may replace with a file of the same name (report.md.mustache,
// report.html.mustache, summary.html.mustache, compare.md.mustache).
class Templates {
 public:
  static Templates BuiltIn();
  // NOT_FOUND if `directory` cannot be read.
  static absl::StatusOr<Templates> WithOverrides(const std::string& directory);
  const std::string& Get(const std::string& name) const;

 private:
  std::map<std::string, std::string> templates_;
};

// The self-evaluation document for `report` and its `card`.
std::string RenderReport(const v1::Report& report, const v1::ScoreCard& card, Format format,
                         const Templates& templates);

// One department in the year's summary.
struct SummaryRow {
  int rank = 0;  // 0: not scored; ties share a rank (1, 2, 2, 4)
  std::string code;
  std::string name;
  std::string total;  // "" if not scored
  std::string grade;
  std::vector<std::string> level_scores;  // per 一级 indicator, in scheme order
  int errors = 0, warnings = 0, infos = 0;
  std::string status;
};

struct Summary {
  int fiscal_year = 0;
  std::vector<std::string> level_names;  // 一级 indicator names of the cards
  std::vector<SummaryRow> rows;          // by rank, then code; unscored last
};

// Ranks every report of a year by its card's total. `cards` holds the
// latest card of each scored report; reports without one are listed
// unranked.
Summary BuildSummary(int fiscal_year, const std::vector<v1::ReportRevision>& reports,
                     const std::vector<v1::ScoreCard>& cards);

// UTF-8 with a byte-order mark, so that Excel and WPS read the Chinese text.
std::string SummaryCsv(const Summary& summary);
std::string SummaryHtml(const Summary& summary, const Templates& templates);

// One department's two cards (two years) side by side, with the change.
std::string RenderCompare(const v1::Report& report_a, const v1::ScoreCard& card_a,
                          const v1::ScoreCard& card_b, Format format, const Templates& templates);

// CommonMark with GitHub tables to HTML; raw HTML blocks (the charts) kept.
std::string MarkdownToHtml(const std::string& markdown);

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_RENDER_H_
