#include "scoring-svc/engine/field_path.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jixiao/v1/report.pb.h"
#include "scoring-svc/engine/figure_cache.h"

namespace jixiao::engine {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<FieldPath> Compile(absl::string_view path) {
  return FieldPath::Compile(path, v1::Report::descriptor());
}

TEST(FieldPath, SlotsNumberEachDistinctPathOnce) {
  FieldSlots slots;
  auto budget = FieldPath::Compile("procurement.budget", v1::Report::descriptor(), nullptr, &slots);
  auto actual = FieldPath::Compile("procurement.actual", v1::Report::descriptor(), nullptr, &slots);
  auto again = FieldPath::Compile("procurement.budget", v1::Report::descriptor(), nullptr, &slots);
  auto prior =
      FieldPath::Compile("prior.procurement.budget", v1::Report::descriptor(), nullptr, &slots);
  auto bad = FieldPath::Compile("procurement.nothing", v1::Report::descriptor(), nullptr, &slots);
  ASSERT_TRUE(budget.ok() && actual.ok() && again.ok() && prior.ok());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(budget->slot(), 0);
  EXPECT_EQ(actual->slot(), 1);
  EXPECT_EQ(again->slot(), 0);
  EXPECT_EQ(prior->slot(), 2);  // last year's figure is another
  EXPECT_EQ(slots.size(), 3u);  // nothing for the path that failed
  EXPECT_EQ(Compile("procurement.budget")->slot(), -1);
}

TEST(FigureCache, ReadsEachNumberedFigureOnce) {
  FieldSlots slots;
  auto budget = FieldPath::Compile("procurement.budget", v1::Report::descriptor(), nullptr, &slots);
  auto prior =
      FieldPath::Compile("prior.procurement.budget", v1::Report::descriptor(), nullptr, &slots);
  auto unnumbered = Compile("procurement.budget");
  ASSERT_TRUE(budget.ok() && prior.ok() && unnumbered.ok());
  v1::Report report, last_year;
  report.mutable_procurement()->mutable_budget()->set_value("5273.84");
  last_year.mutable_procurement()->mutable_budget()->set_value("12");
  FigureCache cache(slots.size());
  const ReportInputs inputs{&report, &last_year, &cache};
  const FigureCache::Figure& first = cache.Get(*budget, inputs);
  ASSERT_NE(first.decimal, nullptr);
  EXPECT_EQ(first.decimal, &report.procurement().budget());
  ASSERT_TRUE(first.value.has_value());
  EXPECT_EQ(first.decimals, 2);
  EXPECT_EQ(first.value->value.mpq(), mpq_class(131846, 25));  // 5,273.84
  EXPECT_EQ(cache.Get(*prior, inputs).decimal, &last_year.procurement().budget());
  // Once read, a number's figure stays as read; a path without one is read afresh.
  report.mutable_procurement()->mutable_budget()->set_value("1");
  EXPECT_EQ(cache.Get(*budget, inputs).value->value.mpq(), mpq_class(131846, 25));
  EXPECT_EQ(cache.Get(*unnumbered, inputs).value->value.mpq(), mpq_class(1));
  // An absent figure is absent, and no number.
  report.clear_procurement();
  FigureCache empty(slots.size());
  const FigureCache::Figure& absent = empty.Get(*budget, ReportInputs{&report, nullptr, &empty});
  EXPECT_EQ(absent.decimal, nullptr);
  EXPECT_FALSE(absent.value.has_value());
  EXPECT_EQ(empty.Get(*prior, ReportInputs{&report, nullptr, &empty}).decimal, nullptr);
}

TEST(FieldPath, FindsTheFigureOrNothing) {
  auto path = Compile("three_public.vehicles.actual");
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(path->text(), "three_public.vehicles.actual");
  v1::Report report;
  EXPECT_EQ(path->Find(report), nullptr);  // every message on the way absent
  report.mutable_three_public()->mutable_vehicles();
  EXPECT_EQ(path->Find(report), nullptr);  // the figure itself absent
  report.mutable_three_public()->mutable_vehicles()->mutable_actual()->set_value("3.75");
  const v1::Decimal* figure = path->Find(report);
  ASSERT_NE(figure, nullptr);
  EXPECT_EQ(figure->value(), "3.75");
  // Another figure of the same message is another path.
  EXPECT_EQ(Compile("three_public.vehicles.budget")->Find(report), nullptr);
}

TEST(FieldPath, NamesTheFirstStepThatIsWrong) {
  struct Case {
    const char* path;
    const char* reason;
  } cases[] = {
      {"procurement.nope", "has no field \"nope\""},
      {"nope", "jixiao.v1.Report has no field \"nope\""},
      {"procurement", "names a jixiao.v1.Procurement, not a figure"},
      {"procurement.budget.value", "\"budget\" is a figure and has no field \"value\""},
      {"identity.department_name", "\"identity.department_name\" is not a figure"},
      {"checklist", "\"checklist\" is a list"},
      {"", "has no field \"\""},
  };
  for (const Case& c : cases) {
    auto path = Compile(c.path);
    ASSERT_FALSE(path.ok()) << c.path;
    EXPECT_EQ(path.status().code(), absl::StatusCode::kInvalidArgument) << c.path;
    EXPECT_THAT(std::string(path.status().message()), HasSubstr(c.reason)) << c.path;
  }
  // The message lists what the type has, so the author can correct it.
  EXPECT_THAT(std::string(Compile("procurement.nope").status().message()),
              HasSubstr("it has: budget, actual"));
}

}  // namespace
}  // namespace jixiao::engine
