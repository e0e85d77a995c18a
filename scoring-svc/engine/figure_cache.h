// The figures one score reads, each found in its report and parsed once,
// however many formulas, declared values and checks read it: a scheme
// numbers its distinct field paths when it compiles (FieldPath::slot), and
// a score keeps one entry per number. Not thread-safe: one per score.

#ifndef JIXIAO_SCORING_SVC_ENGINE_FIGURE_CACHE_H_
#define JIXIAO_SCORING_SVC_ENGINE_FIGURE_CACHE_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "jixiao/v1/decimal.pb.h"
#include "scoring-svc/engine/field_path.h"
#include "scoring-svc/engine/interval.h"

namespace jixiao::engine {

class FigureCache {
 public:
  struct Figure {
    const v1::Decimal* decimal = nullptr;  // null: absent
    std::optional<Interval> value;         // absent, or not a number: nullopt
    int decimals = 0;                      // as written
  };

  // `slots`: how many paths the scheme numbered (FieldSlots' size).
  explicit FigureCache(size_t slots) : entries_(slots) {}

  // The figure at `path` in `inputs`, read on the first call for its
  // number. A path without a number (or past `slots`) is read afresh, and
  // the answer holds until the next call.
  const Figure& Get(const FieldPath& path, const ReportInputs& inputs);

 private:
  struct Entry {
    bool read = false;
    Figure figure;
  };
  std::vector<Entry> entries_;
  Figure fresh_;
};

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_FIGURE_CACHE_H_
