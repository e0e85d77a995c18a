// A model-based test of the store, in the tradition of LevelDB's: random
// sequences of creates, updates, status changes, deletes, card saves and
// reopens, each checked against a plain in-memory model of what the store
// promises (store.h): the status code of every call, and after every step
// everything a client can read, the same after a reopen.
//
// JIXIAO_MODEL_SEED and JIXIAO_MODEL_STEPS choose another run; a failure
// names the seed and the step.

#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scoring-svc/engine/engine.h"
#include "storage-svc/store/store.h"
#include "storage-svc/store/store_test_util.h"

namespace jixiao::store {
namespace {

using testing::Key;
using testing::MakeReport;

using ReportId = std::pair<std::string, int>;  // department, year

struct ModelRevision {
  v1::ReportStatus status;
  std::string figure;  // the report's procurement budget: what tells revisions apart
};

struct ModelReport {
  std::vector<ModelRevision> revisions;  // revision n is revisions[n - 1]
  v1::ReportStatus status() const { return revisions.back().status; }
  int64_t latest() const { return static_cast<int64_t>(revisions.size()); }
};

// What the store should hold.
struct Model {
  std::map<ReportId, ModelReport> reports;
  // The card shown for each scored revision: its total.
  std::map<std::tuple<std::string, int, int64_t>, std::string> cards;
};

int EnvInt(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text ? std::atoi(text) : fallback;
}

class StoreModel : public testing::ScratchStore {
 protected:
  std::mt19937 random_{static_cast<uint32_t>(EnvInt("JIXIAO_MODEL_SEED", 20261201))};
  Model model_;

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  ReportId AnyReport() {
    static const char* const kDepartments[] = {"D1", "D2", "D3", "D4"};
    return {kDepartments[Pick(4)], 2019 + Pick(2)};
  }
  // The revision a writer names: mostly the latest, sometimes a stale one.
  int64_t Expected(const ReportId& id) {
    auto it = model_.reports.find(id);
    int64_t latest = it == model_.reports.end() ? 1 : it->second.latest();
    return Pick(5) == 0 ? std::max<int64_t>(1, latest - 1 - Pick(2)) : latest;
  }
  static std::string Figure(int n) { return std::to_string(100 + n); }

