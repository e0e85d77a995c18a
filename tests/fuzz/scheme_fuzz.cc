// Fuzzes scheme loading: any text must load or be refused with a status,
// and a scheme that loads must score a report without crashing. The same
// text is also parsed as one formula on its own, so that the formula
// grammar's recursion (parentheses, unary minus, calls, long chains) is
// reached directly, not only through a scheme that happens to parse.

#include <cstddef>
#include <cstdint>
#include <string>

#include "scoring-svc/engine/engine.h"
#include "scoring-svc/engine/formula.h"

namespace {

jixiao::v1::Report FuzzReport() {
  jixiao::v1::Report report;
  report.mutable_identity()->set_department_code("F1");
  report.mutable_identity()->set_department_name("fuzz");
  report.mutable_identity()->set_fiscal_year(2019);
  report.mutable_procurement()->mutable_budget()->set_value("100");
  report.mutable_procurement()->mutable_actual()->set_value("0");
  return report;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const jixiao::v1::Report report = FuzzReport();
  std::string text(reinterpret_cast<const char*>(data), size);

  auto formula = jixiao::engine::Formula::Parse(
      text, [](absl::string_view name) -> std::optional<int> {
        return name == "m" ? std::optional<int>(0) : std::nullopt;
      });
  if (formula.ok()) {
    static const jixiao::engine::Evaluation missing;
    (void)formula->Evaluate(
        report, [](int, std::string*) -> const jixiao::engine::Evaluation& { return missing; },
        nullptr);
  }

  auto scheme = jixiao::engine::LoadSchemeText(text, "fuzz");
  if (!scheme.ok()) return 0;
  (void)jixiao::engine::ScoreReport(report, **scheme, {});
  return 0;
}
