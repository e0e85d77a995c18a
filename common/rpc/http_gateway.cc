#include "common/rpc/http_gateway.h"

#include <grpcpp/generic/generic_stub.h>
#include <httplib.h>

#include <algorithm>
#include <condition_variable>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/report/field_violations.h"
#include "common/rpc/call_log.h"
#include "common/rpc/http_listener.h"
#include "common/rpc/server_main.h"
#include "common/rpc/status.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.pb.h"

namespace jixiao::rpc {
namespace {

using google::protobuf::Message;

constexpr char kJson[] = "application/json";
constexpr char kNdjson[] = "application/x-ndjson";
// HTTP headers passed on as call metadata, lower-case as gRPC wants them.
constexpr const char* kForwardedHeaders[] = {"authorization", kRequestIdMetadata, "jixiao-author"};
constexpr auto kCallTimeout = std::chrono::minutes(10);

std::string ToJson(const Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    return "{}";
  }
  return json;
}

// A failed call's answer: the HTTP status for its code and a google.rpc.Status.
void Fail(const grpc::Status& status, httplib::Response& response) {
  google::rpc::Status body;
  if (status.error_details().empty() || !body.ParseFromString(status.error_details())) {
    body.set_code(status.error_code());
    body.set_message(status.error_message());
  }
  response.status = HttpStatusFor(status.error_code());
  response.set_content(ToJson(body), kJson);
}

void Fail(const absl::Status& status, httplib::Response& response) {
  Fail(ToGrpcStatus(status), response);
}

void Prepare(const httplib::Request& request, grpc::ClientContext& context) {
  for (const char* header : kForwardedHeaders) {
    if (request.has_header(header)) context.AddMetadata(header, request.get_header_value(header));
  }
  context.AddMetadata(kHttpPeerMetadata,
                      absl::StrCat(request.remote_addr, ":", request.remote_port));
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
}

grpc::ByteBuffer Serialize(const Message& message) {
  grpc::Slice slice(message.SerializeAsString());
  return grpc::ByteBuffer(&slice, 1);
}

bool Parse(const grpc::ByteBuffer& buffer, Message& message) {
  grpc::Slice slice;
  if (!buffer.TrySingleSlice(&slice).ok() && !buffer.DumpToSingleSlice(&slice).ok()) return false;
  return message.ParseFromArray(slice.begin(), static_cast<int>(slice.size()));
}

// Calls `method` with `request` and waits for the answer.
grpc::Status CallUnary(const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext& context,
                       const std::string& method, const Message& request, Message& answer) {
  grpc::GenericStub stub(channel);
  grpc::ByteBuffer sent = Serialize(request), received;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &sent, &received,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  if (status.ok() && !Parse(received, answer)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the answer could not be parsed");
  }
  return status;
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// A bidi-streaming call to `method`, driven from one thread: Write waits
// until its request is sent, reading answers meanwhile, so a server that
// answers each request before reading the next never waits. The answers
// are kept as JSON lines, up to `max_answer_bytes`: past that the call is
// cancelled and answers_too_large() says so.
class StreamCall {
 public:
  StreamCall(const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext& context,
             const std::string& method, const google::protobuf::Descriptor* answer_type,
             size_t max_answer_bytes)
      : stub_(channel),
        context_(context),
        answer_(NewMessage(answer_type)),
        max_answer_bytes_(max_answer_bytes) {
    call_ = stub_.PrepareCall(&context_, method, &queue_);
  }
  ~StreamCall() {
    if (!finished_) {
      context_.TryCancel();
      Finish();
    }
  }

  // False if the call could not start: Finish() says why.
  bool Start() {
    call_->StartCall(&started_);
    if (!Await(&started_)) {
      broken_ = true;
      return false;
    }
    reading_ = true;
    call_->Read(&received_, &read_);
    return true;
  }

  // False once the call has ended (the server finished it, or the answers
  // outgrew their bound): Finish() says why.
  bool Write(const grpc::ByteBuffer& request) {
    if (broken_) return false;
    call_->Write(request, &wrote_);
    if (!Await(&wrote_)) broken_ = true;
    return !broken_;
  }

  // Ends the requests, reads the remaining answers, and returns the call's
  // status. Call once.
  grpc::Status Finish() {
    finished_ = true;
    if (!broken_) {
      call_->WritesDone(&writes_done_);
      Await(&writes_done_);
    }
    while (reading_) Await(&read_);
    grpc::Status status;
    call_->Finish(&status, &finished_tag_);
    Await(&finished_tag_);
    queue_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (queue_.Next(&tag, &ok)) {
    }
    return status;
  }

  const std::string& answers() const { return answers_; }
  bool answers_too_large() const { return answers_too_large_; }

 private:
  // Handles completions until `tag`'s, reading answers on the way; returns
  // whether `tag`'s operation succeeded.
  bool Await(void* tag) {
    void* got = nullptr;
    bool ok = false;
    while (queue_.Next(&got, &ok)) {
      if (got == &read_) OnRead(ok);
      if (got == tag) return ok;
    }
    return false;
  }

  void OnRead(bool ok) {
    if (!ok) {
      reading_ = false;
      return;
    }
    answer_->Clear();
    if (Parse(received_, *answer_)) absl::StrAppend(&answers_, ToJson(*answer_), "\n");
    if (answers_.size() > max_answer_bytes_) {
      answers_too_large_ = true;
      broken_ = true;
      reading_ = false;
      context_.TryCancel();
      return;
    }
    call_->Read(&received_, &read_);
  }

  grpc::GenericStub stub_;
  grpc::ClientContext& context_;
  grpc::CompletionQueue queue_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call_;
  std::unique_ptr<Message> answer_;
  const size_t max_answer_bytes_;
  grpc::ByteBuffer received_;
  std::string answers_;
  bool broken_ = false, reading_ = false, finished_ = false, answers_too_large_ = false;
  // Tags: the addresses of these.
  char started_, wrote_, writes_done_, read_, finished_tag_;
};

// RESOURCE_EXHAUSTED, answered as HTTP 413: `what` is too large.
absl::Status TooLarge(const std::string& what, size_t max_bytes) {
  return absl::ResourceExhaustedError(
      absl::StrCat(what, ": at most ", max_bytes, " bytes are accepted (--max-message-bytes)"));
}

// A refusal or failure with an HTTP status other than its gRPC code's.
void Fail(const absl::Status& status, int http_status, httplib::Response& response) {
  Fail(status, response);
  response.status = http_status;
}

// How long a request waits for room in the body budget before it is
// refused (503), and the Retry-After it is told.
constexpr auto kBodyBudgetWait = std::chrono::seconds(1);
constexpr char kBodyBudgetRetryAfter[] = "1";

// UNAVAILABLE, answered as HTTP 503 with a Retry-After: the budget is spent.
absl::Status BudgetSpent(size_t budget) {
  return absl::UnavailableError(absl::StrCat(
      "the server holds ", budget,
      " bytes of HTTP bodies at once (--http-max-body-bytes-in-flight) and has no room for "
      "this one now; try again later"));
}

}  // namespace

// The bytes of bodies that all connections may hold at once, shared out
// before a body's memory is spent.
class BodyBudget {
 public:
  explicit BodyBudget(size_t total) : total_(total), free_(total) {}
  size_t total() const { return total_; }

