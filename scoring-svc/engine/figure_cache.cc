#include "scoring-svc/engine/figure_cache.h"

namespace jixiao::engine {
namespace {

FigureCache::Figure Read(const FieldPath& path, const ReportInputs& inputs) {
  FigureCache::Figure figure;
  figure.decimal = path.Find(inputs);
  if (figure.decimal != nullptr) {
    figure.value = Interval::FromText(figure.decimal->value(), &figure.decimals);
  }
  return figure;
}

}  // namespace

const FigureCache::Figure& FigureCache::Get(const FieldPath& path, const ReportInputs& inputs) {
  const int slot = path.slot();
  if (slot < 0 || static_cast<size_t>(slot) >= entries_.size()) {
    fresh_ = Read(path, inputs);
    return fresh_;
  }
  Entry& entry = entries_[slot];
  if (!entry.read) {
    entry.figure = Read(path, inputs);
    entry.read = true;
  }
  return entry.figure;
}

}  // namespace jixiao::engine
