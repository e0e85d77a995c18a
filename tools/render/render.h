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
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/scheme.pb.h"
#include "jixiao/v1/score_card.pb.h"
#include "jixiao/v1/storage_service.pb.h"
#include "jixiao/whatif/v1/whatif.pb.h"

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

// What a printed document says of the report's standing, beside its
// content: a mark on anything not approved, the stored revision, and the
// date of the 落款 (signature block).
struct DocumentInfo {
  std::string mark = "草稿";  // 草稿, 未审核, 已退回; "" for an approved report
  int64_t revision = 0;       // the stored revision; 0 for a report file
  std::string date;           // "2026年12月1日"; "" prints none
  // HTML only: a link back (the site's department page), shown on screen
  // and never printed; "" shows none.
  std::string back_link;
};

// The self-evaluation document for `report` and its `card`, worded by the
// template set `scheme` names. `scheme` is the one the card was scored with;
// an empty scheme (id "") means it is not known, and the document follows
// the card alone: the generic set, figures under their ids.
std::string RenderReport(const v1::Report& report, const v1::ScoreCard& card,
                         const v1::Scheme& scheme, Format format, const Templates& templates,
                         const DocumentInfo& info = {});

// One department in the year's summary.
struct SummaryRow {
  int rank = 0;  // 0: not ranked (listed apart); ties share a rank (1, 2, 2, 4)
  // Why the row is listed apart, "" if it is ranked: its status (草稿,
  // 已退回) when that status is not ranked; else 未评分 (no card) or
  // 需重新评分 (its card scored earlier content than the report has now, or
  // under another scheme than the year's); 表式不符 (the report carries
  // figures its card's scheme does not declare: filled in for another table);
  // 未提交 for a rostered department with nothing stored.
  std::string apart;
  bool stale = false;       // the card is not of the report as it stands
  bool off_roster = false;  // stored, but the year's roster does not list it
  std::string code;
  std::string name;
  std::string group;           // the roster's, e.g. 行政
  std::string total;           // verified; "" if not scored
  std::string declared_total;  // the department's own; "" if it declared none
  std::string gap;             // declared − verified, signed ("+1.50"); "" unless both
  std::string grade;
  int64_t card_revision = 0;  // the revision the card scored; 0 if none
  std::string card_time;  // when it was saved, Beijing time: "2026-12-01 18:00"; "" if not known
  std::vector<std::string> level_scores;  // per 一级 indicator, in scheme order
  int errors = 0, warnings = 0, infos = 0;
  std::vector<std::string> error_subjects;  // what each error finding is about, once each (ids)
  std::vector<std::string> error_subject_names;  // the same as people name them
  std::string status;                       // 草稿, 已提交, ...; "" for 未提交
};

// One grade of the scheme and how many ranked departments have it.
struct GradeBin {
  std::string grade;  // "优"
  std::string label;  // with its range: "优 ≥90", "中 ≥60 且 <80", "差 <60"
  int count = 0;
};

// The rank as printed: the number, else why the row is apart (else
// `unranked`).
std::string RankText(const SummaryRow& row, const std::string& unranked);

// Where the year stands: how many departments are at each step. Over every
// stored report of the year and the roster, whatever the rows shown.
struct Progress {
  int rostered = -1;  // -1: the year has no roster
  int not_started = 0, draft = 0, submitted = 0, returned = 0, approved = 0;
  int off_roster = 0;  // stored reports of departments the roster does not list
};

// The progress line: "名册 6 个部门：未提交 1，草稿 1，已提交 2，已退回 1，审核通过 1".
std::string ProgressText(const Progress& progress);

struct Summary {
  int fiscal_year = 0;
  std::string scheme_name;               // "" if not known
  std::string scheme_citation;           // 《name》edition (SchemeCitation); "" if not known
  std::vector<std::string> level_names;  // the scheme's 一级 indicators, in order
  std::vector<GradeBin> grade_bins;      // lowest grade first
  // Ranked rows by rank, then code; then the rows apart, by reason, then code.
  std::vector<SummaryRow> rows;
  // The mean of the ranked rows' total and of each 一级 score, to 2 places
  // (half up); "" with no ranked row.
  std::string average_total;
  std::vector<std::string> level_averages;
  Progress progress;
};