  // Takes `bytes`, waiting at most kBodyBudgetWait for them to be given
  // back; false (nothing taken) if they were not.
  bool Take(size_t bytes) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!room_.wait_for(lock, kBodyBudgetWait, [&] { return free_ >= bytes; })) return false;
    free_ -= bytes;
    return true;
  }
  void Give(size_t bytes) {
    if (bytes == 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    free_ += bytes;
    room_.notify_all();
  }

 private:
  const size_t total_;
  std::mutex mutex_;
  std::condition_variable room_;
  size_t free_;
};

namespace {

// One request's share of a BodyBudget, given back when it is destroyed;
// a buffer of the body must not grow past what is held.
class BodyShare {
 public:
  BodyShare(BodyBudget& budget, size_t max_bytes) : budget_(budget), max_bytes_(max_bytes) {}
  ~BodyShare() { budget_.Give(held_); }
  BodyShare(const BodyShare&) = delete;
  BodyShare& operator=(const BodyShare&) = delete;

  // Holds at least `bytes` (at most max_bytes), taking more in steps that
  // double what is held, and reserves what is held in `buffer`; false if
  // the budget has no room.
  bool Hold(size_t bytes, std::string& buffer) {
    if (bytes > held_) {
      size_t want = std::min(std::max({bytes, 2 * held_, size_t{64 * 1024}}), max_bytes_);
      want = std::max(want, bytes);
      if (!budget_.Take(want - held_)) return false;
      held_ = want;
    }
    if (buffer.capacity() < held_) buffer.reserve(held_);
    return true;
  }

