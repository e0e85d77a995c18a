// Small reports and keys for tests, from the store's unit tests to the
// integration tests that run the services.

#ifndef JIXIAO_COMMON_REPORT_REPORT_TEST_UTIL_H_
#define JIXIAO_COMMON_REPORT_REPORT_TEST_UTIL_H_

#include <gmpxx.h>

#include <string>

#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/storage_service.pb.h"

namespace jixiao::report::testing {

// A report of department `dept` ("部门 DEPT") for `year` that passes
// CheckReport: its identity and a procurement budget of `procurement`.
inline v1::Report MakeReport(const std::string& dept, int year,
                             const std::string& procurement = "100") {
  v1::Report report;
  report.mutable_identity()->set_department_code(dept);
  report.mutable_identity()->set_department_name("部门 " + dept);
  report.mutable_identity()->set_fiscal_year(year);
  report.mutable_procurement()->mutable_budget()->set_value(procurement);
  return report;
}

// A canonical rational: GMP compares only canonical ones correctly.
inline mpq_class Q(long numerator, long denominator = 1) {
  mpq_class q(numerator, denominator);
  q.canonicalize();
  return q;
}

inline v1::ReportKey Key(const std::string& dept, int year) {
  v1::ReportKey key;
  key.set_department_code(dept);
  key.set_fiscal_year(year);
  return key;
}

}  // namespace jixiao::report::testing

#endif  // JIXIAO_COMMON_REPORT_REPORT_TEST_UTIL_H_
