#include "tools/bench/report_generator.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/report/decimal.h"
#include "scoring-svc/engine/engine.h"

namespace jixiao::bench {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// SplitMix64: small, fast, and the same on every platform, so a seed gives
// the same reports everywhere (unlike std:: distributions).
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Random {
 public:
  Random(uint64_t seed, uint64_t stream, uint64_t index)
      : state_(Mix(seed ^ Mix(stream ^ Mix(index)))) {}
  uint64_t Next() { return state_ = Mix(state_); }
  // Uniform enough in [0, n) for n far below 2^64.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // In [low, high].
  int64_t Between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(Below(static_cast<uint64_t>(high - low + 1)));
  }

 private:
  uint64_t state_;
};

// Streams of the generator's random numbers, so that changing how one part
// is drawn does not shift another.
enum Stream : uint64_t { kProfile = 1, kIdentity = 2, kChecklist = 3, kInconsistency = 4 };

// Calls `visit(path, decimal)` for every jixiao.v1.Decimal set in `message`
// outside repeated fields.
template <typename Visit>
void ForEachDecimal(Message& message, const std::string& prefix, const Visit& visit) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated() || field->type() != FieldDescriptor::TYPE_MESSAGE) continue;
    Message* child = reflection->MutableMessage(&message, field);
    std::string path = prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
    if (field->message_type() == v1::Decimal::descriptor()) {
      visit(path, *static_cast<v1::Decimal*>(child));
    } else {
      ForEachDecimal(*child, path, visit);
    }
  }
}

// The Decimal at a dotted field path ("quarterly.q2.declared_progress"),
// created if absent; null if the path names no Decimal.
v1::Decimal* MutableDecimal(Message& root, absl::string_view path) {
  Message* message = &root;
  std::vector<absl::string_view> steps = absl::StrSplit(path, '.');
  for (size_t i = 0; i < steps.size(); ++i) {
    const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(std::string(steps[i]));
    if (field == nullptr || field->is_repeated() ||
        field->type() != FieldDescriptor::TYPE_MESSAGE) {
      return nullptr;
    }
    message = message->GetReflection()->MutableMessage(message, field);
  }
  if (message->GetDescriptor() != v1::Decimal::descriptor()) return nullptr;
  return static_cast<v1::Decimal*>(message);
}

// The report's money sections: scaled together, written with one precision.
bool IsMoney(absl::string_view path) {
  if (absl::StrContains(path, "declared_")) return false;
  for (absl::string_view section :
       {"budget.", "final_accounts.", "carry_over.", "procurement.", "three_public.",
        "daily_public.", "quarterly.", "project_expenditure."}) {
    if (absl::StartsWith(path, section)) return true;
  }
  return false;
}

std::string Scaled(const std::string& text, const mpq_class& factor, int decimals) {
  absl::StatusOr<report::ReportedDecimal> value = report::ParseDecimal(text);
  if (!value.ok()) std::abort();  // the seed report is checked by the tests
  return report::FormatFixed(value->value * factor, decimals);
}

// A rate in percent between low and high tenths, with one decimal.
std::string Percent(Random& random, int low_tenths, int high_tenths) {
  int64_t tenths = random.Between(low_tenths, high_tenths);
  return absl::StrFormat("%d.%d", tenths / 10, tenths % 10);
}

// Rewrites every figure that the default scheme finds out of line with
// the figures it is computed from, as the scheme computes it, until none is.
void MakeConsistent(v1::Report& report) {
  auto scheme = engine::DefaultScheme();
  for (int pass = 0; pass < 8; ++pass) {
    absl::StatusOr<v1::ScoreCard> card = engine::ScoreReport(report, *scheme, {});
    if (!card.ok()) {
      std::cerr << "generated profile does not score: " << card.status() << "\n";
      std::abort();
    }
    bool changed = false;
    for (const v1::Finding& finding : card->findings()) {
      v1::Decimal* field = nullptr;
      std::string value;
      if (finding.code() == "declared_contradicted" ||
          finding.code() == "declared_inherits_contradiction") {
        // The declared rate becomes what its parts give.
        field = MutableDecimal(report, finding.field_path());
        value = finding.computed();
      } else if (finding.code() == "check_failed") {
        // A check whose left side is one figure copies the right side into
        // it; otherwise the right side becomes the sum on the left. (Two
        // checks share final_accounts.expenditure as their right side.)
        for (const v1::Check& check : scheme->proto().checks()) {
          if (check.id() != finding.subject()) continue;
          field = MutableDecimal(report, check.left());
          value = finding.declared();
          if (field == nullptr) {
            field = MutableDecimal(report, check.right());
            value = finding.computed();
          }
        }
      }
      if (field == nullptr || value.empty()) continue;
      field->set_value(value);
      changed = true;
    }
    if (!changed) return;
  }
  std::cerr << "generated profile did not become consistent\n";
  std::abort();
}