 private:
  BodyBudget& budget_;
  const size_t max_bytes_;
  size_t held_ = 0;
};

// Reads the whole body into `text`, and no more than `max_bytes` of it:
// RESOURCE_EXHAUSTED once it passes them, with the rest left unread;
// UNAVAILABLE if `share` cannot hold it (with `declared` bytes, a
// Content-Length, taken before any is read); INVALID_ARGUMENT if it cannot
// be read (cut short, badly chunked, or in an encoding httplib cannot undo).
absl::Status ReadBody(const httplib::ContentReader& body, size_t max_bytes, size_t declared,
                      BodyShare& share, size_t budget, std::string& text) {
  if (declared > 0 && !share.Hold(declared, text)) return BudgetSpent(budget);
  bool too_large = false, no_room = false;
  bool read = body([&](const char* data, size_t length) {
    if (length > max_bytes - text.size()) {
      too_large = true;
      return false;
    }
    if (!share.Hold(text.size() + length, text)) {
      no_room = true;
      return false;
    }
    text.append(data, length);
    return true;
  });
  if (too_large) return TooLarge("the body is too large", max_bytes);
  if (no_room) return BudgetSpent(budget);
  if (!read) return absl::InvalidArgumentError("the body could not be read to its end");
  return absl::OkStatus();
}

// The HTTP status of a body that could not be read.
int StatusOfUnread(const absl::Status& status) {
  if (absl::IsResourceExhausted(status)) return 413;
  if (absl::IsUnavailable(status)) return 503;
  return 400;
}

}  // namespace

int HttpStatusFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    default:
      return 500;
  }
}

HttpGateway::HttpGateway(const std::string& program, HttpMapping mapping,
                         std::shared_ptr<grpc::Channel> channel, const auth::TokenTable* tokens,
                         size_t max_message_bytes, size_t max_body_bytes_in_flight)
    : program_(program),
      mapping_(std::move(mapping)),
      channel_(std::move(channel)),
      tokens_(tokens),
      max_message_bytes_(max_message_bytes),
      body_budget_(std::make_unique<BodyBudget>(
          std::max(max_body_bytes_in_flight == 0 ? kBodyBytesInFlightFactor * max_message_bytes
                                                 : max_body_bytes_in_flight,
                   max_message_bytes))) {}

HttpGateway::~HttpGateway() {
  if (http_) http_->Stop();
}

void HttpGateway::Stop(std::chrono::milliseconds grace) {
  if (!http_) return;
  std::thread canceller([this, grace] {
    std::unique_lock<std::mutex> lock(calls_mutex_);
    if (stopped_changed_.wait_for(lock, grace, [this] { return stopped_; })) return;
    cancelling_ = true;
    for (grpc::ClientContext* context : calls_) context->TryCancel();
  });
  http_->Stop(grace);
  {
    std::lock_guard<std::mutex> lock(calls_mutex_);
    stopped_ = true;
  }
  stopped_changed_.notify_all();
  canceller.join();
}

HttpGateway::TrackedCall::TrackedCall(const HttpGateway& gateway, grpc::ClientContext& context)
    : gateway_(gateway), context_(context) {
  std::lock_guard<std::mutex> lock(gateway_.calls_mutex_);
  gateway_.calls_.insert(&context_);
  // Cancelled before it starts: the call fails (CANCELLED) as it does.
  if (gateway_.cancelling_) context_.TryCancel();
}

