#include "scoring_commands.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "card_printer.h"
#include "cli_output.h"
#include "clients.h"
#include "engine.h"
#include "exit_codes.h"
#include "google/protobuf/util/json_util.h"
#include "inputs.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "status.h"

namespace jixiao::cli {
namespace {

// What became of one file.
struct Outcome {
  std::string file;
  absl::Status status;
  v1::Report report;
  v1::ScoreResponse response;     // score
  v1::ValidateResponse findings;  // validate
};

// Reads every file; those that cannot be read get their status now.
std::vector<Outcome> ReadAll(const std::vector<std::string>& files) {
  std::vector<Outcome> outcomes;
  for (const std::string& file : files) {
    Outcome& outcome = outcomes.emplace_back();
    outcome.file = file;
    auto report = ReadReport(file);
    if (report.ok()) {
      outcome.report = *std::move(report);
    } else {
      outcome.status = report.status();
    }
  }
  return outcomes;
}

void ScoreOffline(const SchemeChoice& choice, std::vector<Outcome>& outcomes) {
  auto scheme = OfflineScheme(choice);
  for (Outcome& outcome : outcomes) {
    if (!outcome.status.ok()) continue;
    if (!scheme.ok()) {
      outcome.status = scheme.status();
      continue;
    }
    auto card = engine::ScoreReport(outcome.report, **scheme, {});
    if (card.ok()) {
      *outcome.response.mutable_card() = *std::move(card);
    } else {
      outcome.status = card.status();
    }
  }
}

void ScoreOnline(const GlobalOptions& global, const ScoringArgs& args, const SchemeChoice& choice,
                 std::vector<Outcome>& outcomes) {
  ScoringClient client(global.client);
  if (!args.stream && outcomes.size() == 1) {
    Outcome& outcome = outcomes[0];
    if (!outcome.status.ok()) return;
    v1::ScoreRequest request;
    *request.mutable_report() = outcome.report;
    ApplyScheme(choice, request);
    outcome.status = client.Score(request, outcome.response);
    return;
  }
  std::vector<v1::ScoreRequest> requests;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i].status.ok()) continue;
    v1::ScoreRequest& request = requests.emplace_back();
    *request.mutable_report() = outcomes[i].report;
    request.set_request_id(std::to_string(i));
    ApplyScheme(choice, request);
  }
  if (args.streams > 1 && requests.size() > 1) client.ConnectReplicas();
  // Contiguous shares, one stream each, in parallel.
  const size_t streams = std::clamp<size_t>(static_cast<size_t>(args.streams), 1,
                                            std::max<size_t>(requests.size(), 1));
  std::vector<std::vector<v1::ScoreResponse>> answers(streams);
  std::vector<absl::Status> statuses(streams);
  std::vector<std::thread> threads;
  for (size_t k = 0; k < streams; ++k) {
    threads.emplace_back([&, k] {
      size_t begin = requests.size() * k / streams, end = requests.size() * (k + 1) / streams;
      std::vector<v1::ScoreRequest> share(std::make_move_iterator(requests.begin() + begin),
                                          std::make_move_iterator(requests.begin() + end));
      statuses[k] = client.ScoreStream(share, answers[k]);
    });
  }
  for (std::thread& thread : threads) thread.join();
  absl::Status stream_status;
  std::vector<v1::ScoreResponse> responses;
  for (size_t k = 0; k < streams; ++k) {
    if (stream_status.ok()) stream_status = statuses[k];
    for (v1::ScoreResponse& response : answers[k]) responses.push_back(std::move(response));
  }
  std::vector<bool> answered(outcomes.size(), false);
  for (v1::ScoreResponse& response : responses) {
    size_t index = std::stoul(response.request_id());
    if (index >= outcomes.size()) continue;
    answered[index] = true;
    if (response.has_error()) {
      outcomes[index].status = rpc::FromRpcStatusProto(response.error());
    } else {
      outcomes[index].response = std::move(response);
    }
  }
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].status.ok() && !answered[i]) {
      outcomes[i].status = stream_status.ok()
                               ? absl::InternalError("the stream ended without an answer")
                               : stream_status;
    }
  }
}

}  // namespace

