#include "common/rpc/http_mapping.h"

#include <algorithm>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/report/field_violations.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace jixiao::rpc {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status BadField(const std::string& field, const std::string& why) {
  return report::InvalidArgumentWithViolations(absl::StrCat("bad request: ", field, " ", why),
                                               {{field, why}});
}

bool IsVariable(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::string VariableName(const std::string& segment) {
  return segment.substr(1, segment.size() - 2);
}

// Splits "/a/b:verb" into {"a", "b"} and "verb". A path that does not start
// with '/' has no segments.
std::vector<std::string> SplitPath(const std::string& path, std::string* custom_verb) {
  std::string rest = path;
  size_t last_slash = rest.rfind('/');
  size_t colon = rest.find(':', last_slash == std::string::npos ? 0 : last_slash);
  if (colon != std::string::npos) {
    *custom_verb = rest.substr(colon + 1);
    rest.resize(colon);
  }
  if (rest.empty() || rest[0] != '/') return {};
  return absl::StrSplit(rest.substr(1), '/');
}

std::string PercentDecode(const std::string& text) {
  auto hex = [](char c, int* value) {
    if (c >= '0' && c <= '9') {
      *value = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      *value = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      *value = c - 'A' + 10;
    } else {
      return false;
    }
    return true;
  };
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    int high = 0, low = 0;
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1], &high) &&
        hex(text[i + 2], &low)) {
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The field of `descriptor` at a dotted path, or null; `parents` gets the
// message fields on the way.
const FieldDescriptor* FindPath(const Descriptor* descriptor, const std::string& path,
                                std::vector<const FieldDescriptor*>* parents) {
  std::vector<std::string> names = absl::StrSplit(path, '.');
  const FieldDescriptor* field = nullptr;
  for (size_t i = 0; i < names.size(); ++i) {
    if (descriptor == nullptr) return nullptr;
    field = descriptor->FindFieldByName(names[i]);
    if (field == nullptr) field = descriptor->FindFieldByLowercaseName(names[i]);
    if (field == nullptr) {
      // The JSON name ("pageSize") is accepted as well as the proto name.
      for (int f = 0; f < descriptor->field_count(); ++f) {
        if (descriptor->field(f)->json_name() == names[i]) field = descriptor->field(f);
      }
    }
    if (field == nullptr) return nullptr;
    if (i + 1 < names.size()) {
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()) {
        return nullptr;
      }
      parents->push_back(field);
      descriptor = field->message_type();
    }
  }
  return field;
}

// The fields from `descriptor` to the one at `path`, outermost first;
// empty if there is no such field.
std::vector<const FieldDescriptor*> FieldChain(const Descriptor* descriptor,
                                               const std::string& path) {
  std::vector<const FieldDescriptor*> chain;
  const FieldDescriptor* field = FindPath(descriptor, path, &chain);
  if (field == nullptr) return {};
  chain.push_back(field);
  return chain;
}

bool IsPrefix(const std::vector<const FieldDescriptor*>& prefix,
              const std::vector<const FieldDescriptor*>& chain) {
  return prefix.size() <= chain.size() && std::equal(prefix.begin(), prefix.end(), chain.begin());
}

// The first field named in a JSON parse error, and what is wrong with it:
// protobuf says "(report.identity.fiscal_year): invalid value ..." or
// "bogus: Cannot find field.".
report::FieldViolation FromJsonError(const std::string& error, const std::string& prefix) {
  // Only the first line: the rest quotes the input around the error, which
  // is no part of the answer (and need not be UTF-8).
  const std::string message = report::ValidUtf8(error.substr(0, error.find('\n')));
  if (absl::StartsWith(message, "(")) {
    size_t close = message.find("): ");
    if (close != std::string::npos) {
      return {absl::StrCat(prefix, message.substr(1, close - 1)), message.substr(close + 3)};
    }
  }
  size_t colon = message.find(": Cannot find field");
  if (colon != std::string::npos && message.find(' ') > colon) {
    return {absl::StrCat(prefix, message.substr(0, colon)), "is not a field of this request"};
  }
  return {prefix.empty() ? "body" : prefix.substr(0, prefix.size() - 1),
          absl::StrCat("is not valid JSON for this request: ", message)};
}

// Whether `message` has a value at the field path `path`: every message on
// the way set, and the field itself (a scalar: other than its default; a
// repeated field: not empty). If so, `text` gets it in text format.
bool ValueAt(const Message& message, const std::string& path, std::string* text) {
  std::vector<const FieldDescriptor*> parents;
  const FieldDescriptor* field = FindPath(message.GetDescriptor(), path, &parents);
  if (field == nullptr) return false;
  const Message* at = &message;
  for (const FieldDescriptor* parent : parents) {
    if (!at->GetReflection()->HasField(*at, parent)) return false;
    at = &at->GetReflection()->GetMessage(*at, parent);
  }
  const Reflection* reflection = at->GetReflection();
  text->clear();
  if (field->is_repeated()) {
    const int size = reflection->FieldSize(*at, field);
    for (int i = 0; i < size; ++i) {
      std::string one;
      google::protobuf::TextFormat::PrintFieldValueToString(*at, field, i, &one);
      absl::StrAppend(text, one, "\n");
    }
    return size > 0;
  }
  if (!reflection->HasField(*at, field)) return false;
  google::protobuf::TextFormat::PrintFieldValueToString(*at, field, -1, text);
  return true;
}

}  // namespace

