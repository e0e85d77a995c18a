// Consistency checks between report figures (accounting identities such as
// 基本支出 + 项目支出 = 支出合计), with the tolerance derived from the
// rounding of the figures on each side.

#ifndef JIXIAO_SCORING_SVC_ENGINE_CHECKS_H_
#define JIXIAO_SCORING_SVC_ENGINE_CHECKS_H_

#include <vector>

#include "scoring-svc/engine/compiled_scheme.h"
#include "scoring-svc/engine/measures.h"

namespace jixiao::engine {

// Runs every check of `scheme`, appending a finding for each that fails
// (with the check's severity) and an informational one for each that cannot
// run because inputs are missing. Without `explain`, the same findings with
// severity, code and subject alone.
void RunChecks(const SchemeParts& scheme, const ReportInputs& reports,
               const std::vector<MeasureValues>& measures, bool explain,
               std::vector<v1::Finding>& findings);

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_CHECKS_H_
