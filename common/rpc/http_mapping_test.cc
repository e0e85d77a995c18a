#include "common/rpc/http_mapping.h"

#include "common/report/field_violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jixiao/v1/scoring_service.pb.h"
#include "jixiao/v1/storage_service.pb.h"

namespace jixiao::rpc {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

const HttpMapping& Storage() {
  static const HttpMapping mapping = *HttpMapping::ForServices({"jixiao.v1.StorageService"});
  return mapping;
}

std::string FirstField(const absl::Status& status) {
  auto violations = report::ViolationsOf(status);
  return violations.empty() ? "" : violations.front().field;
}

TEST(HttpMapping, EveryMethodOfBothServicesHasARoute) {
  EXPECT_EQ(Storage().routes().size(), 21u);
  // Linking the messages registers the service in the generated pool.
  ASSERT_NE(v1::ScoreRequest::descriptor(), nullptr);
  auto scoring = HttpMapping::ForServices({"jixiao.v1.ScoringService"});
  ASSERT_TRUE(scoring.ok()) << scoring.status();
  EXPECT_EQ(scoring->routes().size(), 5u);
  EXPECT_FALSE(HttpMapping::ForServices({"jixiao.v1.NoSuchService"}).ok());
}

TEST(HttpMapping, MatchesVariablesVerbsAndCustomVerbs) {
  auto get = Storage().Match("GET", "/v1/reports/LH-ZWFWSJGLJ/2019");
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->route->GrpcName(), "/jixiao.v1.StorageService/GetReport");
  EXPECT_THAT(get->variables, ElementsAre(Pair("key.department_code", "LH-ZWFWSJGLJ"),
                                          Pair("key.fiscal_year", "2019")));
  auto update = Storage().Match("PUT", "/v1/reports/A%2FB/2019");
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(update->route->method->name(), "UpdateReport");
  EXPECT_EQ(update->variables[0].second, "A/B");  // percent-decoded
  auto transition = Storage().Match("POST", "/v1/reports/LH/2019:transition");
  ASSERT_TRUE(transition.ok());
  EXPECT_EQ(transition->route->method->name(), "TransitionReport");
  EXPECT_EQ(transition->variables[1].second, "2019");
  EXPECT_EQ(Storage().Match("GET", "/v1/reports/LH/2019/history")->route->method->name(),
            "GetReportHistory");
  auto assign = Storage().Match("PUT", "/v1/years/2020/scheme");
  ASSERT_TRUE(assign.ok()) << assign.status();
  EXPECT_EQ(assign->route->method->name(), "AssignScheme");
  EXPECT_THAT(assign->variables, ElementsAre(Pair("fiscal_year", "2020")));
  EXPECT_EQ(Storage().Match("GET", "/v1/years/2020/scheme")->route->method->name(),
            "GetSchemeAssignment");
  EXPECT_EQ(Storage().Match("PUT", "/v1/years/2020/roster")->route->method->name(), "SetRoster");
  EXPECT_EQ(Storage().Match("GET", "/v1/years/2020/roster")->route->method->name(), "GetRoster");
  EXPECT_EQ(Storage().Match("GET", "/v1/changes")->route->method->name(), "ListChanges");

  EXPECT_TRUE(absl::IsNotFound(Storage().Match("GET", "/v1/reports/LH").status()));
  EXPECT_TRUE(absl::IsNotFound(Storage().Match("GET", "/v2/reports").status()));
  EXPECT_TRUE(absl::IsNotFound(Storage().Match("POST", "/v1/reports/LH/2019:approve").status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(Storage().Match("PATCH", "/v1/reports").status()));
}

TEST(HttpMapping, BuildsRequestsFromBodyPathAndQuery) {
  auto match = Storage().Match("PUT", "/v1/reports/LH-ZWFWSJGLJ/2019");
  v1::UpdateReportRequest update;
  // The path sets the fields it binds; the body may repeat them.
  ASSERT_TRUE(
      HttpMapping::BuildRequest(*match,
                                R"({"report": {"identity": {"departmentCode": "LH-ZWFWSJGLJ"}},
                      "expected_revision": "3"})",
                                {}, update)
          .ok());
  EXPECT_EQ(update.report().identity().department_code(), "LH-ZWFWSJGLJ");
  EXPECT_EQ(update.report().identity().fiscal_year(), 2019);
  EXPECT_EQ(update.expected_revision(), 3);
  // But not contradict them: the field is named, the body not quoted.
  for (const auto& [body, field] :
       {std::pair{R"({"report": {"identity": {"departmentCode": "X"}}})",
                  "report.identity.department_code"},
        std::pair{R"({"report": {"identity": {"fiscalYear": 2000}}})",
                  "report.identity.fiscal_year"}}) {
    v1::UpdateReportRequest contradicted;
    absl::Status status = HttpMapping::BuildRequest(*match, body, {}, contradicted);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
    EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr(field)) << status;
    EXPECT_THAT(std::string(status.message()), ::testing::Not(::testing::HasSubstr("2000")));
  }

  auto list = Storage().Match("GET", "/v1/reports");
  v1::ListReportsRequest request;
  ASSERT_TRUE(
      HttpMapping::BuildRequest(
          *list, "",
          {{"fiscal_year", "2019"}, {"status", "REPORT_STATUS_SUBMITTED"}, {"pageSize", "20"}},
          request)
          .ok());
  EXPECT_EQ(request.fiscal_year(), 2019);
  EXPECT_EQ(request.status(), v1::REPORT_STATUS_SUBMITTED);
  EXPECT_EQ(request.page_size(), 20);

  auto audit = Storage().Match("GET", "/v1/audit");
  v1::ListAuditRequest since;
  ASSERT_TRUE(
      HttpMapping::BuildRequest(*audit, "", {{"since", "2020-01-02T03:04:05Z"}}, since).ok());
  EXPECT_EQ(since.since().seconds(), 1577934245);
}

