// The workbook's sheets and columns, shared by the writer and the reader.
// The reader finds each column by its header (row 1), and each row's field
// by the last column, 字段, which the writer hides. Internal to tools/form.

#ifndef JIXIAO_TOOLS_FORM_LAYOUT_H_
#define JIXIAO_TOOLS_FORM_LAYOUT_H_

namespace jixiao::form::layout {

inline constexpr char kField[] = "字段";  // every data sheet's last column

inline constexpr char kGuide[] = "说明";

inline constexpr char kCover[] = "封面";
inline constexpr char kCoverLabel[] = "项目";
inline constexpr char kCoverValue[] = "填报内容";

inline constexpr char kFigures[] = "基础数据";
inline constexpr char kFigureGroup[] = "分组";
inline constexpr char kFigureName[] = "名称";
inline constexpr char kFigureUnit[] = "单位";
inline constexpr char kFigureValue[] = "数值";
inline constexpr char kFigureNote[] = "说明";

inline constexpr char kChecklist[] = "定性指标";
inline constexpr char kItemIndicator[] = "指标";
inline constexpr char kItemText[] = "内容";
inline constexpr char kItemPoints[] = "分值";
inline constexpr char kItemMet[] = "是否达到";
inline constexpr char kItemEvidence[] = "佐证";
inline constexpr char kYes[] = "是";
inline constexpr char kNo[] = "否";

inline constexpr char kTargets[] = "绩效目标";
inline constexpr char kTargetIndicator[] = "指标";
inline constexpr char kTargetName[] = "目标名称";
inline constexpr char kTargetDirection[] = "方向";
inline constexpr char kTargetValue[] = "目标值";
inline constexpr char kTargetUnit[] = "单位";
inline constexpr char kTargetActual[] = "实际值";
inline constexpr char kTargetWeight[] = "权重";
inline constexpr char kTargetNote[] = "备注";
inline constexpr char kAtLeast[] = "≥";
inline constexpr char kAtMost[] = "≤";
inline constexpr char kEqual[] = "=";

inline constexpr char kManual[] = "人工评分";
inline constexpr char kManualIndicator[] = "指标";
inline constexpr char kManualWeight[] = "分值";
inline constexpr char kManualScore[] = "评分";
inline constexpr char kManualReason[] = "理由";
inline constexpr char kManualAssessor[] = "评分人";

inline constexpr char kSelf[] = "自评得分";
inline constexpr char kSelfIndicator[] = "指标";
inline constexpr char kSelfWeight[] = "分值";
inline constexpr char kSelfScore[] = "自评得分";
inline constexpr char kSelfTotal[] = "total";  // the 字段 of the 合计 row

inline constexpr char kText[] = "文字说明";
inline constexpr char kTextPart[] = "部分";
inline constexpr char kTextContent[] = "内容";

}  // namespace jixiao::form::layout

#endif  // JIXIAO_TOOLS_FORM_LAYOUT_H_
