// What the store's tests share: a store in a scratch directory, and small
// reports to put in it.

#ifndef JIXIAO_STORAGE_SVC_STORE_STORE_TEST_UTIL_H_
#define JIXIAO_STORAGE_SVC_STORE_STORE_TEST_UTIL_H_

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "common/report/field_violations.h"
#include "common/report/report_test_util.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"
#include "storage-svc/store/records.pb.h"
#include "storage-svc/store/store.h"

namespace jixiao::store::testing {

using report::testing::Key;
using report::testing::MakeReport;

// A page token as they were before tokens were signed (an attacker could
// build one): the key to resume after, and nothing the store can check.
inline std::string UnsignedToken(const std::string& after_key) {
  storage::PageToken token;
  token.set_after_key(after_key);
  return absl::WebSafeBase64Escape(token.SerializeAsString());
}

// A card of `dept` `year` revision `revision` with `total`, scored (as far
// as the store can tell) with the built-in scheme.
inline v1::SaveScoreCardRequest BuiltInSchemeCard(const std::string& dept, int year,
                                                  int64_t revision, const std::string& total) {
  std::shared_ptr<const engine::CompiledScheme> builtin = engine::DefaultScheme();
  v1::SaveScoreCardRequest request;
  v1::ScoreCard& card = *request.mutable_card();
  card.set_scheme_id(builtin->id());
  card.set_scheme_version(builtin->version());
  card.set_scheme_sha256(builtin->digest());
  card.mutable_report()->set_department_code(dept);
  card.mutable_report()->set_fiscal_year(year);
  card.mutable_report()->set_revision(revision);
  card.set_total_score(total);
  return request;
}

// What a refusal says of `field` ("" if it names no such field).
inline std::string Reason(const absl::Status& status, const std::string& field) {
  for (const report::FieldViolation& v : report::ViolationsOf(status)) {
    if (v.field == field) return v.description;
  }
  return "";
}

// A store in a directory of its own (and DIR-backup, DIR-restored beside
// it for a test's backups), removed after the test.
class ScratchStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jixiao-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-backup", "-restored"}) {
      std::filesystem::remove_all(dir_.string() + suffix);
    }
  }
  // What the store is opened with; a test may add to it.
  virtual StoreOptions Options() const {
    StoreOptions options;
    options.data_dir = dir_.string();
    // As storage-svc opens it (storage_svc::UseEngineSchemes).
    options.built_in_schemes.push_back(engine::DefaultScheme()->proto());
    options.check_scheme = [](const v1::Scheme& scheme) {
      return engine::CompileScheme(scheme, "request").status();
    };
    // The lifecycle alone: submitting and approving without cards. The
    // tests of that rule turn it back on.
    options.require_fresh_cards = false;
    return options;
  }
  void Reopen() {
    store_.reset();
    auto store = Store::Open(Options());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  // Creates `report` as alice, expecting it to be written.
  v1::ReportRevision Create(const v1::Report& report, const std::string& idempotency_key = "") {
    v1::CreateReportRequest request;
    *request.mutable_report() = report;
    request.set_idempotency_key(idempotency_key);
    auto created = store_->CreateReport(request, {"alice"});
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::ReportRevision();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace jixiao::store::testing

#endif  // JIXIAO_STORAGE_SVC_STORE_STORE_TEST_UTIL_H_
