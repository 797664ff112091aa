// Engine benchmarks (Google Benchmark). Items are member-months: one member
// advanced by one month, all sectors. Run with scripts/bench.sh.
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "models/demand.h"
#include "sim/batch/batch.h"
#include "sim/engine/engine.h"
#include "sim/ensemble/ensemble.h"
#include "sim/scenario/scenario.h"
#include "bench_scenario.h"

namespace {

using mfgsim_bench::baseline;

// One month of one block of members (state restored from a snapshot each
// month so the numbers stay in range), deterministic or stochastic, with
// the numerical guards run_block applies after every month.
void BM_BlockMonth(benchmark::State& state) {
  mfgsim::EngineOptions options;
  options.block_size = static_cast<int>(state.range(0));
  options.stochastic = state.range(1) != 0;
  const auto compiled = mfgsim::compile(mfgsim::run_spec(baseline()), options);
  const mfgsim::CompiledRun& engine = *compiled.run;
  mfgsim::Workspace ws = engine.make_workspace();
  if (engine.lower_block(0, options.block_size, ws)) state.SkipWithError("lowering failed");
  engine.initialise(ws, 0);
  const mfgsim::BlockState snapshot = ws.state;
  int t = 0;
  for (auto _ : state) {
    mfgsim::step_month(engine, ws, t, 0);
    benchmark::DoNotOptimize(engine.check_month(t, ws));
    benchmark::DoNotOptimize(ws.state.va.data());
    if (++t == engine.months()) {
      t = 0;
      ws.state = snapshot;
    }
  }
  state.SetItemsProcessed(state.iterations() * options.block_size);
  state.counters["sectors"] = engine.sectors();
}
BENCHMARK(BM_BlockMonth)->ArgsProduct({{1, 8, 32, 128}, {0, 1}})->ArgNames({"members", "stochastic"});

// Firm mode: one month of a block of members, ~7,000 firms each (the
// sector table's counts). Items are firm-months.
void BM_FirmModeMonth(benchmark::State& state) {
  static const mfgsim::Scenario scenario = [] {
    auto load = mfgsim::load_scenario_text(
        "name: firms\nextends: baseline.yaml\nintelligent_manufacturing: {mode: firms}\n", "firms.yaml",
        MFGSIM_SOURCE_DIR "/scenarios");
    if (!load.scenario) throw std::runtime_error(load.diagnostics.format());
    return *load.scenario;
  }();
  mfgsim::EngineOptions options;
  options.block_size = static_cast<int>(state.range(0));
  options.stochastic = true;
  const auto compiled = mfgsim::compile(mfgsim::run_spec(scenario), options);
  const mfgsim::CompiledRun& engine = *compiled.run;
  mfgsim::Workspace ws = engine.make_workspace();
  if (engine.lower_block(0, options.block_size, ws)) state.SkipWithError("lowering failed");
  engine.initialise(ws, 0);
  const mfgsim::BlockState snapshot = ws.state;
  const mfgsim::firms::Population firms = ws.firms;
  int t = 0;
  for (auto _ : state) {
    mfgsim::step_month(engine, ws, t, 0);
    benchmark::DoNotOptimize(ws.state.adoption.data());
    if (++t == engine.months()) {
      t = 0;
      state.PauseTiming();
      ws.state = snapshot;
      ws.firms = firms;
      state.ResumeTiming();
    }
  }
  double firm_count = 0;
  for (double m : scenario.params.sectors.firms) firm_count += m;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * options.block_size * firm_count));
  state.counters["firms_per_member"] = firm_count;
}
BENCHMARK(BM_FirmModeMonth)->Arg(8)->Arg(32)->ArgName("members");

// The input-output solve for a block of members.
void BM_LeontiefBlock(benchmark::State& state) {
  const int nb = static_cast<int>(state.range(0));
  const mfgsim::demand::LeontiefSolver solver(baseline().params.A);
  const int S = solver.size();
  std::vector<double> f(static_cast<size_t>(S) * nb, 1.0), x(f.size());
  for (auto _ : state) {
    solver.solve_block(f.data(), x.data(), nb);
    benchmark::DoNotOptimize(x.data());
  }
  state.SetItemsProcessed(state.iterations() * nb);
}
BENCHMARK(BM_LeontiefBlock)->Arg(1)->Arg(32)->Arg(128);

// Random numbers: Philox normals, four per call.
void BM_PhiloxNormals(benchmark::State& state) {
  const mfgsim::RandomStream stream(1, 2);
  double out[4];
  std::uint64_t k = 0;
  for (auto _ : state) {
    stream.normals(k++, 3, mfgsim::StreamPurpose::shocks, 0, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * 4);
}
BENCHMARK(BM_PhiloxNormals);

// A whole stochastic baseline ensemble (runs and summaries), by thread count.
void BM_BaselineEnsemble(benchmark::State& state) {
  mfgsim::EnsembleRequest request;
  request.members = state.range(0);
  request.stochastic = true;
  request.threads = static_cast<int>(state.range(1));
  request.keep_members = false;
  request.summarise = true;
  for (auto _ : state) {
    auto result = mfgsim::run_ensemble(baseline(), request);
    benchmark::DoNotOptimize(result.summary->aggregate.data());
  }
  state.SetItemsProcessed(state.iterations() * request.members * baseline().calendar.months);
}
BENCHMARK(BM_BaselineEnsemble)->Args({1000, 1})->Args({1000, 2})->Args({10000, 1})->Args({10000, 2})
    ->ArgNames({"members", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();

// Batch scaling over threads: a 64-sample Sobol sweep of the three levers,
// 20 stochastic members each, all outputs summarised. Items are member-months.
void BM_BatchScaling(benchmark::State& state) {
  static const mfgsim::Batch batch = [] {
    auto load = mfgsim::load_batch_text(
        "name: bench\nmembers: 20\nstochastic: true\nsweeps:\n"
        "  - name: levers\n    base: baseline.yaml\n    method: sobol\n    samples: 64\n    parameters:\n"
        "      lending.investment_pass: {low: 0.3, high: 0.8}\n      low_carbon.retrofit_capex: {low: 0.02, high: 0.2}\n"
        "      low_carbon.peer_effect: {low: 0.0, high: 0.2}\n",
        "bench.yaml", MFGSIM_SOURCE_DIR "/scenarios");
    if (!load.batch) throw std::runtime_error(load.diagnostics.format());
    return *load.batch;
  }();
  mfgsim::BatchRunOptions options;
  options.threads = static_cast<int>(state.range(0));
  std::int64_t member_months = 0;
  for (auto _ : state) {
    mfgsim::run_batch(batch, options, [&](std::size_t, mfgsim::EnsembleResult& result) {
      benchmark::DoNotOptimize(result.summary.get());
    });
    member_months += 64 * 20 * 120;
  }
  state.SetItemsProcessed(member_months);
}
BENCHMARK(BM_BatchScaling)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
