// The HTTP/JSON face of a gRPC service, read from the google.api.http
// option on each of its methods: which HTTP verb and path reach a method,
// and how a request message is built from the path, the query string and a
// JSON body (protobuf's JSON mapping).
//
// Supported path templates: literal segments and single-segment variables
// naming a field path ("/v1/reports/{key.department_code}/{key.fiscal_year}"),
// with an optional ":verb" suffix on the last segment. Fields not bound by
// the path or the body are read from the query string (?page_size=10), and
// only those.

#ifndef JIXIAO_COMMON_RPC_HTTP_MAPPING_H_
#define JIXIAO_COMMON_RPC_HTTP_MAPPING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jixiao::rpc {

// One method's HTTP binding.
struct HttpRoute {
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string verb;                   // GET, POST, PUT, DELETE, PATCH
  std::string pattern;                // as declared, for messages
  std::vector<std::string> segments;  // literal, or "{field.path}"
  std::string custom_verb;            // after ':' in the last segment; may be empty
  std::string body;                   // "*", a field name, or empty (no body)

  // "/jixiao.v1.StorageService/GetReport", as gRPC names the method.
  std::string GrpcName() const;
};

// A request's path matched to a route, with the path's variables.
struct HttpMatch {
  const HttpRoute* route = nullptr;
  std::vector<std::pair<std::string, std::string>> variables;  // field path, decoded value
};

class HttpMapping {
 public:
  // The routes of every method of `services` (full names, e.g.
  // "jixiao.v1.StorageService") that carries a google.api.http option.
  // An error names the method whose option cannot be served.
  static absl::StatusOr<HttpMapping> ForServices(const std::vector<std::string>& services);

  const std::vector<HttpRoute>& routes() const { return routes_; }

  // The route for `verb` and `path` (without the query string). NOT_FOUND if
  // no route has this path; FAILED_PRECONDITION if some route has the path
  // but not the verb (an HTTP 405).
  absl::StatusOr<HttpMatch> Match(const std::string& verb, const std::string& path) const;

  // Fills `request` (of the route's input type) from a JSON body, the
  // path's variables and query parameters. INVALID_ARGUMENT with field
  // violations naming the field for a body that does not parse (or is not
  // UTF-8), an unknown field or a value of the wrong type. The path and the
  // body win: a query parameter that names a field the path binds (or one
  // that contains it, or lies within it) or a field of the body, or a
  // singular field given twice, is INVALID_ARGUMENT naming the parameter.
  // A field of the body that the path binds may repeat the path's value
  // but not differ from it: INVALID_ARGUMENT naming the field.
  // Error messages never quote the body.
  static absl::Status BuildRequest(const HttpMatch& match, const std::string& body,
                                   const std::vector<std::pair<std::string, std::string>>& query,
                                   google::protobuf::Message& request);

  // Sets the field at `path` ("key.fiscal_year") of `message` from text, as a
  // query parameter or path variable gives it. INVALID_ARGUMENT naming the
  // field if there is no such field or the text is not of its type.
  static absl::Status SetField(google::protobuf::Message& message, const std::string& path,
                               const std::string& text);

 private:
  std::vector<HttpRoute> routes_;
};

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_HTTP_MAPPING_H_
