// Whole-job benchmarks (Google Benchmark): a stochastic baseline ensemble
// of 120 months run, recorded and summarised as `mfgsim run` does, without
// the files. Items are member-months. Arguments: members, threads,
// summaries (0 none, 1 quantile sketches, 2 exact quantiles) and outputs
// (0 the eight series of issue 15's job, 1 all series).
#include <benchmark/benchmark.h>

#include "sim/ensemble/ensemble.h"
#include "sim/scenario/scenario.h"
#include "bench_scenario.h"

namespace {

void BM_Job(benchmark::State& state) {
  const mfgsim::Scenario& scenario = mfgsim_bench::baseline();
  mfgsim::EnsembleRequest request;
  request.members = state.range(0);
  request.threads = static_cast<int>(state.range(1));
  request.stochastic = true;
  request.keep_members = false;
  request.summarise = state.range(2) != 0;
  request.exact_summary_bytes = state.range(2) == 2 ? (16ull << 30) : 1;
  if (state.range(3) == 0)
    request.outputs.names = {"va",  "long_term_loans", "short_term_loans", "adoption",
                             "upgrade_share", "co2", "capital", "recycling_ratio"};
  for (auto _ : state) {
    auto result = mfgsim::run_ensemble(scenario, request);
    benchmark::DoNotOptimize(result.summary.get());
  }
  state.SetItemsProcessed(state.iterations() * request.members * scenario.calendar.months);
}
BENCHMARK(BM_Job)
    ->ArgsProduct({{2000}, {1, 2}, {0, 1, 2}, {0, 1}})
    ->ArgNames({"members", "threads", "summaries", "all_outputs"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
