// Fuzzes the figure grammar: the check's ScanDecimal and the engine's
// ParseDecimal must agree on every text: which pass, the error of those
// that do not, and each figure's decimals, zero, sign and order against a
// few bounds. A disagreement aborts.

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "common/report/decimal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = jixiao::report::ParseDecimal(text);
  auto scanned = jixiao::report::ScanDecimal(text);
  if (parsed.ok() != scanned.ok()) std::abort();
  if (!parsed.ok()) {
    if (parsed.status() != scanned.status()) std::abort();
    return 0;
  }
  if (scanned->decimals() != parsed->decimals) std::abort();
  if (scanned->IsZero() != (parsed->value == 0)) std::abort();
  if (scanned->IsNegative() != (parsed->value < 0)) std::abort();
  for (unsigned long bound : {0UL, 1UL, 100UL, 1000UL, 999999999999999999UL}) {
    if (scanned->Exceeds(bound) != (parsed->value > mpq_class(bound))) std::abort();
  }
  return 0;
}
