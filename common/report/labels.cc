#include "common/report/labels.h"

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

}  // namespace jixiao::report
