// bench-echo-svc: a gRPC server that answers every streamed ScoreRequest
// with itself, set up exactly as the Jixiao services are (same RunServer).
// It is the baseline the scoring stream's throughput is compared with.
//
//   bench-echo-svc --listen 127.0.0.1:0 --port-file /tmp/echo.addr

#include "CLI/CLI.hpp"
#include "jixiao/echo/v1/echo.grpc.pb.h"
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
  grpc::ServerBidiReactor<jixiao::v1::ScoreRequest, jixiao::v1::ScoreRequest>* EchoStream(
      grpc::CallbackServerContext*) override {
    return new EchoReactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  jixiao::rpc::BlockShutdownSignals();
  CLI::App app{"bench-echo-svc: echoes streamed ScoreRequests; the baseline for jixiao-load.",
               "bench-echo-svc"};
  jixiao::rpc::ServerOptions server;
  jixiao::rpc::AddServerFlags(app, server);
  CLI11_PARSE(app, argc, argv);
  EchoService service;
  return jixiao::rpc::RunServer("bench-echo-svc", server, {&service}, {"jixiao.echo.v1.Echo"});
}
