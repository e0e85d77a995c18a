// Synthetic reports for benchmarks: many departments, years, amounts and
// precisions, checklist answers, and a share with inconsistent figures,
// all determined by a seed.
//
// Every report is derived from the seed's report (examples/longhua-2019.json).
// A fixed number of numeric profiles are made first: the money figures
// scaled by a per-profile factor and written with a per-profile number of
// decimals, then every declared rate and every figure that a check compares
// recomputed by the engine itself until the default scheme finds no
// contradiction. Report(i) then takes profile i mod N and gives it its own
// department, year, name, narrative and checklist answers; a configurable
// share gets one declared rate pushed out of line, which the engine reports
// as an error. Reports are independent, so any index can be made on any
// thread in any order.
//
// Thread-safety: a ReportGenerator is immutable after construction.

#ifndef JIXIAO_TOOLS_BENCH_REPORT_GENERATOR_H_
#define JIXIAO_TOOLS_BENCH_REPORT_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "jixiao/v1/report.pb.h"

namespace jixiao::bench {

struct GeneratorOptions {
  uint64_t seed = 1;
  int profiles = 64;                // distinct sets of figures
  int inconsistent_per_mille = 50;  // reports with a contradicted rate, per 1000
  int fiscal_year = 0;              // every report's; 0: each drawn from 2015–2025
};

class ReportGenerator {
 public:
  explicit ReportGenerator(const GeneratorOptions& options);

  // The report with this index. The same options and index give the same
  // report, byte for byte. Department codes are unique per index.
  v1::Report Report(uint64_t index) const;

  // Whether Report(index) had a rate pushed out of line.
  bool IsInconsistent(uint64_t index) const;

  const GeneratorOptions& options() const { return options_; }

 private:
  GeneratorOptions options_;
  std::vector<v1::Report> profiles_;
  std::vector<std::string> declared_rate_paths_;  // fields an inconsistency may touch
};

// The seed's report, as transcribed in examples/longhua-2019.json.
const v1::Report& SeedReport();

}  // namespace jixiao::bench

#endif  // JIXIAO_TOOLS_BENCH_REPORT_GENERATOR_H_