struct SummaryOptions {
  // Which departments must report (null: no roster): each is listed, those
  // with nothing stored as 未提交; stored reports it lacks are flagged.
  const v1::Roster* roster = nullptr;
  // Only reports of this status are listed (and ranked); unspecified: all
  // are, submitted and approved ones ranked and the rest listed apart.
  v1::ReportStatus only = v1::REPORT_STATUS_UNSPECIFIED;
};

// Ranks a year's reports by their cards' totals. `cards` holds the latest
// card of each scored report; a report without one, or whose card scored
// an earlier content than it has now (ReportRevision.content_revision), is
// listed apart. `scheme` gives the level columns (Scheme.indicators) and
// the grade bins (Scheme.grades, or the engine's default bands when it has
// none); an empty scheme (id "") means not known: the columns are the 一级
// indicators the cards hold, and the bins the grades they were given.
Summary BuildSummary(int fiscal_year, const std::vector<v1::ReportRevision>& reports,
                     const std::vector<v1::ScoreCard>& cards, const v1::Scheme& scheme,
                     const SummaryOptions& options = {});

// The summary's columns, and a row's cells under them (`unranked`: the
// rank cell of a row apart without a reason), as the table, CSV and HTML
// show them.
std::vector<std::string> SummaryHeader(const Summary& summary);
std::vector<std::string> SummaryCells(const SummaryRow& row, const std::string& unranked);
// The averages over the ranked rows under the same columns (平均（已排名）,
// the total and each level's); empty where nothing is ranked.
std::vector<std::string> SummaryAverageCells(const Summary& summary);

// UTF-8 with a byte-order mark, so that Excel and WPS read the Chinese text.
std::string SummaryCsv(const Summary& summary);
// With `documents` (the year's site), each stored department's name links
// to its page (CODE/index.html), and those in `documents` to their document
// too (CODE/report.html).
std::string SummaryHtml(const Summary& summary, const Templates& templates,
                        const std::set<std::string>* documents = nullptr);

// One department's page of the year's site (jixiao site): where its report
// stands, its card (the total, the 一级 scores, the findings, named as
// people name them) and every revision of it, with a link to its document.
struct DepartmentPage {
  const SummaryRow* row = nullptr;          // its line in the year's summary
  std::vector<v1::ReportRevision> history;  // every revision, oldest first
  const v1::ScoreCard* card = nullptr;      // null: not scored
  const v1::Scheme* scheme = nullptr;       // the card's; may be empty
  bool has_document = false;                // report.html beside the page
  bool has_pdf = false;                     // and report.pdf
};
std::string DepartmentHtml(const DepartmentPage& page, const Templates& templates);
// The same as an .xlsx workbook at `path`: the progress line, a frozen
// header with filters, scores as numbers shown with their decimals, the
// averages below.
absl::Status SummaryXlsx(const Summary& summary, const std::string& path);

// One department's two reports (two years) side by side: every indicator
// either card holds, and the figures `scheme` declares (by group), with the
// change. `scheme` is card_a's; empty (id "") if not known, and then the
// figures are listed under their ids.
// Each indicator's value change (rates in 个百分点) is shown beside its
// score change, then the standard form's amounts and the scheme's own
// figures with their change in 万元 and in percent; the largest moves are
// marked. With `changed_only`, rows that did not change are left out.
// With `info_a` and `info_b`, each side's standing (its mark, or 审核通过)
// and error findings are said at the top.
std::string RenderCompare(const v1::Report& report_a, const v1::ScoreCard& card_a,
                          const v1::Report& report_b, const v1::ScoreCard& card_b,
                          const v1::Scheme& scheme, Format format, const Templates& templates,
                          bool changed_only = false, const DocumentInfo* info_a = nullptr,
                          const DocumentInfo* info_b = nullptr);

// CommonMark with GitHub tables to HTML; raw HTML blocks (the charts) kept.
std::string MarkdownToHtml(const std::string& markdown);

// What-if's answer (jixiao whatif) for people: every department's move
// (WhatIf.all) as CSV; the same with the grade changes, the distributions
// and each indicator's effect as an .xlsx workbook at `path`, a sheet each;
// and all of it as one self-contained HTML page (whatif.html.mustache).
std::string WhatIfCsv(const whatif::v1::WhatIf& result);
absl::Status WhatIfXlsx(const whatif::v1::WhatIf& result, const std::string& path);
std::string WhatIfHtml(const whatif::v1::WhatIf& result, const Templates& templates);

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_RENDER_H_
