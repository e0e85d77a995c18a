// Fuzzes scheme loading: any text must load or be refused with a status,
// and a scheme that loads must score a report without crashing.

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto scheme = jixiao::engine::LoadSchemeText(text, "fuzz");
  if (!scheme.ok()) return 0;
  jixiao::v1::Report report;
  report.mutable_identity()->set_department_code("F1");
  report.mutable_identity()->set_department_name("fuzz");
  report.mutable_identity()->set_fiscal_year(2019);
  report.mutable_procurement()->mutable_budget()->set_value("100");
  report.mutable_procurement()->mutable_actual()->set_value("0");
  (void)jixiao::engine::ScoreReport(report, **scheme, {});
  return 0;
}
