// A bidirectional stream that answers every request with one response, in
// order: the callback API's reactor for a streaming method whose messages
// are independent of each other (ScoreStream, bench-echo-svc's EchoStream).
//
//   grpc::ServerBidiReactor<Req, Resp>* Service::Stream(grpc::CallbackServerContext*) {
//     return rpc::NewStreamReactor<Req, Resp>([this](Req& request, Resp& response) {
//       ... fill response from request ...
//     });
//   }
//
// One message is in flight at a time: a request is read, `work` makes its
// response, the response is written, then the next request is read. So
// responses come in the order of the requests and the stream holds one
// request and one response, however fast the client sends (flow control
// holds the rest back).

#ifndef JIXIAO_COMMON_RPC_STREAM_REACTOR_H_
#define JIXIAO_COMMON_RPC_STREAM_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <utility>

namespace jixiao::rpc {

// `Work` is called as work(Request& request, Response& response), on a gRPC
// callback thread, once per request. `response` holds whatever the previous
// call left in it (clear it if that matters; a Swap with `request` is an
// echo); `request` is overwritten by the next read. Work reports errors
// inside the response: the stream itself ends OK when the client finishes
// sending, CANCELLED if the client stops taking responses. The reactor
// deletes itself when the call is done.
template <typename Request, typename Response, typename Work>
class StreamReactor final : public grpc::ServerBidiReactor<Request, Response> {
 public:
  explicit StreamReactor(Work work) : work_(std::move(work)) { this->StartRead(&request_); }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client has finished sending
      this->Finish(grpc::Status::OK);
      return;
    }
    work_(request_, response_);
    this->StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      this->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed by the client"));
      return;
    }
    this->StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  Work work_;
  Request request_;
  Response response_;
};

// A new StreamReactor doing `work`, for a streaming method to return.
template <typename Request, typename Response, typename Work>
grpc::ServerBidiReactor<Request, Response>* NewStreamReactor(Work work) {
  return new StreamReactor<Request, Response, Work>(std::move(work));
}

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_STREAM_REACTOR_H_