v1::Report MakeProfile(const GeneratorOptions& options, int index) {
  Random random(options.seed, kProfile, static_cast<uint64_t>(index));
  v1::Report report = SeedReport();
  report.clear_narrative();
  // Departments from a twentieth to four times the seed's size, in 万元
  // with 0 to 3 decimals.
  mpq_class factor(static_cast<unsigned long>(random.Between(50, 4000)), 1000UL);
  factor.canonicalize();
  const int decimals = static_cast<int>(random.Between(0, 3));
  ForEachDecimal(report, "", [&](const std::string& path, v1::Decimal& figure) {
    if (IsMoney(path)) figure.set_value(Scaled(figure.value(), factor, decimals));
  });
  // The seed carries over 1.11 万元; with rounded parts the closing balance
  // could come out below zero, which no report may declare.
  v1::Decimal& opening = *report.mutable_carry_over()->mutable_opening();
  opening.set_value(
      report::FormatFixed(report::ParseDecimal(opening.value())->value + 10, decimals));
  int64_t planned = random.Between(3, 15);
  report.mutable_key_tasks()->mutable_planned()->set_value(absl::StrCat(planned));
  report.mutable_key_tasks()->mutable_completed()->set_value(
      absl::StrCat(planned - random.Between(0, 2)));
  report.mutable_satisfaction()->mutable_rate()->set_value(Percent(random, 850, 1000));
  report.mutable_fixed_assets()->mutable_declared_utilisation_rate()->set_value(
      Percent(random, 700, 1000));
  report.mutable_headcount()->mutable_declared_fiscal_control_rate()->set_value(
      Percent(random, 600, 1000));
  report.mutable_headcount()->mutable_declared_hired_rate()->set_value(Percent(random, 600, 1000));
  report.mutable_petitions()->mutable_declared_response_rate()->set_value(
      Percent(random, 900, 1000));
  MakeConsistent(report);
  return report;
}

constexpr const char* kDistricts[] = {"福田区", "罗湖区", "南山区", "盐田区", "宝安区",
                                      "龙岗区", "龙华区", "坪山区", "光明区", "大鹏新区"};
constexpr const char* kBodies[] = {"教育局",
                                   "卫生健康局",
                                   "财政局",
                                   "民政局",
                                   "司法局",
                                   "住房和建设局",
                                   "交通运输局",
                                   "水务局",
                                   "文化广电旅游体育局",
                                   "政务服务数据管理局",
                                   "统计局",
                                   "应急管理局",
                                   "城市管理和综合执法局",
                                   "人力资源局",
                                   "科技创新局",
                                   "市场监督管理局"};
constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
constexpr const char* kGivenNames[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇"};

// A declared rate ten points off: far outside any rounding.
std::string OutOfLine(const std::string& rate) {
  absl::StatusOr<report::ReportedDecimal> value = report::ParseDecimal(rate);
  if (!value.ok()) std::abort();
  mpq_class off = value->value >= 50 ? mpq_class(value->value - 10) : mpq_class(value->value + 10);
  return report::FormatFixed(off, 2);
}

template <typename T, size_t N>
const T& Pick(Random& random, const T (&options)[N]) {
  return options[random.Below(N)];
}

}  // namespace

ReportGenerator::ReportGenerator(const GeneratorOptions& options) : options_(options) {
  if (options_.profiles < 1) options_.profiles = 1;
  profiles_.reserve(static_cast<size_t>(options_.profiles));
  for (int i = 0; i < options_.profiles; ++i) profiles_.push_back(MakeProfile(options_, i));
  // The declared rates the default scheme checks against their parts: only
  // those can be pushed out of line detectably.
  v1::Report probe = profiles_.front();
  std::vector<std::string> candidates;
  ForEachDecimal(probe, "", [&candidates](const std::string& path, v1::Decimal&) {
    if (absl::StrContains(path, "declared_")) candidates.push_back(path);
  });
  auto scheme = engine::DefaultScheme();
  for (const std::string& path : candidates) {
    v1::Report pushed = probe;
    v1::Decimal* rate = MutableDecimal(pushed, path);
    rate->set_value(OutOfLine(rate->value()));
    absl::StatusOr<v1::ScoreCard> card = engine::ScoreReport(pushed, *scheme, {});
    if (card.ok() && engine::HasErrors(*card)) declared_rate_paths_.push_back(path);
  }
}

bool ReportGenerator::IsInconsistent(uint64_t index) const {
  Random random(options_.seed, kInconsistency, index);
  return random.Below(1000) < static_cast<uint64_t>(options_.inconsistent_per_mille);
}

v1::Report ReportGenerator::Report(uint64_t index) const {
  Random identity_random(options_.seed, kIdentity, index);
  v1::Report report = profiles_[identity_random.Below(profiles_.size())];

  v1::Identity& identity = *report.mutable_identity();
  std::string district = Pick(identity_random, kDistricts);
  std::string body = Pick(identity_random, kBodies);
  identity.set_department_code(absl::StrFormat("SYN-%010d", index));
  identity.set_department_name(absl::StrCat("深圳市", district, body));
  const int64_t drawn_year = identity_random.Between(2015, 2025);  // drawn either way
  identity.set_fiscal_year(
      static_cast<int32_t>(options_.fiscal_year > 0 ? options_.fiscal_year : drawn_year));
  identity.set_legal_representative(
      absl::StrCat(Pick(identity_random, kSurnames), Pick(identity_random, kGivenNames)));
  identity.set_submitter(
      absl::StrCat(Pick(identity_random, kSurnames), Pick(identity_random, kGivenNames)));
  identity.set_phone(absl::StrFormat("1%010d", identity_random.Below(10000000000ULL)));
  report.mutable_narrative()->add_preamble(absl::StrCat(
      "根据区财政局关于开展 ", identity.fiscal_year(), " 年度预算绩效自评工作的通知，", district,
      body, "组织开展了部门整体支出绩效自评工作，并根据自评结果编制本报告。"));

  // About one item in eight is not met.
  Random checklist_random(options_.seed, kChecklist, index);
  for (v1::ChecklistAnswer& answer : *report.mutable_checklist()) {
    answer.set_met(checklist_random.Below(8) != 0);
  }

  if (IsInconsistent(index) && !declared_rate_paths_.empty()) {
    Random random(options_.seed, kInconsistency, index);
    random.Next();  // the draw IsInconsistent made
    const std::string& path = declared_rate_paths_[random.Below(declared_rate_paths_.size())];
    v1::Decimal* rate = MutableDecimal(report, path);
    rate->set_value(OutOfLine(rate->value()));
  }
  return report;
}

}  // namespace jixiao::bench
