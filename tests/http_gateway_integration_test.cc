// HTTP/JSON against the real services, with curl: every operation reached
// over HTTP answers what the same operation answers over gRPC, under the
// same tokens; errors carry the gRPC code's HTTP status and the field
// violations; a bad body is a 400 naming the field and stores nothing.

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/tokens.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "tests/fixtures.h"
#include "tests/process.h"
#include "tests/raw_http.h"

namespace jixiao::testing {
namespace {

using google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

MATCHER_P(EqualsProto, expected, "equals " + expected.ShortDebugString()) {
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  if (differencer.Compare(arg, expected)) return true;
  *result_listener << differences;
  return false;
}

using testing::HttpAnswer;

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  auto parsed = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(parsed.ok()) << parsed.ToString() << "\n" << json;
  return message;
}

template <typename Message>
std::string ToJson(const Message& message) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json).ok());
  return json;
}

// The first field violation of an error body, "" if none.
std::string ViolatedField(const std::string& error_json) {
  google::rpc::Status status = FromJson<google::rpc::Status>(error_json);
  for (const auto& detail : status.details()) {
    google::rpc::BadRequest bad_request;
    if (detail.UnpackTo(&bad_request) && bad_request.field_violations_size() > 0) {
      return bad_request.field_violations(0).field();
    }
  }
  return "";
}

class HttpGateway : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("jixiao-http");
    WriteTokenFile(dir_ + "/tokens", {{"lh-token", "lh department LH-ZWFWSJGLJ"},
                                      {"reviewer-token", "wang reviewer"},
                                      {"admin-token", "ops admin"}});
    WriteSigningKeyFile(dir_ + "/keys");
    SecuredServices services = StartSecuredServices(
        dir_, {"--http-listen", ":0", "--http-port-file", dir_ + "/storage.http"},
        {"--http-listen", ":0", "--http-port-file", dir_ + "/scoring.http"});
    storage_ = std::move(services.storage);
    scoring_ = std::move(services.scoring);
    ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
    ASSERT_FALSE(scoring_->address().empty()) << scoring_->Log();
    storage_http_ = ReadAddress(dir_ + "/storage.http");
    scoring_http_ = ReadAddress(dir_ + "/scoring.http");
    storage_stub_ = v1::StorageService::NewStub(
        grpc::CreateChannel(storage_->address(), grpc::InsecureChannelCredentials()));
    scoring_stub_ = v1::ScoringService::NewStub(
        grpc::CreateChannel(scoring_->address(), grpc::InsecureChannelCredentials()));
    report_ = FromJson<v1::Report>(ReadFile(SourcePath("examples/longhua-2019.json")));
  }

  // curl VERB http://ADDRESS/PATH, as `who` ("" for no token), with `body`.
  HttpAnswer Http(const std::string& address, const std::string& verb, const std::string& path,
                  const std::string& who, const std::string& body = "",
                  const std::string& content_type = "application/json") {
    std::vector<std::string> headers = {"Content-Type: " + content_type};
    if (!who.empty()) headers.push_back("Authorization: Bearer " + who + "-token");
    HttpAnswer answer = testing::Curl(address, verb, path, headers, body);
    EXPECT_NE(answer.status, 0) << verb << " " << path << ": curl got no answer";
    return answer;
  }
  HttpAnswer Storage(const std::string& verb, const std::string& path, const std::string& who,
                     const std::string& body = "") {
    return Http(storage_http_, verb, path, who, body);
  }
  HttpAnswer Scoring(const std::string& verb, const std::string& path, const std::string& who,
                     const std::string& body = "") {
    return Http(scoring_http_, verb, path, who, body);
  }

  // A call context as `who`.
  std::unique_ptr<grpc::ClientContext> As(const std::string& who) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + who + "-token");
    return context;
  }

  v1::ReportKey Key(int year = 2019) {
    v1::ReportKey key;
    key.set_department_code("LH-ZWFWSJGLJ");
    key.set_fiscal_year(year);
    return key;
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> storage_, scoring_;
  std::string storage_http_, scoring_http_;
  std::unique_ptr<v1::StorageService::Stub> storage_stub_;
  std::unique_ptr<v1::ScoringService::Stub> scoring_stub_;
  v1::Report report_;
};

