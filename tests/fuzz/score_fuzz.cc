// Fuzzes scoring arbitrary reports against the default scheme: the bytes
// are a serialized jixiao.v1.Report (or, starting with '{', its JSON).
// Whatever the figures, scoring returns a card or a status, never a crash,
// and a card's scores lie within their weights.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/report/decimal.h"
#include "google/protobuf/util/json_util.h"
#include "scoring-svc/engine/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jixiao::v1::Report report;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  bool parsed = !bytes.empty() && bytes[0] == '{'
                    ? google::protobuf::util::JsonStringToMessage(bytes, &report).ok()
                    : report.ParseFromString(bytes);
  if (!parsed) return 0;
  auto card = jixiao::engine::ScoreReport(report, *jixiao::engine::DefaultScheme(), {});
  if (!card.ok()) return 0;
  for (const auto& indicator : card->indicators()) {
    auto score = jixiao::report::ParseDecimal(indicator.score());
    auto weight = jixiao::report::ParseDecimal(indicator.weight());
    if (!score.ok() || !weight.ok() || score->value < 0 || score->value > weight->value) {
      std::abort();  // a score outside [0, weight] is a bug
    }
  }
  return 0;
}
