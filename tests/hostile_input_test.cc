// Hostile and malformed requests against the real services, with tokens and
// signing keys on: each row gets its status code (and the violating field,
// where one is to blame), and after each the store, audit trail included,
// is exactly as it was.

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <functional>
#include <future>
#include <set>

#include "absl/strings/escaping.h"
#include "common/auth/tokens.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "tests/fixtures.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using testing::ServerProcess;
using testing::SourcePath;
using Storage = v1::StorageService::Stub;
using Scoring = v1::ScoringService::Stub;

struct Reply {
  grpc::StatusCode code;
  std::vector<std::string> fields;
};

Reply Of(const grpc::Status& status) {
  Reply reply{status.error_code(), {}};
  google::rpc::Status details;
  google::rpc::BadRequest bad;
  if (details.ParseFromString(status.error_details()) && details.details_size() > 0 &&
      details.details(0).UnpackTo(&bad)) {
    for (const auto& v : bad.field_violations()) reply.fields.push_back(v.field());
  }
  return reply;
}

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("jixiao-hostile");
    testing::WriteTokenFile(dir_ + "/tokens", {{"lh", "lh department LH"},
                                               {"other", "other department OTHER"},
                                               {"rev", "wang reviewer"},
                                               {"adm", "ops admin"}});
    testing::WriteSigningKeyFile(dir_ + "/keys");
    testing::SecuredServices services = testing::StartSecuredServices(dir_);
    storage_ = std::move(services.storage);
    scoring_ = std::move(services.scoring);
    ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
    ASSERT_FALSE(scoring_->address().empty()) << scoring_->Log();
    storage_stub_ = v1::StorageService::NewStub(
        grpc::CreateChannel(storage_->address(), grpc::InsecureChannelCredentials()));
    scoring_stub_ = v1::ScoringService::NewStub(
        grpc::CreateChannel(scoring_->address(), grpc::InsecureChannelCredentials()));
  }

  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& authorization, const Request& request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    Response response;
    return (stub.*method)(&context, request, &response);
  }

  grpc::Status Create(const std::string& token, const v1::Report& report) {
    v1::CreateReportRequest request;
    *request.mutable_report() = report;
    return Call(*storage_stub_, &Storage::CreateReport, "Bearer " + token, request);
  }

  // Everything a reviewer can read, the audit trail included.
  std::string Snapshot() {
    std::string all;
    v1::ListReportsRequest list;
    list.set_page_size(1000);
    list.set_view(v1::REPORT_VIEW_FULL);
    grpc::ClientContext c1;
    c1.AddMetadata("authorization", "Bearer rev");
    v1::ListReportsResponse reports;
    EXPECT_TRUE(storage_stub_->ListReports(&c1, list, &reports).ok());
    all += reports.SerializeAsString();
    v1::ListAuditRequest audit;
    audit.set_page_size(1000);
    grpc::ClientContext c2;
    c2.AddMetadata("authorization", "Bearer rev");
    v1::ListAuditResponse trail;
    EXPECT_TRUE(storage_stub_->ListAudit(&c2, audit, &trail).ok());
    all += trail.SerializeAsString();
    v1::ListChangesRequest changes;
    changes.set_page_size(1000);
    grpc::ClientContext c3;
    c3.AddMetadata("authorization", "Bearer rev");
    v1::ListChangesResponse feed;
    EXPECT_TRUE(storage_stub_->ListChanges(&c3, changes, &feed).ok());
    all += feed.SerializeAsString();
    return all;
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> storage_, scoring_;
  std::unique_ptr<Storage> storage_stub_;
  std::unique_ptr<Scoring> scoring_stub_;
};

v1::Report Good(const std::string& dept = "LH") {
  v1::Report report;
  report.mutable_identity()->set_department_code(dept);
  report.mutable_identity()->set_department_name("部门");
  report.mutable_identity()->set_fiscal_year(2019);
  report.mutable_procurement()->mutable_budget()->set_value("100");
  report.mutable_procurement()->mutable_actual()->set_value("90");
  return report;
}

v1::Report WithBudget(const std::string& value) {
  v1::Report report = Good("NEW");
  report.mutable_identity()->set_department_code("LH");
  report.mutable_identity()->set_fiscal_year(2020);
  report.mutable_procurement()->mutable_budget()->set_value(value);
  return report;
}

