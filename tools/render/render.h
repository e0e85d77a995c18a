// Printing Jixiao's documents: the self-evaluation report (the seed is one),
// the year's summary across departments, and a department's two years side
// by side. Every document follows the scheme its cards were scored with:
// its figures, measures, indicators and grade bands; nothing here knows the
// default scheme.
//
// Wording lives in Mustache templates (templates/*.mustache), built into the
// binary and overridable from a directory, so a finance bureau can change a
// sentence without touching C++. A scheme names the template set its report
// document is worded with (Scheme.document_templates): "" is the generic
// set (templates/generic/), which lays out whatever the scheme declares;
// "dept-overall" is the standard form's wording (templates/dept-overall/).
// The report's Markdown template is the only place its wording is written:
// HTML is that Markdown converted with cmark-gfm, inside a page template,
// with SVG charts.

#ifndef JIXIAO_TOOLS_RENDER_RENDER_H_
#define JIXIAO_TOOLS_RENDER_RENDER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/scheme.pb.h"
#include "jixiao/v1/score_card.pb.h"
#include "jixiao/v1/storage_service.pb.h"

namespace jixiao::render {

enum class Format { kMarkdown, kHtml };

// The templates to render with: the built-in ones, any of which a directory
// may replace. Shared by every document: report.html.mustache (the page),
// summary.html.mustache, compare.md.mustache. Per template set SET:
// SET/report.md.mustache. Thread-compatible; immutable once made.
class Templates {
 public:
  static Templates BuiltIn();
  // The built-in templates with those `directory` holds in their place: a
  // file at a template's own path (dept-overall/report.md.mustache) replaces
  // it, and a file named as a template without its set (report.md.mustache)
  // replaces that template in every set. NOT_FOUND if `directory` cannot be
  // read.
  static absl::StatusOr<Templates> WithOverrides(const std::string& directory);
  // The template `name` ("report.md.mustache") of the set `set`: a
  // directory's file of that bare name, else the set's own, else the generic
  // set's, else the shared one; "" if there is none. A set with no template
  // of its own (or no built-in set of that name) thus prints generically.
  const std::string& Get(const std::string& name, const std::string& set = "") const;

 private:
  std::map<std::string, std::string> templates_;  // by path: "generic/report.md.mustache"
  std::map<std::string, std::string> by_name_;    // a directory's bare-named files
};

// The self-evaluation document for `report` and its `card`, worded by the
// template set `scheme` names. `scheme` is the one the card was scored with;
// an empty scheme (id "") means it is not known, and the document follows
// the card alone: the generic set, figures under their ids.
std::string RenderReport(const v1::Report& report, const v1::ScoreCard& card,
                         const v1::Scheme& scheme, Format format, const Templates& templates);

// One department in the year's summary.
struct SummaryRow {
  int rank = 0;  // 0: not ranked (not scored, or stale); ties share a rank (1, 2, 2, 4)
  // The card scored an earlier content of the report than it has now: its
  // scores are shown, not ranked (需重新评分).
  bool stale = false;
  std::string code;
  std::string name;
  std::string total;  // "" if not scored
  std::string grade;
  std::vector<std::string> level_scores;  // per 一级 indicator, in scheme order
  int errors = 0, warnings = 0, infos = 0;
  std::string status;
};

// One grade of the scheme and how many scored departments have it.
struct GradeBin {
  std::string grade;  // "优"
  std::string label;  // with its range: "优 ≥90", "中 60–80", "差 <60"
  int count = 0;
};

// The rank as printed: the number, 需重新评分 for a stale card, else
// `unranked`.
std::string RankText(const SummaryRow& row, const std::string& unranked);

struct Summary {
  int fiscal_year = 0;
  std::string scheme_name;               // "" if not known
  std::vector<std::string> level_names;  // the scheme's 一级 indicators, in order
  std::vector<GradeBin> grade_bins;      // lowest grade first
  std::vector<SummaryRow> rows;          // by rank, then code; unscored last
};

// Ranks every report of a year by its card's total. `cards` holds the
// latest card of each scored report; reports without one, or whose card
// scored an earlier content than the report's (ReportRevision.
// content_revision), are listed unranked. `scheme` gives the level columns (Scheme.indicators) and
// the grade bins (Scheme.grades, or the engine's default bands when it has none); an empty scheme
// (id "") means not known: the columns are the 一级 indicators the cards hold, and the bins the
// grades they were given.
Summary BuildSummary(int fiscal_year, const std::vector<v1::ReportRevision>& reports,
                     const std::vector<v1::ScoreCard>& cards, const v1::Scheme& scheme);

// UTF-8 with a byte-order mark, so that Excel and WPS read the Chinese text.
std::string SummaryCsv(const Summary& summary);
std::string SummaryHtml(const Summary& summary, const Templates& templates);

// One department's two reports (two years) side by side: every indicator
// either card holds, and the figures `scheme` declares (by group), with the
// change. `scheme` is card_a's; empty (id "") if not known, and then the
// figures are listed under their ids.
std::string RenderCompare(const v1::Report& report_a, const v1::ScoreCard& card_a,
                          const v1::Report& report_b, const v1::ScoreCard& card_b,
                          const v1::Scheme& scheme, Format format, const Templates& templates);

// CommonMark with GitHub tables to HTML; raw HTML blocks (the charts) kept.
std::string MarkdownToHtml(const std::string& markdown);

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_RENDER_H_