int RunScore(const GlobalOptions& global, const ScoringArgs& args) {
  auto choice = ChooseScheme(args.scheme);
  if (!choice.ok()) {
    PrintError("--scheme", choice.status());
    return ExitCodeFor(choice.status());
  }
  std::vector<Outcome> outcomes = ReadAll(args.files);
  if (global.client.scoring.empty()) {
    ScoreOffline(*choice, outcomes);
  } else {
    ScoreOnline(global, args, *choice, outcomes);
  }
  int code = kOk;
  bool json = global.output == "json";
  for (size_t i = 0; i < outcomes.size(); ++i) {
    Outcome& outcome = outcomes[i];
    if (!outcome.status.ok()) {
      PrintError(outcome.file, outcome.status, global.client.scoring,
                 "--scoring or JIXIAO_SCORING");
      code = std::max(code, ExitCodeFor(outcome.status));
      if (json && outcomes.size() > 1) {
        v1::ScoreResponse failed;
        failed.set_request_id(outcome.file);
        *failed.mutable_error() = rpc::ToRpcStatusProto(outcome.status);
        std::cout << ToJson(failed, false) << "\n";
      }
      continue;
    }
    const v1::ScoreCard& card = outcome.response.card();
    if (engine::HasErrors(card)) code = std::max<int>(code, kErrorFindings);
    if (json) {
      if (outcomes.size() == 1) {
        std::cout << ToJson(card, true);
      } else {
        outcome.response.set_request_id(outcome.file);
        std::cout << ToJson(outcome.response, false) << "\n";
      }
      continue;
    }
    if (outcomes.size() > 1) std::cout << (i ? "\n" : "") << "== " << outcome.file << "\n";
    PrintScoreCard(outcome.report, card, std::cout);
  }
  return code;
}

int RunValidate(const GlobalOptions& global, const ScoringArgs& args) {
  auto choice = ChooseScheme(args.scheme);
  if (!choice.ok()) {
    PrintError("--scheme", choice.status());
    return ExitCodeFor(choice.status());
  }
  std::vector<Outcome> outcomes = ReadAll(args.files);
  int code = kOk;
  std::unique_ptr<ScoringClient> client;
  if (!global.client.scoring.empty()) client = std::make_unique<ScoringClient>(global.client);
  auto offline = OfflineScheme(*choice);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    Outcome& outcome = outcomes[i];
    if (outcome.status.ok()) {
      if (client) {
        v1::ValidateRequest request;
        *request.mutable_report() = outcome.report;
        ApplyScheme(*choice, request);
        outcome.status = client->Validate(request, outcome.findings);
      } else if (!offline.ok()) {
        outcome.status = offline.status();
      } else {
        auto findings = engine::ValidateReport(outcome.report, **offline);
        if (findings.ok()) {
          for (auto& f : *findings) *outcome.findings.add_findings() = std::move(f);
        } else {
          outcome.status = findings.status();
        }
      }
    }
    if (!outcome.status.ok()) {
      PrintError(outcome.file, outcome.status, global.client.scoring,
                 "--scoring or JIXIAO_SCORING");
      code = std::max(code, ExitCodeFor(outcome.status));
      continue;
    }
    std::vector<v1::Finding> findings(outcome.findings.findings().begin(),
                                      outcome.findings.findings().end());
    if (engine::HasErrors(findings)) code = std::max<int>(code, kErrorFindings);
    if (global.output == "json") {
      std::cout << ToJson(outcome.findings, outcomes.size() == 1)
                << (outcomes.size() > 1 ? "\n" : "");
      continue;
    }
    if (outcomes.size() > 1) std::cout << (i ? "\n" : "") << "== " << outcome.file << "\n";
    PrintFindings(outcome.findings.findings(), std::cout);
  }
  return code;
}

}  // namespace jixiao::cli
