// The Jixiao scoring engine: what it promises.
//
// Load an indicator scheme (指标体系) once, then score any number of reports
// against it. Everything here is exact arithmetic on rationals and rounds
// once, half-up, to the precision the scheme states. The engine has no I/O
// beyond reading scheme files and knows nothing of gRPC or storage.
//
//   absl::StatusOr<std::shared_ptr<const CompiledScheme>> scheme =
//       LoadSchemeFile("schemes/dept-overall-v1.textproto");
//   absl::StatusOr<v1::ScoreCard> card = ScoreReport(report, **scheme, {});
//
// Errors are values: bad input comes back as INVALID_ARGUMENT carrying a
// google.rpc.BadRequest with one violation per bad field (field_violations.h).
//
// Thread-safety: a CompiledScheme is immutable and may be shared by any
// number of threads; the free functions are reentrant.

#ifndef JIXIAO_SCORING_SVC_ENGINE_ENGINE_H_
#define JIXIAO_SCORING_SVC_ENGINE_ENGINE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/scheme.pb.h"
#include "jixiao/v1/score_card.pb.h"

namespace jixiao::engine {

struct SchemeParts;  // the compiled form; see compiled_scheme.h

// A scheme checked and compiled for scoring.
class CompiledScheme {
 public:
  explicit CompiledScheme(std::unique_ptr<SchemeParts> parts);
  ~CompiledScheme();
  CompiledScheme(const CompiledScheme&) = delete;
  CompiledScheme& operator=(const CompiledScheme&) = delete;

  // The scheme as it was loaded.
  const v1::Scheme& proto() const;
  const std::string& id() const { return proto().id(); }
  int version() const { return proto().version(); }
  // SchemeDigest(proto()): every card scored with this scheme carries it.
  const std::string& digest() const;

 private:
  friend const SchemeParts& PartsOf(const CompiledScheme& scheme);  // compiled_scheme.h
  std::unique_ptr<SchemeParts> parts_;
};

// Checks and compiles `scheme`. `source` names it in messages (a file name,
// or "request"); `locations`, if given, maps its fields to lines of the text
// it was parsed from. INVALID_ARGUMENT lists every problem with its place:
// unknown field paths or measures, weights that do not add up, rules that
// cannot be evaluated, measure cycles, duplicate ids, bad grade bands.
absl::StatusOr<std::shared_ptr<const CompiledScheme>> CompileScheme(
    const v1::Scheme& scheme, absl::string_view source,
    const google::protobuf::TextFormat::ParseInfoTree* locations = nullptr);

// Parses a scheme written in protobuf text format and compiles it. Syntax
// errors are reported with `source`, line and column.
absl::StatusOr<std::shared_ptr<const CompiledScheme>> LoadSchemeText(absl::string_view text,
                                                                     absl::string_view source);

// Reads and loads a text-format scheme file. NOT_FOUND if it cannot be read.
absl::StatusOr<std::shared_ptr<const CompiledScheme>> LoadSchemeFile(const std::string& path);

// The scheme built into every binary: the default 部门整体支出 scheme
// (schemes/dept-overall-v1.textproto). Never null.
std::shared_ptr<const CompiledScheme> DefaultScheme();

struct ScoreOptions {
  int64_t report_revision = 0;  // recorded in the card
  // The same department's report for the previous fiscal year, which the
  // scheme's prior. paths read; null: none (a measure that needs it is
  // missing, and a finding says so). Checked as the report is.
  const v1::Report* prior = nullptr;
  int64_t prior_revision = 0;  // recorded in the card with the prior's key
  // kSummary: the same arithmetic and results, and only what a ranking or a
  // what-if reads: each indicator's id, level, weight and score, the total
  // and grade, and each finding's severity, code and subject. No names,
  // rules, values, reasons, measures, ranges or inputs.
  enum class Detail { kFull, kSummary };
  Detail detail = Detail::kFull;
};

// Scores `report` against `scheme`: CheckReport, then the scheme-dependent
// checks (manual scores within their indicator's weight), then every
// measure, indicator, check, total and grade. A figure that disagrees with
// another is a finding in the card, never an error status.
absl::StatusOr<v1::ScoreCard> ScoreReport(const v1::Report& report, const CompiledScheme& scheme,
                                          const ScoreOptions& options);

// The findings ScoreReport would give, without the scores.
absl::StatusOr<std::vector<v1::Finding>> ValidateReport(const v1::Report& report,
                                                        const CompiledScheme& scheme,
                                                        const ScoreOptions& options = {});

// The grade bands `scheme` grades with, highest min_score first: its own,
// or, for a scheme that declares none, 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差. (A band
// whose min_score is not a number sorts as 0; the loader refuses such a
// scheme.)
std::vector<v1::GradeBand> GradeBandsOf(const v1::Scheme& scheme);

// What a scheme asks a department to fill in: the form `jixiao scheme
// show` prints and `jixiao template` writes a blank report of.
struct FormInput {
  std::string path;   // a report path, without "prior.": "procurement.actual", "figures.X"
  std::string name;   // 实际政府采购金额; a declared figure's own name
  std::string unit;   // "万元", "%", ...; "" when unknown
  std::string group;  // the heading it is shown under: 政府采购; a figure's own group
  std::string note;   // a declared figure's note
  bool declared_figure = false;      // one of Scheme.figures (else a standard field)
  bool required = false;             // a declared figure marked required
  bool this_year = false;            // read from the report scored
  bool last_year = false;            // read from last year's report (prior.PATH)
  std::vector<std::string> read_by;  // ids of the measures and checks that read it
};
struct FormItem {
  std::string id, text;
  std::string points;     // MODE_EARN: earned when met
  std::string deduction;  // MODE_DEDUCT: lost when not met
  std::string indicator_id, indicator_name;
};
struct FormIndicator {
  std::string id, name, weight;
};
struct SchemeForm {
  // Standard fields in report order, then declared figures in scheme order.
  std::vector<FormInput> inputs;
  std::vector<FormItem> checklist;     // every checklist item, tree order
  std::vector<FormIndicator> manual;   // leaves scored by hand (manual_scores)
  std::vector<FormIndicator> targets;  // leaves scoring performance targets
};
SchemeForm FormOf(const CompiledScheme& scheme);

// The name the standard form gives a report path ("procurement.actual":
// 实际政府采购金额), or "" for a path it does not name.
std::string StandardFieldName(absl::string_view path);

// The unit of the figure at a report path, with or without "prior." and
// ".value": a standard field's ("万元", "%", "人"), or for "figures.ID" the
// unit `scheme` declares it with; "" for a path neither names.
std::string FigureUnit(const v1::Scheme& scheme, absl::string_view path);

// The standard form's figures in report order, each with its name, unit
// and the heading it is shown under (部门预算, 政府采购, ...).
struct StandardField {
  std::string path, name, unit, group;
};
std::vector<StandardField> StandardFields();

// The figure at a report path ("budget.income"; "figures.ID" for a
// declared figure), or null if the report lacks it or the path names none.
const v1::Decimal* FigureAt(const v1::Report& report, const std::string& path);

// True if any finding has error severity.
bool HasErrors(const std::vector<v1::Finding>& findings);
bool HasErrors(const v1::ScoreCard& card);

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_ENGINE_H_