HttpGateway::TrackedCall::~TrackedCall() {
  std::lock_guard<std::mutex> lock(gateway_.calls_mutex_);
  gateway_.calls_.erase(&context_);
}

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    const std::string& program, const ServerOptions& options,
    const std::vector<std::string>& services, std::shared_ptr<grpc::Channel> channel,
    const auth::TokenTable* tokens) {
  auto mapping = HttpMapping::ForServices(services);
  if (!mapping.ok()) return mapping.status();
  std::unique_ptr<HttpGateway> gateway(
      new HttpGateway(program, *std::move(mapping), std::move(channel), tokens,
                      static_cast<size_t>(options.max_message_bytes),
                      static_cast<size_t>(options.http_max_body_bytes_in_flight)));
  HttpConnectionLimits limits;
  limits.max_connections = options.http_max_connections;
  limits.max_connections_per_client = options.http_max_connections_per_client;
  limits.body_timeout = std::chrono::seconds(options.http_body_timeout_seconds);
  auto server =
      HttpServer::Create(limits, options.tls_cert, options.tls_key, options.tls_client_ca);
  if (!server.ok()) return server.status();
  gateway->http_ = *std::move(server);
  httplib::Server& http = gateway->http_->http();
  const HttpGateway* self = gateway.get();
  // Both run once the headers are in and before any of the body is read:
  // the first for every request, the second, first, for a client that
  // waits for "100 Continue" before it sends its body.
  http.set_pre_routing_handler(
      [self](const httplib::Request& request, httplib::Response& response) {
        return self->Refuse(request, response) ? httplib::Server::HandlerResponse::Handled
                                               : httplib::Server::HandlerResponse::Unhandled;
      });
  http.set_expect_100_continue_handler(
      [self](const httplib::Request& request, httplib::Response& response) {
        return self->Refuse(request, response) ? response.status : 100;
      });
  // What cpp-httplib refuses itself (a request line it cannot parse, an
  // encoding it cannot undo) gets a JSON answer too.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        google::rpc::Status body;
        body.set_code(grpc::StatusCode::INVALID_ARGUMENT);
        body.set_message(absl::StrCat("the request was refused (HTTP ", response.status, ")"));
        response.set_content(ToJson(body), kJson);
        return httplib::Server::HandlerResponse::Handled;
      }));
  // Every path goes to Handle, which matches it against the routes. Those
  // with a body read it themselves, within the limits.
  http.Get(".*", [self](const httplib::Request& request, httplib::Response& response) {
    self->Handle(request, response, nullptr);
  });
  const httplib::Server::HandlerWithContentReader with_body =
      [self](const httplib::Request& request, httplib::Response& response,
             const httplib::ContentReader& body) { self->Handle(request, response, &body); };
  http.Post(".*", with_body);
  http.Put(".*", with_body);
  http.Delete(".*", with_body);
  http.Patch(".*", with_body);
  const bool tls = !options.tls_cert.empty();
  auto where = gateway->http_->Bind("--http-listen", options.http_listen, options.http_port_file,
                                    tls || options.allow_plaintext_remote
                                        ? ""
                                        : "serve TLS (--tls-cert, --tls-key) or pass "
                                          "--allow-plaintext-remote (development only)");
  if (!where.ok()) return where.status();
  std::cerr << program << ": HTTP/JSON on " << (tls ? "https://" : "http://") << *where << " ("
            << gateway->mapping_.routes().size() << " operations, at most "
            << limits.max_connections << " connections, " << limits.max_connections_per_client
            << " from one address, " << gateway->body_budget_->total() << " body bytes at once)"
            << std::endl;
  gateway->http_->Start();
  return gateway;
}