std::string HttpRoute::GrpcName() const {
  return absl::StrCat("/", method->service()->full_name(), "/", method->name());
}

absl::StatusOr<HttpMapping> HttpMapping::ForServices(const std::vector<std::string>& services) {
  HttpMapping mapping;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& name : services) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    if (service == nullptr) return absl::NotFoundError(absl::StrCat("no service ", name));
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor* method = service->method(m);
      if (!method->options().HasExtension(google::api::http)) continue;
      const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
      HttpRoute route;
      route.method = method;
      route.body = rule.body();
      switch (rule.pattern_case()) {
        case google::api::HttpRule::kGet:
          route.verb = "GET", route.pattern = rule.get();
          break;
        case google::api::HttpRule::kPost:
          route.verb = "POST", route.pattern = rule.post();
          break;
        case google::api::HttpRule::kPut:
          route.verb = "PUT", route.pattern = rule.put();
          break;
        case google::api::HttpRule::kDelete:
          route.verb = "DELETE", route.pattern = rule.delete_();
          break;
        case google::api::HttpRule::kPatch:
          route.verb = "PATCH", route.pattern = rule.patch();
          break;
        default:
          return absl::InvalidArgumentError(
              absl::StrCat(method->full_name(), ": unsupported google.api.http pattern"));
      }
      route.segments = SplitPath(route.pattern, &route.custom_verb);
      if (route.segments.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(method->full_name(), ": path ", route.pattern, " must start with /"));
      }
      for (const std::string& segment : route.segments) {
        std::vector<const FieldDescriptor*> parents;
        if (IsVariable(segment) &&
            FindPath(method->input_type(), VariableName(segment), &parents) == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat(method->full_name(), ": path variable ", segment, " names no field"));
        }
      }
      if (!route.body.empty() && route.body != "*" &&
          method->input_type()->FindFieldByName(route.body) == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(method->full_name(), ": body ", route.body, " names no field"));
      }
      mapping.routes_.push_back(std::move(route));
    }
  }
  return mapping;
}

absl::StatusOr<HttpMatch> HttpMapping::Match(const std::string& verb,
                                             const std::string& path) const {
  std::string custom_verb;
  std::vector<std::string> segments = SplitPath(path, &custom_verb);
  bool path_known = false;
  for (const HttpRoute& route : routes_) {
    if (route.segments.size() != segments.size() || route.custom_verb != custom_verb) continue;
    HttpMatch match;
    match.route = &route;
    bool matches = true;
    for (size_t i = 0; i < segments.size() && matches; ++i) {
      if (IsVariable(route.segments[i])) {
        if (segments[i].empty()) matches = false;
        match.variables.emplace_back(VariableName(route.segments[i]), PercentDecode(segments[i]));
      } else {
        matches = route.segments[i] == segments[i];
      }
    }
    if (!matches) continue;
    path_known = true;
    if (route.verb == verb) return match;
  }
  if (path_known) {
    return absl::FailedPreconditionError(absl::StrCat(verb, " is not served at ", path));
  }
  return absl::NotFoundError(absl::StrCat("no operation at ", verb, " ", path));
}

