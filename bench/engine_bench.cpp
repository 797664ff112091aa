// Engine benchmarks (Google Benchmark). Items are member-months: one member
// advanced by one month, all sectors. Run with scripts/bench.sh.
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "models/demand.h"
#include "sim/engine.h"
#include "sim/ensemble.h"
#include "sim/scenario.h"

namespace {

const mfgsim::Scenario& baseline() {
  static const mfgsim::Scenario scenario = [] {
    auto load = mfgsim::load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
    if (!load.scenario) throw std::runtime_error(load.diagnostics.format());
    return *load.scenario;
  }();
  return scenario;
}

// One month of one block of members (state restored from a snapshot each
// month so the numbers stay in range), deterministic or stochastic.
void BM_BlockMonth(benchmark::State& state) {
  mfgsim::EngineOptions options;
  options.block_size = static_cast<int>(state.range(0));
  options.stochastic = state.range(1) != 0;
  mfgsim::Engine engine(baseline(), options);
  mfgsim::Workspace ws = engine.make_workspace();
  if (engine.lower_block(0, options.block_size, ws)) state.SkipWithError("lowering failed");
  engine.initialise(ws, 0);
  const mfgsim::BlockState snapshot = ws.state;
  int t = 0;
  for (auto _ : state) {
    engine.step_month(t, 0, ws);
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
  mfgsim::Engine engine(scenario, options);
  mfgsim::Workspace ws = engine.make_workspace();
  if (engine.lower_block(0, options.block_size, ws)) state.SkipWithError("lowering failed");
  engine.initialise(ws, 0);
  const mfgsim::BlockState snapshot = ws.state;
  const mfgsim::firms::Population firms = ws.firms;
  int t = 0;
  for (auto _ : state) {
    engine.step_month(t, 0, ws);
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

}  // namespace

BENCHMARK_MAIN();
