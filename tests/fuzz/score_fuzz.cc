// Fuzzes scoring arbitrary reports: the bytes are a serialized
// jixiao.v1.Report (or, starting with '{', its JSON), scored against the
// default scheme, and against the shipped 岳阳 scheme (declared figures,
// targets, checklists) with the same report, a year earlier, as last
// year's. Whatever the figures, scoring returns a card or a status, never
// a crash, and a card's scores lie within their weights.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/report/decimal.h"
#include "google/protobuf/util/json_util.h"
#include "scoring-svc/engine/engine.h"

namespace {

const jixiao::engine::CompiledScheme& SecondScheme() {
  static const std::shared_ptr<const jixiao::engine::CompiledScheme> scheme = [] {
    auto loaded = jixiao::engine::LoadSchemeFile(std::string(JIXIAO_SOURCE_DIR) +
                                                 "/schemes/yueyang-dept-overall-v1.textproto");
    if (!loaded.ok()) std::abort();  // the shipped scheme must load
    return *loaded;
  }();
  return *scheme;
}

void ScoreWithin(const jixiao::v1::Report& report, const jixiao::engine::CompiledScheme& scheme,
                 const jixiao::engine::ScoreOptions& options) {
  auto card = jixiao::engine::ScoreReport(report, scheme, options);
  if (!card.ok()) return;
  for (const auto& indicator : card->indicators()) {
    auto score = jixiao::report::ParseDecimal(indicator.score());
    auto weight = jixiao::report::ParseDecimal(indicator.weight());
    if (!score.ok() || !weight.ok() || score->value < 0 || score->value > weight->value) {
      std::abort();  // a score outside [0, weight] is a bug
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jixiao::v1::Report report;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  bool parsed = !bytes.empty() && bytes[0] == '{'
                    ? google::protobuf::util::JsonStringToMessage(bytes, &report).ok()
                    : report.ParseFromString(bytes);
  if (!parsed) return 0;
  ScoreWithin(report, *jixiao::engine::DefaultScheme(), {});
  jixiao::v1::Report prior = report;
  prior.mutable_identity()->set_fiscal_year(report.identity().fiscal_year() - 1);
  jixiao::engine::ScoreOptions options;
  options.prior = &prior;
  ScoreWithin(report, SecondScheme(), options);
  ScoreWithin(report, SecondScheme(), {});
  return 0;
}
