// Schemes served from storage and last year's report, against the real
// services: a published scheme assigned to a year scores that year's stored
// reports; each card names the prior-year revision it read, storage-svc
// keeps it only if that revision is the one scored; an assignment is fixed
// once the year has an approved report. And offline: --prior, and
// template → fill in → validate for both shipped schemes.

#include <grpcpp/grpcpp.h>

#include <fstream>
#include <map>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "tests/fixtures.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunCommand;
using testing::SourcePath;

// A scheme of a bureau that compares with last year: "三公经费"变动率 from
// last year's report, the budget adjustment from a declared figure, and the
// carry-over that runs on from last year's closing.
constexpr char kScheme[] = R"pb(
  id: "year-on-year"
  version: 1
  name: "上年对比评价"
  total_weight: "10"
  score_decimals: 2
  figures { id: "initial_budget" name: "年初预算数" unit: "万元" group: "预算调整" required: true }
  measures {
    id: "three_public_change"
    name: "“三公”经费变动率"
    unit: "%"
    decimals: 2
    formula: "(three_public.total.actual - prior.three_public.total.actual) / prior.three_public.total.actual * 100"
  }
  measures {
    id: "adjustment"
    name: "预算调整率"
    unit: "%"
    decimals: 2
    formula: "(budget.expenditure - figures.initial_budget) / figures.initial_budget * 100"
  }
  indicators {
    id: "three_public"
    name: "“三公”经费变动率"
    weight: "6"
    measure: "three_public_change"
    rule { threshold { comparison: COMPARISON_AT_MOST standard: "0" } }
  }
  indicators {
    id: "adjust"
    name: "预算调整率"
    weight: "4"
    measure: "adjustment"
    rule { threshold { comparison: COMPARISON_AT_MOST standard: "10" } }
  }
  checks {
    id: "carry_over_runs_on"
    name: "年初结转结余等于上年年末结转结余"
    left: "carry_over.opening"
    right: "prior.carry_over.closing"
  }
)pb";

std::string YearReport(int year, const std::string& three_public, const std::string& opening,
                       const std::string& closing) {
  return R"({"identity": {"department_code": "YY-TEST", "department_name": "测试局", "fiscal_year": )" +
         std::to_string(year) + R"(}, "budget": {"expenditure": {"value": "110"}},
  "three_public": {"total": {"actual": {"value": ")" +
         three_public + R"("}}}, "carry_over": {"opening": {"value": ")" + opening +
         R"("}, "closing": {"value": ")" + closing + R"("}},
  "figures": {"initial_budget": {"value": "100"}}})";
}

class Schemes : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("jixiao-schemes");
    testing::WriteTokenFile(dir_ + "/tokens", {{"yy-token", "yy department YY-TEST"},
                                               {"sj-token", "sj department YY-SJYJ"},
                                               {"lh-token", "lh department LH-ZWFWSJGLJ"},
                                               {"reviewer-token", "wang reviewer"},
                                               {"admin-token", "ops admin"}});
    for (const char* who : {"yy", "sj", "lh", "reviewer", "admin"}) {
      std::ofstream(dir_ + "/" + who + ".token") << who << "-token\n";
    }
    testing::WriteSigningKeyFile(dir_ + "/keys");
    testing::SecuredServices services = testing::StartSecuredServices(dir_);
    storage_ = std::move(services.storage);
    scoring_ = std::move(services.scoring);
    ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
    ASSERT_FALSE(scoring_->address().empty()) << scoring_->Log();
    std::ofstream(dir_ + "/scheme.textproto") << kScheme;
    std::ofstream(dir_ + "/2019.json") << YearReport(2019, "50", "8", "12.5");
    std::ofstream(dir_ + "/2020.json") << YearReport(2020, "45", "12.5", "9");
  }

  testing::CommandResult As(const std::string& who, std::vector<std::string> args) {
    std::vector<std::string> all = {
        BinPath("jixiao"),   "--storage",    storage_->address(),        "--scoring",
        scoring_->address(), "--token-file", dir_ + "/" + who + ".token"};
    all.insert(all.end(), args.begin(), args.end());
    return RunCommand(all);
  }

  v1::ScoreCard Card(const std::string& json) {
    v1::ScoreCard card;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &card).ok()) << json;
    return card;
  }

  void PublishAndAssign() {
    ASSERT_EQ(As("admin", {"admin", "publish", dir_ + "/scheme.textproto"}).exit_code, 0);
    auto assigned = As("admin", {"admin", "assign", "--year", "2020", "year-on-year@1"});
    ASSERT_EQ(assigned.exit_code, 0) << assigned.err;
    EXPECT_THAT(assigned.out, HasSubstr("2020 is scored with year-on-year@1"));
  }

  std::string dir_;
  std::unique_ptr<testing::ServerProcess> storage_, scoring_;
};

