#include "http_gateway.h"

#include <grpcpp/generic/generic_stub.h>
#include <httplib.h>

#include <future>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "call_log.h"
#include "field_violations.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "http_listener.h"
#include "server_main.h"
#include "status.h"

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

// Sends `sent` on a bidi stream to `method` while reading its answers, which
// are appended to `ndjson` as JSON lines (`answer_type`); returns the
// stream's status. One write and one read are outstanding at a time, so a
// server that answers each request before reading the next never waits.
grpc::Status CallStream(const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext& context,
                        const std::string& method, const std::vector<grpc::ByteBuffer>& sent,
                        const google::protobuf::Descriptor* answer_type, std::string& ndjson) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  // Tags: the addresses of these.
  char started, wrote, writes_done, read, finished;
  auto call = stub.PrepareCall(&context, method, &queue);
  call->StartCall(&started);
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  if (ok) {
    size_t next = 0;
    auto write_next = [&] {
      if (next < sent.size()) {
        call->Write(sent[next++], &wrote);
      } else {
        call->WritesDone(&writes_done);
      }
    };
    bool writing = true, reading = true;
    grpc::ByteBuffer received;
    std::unique_ptr<Message> answer = NewMessage(answer_type);
    call->Read(&received, &read);
    write_next();
    while ((writing || reading) && queue.Next(&tag, &ok)) {
      if (tag == &wrote) {
        if (ok) {
          write_next();
        } else {
          writing = false;
        }
      } else if (tag == &writes_done) {
        writing = false;
      } else if (tag == &read) {
        if (!ok) {
          reading = false;
          continue;
        }
        answer->Clear();
        if (Parse(received, *answer)) absl::StrAppend(&ndjson, ToJson(*answer), "\n");
        call->Read(&received, &read);
      }
    }
  }
  grpc::Status status;
  call->Finish(&status, &finished);
  while (queue.Next(&tag, &ok) && tag != &finished) {
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
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

HttpGateway::HttpGateway(HttpMapping mapping, std::shared_ptr<grpc::Channel> channel)
    : mapping_(std::move(mapping)), channel_(std::move(channel)) {}

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    const std::string& program, const ServerOptions& options,
    const std::vector<std::string>& services, std::shared_ptr<grpc::Channel> channel) {
  auto mapping = HttpMapping::ForServices(services);
  if (!mapping.ok()) return mapping.status();
  const bool tls = !options.tls_cert.empty();
  std::unique_ptr<HttpGateway> gateway(new HttpGateway(*std::move(mapping), std::move(channel)));
  if (tls) {
    auto https = std::make_unique<httplib::SSLServer>(
        options.tls_cert.c_str(), options.tls_key.c_str(),
        options.tls_client_ca.empty() ? nullptr : options.tls_client_ca.c_str());
    if (!https->is_valid()) {
      return absl::InvalidArgumentError("cannot serve HTTPS with --tls-cert and --tls-key");
    }
    gateway->http_ = std::move(https);
  } else {
    gateway->http_ = std::make_unique<httplib::Server>();
  }
  // Bulk scoring sends many reports in one body.
  gateway->http_->set_payload_max_length(
      std::max<size_t>(static_cast<size_t>(options.max_message_bytes), size_t{256} << 20));
  gateway->http_->set_read_timeout(60, 0);
  const HttpGateway* self = gateway.get();
  auto handler = [self](const httplib::Request& request, httplib::Response& response) {
    self->Handle(request, response);
  };
  // What cpp-httplib refuses before any handler runs (a form-encoded body
  // over 8 KiB: 413) gets a JSON answer too.
  gateway->http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        google::rpc::Status body;
        body.set_code(grpc::StatusCode::INVALID_ARGUMENT);
        body.set_message(
            response.status == 413
                ? "the body is too large, or form-encoded: send JSON with "
                  "Content-Type: application/json"
                : absl::StrCat("the request was refused (HTTP ", response.status, ")"));
        response.set_content(ToJson(body), kJson);
        return httplib::Server::HandlerResponse::Handled;
      }));
  // Every path goes to Handle, which matches it against the routes.
  gateway->http_->Get(".*", handler);
  gateway->http_->Post(".*", handler);
  gateway->http_->Put(".*", handler);
  gateway->http_->Delete(".*", handler);
  gateway->http_->Patch(".*", handler);
  auto where =
      BindHttp(*gateway->http_, "--http-listen", options.http_listen, options.http_port_file,
               tls || options.allow_plaintext_remote
                   ? ""
                   : "serve TLS (--tls-cert, --tls-key) or pass --allow-plaintext-remote "
                     "(development only)");
  if (!where.ok()) return where.status();
  std::cerr << program << ": HTTP/JSON on " << (tls ? "https://" : "http://") << *where << " ("
            << gateway->mapping_.routes().size() << " operations)" << std::endl;
  httplib::Server* http = gateway->http_.get();
  gateway->thread_ = std::thread([http] { http->listen_after_bind(); });
  return gateway;
}

