// Field-by-field differences between two versions of a message.

#ifndef JIXIAO_TOOLS_JIXIAO_REPORT_DIFF_H_
#define JIXIAO_TOOLS_JIXIAO_REPORT_DIFF_H_

#include <string>
#include <vector>

#include "google/protobuf/message.h"

namespace jixiao::cli {

struct FieldChange {
  std::string path;    // "quarterly.q2.declared_progress.value", "checklist[3].met"
  std::string before;  // "" when absent
  std::string after;
};

// Every leaf field that differs between `before` and `after` (messages of
// the same type), in field order. Lists are compared element by element.
std::vector<FieldChange> DiffMessages(const google::protobuf::Message& before,
                                      const google::protobuf::Message& after);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_REPORT_DIFF_H_
