// Report field paths such as "quarterly.q2.cumulative_spending".
//
// A scheme names report figures by dotted paths of proto field names. Paths
// are checked once, when a scheme is loaded, against the Report descriptor:
// every step but the last must be a singular message field, and the last a
// jixiao.v1.Decimal; or the path is "figures.ID", a figure of Report.figures
// that the scheme declares. "prior.PATH" is PATH in the same department's
// report for the previous fiscal year. Thread-safe: immutable after Compile.

#ifndef JIXIAO_SCORING_SVC_ENGINE_FIELD_PATH_H_
#define JIXIAO_SCORING_SVC_ENGINE_FIELD_PATH_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "jixiao/v1/decimal.pb.h"
#include "jixiao/v1/report.pb.h"

namespace jixiao::engine {

// The ids of the figures a scheme declares (Scheme.figures).
using FigureIds = absl::flat_hash_set<std::string>;

// A scheme's distinct field paths, numbered as they compile (by text, so
// that every formula reading "procurement.budget" shares its number): one
// score then finds and reads each figure once (FigureCache).
using FieldSlots = absl::flat_hash_map<std::string, int>;

class FigureCache;

// The reports a path reads: the one scored, and last year's (null: none);
// and the figures already read from them (null: read each afresh).
struct ReportInputs {
  const v1::Report* report;
  const v1::Report* prior = nullptr;
  FigureCache* figures = nullptr;
};

class FieldPath {
 public:
  // Resolves `path` against `root`. INVALID_ARGUMENT names the first step
  // that does not exist or is not of the right kind, or a figure that
  // `figures` (null: none) does not hold. `slots` (null: none) numbers it.
  static absl::StatusOr<FieldPath> Compile(absl::string_view path,
                                           const google::protobuf::Descriptor* root,
                                           const FigureIds* figures = nullptr,
                                           FieldSlots* slots = nullptr);

  // The figure at this path in `root` (a message of the compiled type), or
  // nullptr if it or any message on the way is absent.
  const v1::Decimal* Find(const google::protobuf::Message& root) const;
  // The figure in inputs.report, or for a prior. path in inputs.prior;
  // nullptr if absent (or no prior report was given).
  const v1::Decimal* Find(const ReportInputs& inputs) const;

  // Whether the path reads last year's report.
  bool prior() const { return prior_; }

  const std::string& text() const { return text_; }

  // Its number among its scheme's paths; -1 if compiled without FieldSlots.
  int slot() const { return slot_; }

 private:
  static absl::StatusOr<FieldPath> CompilePath(absl::string_view path,
                                               const google::protobuf::Descriptor* root,
                                               const FigureIds* figures);

  std::string text_;
  std::vector<const google::protobuf::FieldDescriptor*> steps_;
  // For "figures.ID": the id, looked up in the Report that steps_ reach.
  std::string figure_id_;
  bool is_figure_ = false;
  bool prior_ = false;
  int slot_ = -1;
};

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_FIELD_PATH_H_