  // One random step: calls the store and the model, and says whether the
  // store answered with the code the model expects.
  void Step() {
    const ReportId id = AnyReport();
    auto found = model_.reports.find(id);
    const bool live =
        found != model_.reports.end() && found->second.status() != v1::REPORT_STATUS_DELETED;
    const std::string figure = Figure(Pick(3));
    switch (Pick(6)) {
      case 0: {  // create
        v1::CreateReportRequest request;
        *request.mutable_report() = MakeReport(id.first, id.second, figure);
        auto answer = store_->CreateReport(request, {"model"});
        if (live) {
          EXPECT_EQ(answer.status().code(), absl::StatusCode::kAlreadyExists);
        } else {
          ASSERT_TRUE(answer.ok()) << answer.status();
          model_.reports[id].revisions.push_back({v1::REPORT_STATUS_DRAFT, figure});
          EXPECT_EQ(answer->revision(), model_.reports[id].latest());
        }
        return;
      }
      case 1: {  // update
        v1::UpdateReportRequest request;
        *request.mutable_report() = MakeReport(id.first, id.second, figure);
        request.set_expected_revision(Expected(id));
        auto answer = store_->UpdateReport(request, {"model"});
        absl::StatusCode want = absl::StatusCode::kOk;
        if (!live) {
          want = absl::StatusCode::kNotFound;
        } else if (request.expected_revision() != found->second.latest()) {
          want = absl::StatusCode::kAborted;
        } else if (found->second.status() != v1::REPORT_STATUS_DRAFT &&
                   found->second.status() != v1::REPORT_STATUS_RETURNED) {
          want = absl::StatusCode::kFailedPrecondition;
        }
        ASSERT_EQ(answer.status().code(), want) << answer.status();
        if (want == absl::StatusCode::kOk) {
          found->second.revisions.push_back({found->second.status(), figure});
        }
        return;
      }
      case 2: {  // status change
        static const v1::ReportStatus kTo[] = {
            v1::REPORT_STATUS_SUBMITTED, v1::REPORT_STATUS_RETURNED, v1::REPORT_STATUS_APPROVED};
        v1::TransitionReportRequest request;
        *request.mutable_key() = Key(id.first, id.second);
        request.set_to(kTo[Pick(3)]);
        // Mostly a change the report's status allows (returning more often
        // than approving, which ends a report's changes), so that a run goes
        // round the whole lifecycle; otherwise any.
        if (live && Pick(3) != 0) {
          switch (found->second.status()) {
            case v1::REPORT_STATUS_SUBMITTED:
              request.set_to(Pick(3) == 0 ? v1::REPORT_STATUS_APPROVED
                                          : v1::REPORT_STATUS_RETURNED);
              break;
            case v1::REPORT_STATUS_APPROVED:
              break;
            default:
              request.set_to(v1::REPORT_STATUS_SUBMITTED);
          }
        }
        request.set_reason("model");
        request.set_expected_revision(Expected(id));
        auto answer = store_->TransitionReport(request, {"model"});
        absl::StatusCode want = absl::StatusCode::kOk;
        if (!live) {
          want = absl::StatusCode::kNotFound;
        } else if (request.expected_revision() != found->second.latest()) {
          want = absl::StatusCode::kAborted;
        } else {
          const v1::ReportStatus from = found->second.status(), to = request.to();
          const bool allowed =
              (from == v1::REPORT_STATUS_DRAFT && to == v1::REPORT_STATUS_SUBMITTED) ||
              (from == v1::REPORT_STATUS_SUBMITTED &&
               (to == v1::REPORT_STATUS_RETURNED || to == v1::REPORT_STATUS_APPROVED)) ||
              (from == v1::REPORT_STATUS_RETURNED && to == v1::REPORT_STATUS_SUBMITTED) ||
              (from == v1::REPORT_STATUS_APPROVED && to == v1::REPORT_STATUS_RETURNED);
          if (!allowed) want = absl::StatusCode::kFailedPrecondition;
        }
        ASSERT_EQ(answer.status().code(), want) << answer.status();
        if (want == absl::StatusCode::kOk) {
          found->second.revisions.push_back({request.to(), found->second.revisions.back().figure});
        }
        return;
      }
      case 3: {  // delete
        v1::DeleteReportRequest request;
        *request.mutable_key() = Key(id.first, id.second);
        request.set_expected_revision(Expected(id));
        auto answer = store_->DeleteReport(request, {"model"});
        absl::StatusCode want = absl::StatusCode::kOk;
        if (!live) {
          want = absl::StatusCode::kNotFound;
        } else if (request.expected_revision() != found->second.latest()) {
          want = absl::StatusCode::kAborted;
        } else if (found->second.status() != v1::REPORT_STATUS_DRAFT) {
          want = absl::StatusCode::kFailedPrecondition;
        }
        ASSERT_EQ(answer.status().code(), want) << answer.status();
        if (want == absl::StatusCode::kOk) {
          found->second.revisions.push_back(
              {v1::REPORT_STATUS_DELETED, found->second.revisions.back().figure});
        }
        return;
      }
      case 4: {  // a card for some revision, existing or not
        const int64_t revision =
            1 +
            Pick(found == model_.reports.end() ? 2 : static_cast<int>(found->second.latest()) + 1);
        const std::string total = absl::StrCat(80 + Pick(3), ".00");
        v1::SaveScoreCardRequest request =
            testing::BuiltInSchemeCard(id.first, id.second, revision, total);
        auto answer = store_->SaveScoreCard(request, {"model"});
        const bool exists = found != model_.reports.end() && revision <= found->second.latest();
        // A deleted report takes no cards, of any of its revisions.
        if (!exists || found->second.status() == v1::REPORT_STATUS_DELETED) {
          EXPECT_EQ(answer.status().code(), absl::StatusCode::kFailedPrecondition);
        } else {
          ASSERT_TRUE(answer.ok()) << answer.status();
          model_.cards[{id.first, id.second, revision}] = total;
        }
        return;
      }
      default:
        if (Pick(4) == 0) Reopen();
        return;
    }
  }