bool HttpGateway::Refuse(const httplib::Request& request, httplib::Response& response) const {
  auto refuse = [&](const absl::Status& status, int http_status) {
    Fail(status, http_status, response);
    if (http_status == 401 || http_status == 413) {
      std::cerr << program_ << ": refused HTTP " << request.method << " " << request.path
                << " from " << request.remote_addr << ":" << request.remote_port << " ("
                << http_status << "): " << status.message() << std::endl;
    }
    // Its body, if any, is never read.
    HttpServer::CloseConnectionAfterAnswer(response);
    return true;
  };
  // How the body is framed, first: a request whose end is in doubt must
  // never leave bytes on the connection that could be read as another
  // request (RFC 9112, 6.1 and 6.3).
  auto bad_framing = [&](const std::string& why) {
    return refuse(
        report::InvalidArgumentWithViolations(absl::StrCat("bad request: ", why), {{"body", why}}),
        400);
  };
  const bool has_length = request.has_header("Content-Length");
  const bool has_encoding = request.has_header("Transfer-Encoding");
  if (has_length && has_encoding) {
    return bad_framing("Content-Length and Transfer-Encoding cannot both be given");
  }
  if (request.get_header_value_count("Content-Length") > 1 ||
      request.get_header_value_count("Transfer-Encoding") > 1) {
    return bad_framing("Content-Length or Transfer-Encoding is given more than once");
  }
  if (has_encoding &&
      !absl::EqualsIgnoreCase(request.get_header_value("Transfer-Encoding"), "chunked")) {
    return bad_framing("the only Transfer-Encoding accepted is chunked");
  }
  uint64_t length = 0;
  if (has_length) {
    const std::string declared = request.get_header_value("Content-Length");
    if (declared.empty() || declared.size() > 19 ||
        declared.find_first_not_of("0123456789") != std::string::npos ||
        !absl::SimpleAtoi(declared, &length)) {
      return bad_framing("Content-Length is not a number of bytes");
    }
  }
  const bool has_body = length > 0 || has_encoding;
  // httplib reads a body only for these; any other request's body would be
  // parsed as the next request.
  const bool body_read = request.method == "POST" || request.method == "PUT" ||
                         request.method == "PATCH" || request.method == "DELETE";
  if (has_body && (!body_read || request.path == "/healthz")) {
    return bad_framing(absl::StrCat(request.method, " ", request.path, " takes no body"));
  }
  if (request.method == "GET" && request.path == "/healthz") return false;
  auto match = mapping_.Match(request.method, request.path);
  if (!match.ok()) {
    return refuse(match.status(), absl::IsFailedPrecondition(match.status()) ? 405 : 404);
  }
  if (tokens_ != nullptr) {
    auto principal = tokens_->Authenticate(request.get_header_value("Authorization"));
    if (!principal.ok()) return refuse(principal.status(), 401);
  }
  const std::string content_type = request.get_header_value("Content-Type");
  if (absl::StartsWith(content_type, "application/x-www-form-urlencoded") ||
      absl::StartsWith(content_type, "multipart/form-data")) {
    return refuse(report::InvalidArgumentWithViolations(
                      "the body is form-encoded",
                      {{"body", "must be JSON: send it with Content-Type: application/json"}}),
                  415);
  }
  const HttpRoute& route = *match->route;
  if (route.body.empty() && has_body) {
    return refuse(report::InvalidArgumentWithViolations(
                      "bad request: body",
                      {{"body", absl::StrCat(route.verb, " ", route.pattern, " takes no body")}}),
                  400);
  }
  // A stream's lines are bounded one by one as they are read.
  if (!route.method->client_streaming() && length > max_message_bytes_) {
    return refuse(TooLarge(absl::StrCat("the body is ", length, " bytes"), max_message_bytes_),
                  413);
  }
  return false;
}

void HttpGateway::Handle(const httplib::Request& request, httplib::Response& response,
                         const httplib::ContentReader* body) const {
  if (request.method == "GET" && request.path == "/healthz") {
    Health(response);
    return;
  }
  auto match = mapping_.Match(request.method, request.path);
  if (!match.ok()) {
    Fail(match.status(), absl::IsFailedPrecondition(match.status()) ? 405 : 404, response);
    HttpServer::CloseConnectionAfterAnswer(response);
    return;
  }
  // A request with neither header has no body (RFC 9112, 6.3), whatever
  // httplib would read until the client closes.
  if (!request.has_header("Content-Length") && !request.has_header("Transfer-Encoding")) {
    body = nullptr;
  }
  const google::protobuf::MethodDescriptor* method = match->route->method;
  if (method->client_streaming() || method->server_streaming()) {
    HandleStream(*match, request, response, body);
    return;
  }
  std::string text;
  BodyShare share(*body_budget_, max_message_bytes_);  // held until the answer is made
  if (body != nullptr) {
    uint64_t declared = 0;
    if (!absl::SimpleAtoi(request.get_header_value("Content-Length"), &declared)) declared = 0;
    if (absl::Status read =
            ReadBody(*body, max_message_bytes_, declared, share, body_budget_->total(), text);
        !read.ok()) {
      Fail(read, StatusOfUnread(read), response);
      if (absl::IsUnavailable(read)) response.set_header("Retry-After", kBodyBudgetRetryAfter);
      HttpServer::CloseConnectionAfterAnswer(response);
      return;
    }
  }
  std::unique_ptr<Message> call_request = NewMessage(method->input_type());
  std::vector<std::pair<std::string, std::string>> query(request.params.begin(),
                                                         request.params.end());
  if (absl::Status built = HttpMapping::BuildRequest(*match, text, query, *call_request);
      !built.ok()) {
    Fail(built, response);
    return;
  }
  std::unique_ptr<Message> answer = NewMessage(method->output_type());
  grpc::ClientContext context;
  Prepare(request, context);
  TrackedCall tracked(*this, context);
  grpc::Status status =
      CallUnary(channel_, context, match->route->GrpcName(), *call_request, *answer);
  if (!status.ok()) {
    Fail(status, response);
    return;
  }
  response.set_content(ToJson(*answer), kJson);
}

