// Fuzzes report JSON import: any text must parse or be refused, and a
// parsed report must be checked, refused or scored without crashing.

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/report/check_report.h"
#include "google/protobuf/util/json_util.h"
#include "scoring-svc/engine/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  jixiao::v1::Report report;
  if (!google::protobuf::util::JsonStringToMessage(text, &report).ok()) return 0;
  if (!jixiao::report::CheckReport(report).ok()) return 0;
  (void)jixiao::engine::ScoreReport(report, *jixiao::engine::DefaultScheme(), {});
  return 0;
}