TEST_F(Schemes, AYearIsScoredWithItsAssignedSchemeAndLastYearsStoredReport) {
  PublishAndAssign();
  auto refused = As("reviewer", {"admin", "assign", "--year", "2021", "year-on-year@1"});
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_THAT(refused.err, HasSubstr("administrators"));
  EXPECT_EQ(As("admin", {"admin", "assign", "--year", "2021", "year-on-year"}).exit_code, 2);
  auto unknown = As("admin", {"admin", "assign", "--year", "2021", "nowhere@1"});
  EXPECT_EQ(unknown.exit_code, 4);
  EXPECT_THAT(unknown.err, HasSubstr("not published"));

  ASSERT_EQ(As("yy", {"save", dir_ + "/2020.json"}).exit_code, 0);
  // No 2019 report yet: the measure that needs it is missing, and says so.
  auto alone = As("yy", {"score", "YY-TEST/2020", "-o", "json"});
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  v1::ScoreCard card = Card(alone.out);
  EXPECT_EQ(card.scheme_id(), "year-on-year");
  EXPECT_FALSE(card.has_prior_report());
  EXPECT_THAT(alone.out, HasSubstr("prior_missing"));
  EXPECT_EQ(card.measures(1).computed().display(), "10.00");  // (110 - 100) / 100

  ASSERT_EQ(As("yy", {"save", dir_ + "/2019.json"}).exit_code, 0);
  auto scored = As("yy", {"score", "YY-TEST/2020"});
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_THAT(scored.out, HasSubstr("last year's report YY-TEST/2019@1"));
  auto shown = As("yy", {"card", "YY-TEST/2020", "-o", "json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  card = Card(shown.out);
  EXPECT_EQ(card.prior_report().department_code(), "YY-TEST");
  EXPECT_EQ(card.prior_report().fiscal_year(), 2019);
  EXPECT_EQ(card.prior_report().revision(), 1);
  EXPECT_EQ(card.measures(0).computed().display(), "-10.00");  // (45 - 50) / 50
  EXPECT_EQ(card.total_score(), "10.00");
  EXPECT_THAT(shown.out, Not(HasSubstr("prior_missing")));
  EXPECT_THAT(shown.out, Not(HasSubstr("check_failed")));  // opens at last year's 12.5

  // Last year's approved revision is read, not a later draft of it. It was
  // filled in for the same table, and is submitted under it.
  ASSERT_EQ(As("admin", {"admin", "assign", "--year", "2019", "year-on-year@1"}).exit_code, 0);
  ASSERT_EQ(As("yy", {"submit", "YY-TEST/2019", "--explain", "只填了上年对比所需的数"}).exit_code,
            0);
  ASSERT_EQ(
      As("reviewer", {"approve", "YY-TEST/2019", "--despite-errors", "上年只作对比"}).exit_code, 0);
  scored = As("yy", {"score", "YY-TEST/2020"});
  EXPECT_THAT(scored.out, HasSubstr("last year's report YY-TEST/2019@3"));

  // A card of another scheme than the year's is not kept.
  auto other = As("yy", {"score", "YY-TEST/2020", "--scheme", "dept-overall@1"});
  EXPECT_EQ(other.exit_code, 4);
  EXPECT_THAT(other.err, HasSubstr("card.scheme_id"));
  EXPECT_THAT(other.err, HasSubstr("is scored with year-on-year@1"));

  auto list = As("yy", {"scheme", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("year-on-year@1"));
  EXPECT_THAT(list.out, HasSubstr("2020"));
  EXPECT_THAT(list.out, HasSubstr("dept-overall@1"));
  auto show = As("yy", {"scheme", "show", "year-on-year@1"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("three_public.total.actual"));
  EXPECT_THAT(show.out, HasSubstr("本年、上年"));  // read this year and last
  EXPECT_THAT(show.out, HasSubstr("carry_over.closing"));
  EXPECT_THAT(show.out, HasSubstr("figures.initial_budget  年初预算数（万元）"));
  EXPECT_THAT(show.out, HasSubstr("必填"));
}

// The shipped 岳阳 scheme and its two sample years, through the secured
// services: reports with many declared figures digest the same on both
// sides, and the 2020 card reads 2019's stored report.
TEST_F(Schemes, TheShippedSecondSchemeScoresItsStoredSamples) {
  ASSERT_EQ(
      As("admin", {"admin", "publish", SourcePath("schemes/yueyang-dept-overall-v1.textproto")})
          .exit_code,
      0);
  for (const char* year : {"2019", "2020"}) {
    ASSERT_EQ(As("admin", {"admin", "assign", "--year", year, "yueyang-dept-overall@1"}).exit_code,
              0);
  }
  ASSERT_EQ(As("sj", {"save", SourcePath("examples/yueyang-2019.json"),
                      SourcePath("examples/yueyang-2020.json")})
                .exit_code,
            0);
  auto last_year = As("sj", {"score", "YY-SJYJ/2019"});
  ASSERT_EQ(last_year.exit_code, 0) << last_year.err;
  auto scored = As("sj", {"score", "YY-SJYJ/2020", "-o", "json"});
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  v1::ScoreCard card = Card(scored.out);
  EXPECT_EQ(card.total_score(), "79.36");
  EXPECT_EQ(card.grade(), "良好");
  EXPECT_EQ(card.prior_report().revision(), 1);

  // The whole year at once, as a reviewer: one line per report.
  ASSERT_EQ(As("yy", {"save", dir_ + "/2020.json"}).exit_code, 0);
  auto year = As("reviewer", {"score", "--year", "2020"});
  EXPECT_EQ(year.exit_code, 0) << year.err;
  EXPECT_THAT(year.out, HasSubstr("YY-SJYJ/2020@1  79.36  良好  0 errors"));
  EXPECT_THAT(year.out, HasSubstr("2020: 2 of 2 scored and saved"));
  auto json =
      As("reviewer", {"score", "--year", "2020", "--department-prefix", "YY-SJ", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(std::count(json.out.begin(), json.out.end(), '\n'), 1) << json.out;
  v1::ScoreResponse line;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &line).ok()) << json.out;
  EXPECT_EQ(line.request_id(), "YY-SJYJ/2020@1");
  EXPECT_EQ(line.card().total_score(), "79.36");
  auto summary = As("reviewer", {"summary", "--year", "2020", "-o", "json"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(summary.out, &parsed).ok())
      << summary.out;
  const auto& rows = parsed.fields().at("rows").list_value();
  ASSERT_EQ(rows.values_size(), 2);
  EXPECT_EQ(rows.values(0).struct_value().fields().at("code").string_value(), "YY-SJYJ");
  EXPECT_EQ(rows.values(0).struct_value().fields().at("total").string_value(), "79.36");
  EXPECT_EQ(parsed.fields().at("level_names").list_value().values(0).string_value(), "投入");
  auto drafts = As("reviewer", {"summary", "--year", "2020", "--status", "submitted"});
  EXPECT_THAT(drafts.out, HasSubstr("0 个部门"));
  auto none = As("reviewer", {"score", "--year", "2020", "--status", "approved"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_THAT(none.out, HasSubstr("2020: 0 of 0"));
  EXPECT_EQ(As("reviewer", {"score", "--year", "2020", "YY-SJYJ/2020"}).exit_code, 2);
}

TEST_F(Schemes, StorageKeepsACardOnlyIfItsPriorIsTheStoredRevision) {
  PublishAndAssign();
  ASSERT_EQ(As("yy", {"save", dir_ + "/2019.json"}).exit_code, 0);
  ASSERT_EQ(As("yy", {"save", dir_ + "/2020.json"}).exit_code, 0);
  auto storage = v1::StorageService::NewStub(
      grpc::CreateChannel(storage_->address(), grpc::InsecureChannelCredentials()));
  auto scoring = v1::ScoringService::NewStub(
      grpc::CreateChannel(scoring_->address(), grpc::InsecureChannelCredentials()));
  auto call = [](grpc::ClientContext& context) {
    context.AddMetadata("authorization", "Bearer yy-token");
  };
  auto fetch = [&](int year) {
    grpc::ClientContext context;
    call(context);
    v1::GetReportRequest get;
    get.mutable_key()->set_department_code("YY-TEST");
    get.mutable_key()->set_fiscal_year(year);
    v1::GetReportResponse got;
    EXPECT_TRUE(storage->GetReport(&context, get, &got).ok());
    return got.revision().report();
  };
  v1::ScoreRequest request;
  *request.mutable_report() = fetch(2020);
  request.set_report_revision(1);
  *request.mutable_prior() = fetch(2019);
  request.mutable_prior()->mutable_three_public()->mutable_total()->mutable_actual()->set_value(
      "40");  // not what is stored
  request.set_prior_revision(1);
  request.mutable_scheme_ref()->set_id("year-on-year");
  v1::ScoreResponse scored;
  {
    grpc::ClientContext context;
    call(context);
    grpc::Status status = scoring->Score(&context, request, &scored);
    // scoring-svc has only its built-in scheme: send the published one.
    ASSERT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    call(context);
    v1::GetSchemeRequest get;
    get.set_id("year-on-year");
    v1::GetSchemeResponse got;
    ASSERT_TRUE(storage->GetScheme(&context, get, &got).ok());
    *request.mutable_scheme() = got.scheme();
  }
  {
    grpc::ClientContext context;
    call(context);
    grpc::Status status = scoring->Score(&context, request, &scored);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(scored.card().prior_report().revision(), 1);
  EXPECT_FALSE(scored.card().signature().prior_report_sha256().empty());
  auto save = [&](const v1::ScoreCard& card) {
    grpc::ClientContext context;
    call(context);
    v1::SaveScoreCardRequest request;
    *request.mutable_card() = card;
    v1::SaveScoreCardResponse response;
    return storage->SaveScoreCard(&context, request, &response);
  };
  grpc::Status refused = save(scored.card());
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("last year's report"));

  v1::ScoreCard renamed = scored.card();
  renamed.mutable_prior_report()->set_revision(7);
  refused = save(renamed);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("last year's report is revision 1"));

  // A prior report of another department is refused at scoring.
  request.mutable_prior()->mutable_identity()->set_department_code("OTHER");
  grpc::ClientContext context;
  call(context);
  grpc::Status other = scoring->Score(&context, request, &scored);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(other.error_message(), HasSubstr("last year"));

  // The refusals kept nothing.
  EXPECT_THAT(As("yy", {"card", "YY-TEST/2020"}).err, HasSubstr("no score card"));
}

TEST_F(Schemes, AYearsSchemeIsFixedOnceOneOfItsReportsIsApproved) {
  PublishAndAssign();
  ASSERT_EQ(As("yy", {"save", dir_ + "/2020.json"}).exit_code, 0);
  ASSERT_EQ(As("yy", {"submit", "YY-TEST/2020"}).exit_code, 0);
  ASSERT_EQ(As("reviewer", {"approve", "YY-TEST/2020"}).exit_code, 0);
  auto changed = As("admin", {"admin", "assign", "--year", "2020", "dept-overall@1"});
  EXPECT_EQ(changed.exit_code, 4);
  EXPECT_THAT(changed.err, HasSubstr("approved reports"));
  EXPECT_EQ(As("admin", {"admin", "assign", "--year", "2020", "year-on-year@1"}).exit_code, 0);
  // Another year is free, and the audit trail has both assignments.
  EXPECT_EQ(As("admin", {"admin", "assign", "--year", "2021", "dept-overall@1"}).exit_code, 0);
  auto audit = As("admin", {"audit"});
  EXPECT_THAT(audit.out, HasSubstr("AssignScheme"));
  EXPECT_THAT(audit.out, HasSubstr("year 2021"));
}

// The year's cycle for one report through the CLI, with the seed (whose
// card has an error finding): nothing is submitted or approved unscored or
// without a word on its errors; an approval can be undone; a card of an
// earlier content is stale.
TEST_F(Schemes, ALifecycleWhereNothingPassesUnscoredOrUnexplained) {
  const std::string seed = SourcePath("examples/longhua-2019.json");
  auto lh = [&](std::vector<std::string> args) { return As("lh", std::move(args)); };
  ASSERT_EQ(lh({"save", seed}).exit_code, 0);
  const std::string ref = "LH-ZWFWSJGLJ/2019";
  EXPECT_EQ(As("reviewer", {"approve", ref}).exit_code, 4);  // a draft
  auto unexplained = lh({"submit", ref});
  EXPECT_EQ(unexplained.exit_code, 4);  // refused: nothing submitted
  EXPECT_THAT(unexplained.err, HasSubstr("--explain"));
  ASSERT_EQ(lh({"submit", ref, "--explain", "第二季度数据以财政系统为准"}).exit_code, 0);
  EXPECT_EQ(As("reviewer", {"return", ref}).exit_code, 2);  // --reason is required
  ASSERT_EQ(As("reviewer", {"return", ref, "--reason", "第二季度进度有误"}).exit_code, 0);
  ASSERT_EQ(lh({"submit", ref, "--explain", "已与财政系统核对"}).exit_code, 0);
  auto careless = As("reviewer", {"approve", ref});
  EXPECT_EQ(careless.exit_code, 4);
  EXPECT_THAT(careless.err, HasSubstr("--despite-errors"));
  ASSERT_EQ(As("reviewer", {"approve", ref, "--despite-errors", "差异已核实"}).exit_code, 0);
  EXPECT_EQ(lh({"reopen", ref, "--reason", "x"}).exit_code, 4);  // reviewers reopen
  ASSERT_EQ(As("reviewer", {"reopen", ref, "--reason", "误批，需补充佐证"}).exit_code, 0);
  auto history = As("reviewer", {"history", ref});
  for (const char* said :
       {"第二季度数据以财政系统为准", "第二季度进度有误", "差异已核实", "误批，需补充佐证"}) {
    EXPECT_THAT(history.out, HasSubstr(said));
  }
  // Edited after reopening, the stored card is stale and says so.
  ASSERT_EQ(lh({"save", seed}).exit_code, 0);  // unchanged: nothing new
  v1::Report changed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(testing::ReadFile(seed), &changed).ok());
  changed.mutable_identity()->set_submitter("另一位填报人");
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(changed, &json).ok());
  std::ofstream(dir_ + "/changed.json") << json;
  ASSERT_EQ(lh({"save", dir_ + "/changed.json"}).exit_code, 0);
  auto stale = As("reviewer", {"card", ref});
  EXPECT_THAT(stale.out, HasSubstr("需重新评分"));
  auto validated = As("reviewer", {"validate", ref});
  EXPECT_EQ(validated.exit_code, 3);  // the seed's Q2 contradiction
  EXPECT_THAT(validated.out, HasSubstr("q2_progress"));
  auto no_such = As("reviewer", {"card", ref + "@99"});
  EXPECT_EQ(no_such.exit_code, 4);
  EXPECT_THAT(no_such.err, HasSubstr("has no revision 99; its latest is"));
  EXPECT_EQ(As("reviewer", {"compare", ref, ref}).exit_code, 2);
  auto resubmitted = lh({"submit", ref, "--explain", "已补充"});
  EXPECT_EQ(resubmitted.exit_code, 0) << resubmitted.err;
  EXPECT_THAT(As("reviewer", {"card", ref}).out, Not(HasSubstr("需重新评分")));
}

// --- offline ------------------------------------------------------------

TEST(SchemesOffline, ScoreAndValidateTakeLastYearsReportFromAFile) {
  const std::string dir = testing::MakeTempDir("jixiao-prior");
  std::ofstream(dir + "/scheme.textproto") << kScheme;
  std::ofstream(dir + "/2019.json") << YearReport(2019, "50", "8", "12.5");
  std::ofstream(dir + "/2020.json") << YearReport(2020, "45", "20", "9");
  const std::string jixiao = BinPath("jixiao");
  auto scored =
      RunCommand({jixiao, "score", dir + "/2020.json", "--scheme", dir + "/scheme.textproto",
                  "--prior", dir + "/2019.json", "-o", "json"});
  EXPECT_EQ(scored.exit_code, 3) << scored.err;  // the carry-over does not run on
  v1::ScoreCard card;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(scored.out, &card).ok()) << scored.out;
  EXPECT_EQ(card.prior_report().fiscal_year(), 2019);
  EXPECT_EQ(card.prior_report().revision(), 0);
  EXPECT_EQ(card.measures(0).computed().display(), "-10.00");
  auto validated = RunCommand({jixiao, "validate", dir + "/2020.json", "--scheme",
                               dir + "/scheme.textproto", "--prior", dir + "/2019.json"});
  EXPECT_EQ(validated.exit_code, 3);
  EXPECT_THAT(validated.out, HasSubstr("carry_over_runs_on"));
  auto wrong_year = RunCommand({jixiao, "score", dir + "/2020.json", "--scheme",
                                dir + "/scheme.textproto", "--prior", dir + "/2020.json"});
  EXPECT_EQ(wrong_year.exit_code, 4);
  EXPECT_THAT(wrong_year.err, HasSubstr("prior.identity.fiscal_year"));
  auto two = RunCommand(
      {jixiao, "score", dir + "/2020.json", dir + "/2019.json", "--prior", dir + "/2019.json"});
  EXPECT_NE(two.exit_code, 0);
  EXPECT_THAT(two.err, HasSubstr("one report file"));
}

// Copies every figure the template left blank from `source`, at the same
// path; the answers, manual scores and targets likewise.
void FillFrom(const google::protobuf::Message& source, google::protobuf::Message& blank) {
  using google::protobuf::FieldDescriptor;
  const auto* reflection = blank.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(blank, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->type() != FieldDescriptor::TYPE_MESSAGE || field->is_repeated()) continue;
    if (field->message_type() == v1::Decimal::descriptor()) {
      if (source.GetReflection()->HasField(source, field)) {
        reflection->MutableMessage(&blank, field)
            ->CopyFrom(source.GetReflection()->GetMessage(source, field));
      }
      continue;
    }
    FillFrom(source.GetReflection()->GetMessage(source, field),
             *reflection->MutableMessage(&blank, field));
  }
}

void ExpectTemplateRoundTrip(const std::string& scheme, const std::string& example,
                             const std::string& prior) {
  SCOPED_TRACE(scheme);
  const std::string jixiao = BinPath("jixiao");
  v1::Report filled_in;
  {
    std::string text = testing::ReadFile(SourcePath(example));
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(text, &filled_in).ok());
  }
  auto blank = RunCommand({jixiao, "template", "--scheme", SourcePath(scheme), "--department",
                           filled_in.identity().department_code(), "--year",
                           std::to_string(filled_in.identity().fiscal_year())});
  ASSERT_EQ(blank.exit_code, 0) << blank.err;
  v1::Report form;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(blank.out, &form).ok()) << blank.out;
  EXPECT_EQ(form.identity().department_code(), filled_in.identity().department_code());
  EXPECT_GT(form.checklist_size() + form.figures_size(), 0);
  for (const v1::ChecklistAnswer& answer : form.checklist()) {
    EXPECT_FALSE(answer.met());
    EXPECT_EQ(answer.evidence(), "");
  }
  for (const auto& [id, figure] : form.figures()) EXPECT_EQ(figure.value(), "") << id;

  // Filled in by a department: the template then validates exactly as the
  // example does.
  FillFrom(filled_in, form);
  for (auto& [id, figure] : *form.mutable_figures()) {
    auto it = filled_in.figures().find(id);
    if (it != filled_in.figures().end()) figure = it->second;
  }
  *form.mutable_checklist() = filled_in.checklist();
  *form.mutable_manual_scores() = filled_in.manual_scores();
  *form.mutable_targets() = filled_in.targets();
  *form.mutable_identity() = filled_in.identity();
  EXPECT_TRUE(form.self_evaluation().has_total());
  *form.mutable_self_evaluation() = filled_in.self_evaluation();
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(form, &json).ok());
  const std::string dir = testing::MakeTempDir("jixiao-template");
  std::ofstream(dir + "/filled.json") << json;
  std::vector<std::string> validate = {jixiao, "validate", "--scheme", SourcePath(scheme),
                                       "-o",   "json"};
  if (!prior.empty()) {
    validate.push_back("--prior");
    validate.push_back(SourcePath(prior));
  }
  std::vector<std::string> of_form = validate, of_example = validate;
  of_form.push_back(dir + "/filled.json");
  of_example.push_back(SourcePath(example));
  auto from_form = RunCommand(of_form);
  auto from_example = RunCommand(of_example);
  EXPECT_EQ(from_form.exit_code, from_example.exit_code) << from_form.err;
  EXPECT_EQ(from_form.out, from_example.out);
  EXPECT_THAT(from_form.out, Not(HasSubstr("figure_missing")));

  // Left blank, it is refused for what only a person can fill in, not for
  // the blanks.
  std::ofstream(dir + "/blank.json") << blank.out;
  std::vector<std::string> of_blank = validate;
  of_blank.push_back(dir + "/blank.json");
  auto from_blank = RunCommand(of_blank);
  EXPECT_EQ(from_blank.exit_code, 4);
  EXPECT_THAT(from_blank.err, HasSubstr("identity.department_name: is required"));
  EXPECT_THAT(from_blank.err, HasSubstr("1 invalid field"));
}

TEST(SchemesOffline, TheTemplateOfEachShippedSchemeFilledInValidates) {
  ExpectTemplateRoundTrip("schemes/dept-overall-v1.textproto", "examples/longhua-2019.json", "");
  ExpectTemplateRoundTrip("schemes/yueyang-dept-overall-v1.textproto", "examples/yueyang-2020.json",
                          "examples/yueyang-2019.json");
}

TEST(SchemesOffline, TheTemplateListsFiguresInIdOrderEveryTime) {
  const std::vector<std::string> command = {
      BinPath("jixiao"), "template", "--scheme",
      SourcePath("schemes/yueyang-dept-overall-v1.textproto")};
  const std::string first = RunCommand(command).out;
  size_t previous = 0;
  for (const char* id :
       {"budget_decrease", "budget_increase", "initial_budget", "key_project_expenditure",
        "late_special_funds", "tasks_on_time", "year_end_execution"}) {
    size_t at = first.find(std::string("\"") + id + "\"");
    ASSERT_NE(at, std::string::npos) << id;
    EXPECT_GT(at, previous) << id;
    previous = at;
  }
  EXPECT_EQ(RunCommand(command).out, first);
}

}  // namespace
}  // namespace jixiao