void HttpGateway::HandleStream(const HttpMatch& match, const httplib::Request& request,
                               httplib::Response& response,
                               const httplib::ContentReader* body) const {
  const google::protobuf::MethodDescriptor* method = match.route->method;
  if (!request.params.empty()) {
    Fail(report::InvalidArgumentWithViolations(
             "a stream takes no query parameters",
             {{request.params.begin()->first, "cannot be given: the body holds the requests"}}),
         response);
    HttpServer::CloseConnectionAfterAnswer(response);
    return;
  }
  grpc::ClientContext context;
  Prepare(request, context);
  TrackedCall tracked(*this, context);
  StreamCall call(channel_, context, match.route->GrpcName(), method->output_type(),
                  kStreamAnswerBytesFactor * max_message_bytes_);
  // One request per non-blank line, each sent as soon as it is complete.
  absl::Status refused;  // a line that cannot be sent
  int line_number = 0;
  std::string line;  // so far; at most max_message_bytes_
  auto send_line = [&] {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      line.clear();
      return true;
    }
    std::unique_ptr<Message> one = NewMessage(method->input_type());
    absl::Status built = HttpMapping::BuildRequest(match, line, {}, *one);
    line.clear();
    if (!built.ok()) {
      refused = report::PrefixFields(built, absl::StrCat("line ", line_number, ": "));
      return false;
    }
    return call.Write(Serialize(*one));
  };
  BodyShare share(*body_budget_, max_message_bytes_);  // what `line` holds
  bool read_all = call.Start();
  if (read_all && body != nullptr) {
    read_all = (*body)([&](const char* data, size_t length) {
      absl::string_view rest(data, length);
      while (!rest.empty()) {
        size_t newline = rest.find('\n');
        absl::string_view piece = rest.substr(0, newline);
        if (piece.size() > max_message_bytes_ - line.size()) {
          refused =
              TooLarge(absl::StrCat("line ", line_number + 1, " is too long"), max_message_bytes_);
          return false;
        }
        if (!share.Hold(line.size() + piece.size(), line)) {
          refused = BudgetSpent(body_budget_->total());
          return false;
        }
        absl::StrAppend(&line, piece);
        if (newline == absl::string_view::npos) break;
        rest.remove_prefix(newline + 1);
        if (!send_line()) return false;
      }
      return true;
    });
  }
  if (read_all && !line.empty()) read_all = send_line();  // the last line, unended
  if (!refused.ok()) {
    context.TryCancel();
    call.Finish();
    Fail(refused, StatusOfUnread(refused), response);
    if (absl::IsUnavailable(refused)) response.set_header("Retry-After", kBodyBudgetRetryAfter);
    HttpServer::CloseConnectionAfterAnswer(response);
    return;
  }
  grpc::Status status = call.Finish();
  // Unless the whole body was read, what is left of it is not.
  if (!read_all) HttpServer::CloseConnectionAfterAnswer(response);
  if (call.answers_too_large()) {
    Fail(absl::ResourceExhaustedError(absl::StrCat(
             "the answers to this stream pass ", kStreamAnswerBytesFactor * max_message_bytes_,
             " bytes (", kStreamAnswerBytesFactor,
             " times --max-message-bytes): send fewer requests in one stream")),
         413, response);
    return;
  }
  if (!status.ok()) {
    Fail(status, response);
    return;
  }
  if (!read_all) {
    Fail(absl::InvalidArgumentError("the body could not be read to its end"), 400, response);
    return;
  }
  response.set_content(call.answers(), kNdjson);
}

void HttpGateway::Health(httplib::Response& response) const {
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse answer;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  TrackedCall tracked(*this, context);
  grpc::Status status =
      CallUnary(channel_, context, "/grpc.health.v1.Health/Check", request, answer);
  if (!status.ok()) {
    Fail(status, response);
    return;
  }
  if (answer.status() != grpc::health::v1::HealthCheckResponse::SERVING) response.status = 503;
  response.set_content(ToJson(answer), kJson);
}

}  // namespace jixiao::rpc
