// Collecting what is wrong with a scheme, with where it is.
//
// Loading a scheme checks everything and reports every problem at once, each
// with its place: the line in the text file it came from (when it came from
// one) and its field path in the Scheme message (always), e.g.
//   schemes/x.textproto:42: indicators[1].children[0].weight: ...

#ifndef JIXIAO_SCORING_SVC_ENGINE_SCHEME_PROBLEMS_H_
#define JIXIAO_SCORING_SVC_ENGINE_SCHEME_PROBLEMS_H_

#include <gmpxx.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"

namespace jixiao::engine {

// A place in a jixiao.v1.Scheme message: a chain of (field, index) steps.
class SchemePath {
 public:
  struct Step {
    const google::protobuf::FieldDescriptor* field;
    int index;  // -1 for a singular field
  };

  SchemePath();  // the Scheme itself

  // The field `name` of the message at this path (a programming error if it
  // does not exist), and its `index`-th element if repeated.
  SchemePath Field(absl::string_view name, int index = -1) const;

  // "indicators[1].children[0].weight"; "" for the root.
  std::string ToString() const;
  const std::vector<Step>& steps() const { return steps_; }

 private:
  const google::protobuf::Descriptor* type_;
  std::vector<Step> steps_;
};

class SchemeProblems {
 public:
  // `tree` (may be null) maps fields to lines of the text `source` was read from.
  SchemeProblems(std::string source, const google::protobuf::TextFormat::ParseInfoTree* tree);

  void Add(const SchemePath& at, std::string reason);
  bool empty() const { return problems_.empty(); }

  // OK if empty; otherwise INVALID_ARGUMENT listing every problem, one per
  // line, with a BadRequest payload (field_violations.h).
  absl::Status ToStatus() const;

  // Parses a decimal parameter at `at`. Reports a problem and returns
  // nullopt if it is empty (when required) or malformed.
  std::optional<mpq_class> Decimal(const std::string& text, const SchemePath& at,
                                   bool required = true);

 private:
  int LineOf(const SchemePath& at) const;  // 1-based; 0 if unknown

  struct Problem {
    std::string location;  // "file:line"
    std::string path;
    std::string reason;
  };
  std::string source_;
  const google::protobuf::TextFormat::ParseInfoTree* tree_;
  std::vector<Problem> problems_;
};

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_SCHEME_PROBLEMS_H_
