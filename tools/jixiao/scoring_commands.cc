#include "scoring_commands.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "card_printer.h"
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

int ExitCodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return kOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return kInvalidInput;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kUnreachable;
    default:
      return kFailure;
  }
}

void PrintError(const std::string& file, const absl::Status& status, const GlobalOptions& global) {
  std::cerr << "jixiao: " << file << ": " << status.message() << "\n";
  for (const engine::FieldViolation& v : engine::ViolationsOf(status)) {
    if (v.field.empty()) continue;  // already in the message
    std::cerr << "  " << v.field << ": " << v.description << "\n";
  }
  if (ExitCodeFor(status) == kUnreachable) {
    std::cerr << "  (is scoring-svc running at " << global.scoring << "? set --scoring or "
              << "JIXIAO_SCORING)\n";
  }
}

std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = pretty;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::StrCat("{\"error\": \"", std::string(status.message()), "\"}");
  if (!pretty) json.erase(std::remove(json.begin(), json.end(), '\n'), json.end());
  return json;
}

class ScoringClient {
 public:
  explicit ScoringClient(const GlobalOptions& global) : global_(global) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(global.max_message_bytes);
    args.SetMaxSendMessageSize(global.max_message_bytes);
    stub_ = v1::ScoringService::NewStub(
        grpc::CreateCustomChannel(global.scoring, grpc::InsecureChannelCredentials(), args));
  }

  void SetDeadline(grpc::ClientContext& context, double extra_seconds = 0) const {
    auto timeout = std::chrono::duration<double>(global_.timeout_seconds + extra_seconds);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
  }

  absl::Status Score(const v1::ScoreRequest& request, v1::ScoreResponse& response) {
    grpc::ClientContext context;
    SetDeadline(context);
    return rpc::FromGrpcStatus(stub_->Score(&context, request, &response));
  }

  absl::Status Validate(const v1::ValidateRequest& request, v1::ValidateResponse& response) {
    grpc::ClientContext context;
    SetDeadline(context);
    return rpc::FromGrpcStatus(stub_->Validate(&context, request, &response));
  }

  // Sends every request on one stream and collects the answers in order.
  absl::Status ScoreStream(const std::vector<v1::ScoreRequest>& requests,
                           std::vector<v1::ScoreResponse>& responses) {
    grpc::ClientContext context;
    SetDeadline(context, 0.01 * requests.size());
    auto stream = stub_->ScoreStream(&context);
    std::thread writer([&] {
      for (const v1::ScoreRequest& request : requests) {
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
    });
    v1::ScoreResponse response;
    while (stream->Read(&response)) responses.push_back(response);
    writer.join();
    return rpc::FromGrpcStatus(stream->Finish());
  }

 private:
  const GlobalOptions& global_;
  std::unique_ptr<v1::ScoringService::Stub> stub_;
};

template <typename Request>
void SetScheme(const SchemeChoice& choice, Request& request) {
  if (choice.file) {
    *request.mutable_scheme() = choice.file->proto();
  } else if (choice.ref) {
    *request.mutable_scheme_ref() = *choice.ref;
  }
}

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
  ScoringClient client(global);
  if (!args.stream && outcomes.size() == 1) {
    Outcome& outcome = outcomes[0];
    if (!outcome.status.ok()) return;
    v1::ScoreRequest request;
    *request.mutable_report() = outcome.report;
    SetScheme(choice, request);
    outcome.status = client.Score(request, outcome.response);
    return;
  }
  std::vector<v1::ScoreRequest> requests;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i].status.ok()) continue;
    v1::ScoreRequest& request = requests.emplace_back();
    *request.mutable_report() = outcomes[i].report;
    request.set_request_id(std::to_string(i));
    SetScheme(choice, request);
  }
  std::vector<v1::ScoreResponse> responses;
  absl::Status stream_status = client.ScoreStream(requests, responses);
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
    PrintError("--scheme", choice.status(), global);
    return ExitCodeFor(choice.status());
  }
  std::vector<Outcome> outcomes = ReadAll(args.files);
  if (global.scoring.empty()) {
    ScoreOffline(*choice, outcomes);
  } else {
    ScoreOnline(global, args, *choice, outcomes);
  }
  int code = kOk;
  bool json = global.output == "json";
  for (size_t i = 0; i < outcomes.size(); ++i) {
    Outcome& outcome = outcomes[i];
    if (!outcome.status.ok()) {
      PrintError(outcome.file, outcome.status, global);
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
    PrintError("--scheme", choice.status(), global);
    return ExitCodeFor(choice.status());
  }
  std::vector<Outcome> outcomes = ReadAll(args.files);
  int code = kOk;
  std::unique_ptr<ScoringClient> client;
  if (!global.scoring.empty()) client = std::make_unique<ScoringClient>(global);
  auto offline = OfflineScheme(*choice);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    Outcome& outcome = outcomes[i];
    if (outcome.status.ok()) {
      if (client) {
        v1::ValidateRequest request;
        *request.mutable_report() = outcome.report;
        SetScheme(*choice, request);
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
      PrintError(outcome.file, outcome.status, global);
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
