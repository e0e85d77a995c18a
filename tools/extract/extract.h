// A document's figures, narrative and checklist answers read by rules into
// a draft report, every value with the line and sentence it came from;
// what the rules look for and do not find is listed as missing, a value
// read twice differently as a conflict, and nothing is guessed.

#ifndef JIXIAO_TOOLS_EXTRACT_EXTRACT_H_
#define JIXIAO_TOOLS_EXTRACT_EXTRACT_H_

#include <string>
#include <vector>

#include "jixiao/v1/report.pb.h"
#include "tools/extract/document.h"
#include "tools/extract/rules.h"

namespace jixiao::extract {

// One value read: where it goes, what it is, and where it was read.
struct Reading {
  std::string path;   // "budget.income"; "checklist.ITEM" for a checklist answer
  std::string value;  // "23604.86" (万元, exact, as printed); "met" / "not met"
  int line = 0;       // of the converted text
  std::string text;   // the sentence, as the document has it
};

struct Conflict {
  std::string path;
  std::vector<Reading> readings;  // one per different value, first reading of each
};

struct Extraction {
  v1::Report report;                 // the draft
  std::vector<Reading> figures;      // every stated value in the draft, in the rules' order
  std::vector<std::string> missing;  // paths the rules look for that the document does not state
  std::vector<Conflict> conflicts;   // read more than once, differently: left out of the draft
  // Implied, not stated (counts, "all completed", checklist answers): in
  // the draft only if accepted.
  std::vector<Reading> inferred;
  bool inferred_accepted = false;
  // What was seen and not read, and why: "line 12: 「1/4」 under 「执行率」 is
  // not a figure; quarterly.q1.declared_execution_rate not read from it".
  std::vector<std::string> notes;
};

struct ExtractOptions {
  bool accept_inferred = false;
};

Extraction Extract(const Document& document, const RuleSet& rules, const ExtractOptions& options);

// A figure as a report holds it, from the text a pattern matched:
// "23604.86万元" is 23604.86, "72610元" 7.261, "1.5亿元" 15000, "88.53%"
// 88.53; printed decimals are kept. `unit` as in rules.proto's Field.
absl::StatusOr<std::string> FigureValue(absl::string_view matched, const std::string& unit);

}  // namespace jixiao::extract

#endif  // JIXIAO_TOOLS_EXTRACT_EXTRACT_H_
