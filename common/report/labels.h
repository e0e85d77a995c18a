// What a report's status and a finding's severity are called, in English
// (the CLI, messages, the audit trail) and in Chinese (the documents): one
// table, so that every place that names them says the same.

#ifndef JIXIAO_COMMON_REPORT_LABELS_H_
#define JIXIAO_COMMON_REPORT_LABELS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "jixiao/v1/score_card.pb.h"
#include "jixiao/v1/storage_service.pb.h"

namespace jixiao::report {

struct Label {
  const char* english;  // "draft", "error"
  const char* chinese;  // "草稿", "错误"
};

// REPORT_STATUS_UNSPECIFIED (and values outside the enum) is
// {"unspecified", "未定"}.
Label StatusLabel(v1::ReportStatus status);

// SEVERITY_UNSPECIFIED reads as info, as the engine treats it.
Label SeverityLabel(v1::Severity severity);

// The code of the finding for a figure the report holds and its scheme does
// not declare: the report was filled in for another table. Such a card is not
// printed, submitted or approved.
inline constexpr char kFigureUndeclaredCode[] = "figure_undeclared";

// The figures a card's report carries that its scheme does not declare (its
// kFigureUndeclaredCode findings), in the card's order.
std::vector<std::string> UndeclaredFigures(const v1::ScoreCard& card);

// "carries figures that SCHEME does not declare (a, b): it was filled in for
// another table": what every refusal of such a card says, before what to do.
std::string FilledInForAnotherTable(absl::string_view scheme, const std::vector<std::string>& ids);

// Whether `card` scored the content of `revision` as it stands: the revision
// it scored is no earlier than the last one that changed the content (a
// status change alone leaves the card as fresh as it was).
bool ScoredAsItStands(const v1::ScoreCard& card, const v1::ReportRevision& revision);

// Whether a revision wrote the report's content (a create or an edit), not
// only its status; revisions stored before content_revision was kept count
// as edits while drafts.
inline bool WritesContent(const v1::ReportRevision& r) {
  return r.content_revision() == r.revision() ||
         (r.content_revision() == 0 && r.status() == v1::REPORT_STATUS_DRAFT);
}

// What a revision did: {"create", "创建"} for the first, {"edit", "修改"} for
// a later one that wrote the content, {"status", "状态变更"} for one that
// changed only the status.
inline Label RevisionKindLabel(const v1::ReportRevision& r) {
  if (!WritesContent(r)) return {"status", "状态变更"};
  return r.revision() == 1 ? Label{"create", "创建"} : Label{"edit", "修改"};
}

}  // namespace jixiao::report

#endif  // JIXIAO_COMMON_REPORT_LABELS_H_