absl::Status HttpMapping::SetField(Message& message, const std::string& path,
                                   const std::string& text) {
  std::vector<const FieldDescriptor*> parents;
  const FieldDescriptor* field = FindPath(message.GetDescriptor(), path, &parents);
  if (field == nullptr) return BadField(path, "is not a field of this request");
  Message* target = &message;
  for (const FieldDescriptor* parent : parents) {
    target = target->GetReflection()->MutableMessage(target, parent);
  }
  const Reflection* reflection = target->GetReflection();
  const bool repeated = field->is_repeated();
  auto wrong = [&](const char* type) { return BadField(path, absl::StrCat("must be ", type)); };
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (field->type() == FieldDescriptor::TYPE_BYTES) {
        return BadField(path, "cannot be given in the path or the query string");
      }
      // Percent-encoding can spell any bytes; a string must be UTF-8.
      if (report::ValidUtf8(text) != text) return BadField(path, "is not valid UTF-8");
      repeated ? reflection->AddString(target, field, text)
               : reflection->SetString(target, field, text);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t value;
      if (!absl::SimpleAtoi(text, &value)) return wrong("a whole number (32-bit)");
      repeated ? reflection->AddInt32(target, field, value)
               : reflection->SetInt32(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t value;
      if (!absl::SimpleAtoi(text, &value)) return wrong("a whole number");
      repeated ? reflection->AddInt64(target, field, value)
               : reflection->SetInt64(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t value;
      if (!absl::SimpleAtoi(text, &value)) return wrong("a whole number, 0 or more (32-bit)");
      repeated ? reflection->AddUInt32(target, field, value)
               : reflection->SetUInt32(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t value;
      if (!absl::SimpleAtoi(text, &value)) return wrong("a whole number, 0 or more");
      repeated ? reflection->AddUInt64(target, field, value)
               : reflection->SetUInt64(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      if (text != "true" && text != "false") return wrong("true or false");
      repeated ? reflection->AddBool(target, field, text == "true")
               : reflection->SetBool(target, field, text == "true");
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const google::protobuf::EnumValueDescriptor* value =
          field->enum_type()->FindValueByName(text);
      int number = 0;
      if (value == nullptr && absl::SimpleAtoi(text, &number)) {
        value = field->enum_type()->FindValueByNumber(number);
      }
      if (value == nullptr) {
        std::vector<std::string> names;
        for (int i = 0; i < field->enum_type()->value_count(); ++i) {
          names.push_back(field->enum_type()->value(i)->name());
        }
        return BadField(path, absl::StrCat("must be one of ", absl::StrJoin(names, ", ")));
      }
      repeated ? reflection->AddEnum(target, field, value)
               : reflection->SetEnum(target, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      // A well-known type written as JSON text, e.g. a Timestamp in RFC 3339.
      if (repeated) return BadField(path, "cannot be given in the path or the query string");
      Message* value = reflection->MutableMessage(target, field);
      std::string quoted = absl::StrCat("\"", text, "\"");
      if (text.find('"') != std::string::npos ||
          !google::protobuf::util::JsonStringToMessage(quoted, value).ok()) {
        return BadField(path, absl::StrCat("is not a valid ", field->message_type()->name(),
                                           field->message_type()->name() == "Timestamp"
                                               ? " (RFC 3339, e.g. 2026-01-31T00:00:00Z)"
                                               : ""));
      }
      return absl::OkStatus();
    }
    default:
      return wrong("a number");
  }
}

absl::Status HttpMapping::BuildRequest(
    const HttpMatch& match, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& query, Message& request) {
  const HttpRoute& route = *match.route;
  const bool blank_body = body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (route.body.empty()) {
    if (!blank_body) {
      return BadField("body", absl::StrCat(route.verb, " ", route.pattern, " takes no body"));
    }
  } else if (!blank_body) {
    if (report::ValidUtf8(body) != body) {
      return BadField("body", "is not valid UTF-8: JSON must be UTF-8");
    }
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    Message* target = &request;
    std::string prefix;
    if (route.body != "*") {
      const FieldDescriptor* field = request.GetDescriptor()->FindFieldByName(route.body);
      target = request.GetReflection()->MutableMessage(&request, field);
      prefix = route.body + ".";
    }
    auto parsed = google::protobuf::util::JsonStringToMessage(body, target, options);
    if (!parsed.ok()) {
      report::FieldViolation violation = FromJsonError(std::string(parsed.message()), prefix);
      return report::InvalidArgumentWithViolations(
          absl::StrCat("bad request: ", violation.field, " ", violation.description), {violation});
    }
  }
  std::vector<std::vector<const FieldDescriptor*>> bound;  // by the path
  for (const auto& [path, value] : match.variables) {
    // The body may repeat what the path says, but not contradict it: the
    // path names what is changed, and the body must not be silently
    // rewritten to something else.
    std::unique_ptr<Message> from_path(request.New());
    if (absl::Status status = SetField(*from_path, path, value); !status.ok()) return status;
    std::string in_body, in_path;
    if (ValueAt(request, path, &in_body) && ValueAt(*from_path, path, &in_path) &&
        in_body != in_path) {
      return BadField(path, "differs from the path: the body may only repeat what the path says");
    }
    if (absl::Status status = SetField(request, path, value); !status.ok()) return status;
    bound.push_back(FieldChain(request.GetDescriptor(), path));
  }
  if (!query.empty() && route.body == "*") {
    return BadField(query.front().first,
                    "cannot be given in the query string: the body holds the whole request");
  }
  // The path and the body win: a query parameter may only set what
  // neither of them binds, and a singular field once.
  std::set<const FieldDescriptor*> given;
  for (const auto& [path, value] : query) {
    std::vector<const FieldDescriptor*> chain = FieldChain(request.GetDescriptor(), path);
    if (chain.empty()) return BadField(path, "is not a field of this request");
    for (const auto& variable : bound) {
      if (IsPrefix(chain, variable) || IsPrefix(variable, chain)) {
        return BadField(path, "is given by the path, so it cannot be given in the query string");
      }
    }
    if (!route.body.empty() && chain.front()->name() == route.body) {
      return BadField(path, "is in the body, so it cannot be given in the query string");
    }
    if (!chain.back()->is_repeated() && !given.insert(chain.back()).second) {
      return BadField(path, "is given more than once");
    }
    if (absl::Status status = SetField(request, path, value); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace jixiao::rpc
