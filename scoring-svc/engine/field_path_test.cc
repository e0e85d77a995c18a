#include "scoring-svc/engine/field_path.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jixiao/v1/report.pb.h"

namespace jixiao::engine {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<FieldPath> Compile(absl::string_view path) {
  return FieldPath::Compile(path, v1::Report::descriptor());
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
