// bench-echo-svc: a gRPC server that answers every streamed ScoreRequest
// with itself (or, ReplyStream, with a score response of a given size), Fetch with a generated
// report held in memory and Absorb with a revision number, set up exactly as the Jixiao services
// are (same RunServer). It gives the transport's cost for the scoring stream, for GetReport and for
// CreateReport. With --keep-dir, Keep checks a report and makes it durable, and nothing else
// (keeper.h): CreateReport's floor.
//
//   bench-echo-svc --listen 127.0.0.1:0 --port-file /tmp/echo.addr
//   bench-echo-svc ... --keep-dir /tmp/keep [--keep-commit group|leader|...]

#include <cstdint>
#include <map>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "common/report/check_report.h"
#include "common/rpc/server_main.h"
#include "common/rpc/status.h"
#include "common/rpc/stream_reactor.h"
#include "jixiao/echo/v1/echo.grpc.pb.h"
#include "scoring-svc/engine/engine.h"
#include "tools/bench/keeper.h"
#include "tools/bench/report_generator.h"

namespace {

class EchoService final : public jixiao::echo::v1::Echo::CallbackService {
 public:
  // `held` is what Fetch answers: a report as storage-svc would return it.
  // `keeper` (may be null) is what Keep writes with.
  EchoService(jixiao::v1::GetReportResponse held, jixiao::bench::Keeper* keeper)
      : held_(std::move(held)), keeper_(keeper) {}

  grpc::ServerBidiReactor<jixiao::v1::ScoreRequest, jixiao::v1::ScoreRequest>* EchoStream(
      grpc::CallbackServerContext*) override {
    // Each request is its own answer: swapped into the response, not copied.
    using jixiao::v1::ScoreRequest;
    return jixiao::rpc::NewStreamReactor<ScoreRequest, ScoreRequest>(
        [](ScoreRequest& request, ScoreRequest& response) { response.Swap(&request); });
  }

  grpc::ServerBidiReactor<jixiao::v1::ScoreRequest, jixiao::v1::ScoreResponse>* ReplyStream(
      grpc::CallbackServerContext* context) override {
    using jixiao::v1::ScoreRequest;
    using jixiao::v1::ScoreResponse;
    int64_t reply_bytes = -1;  // the request's size
    const auto& metadata = context->client_metadata();
    if (auto it = metadata.find("x-reply-bytes"); it != metadata.end()) {
      if (!absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()),
                            &reply_bytes) ||
          reply_bytes < 0 || reply_bytes > (int64_t{4} << 20)) {
        reply_bytes = -1;
      }
    }
    return jixiao::rpc::NewStreamReactor<ScoreRequest, ScoreResponse>(
        [reply_bytes](ScoreRequest& request, ScoreResponse& response) {
          const int64_t want =
              reply_bytes >= 0 ? reply_bytes : static_cast<int64_t>(request.ByteSizeLong());
          response.set_request_id(request.request_id());
          jixiao::v1::ScoreCard& card = *response.mutable_card();
          if (card.findings_size() == 0) card.add_findings();
          // The padding is kept from one answer to the next: only the id
          // changes, as a real answer's content would.
          std::string& pad = *card.mutable_findings(0)->mutable_message();
          const int64_t over = static_cast<int64_t>(response.ByteSizeLong()) -
                               static_cast<int64_t>(pad.size()) - want;
          const size_t size = over < 0 ? static_cast<size_t>(-over) : 0;
          if (pad.size() != size) pad.assign(size, 'x');
        });
  }

  grpc::ServerUnaryReactor* Absorb(grpc::CallbackServerContext* context,
                                   const jixiao::v1::CreateReportRequest*,
                                   jixiao::v1::CreateReportResponse* response) override {
    response->mutable_revision()->set_revision(1);
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* Keep(grpc::CallbackServerContext* context,
                                 const jixiao::v1::CreateReportRequest* request,
                                 jixiao::v1::CreateReportResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    absl::Status checked =
        keeper_ == nullptr
            ? absl::FailedPreconditionError("bench-echo-svc keeps reports only with --keep-dir")
            : jixiao::report::CheckReport(request->report());
    if (!checked.ok()) {
      reactor->Finish(jixiao::rpc::ToGrpcStatus(checked));
      return reactor;
    }
    response->mutable_revision()->set_revision(1);
    keeper_->Keep(request->report(), [reactor](absl::Status kept) {
      reactor->Finish(jixiao::rpc::ToGrpcStatus(kept));
    });
    return reactor;
  }

  grpc::ServerUnaryReactor* Fetch(grpc::CallbackServerContext* context,
                                  const jixiao::echo::v1::FetchRequest*,
                                  jixiao::v1::GetReportResponse* response) override {
    *response = held_;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const jixiao::v1::GetReportResponse held_;
  jixiao::bench::Keeper* const keeper_;
};

}  // namespace

int main(int argc, char** argv) {
  jixiao::rpc::BlockShutdownSignals();
  jixiao::rpc::StopLockOrderTracking();
  CLI::App app{
      "bench-echo-svc: echoes streamed ScoreRequests, sends a held report, takes a report and "
      "stores nothing, or (Keep) checks it and makes it durable and nothing else; the "
      "transport's and the durable write's baselines for jixiao-load.",
      "bench-echo-svc"};
  jixiao::rpc::ServerOptions server;
  jixiao::rpc::AddServerFlags(app, server);
  using Commit = jixiao::bench::Keeper::Commit;
  const std::map<std::string, Commit> commits = {{"group", Commit::kGroup},
                                                 {"leader", Commit::kLeader},
                                                 {"blocking", Commit::kBlocking},
                                                 {"sync-later", Commit::kSyncLater}};
  std::string keep_dir, keep_commit = "group";
  app.add_option("--keep-dir", keep_dir,
                 "RocksDB directory (created) that Keep writes reports to; without it, Keep "
                 "refuses");
  app.add_option("--keep-commit", keep_commit,
                 "how Keep's writes share a sync: group (storage-svc's group commit), leader "
                 "(the handler that finds none in progress writes the queue), blocking (each "
                 "handler syncs its own write) or sync-later (each handler writes unsynced, one "
                 "thread syncs the WAL for all written and answers them: readers may see a write "
                 "before it is durable)")
      ->check(CLI::IsMember(commits))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::unique_ptr<jixiao::bench::Keeper> keeper;
  if (!keep_dir.empty()) {
    auto opened = jixiao::bench::Keeper::Open(keep_dir, commits.at(keep_commit));
    if (!opened.ok()) {
      std::cerr << "bench-echo-svc: " << opened.status().message() << "\n";
      return 1;
    }
    keeper = *std::move(opened);
  }
  jixiao::v1::GetReportResponse held;
  jixiao::v1::ReportRevision& revision = *held.mutable_revision();
  *revision.mutable_report() = jixiao::bench::ReportGenerator({}).Report(0);
  revision.set_revision(1);
  EchoService service(std::move(held), keeper.get());
  jixiao::rpc::Served served;
  served.program = "bench-echo-svc";
  served.services = {&service};
  served.service_names = {"jixiao.echo.v1.Echo"};
  return jixiao::rpc::RunServer(server, served);
}
