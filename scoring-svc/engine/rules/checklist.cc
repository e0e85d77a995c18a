// Checklists: qualitative items answered met / not met in the report.
// MODE_EARN: each met item earns its points ("①A（3 分）；②B（2 分）。未满足的项不得分");
// MODE_DEDUCT: full marks less a fixed deduction per unmet item, down to zero
// ("①A；②B。每少一项扣 1 分，扣完为止").

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scoring-svc/engine/rules/rule.h"

namespace jixiao::engine {
namespace {

struct Item {
  std::string id;
  std::string text;
  mpq_class points;
};

// ① to ⑳ as a score table numbers its items; (21) and on past them.
std::string ItemNumber(size_t index) {
  if (index >= 20) return absl::StrCat("(", index + 1, ")");
  // U+2460 CIRCLED DIGIT ONE and on: E2 91 A0 + index.
  const char circled[] = {'\xE2', '\x91', static_cast<char>(0xA0 + index), '\0'};
  return circled;
}

class ChecklistRule : public Rule {
 public:
  ChecklistRule(bool deduct, std::vector<Item> items, mpq_class deduction)
      : deduct_(deduct), items_(std::move(items)), deduction_(std::move(deduction)) {}

  bool TakesValue() const override { return false; }

  RuleOutcome Apply(const RuleContext& context) const override {
    RuleOutcome outcome;
    mpq_class earned = 0;
    int unmet = 0;
    for (const Item& item : items_) {
      const v1::ChecklistAnswer* answer = nullptr;
      for (const v1::ChecklistAnswer& a : context.report->checklist()) {
        if (a.item_id() == item.id) answer = &a;
      }
      bool met = answer != nullptr && answer->met();
      if (met && !deduct_) earned += item.points;
      if (!met) ++unmet;
      if (!met && !answer) {
        AddFinding(outcome.findings, v1::SEVERITY_WARNING, "checklist_unanswered",
                   context.indicator_id, "checklist",
                   context.explain ? absl::StrCat("清单项“", item.text, "”未作答，按未满足计")
                                   : std::string());
      }
      if (!context.explain) continue;  // a summary card: the score alone
      v1::ChecklistItemResult& result = outcome.items.emplace_back();
      result.set_id(item.id);
      result.set_text(item.text);
      result.set_met(met);
      result.set_answered(answer != nullptr);
      if (answer) result.set_evidence(answer->evidence());
      if (met) {
        result.set_points(deduct_ ? "0" : Points(item.points));
        continue;
      }
      result.set_points("0");
      std::string cost = deduct_ ? Points(deduction_) : Points(item.points);
      outcome.deductions.push_back(
          absl::StrCat(answer ? "未满足：" : "未作答：", item.text, "，扣 ", cost, " 分"));
    }
    outcome.score = deduct_ ? Clamp(context.weight - unmet * deduction_, context.weight)
                            : Clamp(earned, context.weight);
    return outcome;
  }

  // The standard names each item, numbered as a score table does ("①…；②…"),
  // then how the items earn: "①A（3 分）；②B（2 分）。未满足的项不得分".
  std::string Describe(const std::string&) const override {
    if (items_.size() == 1 && !deduct_) {
      return absl::StrCat(items_[0].text, "：满足得 ", Points(items_[0].points),
                          " 分，未满足不得分");
    }
    const bool alike = std::all_of(items_.begin(), items_.end(), [&](const Item& item) {
      return item.points == items_[0].points;
    });
    std::vector<std::string> named;
    for (size_t i = 0; i < items_.size(); ++i) {
      named.push_back(absl::StrCat(
          ItemNumber(i), items_[i].text,
          deduct_ || alike ? "" : absl::StrCat("（", Points(items_[i].points), " 分）")));
    }
    const std::string list = absl::StrJoin(named, "；");
    if (deduct_) return absl::StrCat(list, "。每少一项扣 ", Points(deduction_), " 分，扣完为止");
    if (alike)
      return absl::StrCat(list, "。每项 ", Points(items_[0].points), " 分，未满足的项不得分");
    return absl::StrCat(list, "。未满足的项不得分");
  }

 private:
  const bool deduct_;
  const std::vector<Item> items_;
  const mpq_class deduction_;
};

}  // namespace

std::unique_ptr<Rule> CompileChecklist(const v1::ChecklistRule& rule, const mpq_class& weight,
                                       const SchemePath& at, SchemeProblems& problems) {
  bool deduct = rule.mode() == v1::ChecklistRule::MODE_DEDUCT;
  bool ok = true;
  if (rule.items().empty()) {
    problems.Add(at.Field("items"), "a checklist needs at least one item");
    return nullptr;
  }
  std::vector<Item> items;
  absl::flat_hash_set<std::string> ids;
  mpq_class total = 0;
  for (int i = 0; i < rule.items_size(); ++i) {
    const v1::ChecklistItem& in = rule.items(i);
    SchemePath here = at.Field("items", i);
    Item item{in.id(), in.text(), 0};
    if (in.id().empty()) {
      problems.Add(here.Field("id"), "is required: answers in a report name the item by it");
      ok = false;
    } else if (!ids.insert(in.id()).second) {
      problems.Add(here.Field("id"), absl::StrCat("\"", in.id(), "\" appears twice"));
      ok = false;
    }
    if (in.text().empty()) {
      problems.Add(here.Field("text"), "is required");
      ok = false;
    }
    if (!deduct) {
      std::optional<mpq_class> points = problems.Decimal(in.points(), here.Field("points"));
      if (!points) {
        ok = false;
      } else if (*points <= 0) {
        problems.Add(here.Field("points"), "must be greater than 0");
        ok = false;
      } else {
        item.points = *points;
        total += *points;
      }
    } else if (!in.points().empty()) {
      problems.Add(here.Field("points"), "is not used in MODE_DEDUCT; set the rule's deduction");
      ok = false;
    }
    items.push_back(std::move(item));
  }
  mpq_class deduction = 0;
  if (deduct) {
    std::optional<mpq_class> parsed = problems.Decimal(rule.deduction(), at.Field("deduction"));
    if (!parsed) {
      ok = false;
    } else if (*parsed <= 0) {
      problems.Add(at.Field("deduction"), "must be greater than 0");
      ok = false;
    } else {
      deduction = *parsed;
    }
  } else if (ok && total != weight) {
    problems.Add(at.Field("items"), absl::StrCat("item points add up to ", Points(total),
                                                 ", not the indicator's weight ", Points(weight)));
    ok = false;
  }
  if (!ok) return nullptr;
  return std::make_unique<ChecklistRule>(deduct, std::move(items), deduction);
}

}  // namespace jixiao::engine
