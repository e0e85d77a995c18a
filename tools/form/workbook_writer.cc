// Writing the form with libxlsxwriter.

#include <xlsxwriter.h>

#include <functional>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/form/layout.h"
#include "tools/form/report_paths.h"
#include "tools/form/workbook.h"

namespace jixiao::form {
namespace {

namespace L = layout;

// The section fields of Narrative, with their headings.
const std::vector<std::pair<std::string, std::string>>& SectionLabels() {
  static const auto* labels = new std::vector<std::pair<std::string, std::string>>{
      {"functions", "部门主要职能"},         {"key_tasks", "年度总体工作和重点工作任务"},
      {"budget_preparation", "预算编制"},    {"target_setting", "目标设置"},
      {"performance_goals", "主要履职目标"}, {"delivery", "主要履职情况"},
      {"key_work", "重点工作完成情况"},      {"effectiveness", "效果性"},
      {"experience", "主要经验、做法"},      {"problems_and_measures", "存在问题及改进措施"},
      {"plans", "后续工作计划、相关建议"},
  };
  return *labels;
}

class Writer {
 public:
  Writer(const engine::CompiledScheme& scheme, const v1::Report& report)
      : scheme_(scheme), report_(report), form_(engine::FormOf(scheme)) {}

  absl::Status Write(const std::string& path) {
    lxw_workbook* book = workbook_new(path.c_str());
    if (book == nullptr) return absl::InvalidArgumentError(absl::StrCat("cannot create ", path));
    book_ = book;
    MakeFormats();
    Guide();
    Cover();
    Figures();
    Checklist();
    Targets();
    if (!form_.manual.empty()) Manual();
    SelfScores();
    Text();
    lxw_error error = workbook_close(book);
    if (error != LXW_NO_ERROR) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot write ", path, ": ", lxw_strerror(error)));
    }
    return absl::OkStatus();
  }

 private:
  void MakeFormats() {
    header_ = workbook_add_format(book_);
    format_set_bold(header_);
    format_set_bg_color(header_, 0xD9E1F2);
    format_set_border(header_, LXW_BORDER_THIN);
    label_ = workbook_add_format(book_);
    format_set_text_wrap(label_);
    format_set_align(label_, LXW_ALIGN_VERTICAL_TOP);
    input_ = workbook_add_format(book_);  // unlocked, shaded, text
    format_set_unlocked(input_);
    format_set_bg_color(input_, 0xFFF2CC);
    format_set_num_format(input_, "@");
    format_set_border(input_, LXW_BORDER_THIN);
    format_set_text_wrap(input_);
    format_set_align(input_, LXW_ALIGN_VERTICAL_TOP);
    prior_ = workbook_add_format(book_);  // last year's, not filled in here
    format_set_bg_color(prior_, 0xEDEDED);
    format_set_font_color(prior_, 0x595959);
    title_ = workbook_add_format(book_);
    format_set_bold(title_);
    format_set_font_size(title_, 14);
  }

