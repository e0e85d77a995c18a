#include "common/report/labels.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace jixiao::report {

Label StatusLabel(v1::ReportStatus status) {
  switch (status) {
    case v1::REPORT_STATUS_DRAFT:
      return {"draft", "草稿"};
    case v1::REPORT_STATUS_SUBMITTED:
      return {"submitted", "已提交"};
    case v1::REPORT_STATUS_RETURNED:
      return {"returned", "已退回"};
    case v1::REPORT_STATUS_APPROVED:
      return {"approved", "审核通过"};
    case v1::REPORT_STATUS_DELETED:
      return {"deleted", "已删除"};
    default:
      return {"unspecified", "未定"};
  }
}

Label SeverityLabel(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_ERROR:
      return {"error", "错误"};
    case v1::SEVERITY_WARNING:
      return {"warning", "警告"};
    default:
      return {"info", "提示"};
  }
}

std::vector<std::string> UndeclaredFigures(const v1::ScoreCard& card) {
  std::vector<std::string> ids;
  for (const v1::Finding& f : card.findings()) {
    if (f.code() == kFigureUndeclaredCode) ids.push_back(f.subject());
  }
  return ids;
}

std::string FilledInForAnotherTable(absl::string_view scheme, const std::vector<std::string>& ids) {
  return absl::StrCat("carries figures that ", scheme, " does not declare (",
                      absl::StrJoin(ids, ", "), "): it was filled in for another table");
}

bool ScoredAsItStands(const v1::ScoreCard& card, const v1::ReportRevision& revision) {
  const int64_t content =
      revision.content_revision() > 0 ? revision.content_revision() : revision.revision();
  return card.report().revision() >= content;
}

}  // namespace jixiao::report