TEST_F(Hostile, EveryRowIsRefusedAndChangesNothing) {
  // The store holds one report, submitted, with a signed card.
  ASSERT_TRUE(Create("lh", Good()).ok());
  v1::ScoreRequest score;
  *score.mutable_report() = Good();
  score.set_report_revision(1);
  v1::ScoreResponse scored;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer lh");
    ASSERT_TRUE(scoring_stub_->Score(&context, score, &scored).ok());
  }
  v1::SaveScoreCardRequest save;
  *save.mutable_card() = scored.card();
  ASSERT_TRUE(Call(*storage_stub_, &Storage::SaveScoreCard, "Bearer lh", save).ok());
  v1::TransitionReportRequest submit;
  submit.mutable_key()->set_department_code("LH");
  submit.mutable_key()->set_fiscal_year(2019);
  submit.set_to(v1::REPORT_STATUS_SUBMITTED);
  submit.set_expected_revision(1);
  submit.set_reason("any error finding explained");
  ASSERT_TRUE(Call(*storage_stub_, &Storage::TransitionReport, "Bearer lh", submit).ok());
  const std::string before = Snapshot();

  using C = grpc::StatusCode;
  auto create = [this](std::string token, v1::Report report) {
    return [this, token, report] { return Create(token, report); };
  };
  auto transition = [this](std::string token, v1::ReportStatus to, int64_t expected,
                           std::string reason) {
    return [this, token, to, expected, reason] {
      v1::TransitionReportRequest request;
      request.mutable_key()->set_department_code("LH");
      request.mutable_key()->set_fiscal_year(2019);
      request.set_to(to);
      request.set_expected_revision(expected);
      request.set_reason(reason);
      return Call(*storage_stub_, &Storage::TransitionReport, "Bearer " + token, request);
    };
  };
  auto update = [this](v1::Report report, int64_t expected) {
    return [this, report, expected] {
      v1::UpdateReportRequest request;
      *request.mutable_report() = report;
      request.set_expected_revision(expected);
      return Call(*storage_stub_, &Storage::UpdateReport, "Bearer lh", request);
    };
  };
  auto save_card = [this](v1::ScoreCard card) {
    return [this, card] {
      v1::SaveScoreCardRequest request;
      *request.mutable_card() = card;
      return Call(*storage_stub_, &Storage::SaveScoreCard, "Bearer lh", request);
    };
  };
  auto get_as = [this](std::string authorization) {
    return [this, authorization] {
      v1::GetReportRequest request;
      request.mutable_key()->set_department_code("LH");
      request.mutable_key()->set_fiscal_year(2019);
      return Call(*storage_stub_, &Storage::GetReport, authorization, request);
    };
  };
  // GetReport reads its request itself (the service takes it as bytes).
  auto get_raw = [this](std::string bytes) {
    return [this, bytes] {
      grpc::GenericStub stub(
          grpc::CreateChannel(storage_->address(), grpc::InsecureChannelCredentials()));
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer lh");
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
      grpc::Slice slice(bytes);
      grpc::ByteBuffer request(&slice, 1), response;
      std::promise<grpc::Status> done;
      stub.UnaryCall(&context, "/jixiao.v1.StorageService/GetReport", grpc::StubOptions(), &request,
                     &response,
                     [&done](grpc::Status status) { done.set_value(std::move(status)); });
      return done.get_future().get();
    };
  };
  auto publish = [this](std::string token, v1::Scheme scheme) {
    return [this, token, scheme] {
      v1::PublishSchemeRequest request;
      *request.mutable_scheme() = scheme;
      return Call(*storage_stub_, &Storage::PublishScheme, "Bearer " + token, request);
    };
  };
  auto score_as = [this](std::string authorization, v1::ScoreRequest request) {
    return [this, authorization, request] {
      return Call(*scoring_stub_, &Scoring::Score, authorization, request);
    };
  };

  v1::Report two_line_name = WithBudget("1");
  two_line_name.mutable_identity()->set_department_name("本局\n999  伪造的一行");
  v1::Report escape_name = WithBudget("1");
  escape_name.mutable_identity()->set_department_name("\x1b[2J本局");
  v1::Report blank_name = WithBudget("1");
  blank_name.mutable_identity()->set_department_name("\xe3\x80\x80");  // an ideographic space
  v1::Report huge_text = WithBudget("1");
  huge_text.mutable_narrative()->add_preamble(std::string(70000, 'x'));
  v1::Report many_items = WithBudget("1");
  for (int i = 0; i < 1001; ++i) many_items.add_checklist()->set_item_id("i" + std::to_string(i));
  v1::Report duplicate_answers = WithBudget("1");
  duplicate_answers.add_checklist()->set_item_id("a");
  duplicate_answers.add_checklist()->set_item_id("a");
  v1::Report many_figures = WithBudget("1");
  for (int i = 0; i < 10000; ++i) {
    (*many_figures.mutable_figures())["f" + std::to_string(i)].set_value("1");
  }
  v1::Report path_figure = WithBudget("1");
  (*path_figure.mutable_figures())["../etc/passwd"].set_value("1");
  v1::Report huge_figure_id = WithBudget("1");
  (*huge_figure_id.mutable_figures())[std::string(100 * 1024, 'a')].set_value("1");
  v1::Report bad_figure = WithBudget("1");
  (*bad_figure.mutable_figures())["initial_budget"].set_value("1e5");
  v1::Report many_targets = WithBudget("1");
  for (int i = 0; i < 1001; ++i) many_targets.add_targets()->set_indicator_id("results");
  v1::Report negative_target = WithBudget("1");
  negative_target.add_targets()->mutable_target()->set_value("-1");
  v1::Report big_rate = WithBudget("1");
  big_rate.mutable_three_public()->mutable_declared_control_rate()->set_value("5000");
  v1::Report satisfied = WithBudget("1");
  satisfied.mutable_satisfaction()->mutable_rate()->set_value("100.1");
  v1::Report no_code = WithBudget("1");
  no_code.mutable_identity()->clear_department_code();
  v1::Report path_code = WithBudget("1");
  path_code.mutable_identity()->set_department_code("../LH");
  v1::Report dot_code = WithBudget("1");
  dot_code.mutable_identity()->set_department_code(".");
  v1::Report dotdot_code = WithBudget("1");
  dotdot_code.mutable_identity()->set_department_code("..");
  v1::Report year_zero = WithBudget("1");
  year_zero.mutable_identity()->set_fiscal_year(0);
  v1::Report year_far = WithBudget("1");
  year_far.mutable_identity()->set_fiscal_year(99999);
  v1::Report oversize = WithBudget("1");
  oversize.mutable_narrative()->mutable_plans()->add_paragraphs(std::string(17 << 20, 'y'));
  v1::Report bad_manual = WithBudget("1");
  bad_manual.add_manual_scores()->set_indicator_id("x");
  v1::Report text_twice = WithBudget("1");
  for (int i = 0; i < 2; ++i) {
    v1::IndicatorText& t = *text_twice.mutable_narrative()->add_indicators();
    t.set_indicator_id("financial_compliance");
    t.add_paragraphs("合规。");
  }
  v1::Report text_bad_id = WithBudget("1");
  text_bad_id.mutable_narrative()->add_indicators()->set_indicator_id("../../etc");
  v1::Report many_texts = WithBudget("1");
  for (int i = 0; i < 2000; ++i) {
    many_texts.mutable_narrative()->add_indicators()->set_indicator_id("t" + std::to_string(i));
  }
  v1::Report invalid_utf8 = WithBudget("1");
  invalid_utf8.mutable_identity()->set_department_name("\xff\xfe bad");

  v1::ScoreCard forged = scored.card();
  forged.set_total_score("100.00");
  v1::ScoreCard unsigned_card = scored.card();
  unsigned_card.clear_signature();
  v1::ScoreCard other_revision = scored.card();
  other_revision.mutable_report()->set_revision(2);  // revision 2 is the submission
  v1::ScoreCard long_code_card = scored.card();
  long_code_card.mutable_report()->set_department_code(std::string(100, 'L'));
  v1::ScoreCard missing_revision = scored.card();
  missing_revision.mutable_report()->set_revision(9);
  v1::ScoreCard other_prior_card = scored.card();  // naming another department's last year
  other_prior_card.mutable_prior_report()->set_department_code("OTHER");
  other_prior_card.mutable_prior_report()->set_fiscal_year(2018);
  other_prior_card.mutable_prior_report()->set_revision(1);
  v1::ScoreCard summary_card = scored.card();  // scores without their reasons
  summary_card.set_summary(true);
  v1::ScoreRequest unknown_detail = score;
  unknown_detail.set_detail(static_cast<v1::Detail>(99));
  v1::ScoreRequest previous_scheme = score;  // a stream's reference, in a single call
  previous_scheme.set_previous_scheme(true);
  v1::ScoreCard missing_prior_card = scored.card();
  missing_prior_card.mutable_prior_report()->set_department_code("LH");
  missing_prior_card.mutable_prior_report()->set_fiscal_year(2018);
  missing_prior_card.mutable_prior_report()->set_revision(1);
  v1::Scheme broken_scheme;
  broken_scheme.set_id("x");
  broken_scheme.set_version(1);
  broken_scheme.set_name("x");
  broken_scheme.set_total_weight("10");
  v1::Scheme official;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      testing::ReadFile(SourcePath("schemes/dept-overall-v1.textproto")), &official));
  v1::Scheme unknown_enum = official;
  unknown_enum.set_version(2);
  unknown_enum.set_score_on(static_cast<v1::ValueBasis>(42));
  v1::ScoreRequest bad_score = score;
  bad_score.mutable_report()->mutable_procurement()->mutable_budget()->set_value("-1");
  v1::ScoreRequest unknown_scheme = score;
  unknown_scheme.mutable_scheme_ref()->set_id("nope");
  v1::ScoreRequest inline_broken = score;
  *inline_broken.mutable_scheme() = broken_scheme;
  v1::ScoreRequest huge_scheme = score;
  *huge_scheme.mutable_scheme() = official;
  huge_scheme.mutable_scheme()->set_description(std::string(5 << 20, 'x'));
  v1::ScoreRequest other_prior = score;  // last year's report of another department
  *other_prior.mutable_prior() = score.report();
  other_prior.mutable_prior()->mutable_identity()->set_department_code("OTHER");
  other_prior.mutable_prior()->mutable_identity()->set_fiscal_year(
      score.report().identity().fiscal_year() - 1);
  v1::ScoreRequest same_year_prior = score;
  *same_year_prior.mutable_prior() = score.report();
  v1::ScoreRequest bad_prior = score;
  *bad_prior.mutable_prior() = WithBudget("-3");
  bad_prior.mutable_prior()->mutable_identity()->set_fiscal_year(
      score.report().identity().fiscal_year() - 1);
  auto validate_as = [this](std::string authorization, v1::ScoreRequest score) {
    return [this, authorization, score] {
      v1::ValidateRequest request;
      *request.mutable_report() = score.report();
      *request.mutable_prior() = score.prior();
      return Call(*scoring_stub_, &Scoring::Validate, authorization, request);
    };
  };
  auto assign = [this](std::string token, int year, std::string id, int version) {
    return [this, token, year, id, version] {
      v1::AssignSchemeRequest request;
      request.set_fiscal_year(year);
      request.set_scheme_id(id);
      request.set_scheme_version(version);
      return Call(*storage_stub_, &Storage::AssignScheme, "Bearer " + token, request);
    };
  };
  v1::ScoreRequest unary_chain = score;
  *unary_chain.mutable_scheme() = official;
  unary_chain.mutable_scheme()->mutable_measures(0)->set_formula(std::string(20000, '-') + "1");
  // Cards scoring-svc signed, of schemes that are not the official one.
  auto signed_card = [this](v1::ScoreRequest request) {
    v1::ScoreResponse response;
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer lh");
    EXPECT_TRUE(scoring_stub_->Score(&context, request, &response).ok());
    return response.card();
  };
  v1::ScoreRequest eased = score;
  *eased.mutable_scheme() = official;  // its id and version, with a rule eased
  for (v1::Indicator& top : *eased.mutable_scheme()->mutable_indicators()) {
    for (v1::Indicator& mid : *top.mutable_children()) {
      for (v1::Indicator& leaf : *mid.mutable_children()) {
        if (leaf.rule().has_proportional()) leaf.mutable_rule()->mutable_proportional()->set_standard("1");
      }
    }
  }
  const v1::ScoreCard eased_card = signed_card(eased);
  v1::ScoreRequest unpublished = score;
  *unpublished.mutable_scheme() = official;
  unpublished.mutable_scheme()->set_version(9);
  const v1::ScoreCard unpublished_card = signed_card(unpublished);
  // Page tokens as they were: a key to resume after (here, one sorting below
  // LH's own reports), with nothing the server checks.
  auto unsigned_token = [](const std::string& after_key) {
    std::string token;
    absl::WebSafeBase64Escape(std::string("\x0a") + static_cast<char>(after_key.size()) + after_key,
                              &token);
    return token;
  };
  const std::string below_lh = unsigned_token(std::string("A\0\0\0\x07\xe3", 6));

  auto roster = [this](std::string token,
                       std::vector<std::pair<std::string, std::string>> entries) {
    return [this, token, entries] {
      v1::SetRosterRequest request;
      request.set_fiscal_year(2019);
      for (const auto& [code, name] : entries) {
        v1::RosterEntry& entry = *request.add_entries();
        entry.set_department_code(code);
        entry.set_name(name);
      }
      return Call(*storage_stub_, &Storage::SetRoster, "Bearer " + token, request);
    };
  };
  std::vector<std::pair<std::string, std::string>> too_many;
  for (int i = 0; i < 20001; ++i) too_many.emplace_back("D" + std::to_string(i), "部门");
  auto changes = [this](std::string token, v1::ListChangesRequest request) {
    return [this, token, request] {
      return Call(*storage_stub_, &Storage::ListChanges, "Bearer " + token, request);
    };
  };
  v1::ListChangesRequest others_changes, negative_cursor, past_the_end, negative_page;
  others_changes.set_department_code("OTHER");
  negative_cursor.set_after(-1);
  past_the_end.set_after(1000000);
  negative_page.set_page_size(-1);

  struct Row {
    std::string name;
    std::function<grpc::Status()> call;
    C code;
    std::string field;
  };
  std::vector<Row> rows = {
      {"no token", get_as(""), C::UNAUTHENTICATED, ""},
      {"unknown token", get_as("Bearer guess"), C::UNAUTHENTICATED, ""},
      {"not a bearer token", get_as("Basic bGg6bGg="), C::UNAUTHENTICATED, ""},
      {"empty bearer", get_as("Bearer "), C::UNAUTHENTICATED, ""},
      {"another department's report", get_as("Bearer other"), C::PERMISSION_DENIED, ""},
      {"writing another department's report", create("other", WithBudget("1")),
       C::PERMISSION_DENIED, ""},
      {"reviewer writing a report", create("rev", WithBudget("1")), C::PERMISSION_DENIED, ""},
      {"department approving", transition("lh", v1::REPORT_STATUS_APPROVED, 2, ""),
       C::PERMISSION_DENIED, ""},
      {"admin approving", transition("adm", v1::REPORT_STATUS_APPROVED, 2, ""),
       C::PERMISSION_DENIED, ""},
      {"department publishing", publish("lh", unknown_enum), C::PERMISSION_DENIED, ""},
      {"department backing up",
       [&] {
         v1::CreateBackupRequest request;
         request.set_backup_dir(dir_ + "/backup");
         return Call(*storage_stub_, &Storage::CreateBackup, "Bearer lh", request);
       },
       C::PERMISSION_DENIED, ""},
      {"department reading the audit trail",
       [&] {
         return Call(*storage_stub_, &Storage::ListAudit, "Bearer lh", v1::ListAuditRequest());
       },
       C::PERMISSION_DENIED, ""},
      {"negative amount", create("lh", WithBudget("-5")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"NaN", create("lh", WithBudget("NaN")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"Infinity", create("lh", WithBudget("Infinity")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"overflowing amount", create("lh", WithBudget("1" + std::string(30, '0'))),
       C::INVALID_ARGUMENT, "report.procurement.budget.value"},
      {"too many decimals", create("lh", WithBudget("0.1234567890123")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"exponent", create("lh", WithBudget("1e308")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"thousands separator", create("lh", WithBudget("1,000")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"empty figure", create("lh", WithBudget("")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"hexadecimal", create("lh", WithBudget("0x10")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"minus zero", create("lh", WithBudget("-0")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"minus zero with decimals", create("lh", WithBudget("-0.00")), C::INVALID_ARGUMENT,
       "report.procurement.budget.value"},
      {"department code '.'", create("lh", dot_code), C::INVALID_ARGUMENT,
       "report.identity.department_code"},
      {"department code '..'", create("lh", dotdot_code), C::INVALID_ARGUMENT,
       "report.identity.department_code"},
      {"card of a department code longer than any report's", save_card(long_code_card),
       C::INVALID_ARGUMENT, "card.report.department_code"},
      {"missing department", create("lh", no_code), C::INVALID_ARGUMENT,
       "report.identity.department_code"},
      {"path in department code", create("lh", path_code), C::INVALID_ARGUMENT,
       "report.identity.department_code"},
      {"year zero", create("lh", year_zero), C::INVALID_ARGUMENT, "report.identity.fiscal_year"},
      {"year far away", create("lh", year_far), C::INVALID_ARGUMENT, "report.identity.fiscal_year"},
      {"department name with a line break", create("lh", two_line_name), C::INVALID_ARGUMENT,
       "report.identity.department_name"},
      {"department name with a terminal escape", create("lh", escape_name), C::INVALID_ARGUMENT,
       "report.identity.department_name"},
      {"department name of spaces only", create("lh", blank_name), C::INVALID_ARGUMENT,
       "report.identity.department_name"},
      {"huge string", create("lh", huge_text), C::INVALID_ARGUMENT, "report.narrative.preamble[0]"},
      {"too many items", create("lh", many_items), C::INVALID_ARGUMENT, "report.checklist"},
      {"duplicate answers", create("lh", duplicate_answers), C::INVALID_ARGUMENT,
       "report.checklist[1].item_id"},
      {"10,000 figure ids", create("lh", many_figures), C::INVALID_ARGUMENT, "report.figures"},
      {"figure id that is a path", create("lh", path_figure), C::INVALID_ARGUMENT,
       "report.figures"},
      {"figure id of 100 KiB", create("lh", huge_figure_id), C::INVALID_ARGUMENT, "report.figures"},
      {"figure with an exponent", create("lh", bad_figure), C::INVALID_ARGUMENT,
       "report.figures.initial_budget.value"},
      {"too many target rows", create("lh", many_targets), C::INVALID_ARGUMENT, "report.targets"},
      {"negative target", create("lh", negative_target), C::INVALID_ARGUMENT,
       "report.targets[0].target.value"},
      {"rate out of range", create("lh", big_rate), C::INVALID_ARGUMENT,
       "report.three_public.declared_control_rate.value"},
      {"satisfaction over 100", create("lh", satisfied), C::INVALID_ARGUMENT,
       "report.satisfaction.rate.value"},
      {"manual score without score or reason", create("lh", bad_manual), C::INVALID_ARGUMENT,
       "report.manual_scores[0].score"},
      {"one indicator's text twice", create("lh", text_twice), C::INVALID_ARGUMENT,
       "report.narrative.indicators[1].indicator_id"},
      {"indicator text under no id", create("lh", text_bad_id), C::INVALID_ARGUMENT,
       "report.narrative.indicators[0].indicator_id"},
      {"too many indicator texts", create("lh", many_texts), C::INVALID_ARGUMENT,
       "report.narrative.indicators"},
      {"oversize message", create("lh", oversize), C::RESOURCE_EXHAUSTED, ""},
      // gRPC cannot parse such a request and refuses it before any service
      // code runs; gRPC 1.51 reports that as UNIMPLEMENTED.
      {"invalid UTF-8", create("lh", invalid_utf8), C::UNIMPLEMENTED, ""},
      {"unknown status value", transition("rev", static_cast<v1::ReportStatus>(99), 2, ""),
       C::INVALID_ARGUMENT, "to"},
      {"back to draft", transition("rev", v1::REPORT_STATUS_DRAFT, 2, ""), C::INVALID_ARGUMENT,
       "to"},
      {"return without reason", transition("rev", v1::REPORT_STATUS_RETURNED, 2, ""),
       C::INVALID_ARGUMENT, "reason"},
      {"stale revision", transition("rev", v1::REPORT_STATUS_APPROVED, 1, ""), C::ABORTED, ""},
      {"submitted report edited", update(Good(), 2), C::FAILED_PRECONDITION, ""},
      {"stale update", update(Good(), 1), C::ABORTED, ""},
      {"update without revision", update(Good(), 0), C::INVALID_ARGUMENT, "expected_revision"},
      {"illegal status change", transition("lh", v1::REPORT_STATUS_SUBMITTED, 2, ""),
       C::FAILED_PRECONDITION, ""},
      {"create existing", create("lh", Good()), C::ALREADY_EXISTS, ""},
      {"forged card", save_card(forged), C::INVALID_ARGUMENT, "card.signature"},
      {"unsigned card", save_card(unsigned_card), C::INVALID_ARGUMENT, "card.signature"},
      {"card for another revision", save_card(other_revision), C::INVALID_ARGUMENT,
       "card.signature"},
      {"card for a missing revision", save_card(missing_revision), C::FAILED_PRECONDITION, ""},
      {"signed card of an eased scheme under the official name", save_card(eased_card),
       C::INVALID_ARGUMENT, "card.scheme_sha256"},
      {"signed card of an unpublished scheme", save_card(unpublished_card), C::FAILED_PRECONDITION,
       ""},
      {"page token built by hand",
       [&] {
         v1::ListReportsRequest request;
         request.set_page_token(below_lh);
         return Call(*storage_stub_, &Storage::ListReports, "Bearer lh", request);
       },
       C::INVALID_ARGUMENT, "page_token"},
      {"history page token built by hand",
       [&] {
         v1::GetReportHistoryRequest request;
         request.mutable_key()->set_department_code("LH");
         request.mutable_key()->set_fiscal_year(2019);
         request.set_page_token(below_lh);
         return Call(*storage_stub_, &Storage::GetReportHistory, "Bearer lh", request);
       },
       C::INVALID_ARGUMENT, "page_token"},
      {"unknown listing view",
       [&] {
         v1::ListReportsRequest request;
         request.set_view(static_cast<v1::ReportView>(7));
         return Call(*storage_stub_, &Storage::ListReports, "Bearer rev", request);
       },
       C::INVALID_ARGUMENT, "view"},
      {"bad page token",
       [&] {
         v1::ListReportsRequest request;
         request.set_page_token("forged");
         return Call(*storage_stub_, &Storage::ListReports, "Bearer rev", request);
       },
       C::INVALID_ARGUMENT, "page_token"},
      {"negative page size",
       [&] {
         v1::ListReportsRequest request;
         request.set_page_size(-1);
         return Call(*storage_stub_, &Storage::ListReports, "Bearer rev", request);
       },
       C::INVALID_ARGUMENT, "page_size"},
      {"read with bytes that are not a request", get_raw(std::string("\xff\xff\xff", 3)),
       C::INVALID_ARGUMENT, ""},
      {"read with a truncated request", get_raw(std::string("\x0a\x10\x0a\x02LH", 6)),
       C::INVALID_ARGUMENT, ""},
      {"broken scheme", publish("adm", broken_scheme), C::INVALID_ARGUMENT, "scheme.indicators"},
      {"unknown enum in scheme", publish("adm", unknown_enum), C::INVALID_ARGUMENT,
       "scheme.score_on"},
      {"card naming another department's last year", save_card(other_prior_card),
       C::INVALID_ARGUMENT, "card.prior_report.department_code"},
      {"card naming a last year that is not stored", save_card(missing_prior_card),
       C::FAILED_PRECONDITION, ""},
      {"department assigning a scheme", assign("lh", 2019, "dept-overall", 1), C::PERMISSION_DENIED,
       ""},
      {"reviewer assigning a scheme", assign("rev", 2019, "dept-overall", 1), C::PERMISSION_DENIED,
       ""},
      {"assigning the newest version", assign("adm", 2019, "dept-overall", 0), C::INVALID_ARGUMENT,
       "scheme_version"},
      {"assigning to year 0", assign("adm", 0, "dept-overall", 1), C::INVALID_ARGUMENT,
       "fiscal_year"},
      {"assigning a scheme id that is a path", assign("adm", 2019, "../x", 1), C::INVALID_ARGUMENT,
       "scheme_id"},
      {"assigning an unpublished scheme", assign("adm", 2019, "nowhere", 1), C::FAILED_PRECONDITION,
       ""},
      {"scoring with last year's report of another department", score_as("Bearer lh", other_prior),
       C::INVALID_ARGUMENT, "prior.identity.department_code"},
      {"scoring with this year's report as last year's", score_as("Bearer lh", same_year_prior),
       C::INVALID_ARGUMENT, "prior.identity.fiscal_year"},
      {"scoring with a malformed last year's report", score_as("Bearer lh", bad_prior),
       C::INVALID_ARGUMENT, "prior.procurement.budget.value"},
      {"validating with last year's report of another department",
       validate_as("Bearer lh", other_prior), C::INVALID_ARGUMENT,
       "prior.identity.department_code"},
      {"scoring without a token", score_as("", score), C::UNAUTHENTICATED, ""},
      {"scoring with an unknown detail", score_as("Bearer lh", unknown_detail), C::INVALID_ARGUMENT,
       "detail"},
      {"scoring with a stream's previous scheme outside a stream",
       score_as("Bearer lh", previous_scheme), C::INVALID_ARGUMENT, "previous_scheme"},
      {"saving a summary card", save_card(summary_card), C::INVALID_ARGUMENT, "card.summary"},
      {"scoring a malformed report", score_as("Bearer lh", bad_score), C::INVALID_ARGUMENT,
       "procurement.budget.value"},
      {"scoring with an unknown scheme", score_as("Bearer lh", unknown_scheme), C::NOT_FOUND, ""},
      {"scoring with a broken inline scheme", score_as("Bearer lh", inline_broken),
       C::INVALID_ARGUMENT, "indicators"},
      {"scoring with a formula of 20,000 minus signs", score_as("Bearer lh", unary_chain),
       C::INVALID_ARGUMENT, "measures[0].formula"},
      {"scoring with a 5 MiB inline scheme", score_as("Bearer lh", huge_scheme),
       C::INVALID_ARGUMENT, ""},
      {"scoring a stored report where scoring-svc has no --storage",
       [&] {
         v1::ScoreStoredRequest request;
         request.mutable_key()->set_department_code("LH");
         request.mutable_key()->set_fiscal_year(2019);
         grpc::ClientContext context;
         context.AddMetadata("authorization", "Bearer lh");
         v1::ScoreStoredResponse response;
         return scoring_stub_->ScoreStored(&context, request, &response);
       },
       C::FAILED_PRECONDITION, ""},
      {"the counting revision with a revision number",
       [&] {
         v1::GetReportRequest request;
         request.mutable_key()->set_department_code("LH");
         request.mutable_key()->set_fiscal_year(2019);
         request.set_revision(1);
         request.set_counting(true);
         return Call(*storage_stub_, &Storage::GetReport, "Bearer lh", request);
       },
       C::INVALID_ARGUMENT, "revision"},
      {"department setting a roster", roster("lh", {{"LH", "本局"}}), C::PERMISSION_DENIED, ""},
      {"reviewer setting a roster", roster("rev", {{"LH", "本局"}}), C::PERMISSION_DENIED, ""},
      {"department reading a roster",
       [&] {
         v1::GetRosterRequest request;
         request.set_fiscal_year(2019);
         return Call(*storage_stub_, &Storage::GetRoster, "Bearer lh", request);
       },
       C::PERMISSION_DENIED, ""},
      {"roster naming a department twice", roster("adm", {{"LH", "本局"}, {"LH", "又一次"}}),
       C::INVALID_ARGUMENT, "entries[1].department_code"},
      {"roster name with a line break", roster("adm", {{"LH", "本局\n=1+1"}}), C::INVALID_ARGUMENT,
       "entries[0].name"},
      {"roster code that is a path", roster("adm", {{"../LH", "本局"}}), C::INVALID_ARGUMENT,
       "entries[0].department_code"},
      {"roster of 20,001 departments", roster("adm", too_many), C::INVALID_ARGUMENT, "entries"},
      {"department reading another department's changes", changes("lh", others_changes),
       C::PERMISSION_DENIED, ""},
      {"negative changes cursor", changes("rev", negative_cursor), C::INVALID_ARGUMENT, "after"},
      {"changes cursor past the latest change", changes("rev", past_the_end), C::OUT_OF_RANGE, ""},
      {"negative changes page size", changes("rev", negative_page), C::INVALID_ARGUMENT,
       "page_size"},
  };
  // Each row is its own case, and the table reaches every way a call is
  // refused.
  std::set<std::string> names;
  std::set<C> codes;
  for (const Row& row : rows) {
    EXPECT_TRUE(names.insert(row.name).second) << "two rows named " << row.name;
    codes.insert(row.code);
  }
  EXPECT_EQ(codes, (std::set<C>{C::UNAUTHENTICATED, C::PERMISSION_DENIED, C::INVALID_ARGUMENT,
                                C::RESOURCE_EXHAUSTED, C::UNIMPLEMENTED, C::ABORTED,
                                C::FAILED_PRECONDITION, C::ALREADY_EXISTS, C::NOT_FOUND,
                                C::OUT_OF_RANGE}));
  for (const Row& row : rows) {
    grpc::Status status = row.call();
    Reply reply = Of(status);
    EXPECT_EQ(reply.code, row.code) << row.name << ": " << status.error_message();
    if (!row.field.empty()) {
      EXPECT_THAT(reply.fields, ::testing::Contains(row.field)) << row.name;
    }
    EXPECT_EQ(Snapshot(), before) << row.name << " changed the store";
  }
  // The services are still there after all of it.
  EXPECT_TRUE(Call(*storage_stub_, &Storage::GetReport, "Bearer lh",
                   [] {
                     v1::GetReportRequest request;
                     request.mutable_key()->set_department_code("LH");
                     request.mutable_key()->set_fiscal_year(2019);
                     return request;
                   }())
                  .ok());
}

}  // namespace
}  // namespace jixiao
