// Engine micro-benchmarks (Google Benchmark): scoring the seed's report
// against the default scheme in process, and, as same-run baselines,
// copying the report, checking its fields alone, and copying and
// serializing the finished card.
//
//   build/bin/engine_benchmark --benchmark_min_time=2

#include <benchmark/benchmark.h>

#include "common/base/files.h"
#include "common/report/check_report.h"
#include "google/protobuf/util/json_util.h"
#include "scoring-svc/engine/engine.h"

namespace {

jixiao::v1::Report Seed() {
  absl::StatusOr<std::string> text =
      jixiao::base::ReadFile(std::string(JIXIAO_SOURCE_DIR) + "/examples/longhua-2019.json");
  jixiao::v1::Report report;
  if (!text.ok() || !google::protobuf::util::JsonStringToMessage(*text, &report).ok()) std::abort();
  return report;
}

// Baseline: what it costs just to copy the report once.
void BM_CopyReport(benchmark::State& state) {
  const jixiao::v1::Report seed = Seed();
  for (auto _ : state) {
    jixiao::v1::Report copy = seed;
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CopyReport);

// Baseline: the field checks every scoring starts with.
void BM_CheckReport(benchmark::State& state) {
  const jixiao::v1::Report seed = Seed();
  for (auto _ : state) benchmark::DoNotOptimize(jixiao::report::CheckReport(seed));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckReport);

// The target: a full score card for the seed (100,000 per second wanted).
void BM_ScoreSeed(benchmark::State& state) {
  const jixiao::v1::Report seed = Seed();
  auto scheme = jixiao::engine::DefaultScheme();
  for (auto _ : state) {
    auto card = jixiao::engine::ScoreReport(seed, *scheme, {});
    benchmark::DoNotOptimize(card);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScoreSeed);

// The lean path: a summary card (scores, total, grade, finding codes), for
// rankings and what-if.
void BM_ScoreSeedSummary(benchmark::State& state) {
  const jixiao::v1::Report seed = Seed();
  auto scheme = jixiao::engine::DefaultScheme();
  jixiao::engine::ScoreOptions options;
  options.detail = jixiao::engine::ScoreOptions::Detail::kSummary;
  for (auto _ : state) {
    auto card = jixiao::engine::ScoreReport(seed, *scheme, options);
    benchmark::DoNotOptimize(card);
  }
  auto card = jixiao::engine::ScoreReport(seed, *scheme, options);
  state.SetLabel(std::to_string(card->ByteSizeLong()) + " bytes");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScoreSeedSummary);

// Baseline for the lean path: parsing the same report from its wire bytes,
// as a service or a bulk read must before scoring it.
void BM_ParseSeed(benchmark::State& state) {
  const std::string wire = Seed().SerializeAsString();
  for (auto _ : state) {
    jixiao::v1::Report report;
    benchmark::DoNotOptimize(report.ParseFromString(wire));
  }
  state.SetLabel(std::to_string(wire.size()) + " bytes");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseSeed);

// Baselines for the output: copying and serializing a finished card. A
// card must at least be built, and these bound how fast that can be.
void BM_CopyCard(benchmark::State& state) {
  auto card = *jixiao::engine::ScoreReport(Seed(), *jixiao::engine::DefaultScheme(), {});
  for (auto _ : state) {
    jixiao::v1::ScoreCard copy = card;
    benchmark::DoNotOptimize(copy);
  }
  state.SetLabel(std::to_string(card.ByteSizeLong()) + " bytes");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CopyCard);

void BM_SerializeCard(benchmark::State& state) {
  auto card = *jixiao::engine::ScoreReport(Seed(), *jixiao::engine::DefaultScheme(), {});
  for (auto _ : state) benchmark::DoNotOptimize(card.SerializeAsString());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SerializeCard);

void BM_CompileDefaultScheme(benchmark::State& state) {
  const jixiao::v1::Scheme scheme = jixiao::engine::DefaultScheme()->proto();
  for (auto _ : state) benchmark::DoNotOptimize(jixiao::engine::CompileScheme(scheme, "bench"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompileDefaultScheme);

}  // namespace

BENCHMARK_MAIN();