TEST(HttpMapping, NamesTheFieldOfEveryBadInput) {
  auto list = Storage().Match("GET", "/v1/reports");
  v1::ListReportsRequest request;
  EXPECT_EQ(FirstField(HttpMapping::BuildRequest(*list, "", {{"page_size", "x"}}, request)),
            "page_size");
  EXPECT_EQ(
      FirstField(HttpMapping::BuildRequest(*list, "", {{"fiscal_year", "99999999999"}}, request)),
      "fiscal_year");
  EXPECT_EQ(FirstField(HttpMapping::BuildRequest(*list, "", {{"status", "LOST"}}, request)),
            "status");
  EXPECT_EQ(FirstField(HttpMapping::BuildRequest(*list, "", {{"nope", "1"}}, request)), "nope");
  EXPECT_EQ(FirstField(HttpMapping::BuildRequest(*list, "{}", {}, request)), "body");

  auto create = Storage().Match("POST", "/v1/reports");
  v1::CreateReportRequest create_request;
  EXPECT_EQ(
      FirstField(HttpMapping::BuildRequest(
          *create, R"({"report": {"budget": {"income": {"value": 5}}}})", {}, create_request)),
      "report.budget.income.value");
  EXPECT_EQ(FirstField(HttpMapping::BuildRequest(*create, "{}", {{"idempotency_key", "k"}},
                                                 create_request)),
            "idempotency_key");

  // A body bound to one field reports paths under it.
  auto publish = Storage().Match("POST", "/v1/schemes");
  v1::PublishSchemeRequest publish_request;
  EXPECT_EQ(
      FirstField(HttpMapping::BuildRequest(*publish, R"({"version": "one"})", {}, publish_request)),
      "scheme.version");

  auto audit = Storage().Match("GET", "/v1/audit");
  v1::ListAuditRequest since;
  EXPECT_EQ(FirstField(HttpMapping::BuildRequest(*audit, "", {{"since", "yesterday"}}, since)),
            "since");
}

TEST(HttpMapping, TheQueryCannotOverrideThePathOrTheBody) {
  auto get = Storage().Match("GET", "/v1/reports/LH-OTHER/2019");
  v1::GetReportRequest request;
  for (const char* parameter : {"key.department_code", "key.departmentCode", "key"}) {
    absl::Status built =
        HttpMapping::BuildRequest(*get, "", {{parameter, "LH-ZWFWSJGLJ"}}, request);
    EXPECT_EQ(FirstField(built), parameter) << built;
    EXPECT_THAT(std::string(built.message()), ::testing::HasSubstr("path")) << built;
  }
  // What the path does not bind may still be given.
  ASSERT_TRUE(HttpMapping::BuildRequest(*get, "", {{"revision", "2"}}, request).ok());
  EXPECT_EQ(request.key().department_code(), "LH-OTHER");
  EXPECT_EQ(request.revision(), 2);

  // A field of the body (here "scheme") is not the query's to set.
  auto publish = Storage().Match("POST", "/v1/schemes");
  v1::PublishSchemeRequest publish_request;
  EXPECT_EQ(FirstField(HttpMapping::BuildRequest(*publish, R"({"id": "s"})",
                                                 {{"scheme.id", "other"}}, publish_request)),
            "scheme.id");

  // A singular field given twice, by either name.
  auto list = Storage().Match("GET", "/v1/reports");
  v1::ListReportsRequest list_request;
  EXPECT_EQ(FirstField(HttpMapping::BuildRequest(*list, "", {{"page_size", "1"}, {"pageSize", "2"}},
                                                 list_request)),
            "pageSize");
}

TEST(HttpMapping, TextThatIsNotUtf8IsRefusedAndNeverQuoted) {
  auto get = Storage().Match("GET", "/v1/reports/LH%FF/2019");
  ASSERT_TRUE(get.ok());
  v1::GetReportRequest request;
  EXPECT_EQ(FirstField(HttpMapping::BuildRequest(*get, "", {}, request)), "key.department_code");
  auto list = Storage().Match("GET", "/v1/reports");
  v1::ListReportsRequest list_request;
  EXPECT_EQ(
      FirstField(HttpMapping::BuildRequest(*list, "", {{"department_code", "\xff"}}, list_request)),
      "department_code");
  auto create = Storage().Match("POST", "/v1/reports");
  v1::CreateReportRequest create_request;
  absl::Status built = HttpMapping::BuildRequest(
      *create, "{\"report\": {\"identity\": {\"submitter\": \"\xff\"}}}", {}, create_request);
  EXPECT_EQ(FirstField(built), "body");
  EXPECT_EQ(report::ValidUtf8(built.message()), built.message());
  EXPECT_EQ(std::string(built.message()).find('\xff'), std::string::npos);
}

}  // namespace
}  // namespace jixiao::rpc