TEST_F(HttpGateway, EveryOperationAnswersAsOverGrpc) {
  // CreateReport, then GetReport, ListReports and GetReportHistory both ways.
  v1::CreateReportRequest create;
  *create.mutable_report() = report_;
  HttpAnswer created = Storage("POST", "/v1/reports", "lh", ToJson(create));
  ASSERT_EQ(created.status, 200) << created.body;
  auto created_answer = FromJson<v1::CreateReportResponse>(created.body);
  EXPECT_EQ(created_answer.revision().revision(), 1);
  EXPECT_EQ(created_answer.revision().author(), "lh");

  v1::GetReportRequest get;
  *get.mutable_key() = Key();
  v1::GetReportResponse got;
  ASSERT_TRUE(storage_stub_->GetReport(As("lh").get(), get, &got).ok());
  HttpAnswer got_http = Storage("GET", "/v1/reports/LH-ZWFWSJGLJ/2019", "lh");
  ASSERT_EQ(got_http.status, 200) << got_http.body;
  EXPECT_THAT(FromJson<v1::GetReportResponse>(got_http.body), EqualsProto(got));
  EXPECT_THAT(got.revision().report(), EqualsProto(report_));
  v1::ReportRevision without_report = got.revision();
  without_report.clear_report();
  EXPECT_THAT(created_answer.revision(), EqualsProto(without_report));

  v1::ListReportsRequest list;
  list.set_fiscal_year(2019);
  list.set_page_size(10);
  v1::ListReportsResponse listed;
  ASSERT_TRUE(storage_stub_->ListReports(As("reviewer").get(), list, &listed).ok());
  HttpAnswer listed_http = Storage("GET", "/v1/reports?fiscal_year=2019&pageSize=10", "reviewer");
  ASSERT_EQ(listed_http.status, 200) << listed_http.body;
  EXPECT_THAT(FromJson<v1::ListReportsResponse>(listed_http.body), EqualsProto(listed));
  EXPECT_EQ(listed.reports_size(), 1);

  // UpdateReport: the key comes from the path; a stale revision is a 409.
  v1::UpdateReportRequest update;
  *update.mutable_report() = report_;
  update.mutable_report()->mutable_identity()->set_submitter("王五");
  update.set_expected_revision(1);
  HttpAnswer updated = Storage("PUT", "/v1/reports/LH-ZWFWSJGLJ/2019", "lh", ToJson(update));
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(FromJson<v1::UpdateReportResponse>(updated.body).revision().revision(), 2);
  HttpAnswer stale = Storage("PUT", "/v1/reports/LH-ZWFWSJGLJ/2019", "lh", ToJson(update));
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(FromJson<google::rpc::Status>(stale.body).code(), grpc::StatusCode::ABORTED);

  v1::GetReportHistoryRequest history;
  *history.mutable_key() = Key();
  v1::GetReportHistoryResponse historied;
  ASSERT_TRUE(storage_stub_->GetReportHistory(As("lh").get(), history, &historied).ok());
  HttpAnswer history_http = Storage("GET", "/v1/reports/LH-ZWFWSJGLJ/2019/history", "lh");
  ASSERT_EQ(history_http.status, 200) << history_http.body;
  EXPECT_THAT(FromJson<v1::GetReportHistoryResponse>(history_http.body), EqualsProto(historied));
  EXPECT_EQ(historied.revisions_size(), 2);

  // Score, Validate and ListSchemes on scoring-svc; ScoreStream as lines.
  v1::ScoreRequest score;
  *score.mutable_report() = got.revision().report();
  score.set_report_revision(1);
  v1::ScoreResponse scored;
  ASSERT_TRUE(scoring_stub_->Score(As("lh").get(), score, &scored).ok());
  HttpAnswer scored_http = Scoring("POST", "/v1/score", "lh", ToJson(score));
  ASSERT_EQ(scored_http.status, 200) << scored_http.body;
  EXPECT_THAT(FromJson<v1::ScoreResponse>(scored_http.body), EqualsProto(scored));
  EXPECT_TRUE(scored.card().has_signature());

  v1::ScoreRequest second = score;
  second.set_request_id("second");
  HttpAnswer streamed =
      Scoring("POST", "/v1/score:stream", "lh", ToJson(score) + "\n\n" + ToJson(second) + "\n");
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  std::vector<std::string> lines = absl::StrSplit(streamed.body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << streamed.body;
  EXPECT_THAT(FromJson<v1::ScoreResponse>(lines[0]), EqualsProto(scored));
  v1::ScoreResponse second_scored = scored;
  second_scored.set_request_id("second");
  EXPECT_THAT(FromJson<v1::ScoreResponse>(lines[1]), EqualsProto(second_scored));

  v1::ValidateRequest validate;
  *validate.mutable_report() = report_;
  v1::ValidateResponse validated;
  ASSERT_TRUE(scoring_stub_->Validate(As("lh").get(), validate, &validated).ok());
  HttpAnswer validated_http = Scoring("POST", "/v1/validate", "lh", ToJson(validate));
  ASSERT_EQ(validated_http.status, 200) << validated_http.body;
  EXPECT_THAT(FromJson<v1::ValidateResponse>(validated_http.body), EqualsProto(validated));

  v1::ListSchemesResponse held;
  ASSERT_TRUE(scoring_stub_->ListSchemes(As("lh").get(), {}, &held).ok());
  HttpAnswer held_http = Scoring("GET", "/v1/schemes", "lh");
  ASSERT_EQ(held_http.status, 200) << held_http.body;
  EXPECT_THAT(FromJson<v1::ListSchemesResponse>(held_http.body), EqualsProto(held));

  // SaveScoreCard (body: the card), GetScoreCard, ListScoreCards.
  HttpAnswer saved = Storage("POST", "/v1/cards", "lh", ToJson(scored.card()));
  ASSERT_EQ(saved.status, 200) << saved.body;
  v1::GetScoreCardRequest get_card;
  *get_card.mutable_key() = Key();
  v1::GetScoreCardResponse card;
  ASSERT_TRUE(storage_stub_->GetScoreCard(As("lh").get(), get_card, &card).ok());
  EXPECT_TRUE(card.card().has_saved_time());  // the store's stamp, beside what was scored
  v1::ScoreCard as_scored = card.card();
  as_scored.clear_saved_time();
  EXPECT_THAT(as_scored, EqualsProto(scored.card()));
  HttpAnswer card_http = Storage("GET", "/v1/reports/LH-ZWFWSJGLJ/2019/card?revision=1", "lh");
  ASSERT_EQ(card_http.status, 200) << card_http.body;
  EXPECT_THAT(FromJson<v1::GetScoreCardResponse>(card_http.body), EqualsProto(card));
  v1::ListScoreCardsRequest list_cards;
  list_cards.set_fiscal_year(2019);
  v1::ListScoreCardsResponse cards;
  ASSERT_TRUE(storage_stub_->ListScoreCards(As("reviewer").get(), list_cards, &cards).ok());
  HttpAnswer cards_http = Storage("GET", "/v1/cards?fiscal_year=2019", "reviewer");
  ASSERT_EQ(cards_http.status, 200) << cards_http.body;
  EXPECT_THAT(FromJson<v1::ListScoreCardsResponse>(cards_http.body), EqualsProto(cards));
  EXPECT_EQ(cards.cards_size(), 1);

  // TransitionReport: submitted over HTTP, as the report is over gRPC. The
  // card above is revision 1's, and revision 2 changed the report: it is
  // stale, and submitting needs revision 2's card.
  EXPECT_TRUE(card.stale());
  HttpAnswer unscored = Storage("POST", "/v1/reports/LH-ZWFWSJGLJ/2019:transition", "lh",
                                R"({"to": "REPORT_STATUS_SUBMITTED", "expectedRevision": 2})");
  EXPECT_EQ(unscored.status, 400) << unscored.body;
  EXPECT_THAT(unscored.body, HasSubstr("revision 2 has no score card"));
  v1::ScoreRequest rescore;
  ASSERT_TRUE(storage_stub_->GetReport(As("lh").get(), get, &got).ok());
  *rescore.mutable_report() = got.revision().report();
  rescore.set_report_revision(2);
  HttpAnswer rescored = Scoring("POST", "/v1/score", "lh", ToJson(rescore));
  ASSERT_EQ(rescored.status, 200) << rescored.body;
  HttpAnswer resaved =
      Storage("POST", "/v1/cards", "lh", ToJson(FromJson<v1::ScoreResponse>(rescored.body).card()));
  ASSERT_EQ(resaved.status, 200) << resaved.body;
  HttpAnswer submitted = Storage("POST", "/v1/reports/LH-ZWFWSJGLJ/2019:transition", "lh",
                                 R"({"to": "REPORT_STATUS_SUBMITTED", "expectedRevision": 2,
                  "reason": "第二季度数据以财政系统为准"})");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  ASSERT_TRUE(storage_stub_->GetReport(As("lh").get(), get, &got).ok());
  EXPECT_EQ(got.revision().status(), v1::REPORT_STATUS_SUBMITTED);
  EXPECT_THAT(FromJson<v1::TransitionReportResponse>(submitted.body).revision(),
              EqualsProto(got.revision()));

  // DeleteReport, with the expected revision in the query string.
  v1::CreateReportRequest other = create;
  other.mutable_report()->mutable_identity()->set_fiscal_year(2020);
  ASSERT_EQ(Storage("POST", "/v1/reports", "lh", ToJson(other)).status, 200);
  HttpAnswer deleted = Storage("DELETE", "/v1/reports/LH-ZWFWSJGLJ/2020?expectedRevision=1", "lh");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(FromJson<v1::DeleteReportResponse>(deleted.body).revision().status(),
            v1::REPORT_STATUS_DELETED);
  EXPECT_EQ(Storage("GET", "/v1/reports/LH-ZWFWSJGLJ/2020", "lh").status, 404);

  // PublishScheme (body: the scheme), GetScheme, ListSchemes on storage-svc.
  v1::Scheme scheme;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      ReadFile(SourcePath("schemes/dept-overall-v1.textproto")), &scheme));
  HttpAnswer published = Storage("POST", "/v1/schemes", "admin", ToJson(scheme));
  ASSERT_EQ(published.status, 200) << published.body;
  v1::GetSchemeRequest get_scheme;
  get_scheme.set_id(scheme.id());
  v1::GetSchemeResponse stored_scheme;
  ASSERT_TRUE(storage_stub_->GetScheme(As("lh").get(), get_scheme, &stored_scheme).ok());
  EXPECT_THAT(FromJson<v1::PublishSchemeResponse>(published.body).scheme(),
              EqualsProto(stored_scheme.scheme()));
  HttpAnswer scheme_http = Storage("GET", "/v1/schemes/" + scheme.id(), "lh");
  ASSERT_EQ(scheme_http.status, 200) << scheme_http.body;
  EXPECT_THAT(FromJson<v1::GetSchemeResponse>(scheme_http.body), EqualsProto(stored_scheme));
  v1::ListStoredSchemesResponse schemes;
  ASSERT_TRUE(storage_stub_->ListSchemes(As("lh").get(), {}, &schemes).ok());
  HttpAnswer schemes_http = Storage("GET", "/v1/schemes", "lh");
  ASSERT_EQ(schemes_http.status, 200) << schemes_http.body;
  EXPECT_THAT(FromJson<v1::ListStoredSchemesResponse>(schemes_http.body), EqualsProto(schemes));

  // CreateBackup, then the audit trail of all of the above.
  HttpAnswer backup =
      Storage("POST", "/v1/backups", "admin", R"({"backupDir": ")" + dir_ + R"(/backup"})");
  ASSERT_EQ(backup.status, 200) << backup.body;
  EXPECT_GT(FromJson<v1::CreateBackupResponse>(backup.body).size_bytes(), 0);
  v1::ListAuditRequest audit;
  audit.set_page_size(100);
  v1::ListAuditResponse audited;
  ASSERT_TRUE(storage_stub_->ListAudit(As("admin").get(), audit, &audited).ok());
  HttpAnswer audit_http = Storage("GET", "/v1/audit?pageSize=100", "admin");
  ASSERT_EQ(audit_http.status, 200) << audit_http.body;
  EXPECT_THAT(FromJson<v1::ListAuditResponse>(audit_http.body), EqualsProto(audited));
  EXPECT_GE(audited.records_size(), 8);  // every write above
  HttpAnswer since = Storage("GET", "/v1/audit?since=2000-01-01T00:00:00Z", "admin");
  EXPECT_EQ(since.status, 200) << since.body;

  // The call log names the HTTP client as the peer, and the principal.
  EXPECT_THAT(storage_->Log(),
              ::testing::ContainsRegex("\"method\":\"/jixiao.v1.StorageService/CreateBackup\","
                                       "\"code\":\"OK\",[^}]*\"principal\":\"ops\",[^}]*"
                                       "\"peer\":\"http:127.0.0.1:[0-9]+\""));
}