HttpGateway::~HttpGateway() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

void HttpGateway::Handle(const httplib::Request& request, httplib::Response& response) const {
  if (request.method == "GET" && request.path == "/healthz") {
    Health(response);
    return;
  }
  auto match = mapping_.Match(request.method, request.path);
  if (!match.ok()) {
    Fail(match.status(), response);
    if (absl::IsFailedPrecondition(match.status())) response.status = 405;
    return;
  }
  if (request.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0) {
    Fail(engine::InvalidArgumentWithViolations(
             "the body is form-encoded",
             {{"body", "must be JSON: send it with Content-Type: application/json"}}),
         response);
    response.status = 415;
    return;
  }
  const google::protobuf::MethodDescriptor* method = match->route->method;
  if (method->client_streaming() || method->server_streaming()) {
    HandleStream(*match, request, response);
    return;
  }
  std::unique_ptr<Message> call_request = NewMessage(method->input_type());
  std::vector<std::pair<std::string, std::string>> query(request.params.begin(),
                                                         request.params.end());
  if (absl::Status built = HttpMapping::BuildRequest(*match, request.body, query, *call_request);
      !built.ok()) {
    Fail(built, response);
    return;
  }
  std::unique_ptr<Message> answer = NewMessage(method->output_type());
  grpc::ClientContext context;
  Prepare(request, context);
  grpc::Status status =
      CallUnary(channel_, context, match->route->GrpcName(), *call_request, *answer);
  if (!status.ok()) {
    Fail(status, response);
    return;
  }
  response.set_content(ToJson(*answer), kJson);
}

void HttpGateway::HandleStream(const HttpMatch& match, const httplib::Request& request,
                               httplib::Response& response) const {
  const google::protobuf::MethodDescriptor* method = match.route->method;
  if (!request.params.empty()) {
    Fail(engine::InvalidArgumentWithViolations(
             "a stream takes no query parameters",
             {{request.params.begin()->first, "cannot be given: the body holds the requests"}}),
         response);
    return;
  }
  // One request per non-blank line.
  std::vector<grpc::ByteBuffer> sent;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(request.body, '\n')) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == absl::string_view::npos) continue;
    std::unique_ptr<Message> one = NewMessage(method->input_type());
    if (absl::Status built = HttpMapping::BuildRequest(match, std::string(line), {}, *one);
        !built.ok()) {
      Fail(engine::PrefixFields(built, absl::StrCat("line ", line_number, ": ")), response);
      return;
    }
    sent.push_back(Serialize(*one));
  }

  grpc::ClientContext context;
  Prepare(request, context);
  std::string answers;
  grpc::Status status =
      CallStream(channel_, context, match.route->GrpcName(), sent, method->output_type(), answers);
  if (!status.ok()) {
    Fail(status, response);
    return;
  }
  response.set_content(answers, kNdjson);
}

void HttpGateway::Health(httplib::Response& response) const {
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse answer;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
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
