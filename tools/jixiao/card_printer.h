// Score cards and findings as a reader wants them in a terminal.

#ifndef JIXIAO_TOOLS_JIXIAO_CARD_PRINTER_H_
#define JIXIAO_TOOLS_JIXIAO_CARD_PRINTER_H_

#include <ostream>

#include "google/protobuf/repeated_ptr_field.h"
#include "jixiao/v1/report.pb.h"
#include "jixiao/v1/score_card.pb.h"

namespace jixiao::cli {

// The indicator table (indicator, value, score / weight, reason for points
// lost), the totals and grade, declared-versus-verified values, findings.
void PrintScoreCard(const v1::Report& report, const v1::ScoreCard& card, std::ostream& out);

// Findings, most severe first, each with what was declared, what was
// computed and the tolerance.
void PrintFindings(const google::protobuf::RepeatedPtrField<v1::Finding>& findings,
                   std::ostream& out);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_CARD_PRINTER_H_