TEST_F(HttpGateway, ErrorsCarryTheirStatusAndTheFieldAndStoreNothing) {
  // No token, a token that may not: 401 and 403, as UNAUTHENTICATED and
  // PERMISSION_DENIED over gRPC.
  HttpAnswer anonymous = Storage("GET", "/v1/reports", "");
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(FromJson<google::rpc::Status>(anonymous.body).code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::CreateReportRequest create;
  *create.mutable_report() = report_;
  HttpAnswer refused = Storage("POST", "/v1/reports", "reviewer", ToJson(create));
  EXPECT_EQ(refused.status, 403) << refused.body;

  // A body that is not of the request's type names the field.
  HttpAnswer bad_type =
      Storage("POST", "/v1/reports", "lh", R"({"report": {"identity": {"fiscalYear": "twenty"}}})");
  EXPECT_EQ(bad_type.status, 400) << bad_type.body;
  EXPECT_EQ(ViolatedField(bad_type.body), "report.identity.fiscal_year") << bad_type.body;
  HttpAnswer unknown = Storage("POST", "/v1/reports", "lh", R"({"reprot": {}})");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(ViolatedField(unknown.body), "reprot") << unknown.body;
  HttpAnswer not_json = Storage("POST", "/v1/reports", "lh", "{report:");
  EXPECT_EQ(not_json.status, 400) << not_json.body;
  EXPECT_EQ(ViolatedField(not_json.body), "body") << not_json.body;
  // A well-formed body with a bad report: the service's own violations.
  v1::CreateReportRequest no_code = create;
  no_code.mutable_report()->mutable_identity()->clear_department_code();
  HttpAnswer invalid = Storage("POST", "/v1/reports", "lh", ToJson(no_code));
  EXPECT_EQ(invalid.status, 400) << invalid.body;
  EXPECT_THAT(ViolatedField(invalid.body), HasSubstr("report.identity.")) << invalid.body;
  // Query parameters and path variables are checked as strictly.
  HttpAnswer bad_query = Storage("GET", "/v1/reports?page_size=ten", "lh");
  EXPECT_EQ(bad_query.status, 400) << bad_query.body;
  EXPECT_EQ(ViolatedField(bad_query.body), "page_size");
  HttpAnswer bad_path = Storage("GET", "/v1/reports/LH-ZWFWSJGLJ/twenty", "lh");
  EXPECT_EQ(bad_path.status, 400) << bad_path.body;
  EXPECT_EQ(ViolatedField(bad_path.body), "key.fiscal_year");
  HttpAnswer stray = Storage("GET", "/v1/reports?colour=red", "lh");
  EXPECT_EQ(stray.status, 400) << stray.body;
  EXPECT_EQ(ViolatedField(stray.body), "colour");
  HttpAnswer bad_line = Scoring("POST", "/v1/score:stream", "lh", "{}\n{\"report\": 5}\n");
  EXPECT_EQ(bad_line.status, 400) << bad_line.body;
  EXPECT_EQ(ViolatedField(bad_line.body), "line 2: report") << bad_line.body;
  // A form-encoded body is refused with the reason.
  HttpAnswer form = Http(storage_http_, "POST", "/v1/reports", "lh", "report=1",
                         "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 415) << form.body;
  EXPECT_THAT(form.body, HasSubstr("application/json"));

  // Nothing of the above was stored.
  v1::ListReportsRequest list;
  v1::ListReportsResponse listed;
  ASSERT_TRUE(storage_stub_->ListReports(As("reviewer").get(), list, &listed).ok());
  EXPECT_EQ(listed.reports_size(), 0);

  // No such operation, or not with this verb.
  EXPECT_EQ(Storage("GET", "/v1/nothing", "lh").status, 404);
  EXPECT_EQ(Storage("DELETE", "/v1/reports", "lh").status, 405);
  HttpAnswer health = Storage("GET", "/healthz", "");
  EXPECT_EQ(health.status, 200);
  EXPECT_THAT(health.body, HasSubstr("SERVING"));
}

TEST_F(HttpGateway, PathVariablesWinAndTextThatIsNotUtf8IsRefused) {
  v1::CreateReportRequest create;
  *create.mutable_report() = report_;
  ASSERT_EQ(Storage("POST", "/v1/reports", "lh", ToJson(create)).status, 200);

  // A query parameter naming a field the path binds is refused, by its
  // proto or JSON name: the path says which report, never the query.
  for (const std::string parameter : {"key.department_code", "key.departmentCode"}) {
    HttpAnswer conflict =
        Storage("GET", "/v1/reports/LH-OTHER/2019?" + parameter + "=LH-ZWFWSJGLJ", "reviewer");
    EXPECT_EQ(conflict.status, 400) << conflict.body;
    EXPECT_EQ(ViolatedField(conflict.body), parameter) << conflict.body;
  }
  // So is a singular field given twice.
  HttpAnswer twice = Storage("GET", "/v1/reports?page_size=1&page_size=2", "reviewer");
  EXPECT_EQ(twice.status, 400) << twice.body;
  EXPECT_EQ(ViolatedField(twice.body), "page_size") << twice.body;

  // A body that is not UTF-8, or not JSON at all, is INVALID_ARGUMENT, and
  // the answer is valid JSON (FromJson fails on anything else) that names
  // the body.
  std::string json = ToJson(create);
  size_t submitter = json.find("\"submitter\":\"");
  ASSERT_NE(submitter, std::string::npos) << json;
  json.insert(submitter + 13, "\xff\xfe");
  for (const std::string& body : {json, std::string("\x00\x01\xff{{{", 6)}) {
    HttpAnswer bad = Storage("POST", "/v1/reports", "lh", body);
    EXPECT_EQ(bad.status, 400) << bad.body;
    google::rpc::Status status = FromJson<google::rpc::Status>(bad.body);
    EXPECT_EQ(status.code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.body;
    EXPECT_THAT(status.message(), HasSubstr("UTF-8")) << bad.body;
    EXPECT_EQ(ViolatedField(bad.body), "body") << bad.body;
  }
  HttpAnswer bad_line = Scoring("POST", "/v1/score:stream", "lh", "{\"requestId\": \"\xff\"}\n");
  EXPECT_EQ(bad_line.status, 400) << bad_line.body;
  EXPECT_EQ(ViolatedField(bad_line.body), "line 1: body") << bad_line.body;
  // Percent-encoded bytes that are not UTF-8, in the path or the query.
  HttpAnswer bad_path = Storage("GET", "/v1/reports/LH%FF/2019", "lh");
  EXPECT_EQ(bad_path.status, 400) << bad_path.body;
  EXPECT_EQ(ViolatedField(bad_path.body), "key.department_code") << bad_path.body;
  HttpAnswer bad_query = Storage("GET", "/v1/reports?department_code=%FF", "reviewer");
  EXPECT_EQ(bad_query.status, 400) << bad_query.body;
  EXPECT_EQ(ViolatedField(bad_query.body), "department_code") << bad_query.body;
}

// The body may repeat the report's key from the path, never contradict it.
TEST_F(HttpGateway, ABodyThatContradictsThePathIsRefused) {
  v1::CreateReportRequest create;
  *create.mutable_report() = report_;
  ASSERT_EQ(Storage("POST", "/v1/reports", "lh", ToJson(create)).status, 200);
  v1::UpdateReportRequest update;
  *update.mutable_report() = report_;
  update.set_expected_revision(1);
  update.mutable_report()->mutable_identity()->set_submitter("王五");

  v1::UpdateReportRequest other_department = update;
  other_department.mutable_report()->mutable_identity()->set_department_code("OTHER");
  HttpAnswer department =
      Storage("PUT", "/v1/reports/LH-ZWFWSJGLJ/2019", "lh", ToJson(other_department));
  EXPECT_EQ(department.status, 400) << department.body;
  EXPECT_EQ(ViolatedField(department.body), "report.identity.department_code") << department.body;
  EXPECT_THAT(department.body, ::testing::Not(HasSubstr("OTHER")));  // the body is not quoted
  v1::UpdateReportRequest other_year = update;
  other_year.mutable_report()->mutable_identity()->set_fiscal_year(2021);
  HttpAnswer year = Storage("PUT", "/v1/reports/LH-ZWFWSJGLJ/2019", "lh", ToJson(other_year));
  EXPECT_EQ(year.status, 400) << year.body;
  EXPECT_EQ(ViolatedField(year.body), "report.identity.fiscal_year") << year.body;

  // Neither was stored, under either key.
  v1::GetReportRequest get;
  *get.mutable_key() = Key();
  v1::GetReportResponse got;
  ASSERT_TRUE(storage_stub_->GetReport(As("lh").get(), get, &got).ok());
  EXPECT_EQ(got.revision().revision(), 1);
  EXPECT_EQ(Storage("GET", "/v1/reports/LH-ZWFWSJGLJ/2021", "lh").status, 404);

  // A body that repeats the path, or leaves the key out, is fine.
  HttpAnswer same = Storage("PUT", "/v1/reports/LH-ZWFWSJGLJ/2019", "lh", ToJson(update));
  EXPECT_EQ(same.status, 200) << same.body;
  update.set_expected_revision(2);
  update.mutable_report()->mutable_identity()->clear_department_code();
  update.mutable_report()->mutable_identity()->clear_fiscal_year();
  HttpAnswer keyless = Storage("PUT", "/v1/reports/LH-ZWFWSJGLJ/2019", "lh", ToJson(update));
  EXPECT_EQ(keyless.status, 200) << keyless.body;
}

// How many responses `received` holds.
int Responses(const std::string& received) {
  int count = 0;
  for (size_t at = received.find("HTTP/1.1 "); at != std::string::npos;
       at = received.find("HTTP/1.1 ", at + 1)) {
    ++count;
  }
  return count;
}

// A body that the route does not read, or whose length is in doubt, would
// leave bytes on the connection to be parsed as a second request: such a
// request is refused with one answer, 400, and its connection closed.
TEST_F(HttpGateway, ABodyThatCouldSmuggleARequestIsRefusedAndClosesTheConnection) {
  const std::string smuggled = "GET /v1/schemes HTTP/1.1\r\nHost: localhost\r\n\r\n";
  const std::string chunked =
      absl::StrCat(absl::Hex(smuggled.size()), "\r\n", smuggled, "\r\n0\r\n\r\n");
  struct Case {
    std::string address, head, body;
  };
  const std::vector<Case> cases = {
      {scoring_http_,
       absl::StrCat("GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: ", smuggled.size(),
                    "\r\n\r\n"),
       smuggled},
      {scoring_http_,
       "GET /v1/schemes HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer lh-token\r\n"
       "Transfer-Encoding: chunked\r\n\r\n",
       chunked},
      {storage_http_,
       "DELETE /v1/reports/LH-ZWFWSJGLJ/2019 HTTP/1.1\r\nHost: localhost\r\n"
       "Authorization: Bearer lh-token\r\nTransfer-Encoding: chunked\r\n\r\n",
       chunked},
      {scoring_http_,
       absl::StrCat("POST /v1/validate HTTP/1.1\r\nHost: localhost\r\n"
                    "Authorization: Bearer lh-token\r\nContent-Type: application/json\r\n"
                    "Content-Length: ",
                    chunked.size(), "\r\nTransfer-Encoding: chunked\r\n\r\n"),
       chunked},
      {scoring_http_,
       absl::StrCat("POST /v1/validate HTTP/1.1\r\nHost: localhost\r\n"
                    "Authorization: Bearer lh-token\r\nContent-Type: application/json\r\n"
                    "Content-Length: 2\r\nContent-Length: ",
                    2 + smuggled.size(), "\r\n\r\n"),
       "{}" + smuggled},
  };
  for (const Case& each : cases) {
    int fd = ConnectTcp(each.address);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, each.head + each.body));
    const auto start = std::chrono::steady_clock::now();
    std::string received = ReceiveUntilClosed(fd, std::chrono::seconds(5));
    const auto took = std::chrono::steady_clock::now() - start;
    close(fd);
    EXPECT_EQ(HttpStatusOf(received), 400) << each.head << "\n" << received;
    EXPECT_EQ(Responses(received), 1) << each.head << "\n" << received;
    EXPECT_THAT(received, HasSubstr("Connection: close")) << each.head;
    EXPECT_LT(took, std::chrono::seconds(3)) << "not closed: " << each.head;
  }
  // Requests without a body still share a connection.
  int fd = ConnectTcp(scoring_http_);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd,
                      "GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
                      "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
  std::string both = ReceiveUntilClosed(fd, std::chrono::seconds(5));
  close(fd);
  EXPECT_EQ(Responses(both), 2) << both;
  EXPECT_EQ(HttpStatusOf(both), 200) << both;
}

TEST(HttpGatewayFlags, RefusedOffLoopbackWithoutTlsOrConsent) {
  CommandResult refused =
      RunCommand({BinPath("scoring-svc"), "--listen", "127.0.0.1:0", "--http-listen", "0.0.0.0:0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("not a loopback address"));
}

}  // namespace
}  // namespace jixiao::testing