  // Everything a client reads agrees with the model.
  void Check(const std::string& when) {
    SCOPED_TRACE(when);
    // Listings, every filter: exactly the live reports, each at its latest.
    for (int year : {0, 2019, 2020}) {
      for (int status = 0; status <= v1::REPORT_STATUS_DELETED; ++status) {
        std::map<ReportId, std::pair<int64_t, v1::ReportStatus>> listed, wanted;
        v1::ListReportsRequest request;
        request.set_fiscal_year(year);
        request.set_status(static_cast<v1::ReportStatus>(status));
        request.set_page_size(1 + Pick(3));  // small pages: the tokens take part
        do {
          auto page = store_->ListReports(request);
          ASSERT_TRUE(page.ok()) << page.status();
          for (const auto& r : page->reports()) {
            ASSERT_TRUE(listed
                            .emplace(ReportId{r.key().department_code(), r.key().fiscal_year()},
                                     std::make_pair(r.revision(), r.status()))
                            .second)
                << "listed twice";
          }
          request.set_page_token(page->next_page_token());
        } while (!request.page_token().empty());
        for (const auto& [rid, report] : model_.reports) {
          const v1::ReportStatus s = report.status();
          if (year != 0 && rid.second != year) continue;
          if (status == 0 ? s == v1::REPORT_STATUS_DELETED : s != status) continue;
          wanted[rid] = {report.latest(), s};
        }
        ASSERT_EQ(listed, wanted) << "year " << year << " status " << status;
      }
    }
    // Every revision by number, the latest by 0, and the history.
    for (const auto& [rid, report] : model_.reports) {
      v1::GetReportRequest get;
      *get.mutable_key() = Key(rid.first, rid.second);
      auto latest = store_->GetReport(get);
      if (report.status() == v1::REPORT_STATUS_DELETED) {
        EXPECT_EQ(latest.status().code(), absl::StatusCode::kNotFound);
      } else {
        ASSERT_TRUE(latest.ok()) << latest.status();
        EXPECT_EQ(latest->revision(), report.latest());
      }
      for (int64_t n = 1; n <= report.latest(); ++n) {
        get.set_revision(n);
        auto revision = store_->GetReport(get);
        ASSERT_TRUE(revision.ok()) << revision.status();
        EXPECT_EQ(revision->status(), report.revisions[n - 1].status);
        EXPECT_EQ(revision->report().procurement().budget().value(),
                  report.revisions[n - 1].figure);
      }
      get.set_revision(report.latest() + 1);
      EXPECT_EQ(store_->GetReport(get).status().code(), absl::StatusCode::kNotFound);
      v1::GetReportHistoryRequest history;
      *history.mutable_key() = Key(rid.first, rid.second);
      auto revisions = store_->GetReportHistory(history);
      ASSERT_TRUE(revisions.ok()) << revisions.status();
      EXPECT_EQ(revisions->revisions_size(), report.latest());
    }
    // Each scored revision shows its newest card.
    for (const auto& [where, total] : model_.cards) {
      v1::GetScoreCardRequest get;
      *get.mutable_key() = Key(std::get<0>(where), std::get<1>(where));
      get.set_revision(std::get<2>(where));
      auto card = store_->GetScoreCard(get);
      ASSERT_TRUE(card.ok()) << card.status();
      EXPECT_EQ(card->total_score(), total);
    }
  }
};

TEST_F(StoreModel, RandomOperationsAgreeWithTheModel) {
  const int steps = EnvInt("JIXIAO_MODEL_STEPS", 1000);
  const int seed = EnvInt("JIXIAO_MODEL_SEED", 20261201);
  for (int step = 1; step <= steps; ++step) {
    SCOPED_TRACE(absl::StrCat("seed ", seed, ", step ", step));
    ASSERT_NO_FATAL_FAILURE(Step());
    ASSERT_NO_FATAL_FAILURE(Check("after the step"));
    if (::testing::Test::HasFailure()) return;
  }
  Reopen();
  Check("after the last reopen");
  // Something happened: the run reached every kind of state.
  std::set<v1::ReportStatus> seen;
  for (const auto& [rid, report] : model_.reports) {
    for (const ModelRevision& r : report.revisions) seen.insert(r.status);
  }
  EXPECT_EQ(seen.size(), 5u) << "a run of " << steps << " steps should reach every status";
  EXPECT_FALSE(model_.cards.empty());
}

}  // namespace
}  // namespace jixiao::store