  // A data sheet: its headers (the hidden 字段 last), frozen, protected.
  lxw_worksheet* Sheet(const char* name,
                       const std::vector<std::pair<std::string, double>>& columns) {
    lxw_worksheet* sheet = workbook_add_worksheet(book_, name);
    for (size_t c = 0; c < columns.size(); ++c) {
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), columns[c].first.c_str(),
                             header_);
      worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           columns[c].second, nullptr);
    }
    const lxw_col_t field = static_cast<lxw_col_t>(columns.size());
    worksheet_write_string(sheet, 0, field, L::kField, header_);
    lxw_row_col_options hidden = {};
    hidden.hidden = 1;
    worksheet_set_column_opt(sheet, field, field, 28, nullptr, &hidden);
    worksheet_freeze_panes(sheet, 1, 0);
    lxw_protection protection = {};
    protection.sort = 1;
    protection.autofilter = 1;
    protection.format_columns = 1;
    protection.format_rows = 1;
    worksheet_protect(sheet, nullptr, &protection);
    return sheet;
  }

  void Cell(lxw_worksheet* sheet, int row, int col, const std::string& text,
            lxw_format* format = nullptr) {
    worksheet_write_string(sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col),
                           text.c_str(), format ? format : label_);
  }

  void Guide() {
    lxw_worksheet* sheet = workbook_add_worksheet(book_, L::kGuide);
    worksheet_set_column(sheet, 0, 0, 100, nullptr);
    const std::string scheme_name =
        scheme_.proto().name().empty() ? scheme_.id() : scheme_.proto().name();
    const std::vector<std::string> lines = {
        absl::StrCat("部门整体支出绩效自评表 · ", scheme_name, "（", scheme_.id(), "@",
                     scheme_.version(), "）"),
        "",
        "填写方法",
        "1. "
        "只填写浅黄色单元格，其余单元格受保护。可以调整列宽、排序，但不要删除工作表或改动隐藏的“字"
        "段”列。",
        "2. 金额以万元为单位，比率以百分数表示，只填数字，例如 "
        "12000、95.5；不要写单位、千分位或公式。",
        "   按部门报送的精度填写：6887 与 6887.00 不同，填写几位小数就按几位核对。",
        "3. 没有的数据留空，不要填 0。标“上年”的数据取自上年度报告，无需在此填写。",
        "4. 定性指标在“是否达到”一列选择“是”或“否”，并在“佐证”中写明依据。",
        "5. 绩效目标每行一项：目标名称、方向（≥ ≤ =）、目标值、单位、实际值；不用的行留空。",
        "6. 文字说明每部分一格，每段一行（Alt+Enter 换行）；小标题单独一行，以“# "
        "”开头，下一级以“## ”开头。",
        "7. 填好后保存为 .xlsx，运行 jixiao save 本文件 "
        "提交系统；有误的单元格会逐一列出（工作表!单元格）。",
    };
    for (size_t i = 0; i < lines.size(); ++i) {
      Cell(sheet, static_cast<int>(i), 0, lines[i], i == 0 ? title_ : label_);
    }
  }

  void Cover() {
    lxw_worksheet* sheet = Sheet(L::kCover, {{L::kCoverLabel, 18}, {L::kCoverValue, 48}});
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"identity.department_code", "部门编码"}, {"identity.department_name", "部门名称"},
        {"identity.fiscal_year", "年度"},         {"identity.legal_representative", "单位法人"},
        {"identity.submitter", "填报人"},         {"identity.phone", "联系电话"}};
    int row = 1;
    for (const auto& [path, label] : rows) {
      Cell(sheet, row, 0, label);
      Cell(sheet, row, 1, ValueAt(report_, path), input_);
      Cell(sheet, row, 2, path);
      ++row;
    }
  }

  void Figures() {
    lxw_worksheet* sheet = Sheet(L::kFigures, {{L::kFigureGroup, 16},
                                               {L::kFigureName, 36},
                                               {L::kFigureUnit, 8},
                                               {L::kFigureValue, 16},
                                               {L::kFigureNote, 40}});
    int row = 1;
    std::set<std::string> listed;
    auto add = [&](const std::string& group, const std::string& name, const std::string& unit,
                   const std::string& path, std::string note, bool last_year) {
      Cell(sheet, row, 0, group);
      Cell(sheet, row, 1, name);
      Cell(sheet, row, 2, unit);
      if (last_year) {
        Cell(sheet, row, 3, "上年", prior_);
        note = note.empty() ? "上年数据：取自上年度报告，无需填写" : "上年数据：" + note;
      } else {
        Cell(sheet, row, 3, ValueAt(report_, path), input_);
      }
      Cell(sheet, row, 4, note);
      Cell(sheet, row, 5, last_year ? "prior." + path : path);
      ++row;
    };
    for (const engine::FormInput& input : form_.inputs) {
      if (input.this_year) {
        add(input.group, input.name, input.unit, input.path, input.note, false);
        listed.insert(input.path);
        if (input.path == "satisfaction.rate") {
          add(input.group, "满意度测评方式", "", "satisfaction.source", "文字", false);
          listed.insert("satisfaction.source");
        }
      }
    }
    for (const engine::FormInput& input : form_.inputs) {
      if (input.last_year) add(input.group, input.name, input.unit, input.path, input.note, true);
    }
    // What the report holds beyond the scheme's figures, kept as it is.
    for (const std::string& path : StandardFigurePaths()) {
      if (!listed.count(path) && !ValueAt(report_, path).empty()) {
        add("其他（本指标体系不计分）", path, "", path, "", false);
      }
    }
    if (!listed.count("satisfaction.source") && !report_.satisfaction().source().empty()) {
      add("其他（本指标体系不计分）", "满意度测评方式", "", "satisfaction.source", "文字", false);
    }
    for (const auto& [id, figure] : report_.figures()) {
      const std::string path = "figures." + id;
      if (!listed.count(path)) add("其他（本指标体系未定义）", id, "", path, "", false);
    }
  }

  void Checklist() {
    lxw_worksheet* sheet = Sheet(L::kChecklist, {{L::kItemIndicator, 18},
                                                 {L::kItemText, 50},
                                                 {L::kItemPoints, 8},
                                                 {L::kItemMet, 10},
                                                 {L::kItemEvidence, 50}});
    std::map<std::string, const v1::ChecklistAnswer*> answers;
    for (const v1::ChecklistAnswer& a : report_.checklist()) answers[a.item_id()] = &a;
    static const char* kChoices[] = {L::kYes, L::kNo, nullptr};
    int row = 1;
    for (const engine::FormItem& item : form_.checklist) {
      auto it = answers.find(item.id);
      Cell(sheet, row, 0, item.indicator_name);
      Cell(sheet, row, 1, item.text);
      Cell(sheet, row, 2,
           item.points.empty() ? (item.deduction.empty() ? "" : "未达到扣 " + item.deduction)
                               : item.points);
      Cell(sheet, row, 3, it == answers.end() ? "" : (it->second->met() ? L::kYes : L::kNo),
           input_);
      Cell(sheet, row, 4, it == answers.end() ? "" : it->second->evidence(), input_);
      Cell(sheet, row, 5, item.id);
      lxw_data_validation validation = {};
      validation.validate = LXW_VALIDATION_TYPE_LIST;
      validation.value_list = const_cast<char**>(kChoices);
      validation.error_title = const_cast<char*>("是否达到");
      validation.error_message = const_cast<char*>("请选择“是”或“否”");
      worksheet_data_validation_cell(sheet, static_cast<lxw_row_t>(row), 3, &validation);
      ++row;
    }
  }

  void Targets() {
    lxw_worksheet* sheet = Sheet(L::kTargets, {{L::kTargetIndicator, 18},
                                               {L::kTargetName, 36},
                                               {L::kTargetDirection, 8},
                                               {L::kTargetValue, 14},
                                               {L::kTargetUnit, 8},
                                               {L::kTargetActual, 14},
                                               {L::kTargetWeight, 8},
                                               {L::kTargetNote, 30}});
    static const char* kDirections[] = {L::kAtLeast, L::kAtMost, L::kEqual, nullptr};
    int row = 1;
    auto add = [&](const engine::FormIndicator& leaf, const v1::PerformanceTarget* target) {
      Cell(sheet, row, 0, leaf.name);
      Cell(sheet, row, 1, target ? target->name() : "", input_);
      std::string direction;
      if (target) {
        direction = target->direction() == v1::PerformanceTarget::DIRECTION_AT_MOST ? L::kAtMost
                    : target->direction() == v1::PerformanceTarget::DIRECTION_EQUAL ? L::kEqual
                                                                                    : L::kAtLeast;
      }
      Cell(sheet, row, 2, direction, input_);
      Cell(sheet, row, 3, target && target->has_target() ? target->target().value() : "", input_);
      Cell(sheet, row, 4, target ? target->unit() : "", input_);
      Cell(sheet, row, 5, target && target->has_actual() ? target->actual().value() : "", input_);
      Cell(sheet, row, 6, target && target->has_weight() ? target->weight().value() : "", input_);
      Cell(sheet, row, 7, target ? target->note() : "", input_);
      Cell(sheet, row, 8, leaf.id);
      lxw_data_validation validation = {};
      validation.validate = LXW_VALIDATION_TYPE_LIST;
      validation.value_list = const_cast<char**>(kDirections);
      worksheet_data_validation_cell(sheet, static_cast<lxw_row_t>(row), 2, &validation);
      ++row;
    };
    for (const engine::FormIndicator& leaf : form_.targets) {
      int given = 0;
      for (const v1::PerformanceTarget& target : report_.targets()) {
        if (target.indicator_id() != leaf.id) continue;
        add(leaf, &target);
        ++given;
      }
      for (int blank = 0; blank < std::max(3, 8 - given); ++blank) add(leaf, nullptr);
    }
  }

  void Manual() {
    lxw_worksheet* sheet = Sheet(L::kManual, {{L::kManualIndicator, 24},
                                              {L::kManualWeight, 8},
                                              {L::kManualScore, 10},
                                              {L::kManualReason, 50},
                                              {L::kManualAssessor, 12}});
    std::map<std::string, const v1::ManualScore*> scores;
    for (const v1::ManualScore& s : report_.manual_scores()) scores[s.indicator_id()] = &s;
    int row = 1;
    for (const engine::FormIndicator& leaf : form_.manual) {
      auto it = scores.find(leaf.id);
      const v1::ManualScore* score = it == scores.end() ? nullptr : it->second;
      Cell(sheet, row, 0, leaf.name);
      Cell(sheet, row, 1, leaf.weight);
      Cell(sheet, row, 2, score && score->has_score() ? score->score().value() : "", input_);
      Cell(sheet, row, 3, score ? score->reason() : "", input_);
      Cell(sheet, row, 4, score ? score->assessor() : "", input_);
      Cell(sheet, row, 5, leaf.id);
      ++row;
    }
  }

  void SelfScores() {
    lxw_worksheet* sheet =
        Sheet(L::kSelf, {{L::kSelfIndicator, 36}, {L::kSelfWeight, 8}, {L::kSelfScore, 12}});
    std::map<std::string, std::string> declared;
    for (const v1::DeclaredScore& s : report_.self_evaluation().scores()) {
      declared[s.indicator_id()] = s.score().value();
    }
    int row = 1;
    std::function<void(const v1::Indicator&, int)> add = [&](const v1::Indicator& indicator,
                                                             int depth) {
      Cell(sheet, row, 0, std::string(static_cast<size_t>(depth) * 2, ' ') + indicator.name());
      Cell(sheet, row, 1, indicator.weight());
      auto it = declared.find(indicator.id());
      Cell(sheet, row, 2, it == declared.end() ? "" : it->second, input_);
      Cell(sheet, row, 3, indicator.id());
      ++row;
      for (const v1::Indicator& child : indicator.children()) add(child, depth + 1);
    };
    for (const v1::Indicator& top : scheme_.proto().indicators()) add(top, 0);
    Cell(sheet, row, 0, "合计");
    Cell(sheet, row, 1, "");
    Cell(sheet, row, 2,
         report_.self_evaluation().has_total() ? report_.self_evaluation().total().value() : "",
         input_);
    Cell(sheet, row, 3, L::kSelfTotal);
  }

  void Text() {
    lxw_worksheet* sheet = Sheet(L::kText, {{L::kTextPart, 24}, {L::kTextContent, 90}});
    int row = 1;
    auto add = [&](const std::string& label, const std::string& text, const std::string& path) {
      Cell(sheet, row, 0, label);
      Cell(sheet, row, 1, text, input_);
      Cell(sheet, row, 2, path);
      ++row;
    };
    // A part's text in one cell, a paragraph a line (Alt+Enter in Excel);
    // its subsections follow, each under a line "# 小标题" ("## " one level
    // down).
    const v1::Narrative& narrative = report_.narrative();
    add("开篇", absl::StrJoin(narrative.preamble(), "\n"), "narrative.preamble");
    std::function<void(const v1::Section&, int, std::vector<std::string>&)> body =
        [&](const v1::Section& s, int depth, std::vector<std::string>& out) {
          for (const std::string& paragraph : s.paragraphs()) out.push_back(paragraph);
          for (const v1::Section& child : s.subsections()) {
            out.push_back(std::string(static_cast<size_t>(depth + 1), '#') + " " + child.title());
            body(child, depth + 1, out);
          }
        };
    auto section = [&](const v1::Section& s, const std::string& label, const std::string& path) {
      add(label + "：标题", s.title(), path + ".title");
      std::vector<std::string> out;
      body(s, 0, out);
      add(label, absl::StrJoin(out, "\n"), path + ".paragraphs");
    };
    const auto* descriptor = v1::Narrative::descriptor();
    const auto* reflection = narrative.GetReflection();
    for (const auto& [field, label] : SectionLabels()) {
      const auto* f = descriptor->FindFieldByName(field);
      section(static_cast<const v1::Section&>(reflection->GetMessage(narrative, f)), label,
              "narrative." + field);
    }
    // The text under each indicator's own heading, in the scheme's order;
    // then any the report has for indicators the scheme lacks, kept as given.
    std::map<std::string, std::string> texts;
    for (const v1::IndicatorText& t : narrative.indicators()) {
      texts[t.indicator_id()] = absl::StrJoin(t.paragraphs(), "\n");
    }
    std::function<void(const v1::Indicator&)> indicator = [&](const v1::Indicator& i) {
      auto it = texts.find(i.id());
      add("指标：" + i.name(), it == texts.end() ? "" : it->second,
          "narrative.indicators." + i.id());
      if (it != texts.end()) texts.erase(it);
      for (const v1::Indicator& child : i.children()) indicator(child);
    };
    for (const v1::Indicator& i : scheme_.proto().indicators()) indicator(i);
    for (const auto& [id, text] : texts) add("指标：" + id, text, "narrative.indicators." + id);
  }

  const engine::CompiledScheme& scheme_;
  const v1::Report& report_;
  const engine::SchemeForm form_;
  lxw_workbook* book_ = nullptr;
  lxw_format *header_ = nullptr, *label_ = nullptr, *input_ = nullptr, *prior_ = nullptr,
             *title_ = nullptr;
};

}  // namespace

absl::Status WriteWorkbook(const engine::CompiledScheme& scheme, const v1::Report& report,
                           const std::string& path) {
  return Writer(scheme, report).Write(path);
}

}  // namespace jixiao::form
