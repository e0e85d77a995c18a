// Helpers for engine tests: a one-indicator scheme around a rule, and a
// minimal valid report.

#ifndef JIXIAO_SCORING_SVC_ENGINE_TEST_UTIL_H_
#define JIXIAO_SCORING_SVC_ENGINE_TEST_UTIL_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::engine::testing {

// A report with just an identity.
inline v1::Report MinimalReport() {
  v1::Report report;
  report.mutable_identity()->set_department_code("T-001");
  report.mutable_identity()->set_department_name("测试部门");
  report.mutable_identity()->set_fiscal_year(2019);
  return report;
}

// A scheme with one leaf indicator of `weight` scoring measure "v" (the
// report's procurement.declared_execution_rate, in %, 2 decimals) by `rule`
// (text format of jixiao.v1.Rule's body).
inline std::shared_ptr<const CompiledScheme> OneRuleScheme(const std::string& rule,
                                                           const std::string& weight) {
  std::string text = absl::StrCat("id: \"t\" version: 1 name: \"t\" total_weight: \"", weight,
                                  "\" score_decimals: 4\n",
                                  "measures { id: \"v\" name: \"值\" unit: \"%\" decimals: 2 "
                                  "formula: \"procurement.actual / procurement.budget * 100\" "
                                  "declared: \"procurement.declared_execution_rate\" }\n",
                                  "indicators { id: \"leaf\" name: \"leaf\" weight: \"", weight,
                                  "\" measure: \"v\" rule { ", rule, " } }\n");
  auto scheme = LoadSchemeText(text, "test");
  EXPECT_TRUE(scheme.ok()) << scheme.status();
  return scheme.ok() ? *scheme : nullptr;
}

// The card's first finding with `code`; null if none.
inline const v1::Finding* FindingWithCode(const v1::ScoreCard& card, const std::string& code) {
  for (const v1::Finding& finding : card.findings()) {
    if (finding.code() == code) return &finding;
  }
  return nullptr;
}

// The leaf's score when the measure's value is `value`.
inline v1::IndicatorResult ScoreValue(const CompiledScheme& scheme, const std::string& value) {
  v1::Report report = MinimalReport();
  report.mutable_procurement()->mutable_declared_execution_rate()->set_value(value);
  auto card = ScoreReport(report, scheme, {});
  EXPECT_TRUE(card.ok()) << card.status();
  return card.ok() ? card->indicators(0) : v1::IndicatorResult();
}

}  // namespace jixiao::engine::testing

#endif  // JIXIAO_SCORING_SVC_ENGINE_TEST_UTIL_H_
