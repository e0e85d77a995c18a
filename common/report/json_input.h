// Reading a message from JSON written by a person: every problem at once,
// each with its line and column and what to write instead.
//
//   std::vector<report::JsonProblem> problems;
//   absl::Status read = report::ParseJson(text, &report, &problems);
//   for (const auto& p : problems) print(path, ":", p.line, ":", p.column, ": ", p.message);
//
// The JSON is protobuf's JSON mapping (field names as in the .proto or in
// lowerCamelCase), read strictly: a syntax error (a trailing comma
// included), an unknown field (with the closest known name offered), a
// value of the wrong kind, a field given twice are each a problem. For
// jixiao.v1.Decimal figures the messages say how a figure is written
// ({"value": "5234.5"}: a string, the digits as reported, no unit).
//
// RapidJSON reads the text (its SAX reader, for positions); the walk over
// the message's descriptors is here; protobuf's own JSON parser then fills
// the message, so what is accepted is exactly what protobuf accepts.
// Pure; thread-safe.

#ifndef JIXIAO_COMMON_REPORT_JSON_INPUT_H_
#define JIXIAO_COMMON_REPORT_JSON_INPUT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace jixiao::report {

struct JsonProblem {
  int line = 1;      // from 1
  int column = 1;    // from 1, in characters
  std::string path;  // the field, "procurement.budget.value"; "" for a syntax error
  std::string message;
};

// Fills `message` from `text`. INVALID_ARGUMENT with `problems` (at most
// 100, in the order of the text) if the text is not such a message; OK
// and no problems otherwise.
absl::Status ParseJson(absl::string_view text, google::protobuf::Message* message,
                       std::vector<JsonProblem>* problems);

}  // namespace jixiao::report

#endif  // JIXIAO_COMMON_REPORT_JSON_INPUT_H_
