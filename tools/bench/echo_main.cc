// bench-echo-svc: a gRPC server that answers every streamed ScoreRequest
// with itself, Fetch with a generated report held in memory and Absorb with
// a revision number, set up exactly as the Jixiao services are (same
// RunServer). It gives the transport's cost for the scoring stream, for
// GetReport and for CreateReport.
//
//   bench-echo-svc --listen 127.0.0.1:0 --port-file /tmp/echo.addr

#include "CLI/CLI.hpp"
#include "jixiao/echo/v1/echo.grpc.pb.h"
#include "report_generator.h"
#include "server_main.h"

namespace {

class EchoReactor final
    : public grpc::ServerBidiReactor<jixiao::v1::ScoreRequest, jixiao::v1::ScoreRequest> {
 public:
  EchoReactor() { StartRead(&message_); }
  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    StartWrite(&message_);
  }
  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed by the client"));
      return;
    }
    StartRead(&message_);
  }
  void OnDone() override { delete this; }

 private:
  jixiao::v1::ScoreRequest message_;
};

class EchoService final : public jixiao::echo::v1::Echo::CallbackService {
 public:
  // `held` is what Fetch answers: a report as storage-svc would return it.
  explicit EchoService(jixiao::v1::GetReportResponse held) : held_(std::move(held)) {}

  grpc::ServerBidiReactor<jixiao::v1::ScoreRequest, jixiao::v1::ScoreRequest>* EchoStream(
      grpc::CallbackServerContext*) override {
    return new EchoReactor;
  }

  grpc::ServerUnaryReactor* Absorb(grpc::CallbackServerContext* context,
                                   const jixiao::v1::CreateReportRequest*,
                                   jixiao::v1::CreateReportResponse* response) override {
    response->mutable_revision()->set_revision(1);
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
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
};

}  // namespace

int main(int argc, char** argv) {
  jixiao::rpc::BlockShutdownSignals();
  jixiao::rpc::StopLockOrderTracking();
  CLI::App app{
      "bench-echo-svc: echoes streamed ScoreRequests, sends a held report, takes a report and "
      "stores nothing; the transport baselines for jixiao-load.",
      "bench-echo-svc"};
  jixiao::rpc::ServerOptions server;
  jixiao::rpc::AddServerFlags(app, server);
  CLI11_PARSE(app, argc, argv);
  jixiao::v1::GetReportResponse held;
  jixiao::v1::ReportRevision& revision = *held.mutable_revision();
  *revision.mutable_report() = jixiao::bench::ReportGenerator({}).Report(0);
  revision.set_revision(1);
  EchoService service(std::move(held));
  return jixiao::rpc::RunServer("bench-echo-svc", server, {&service}, {"jixiao.echo.v1.Echo"});
}
