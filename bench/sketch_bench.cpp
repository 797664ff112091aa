// Quantile-sketch kernels (Google Benchmark), as the ensemble's sketch path
// uses them: a block row's 32-bit keys (keys_of), and a cell's staged keys
// counted at once (add_keys: one pass for their range, one to count), and
// a flush: many cells' staged rows counted in place (add_key_rows), their
// bins out of cache as in a job. Items are values. Argument: the values' signs (0 all positive, 1 mixed).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/core/quantile_sketch.h"
#include "sim/core/random_stream.h"

namespace {

// n values of one cell: lognormal about 100 with a 20% spread (a series'
// spread across members), or about 0 with both signs (a growth rate).
std::vector<double> cell_values(std::int64_t n, bool mixed) {
  const mfgsim::RandomStream stream(11, 12);
  std::vector<double> values;
  double z[4];
  for (std::uint64_t k = 0; values.size() < static_cast<std::size_t>(n); ++k) {
    stream.normals(k, 0, mfgsim::StreamPurpose::shocks, 0, z);
    for (double x : z) values.push_back(mixed ? 0.05 * x : 100.0 * std::exp(0.2 * x));
  }
  values.resize(n);
  return values;
}

void BM_SketchKeysOf(benchmark::State& state) {
  const std::vector<double> values = cell_values(32 * 88, state.range(0) != 0);  // a block's month of 88 cells
  std::vector<std::uint32_t> keys(values.size());
  const mfgsim::QuantileSketch sketch(1e-3);
  for (auto _ : state) {
    sketch.keys_of(values.data(), static_cast<std::int64_t>(values.size()), keys.data());
    benchmark::DoNotOptimize(keys.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(values.size()));
}
BENCHMARK(BM_SketchKeysOf)->Arg(0)->Arg(1)->ArgName("mixed");

// 768 keys a call: a flush of the job in issue 15 (24 blocks of 32).
void BM_SketchAddKeys(benchmark::State& state) {
  const std::vector<double> values = cell_values(768, state.range(0) != 0);
  std::vector<std::uint32_t> keys(values.size());
  mfgsim::QuantileSketch sketch(1e-3);
  sketch.keys_of(values.data(), static_cast<std::int64_t>(values.size()), keys.data());
  std::int64_t added = 0;
  for (auto _ : state) {
    if (added > (std::int64_t{1} << 31)) {  // stay below the 2^32 - 1 values a sketch holds
      state.PauseTiming();
      sketch = mfgsim::QuantileSketch(1e-3);
      added = 0;
      state.ResumeTiming();
    }
    sketch.add_keys(keys.data(), static_cast<std::int64_t>(keys.size()));
    added += static_cast<std::int64_t>(keys.size());
  }
  benchmark::DoNotOptimize(sketch.count());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(keys.size()));
}
BENCHMARK(BM_SketchAddKeys)->Arg(0)->Arg(1)->ArgName("mixed");

}  // namespace

// A flush of issue 15's job: 2,048 cells, each with 24 staged rows of 32
// keys a stride apart (a slot per block), counted cell after cell into its
// own sketch, so that each cell's bins come from beyond L2 as in the job
// (for mixed signs, about 40 KiB of bins a cell, 80 MiB in all).
void BM_SketchAddKeyRows(benchmark::State& state) {
  constexpr int kCells = 2048, kRows = 24, kBlock = 32;
  const bool mixed = state.range(0) != 0;
  std::vector<std::uint32_t> keys(static_cast<std::size_t>(kCells) * kRows * kBlock);  // [row][cell][member]
  const mfgsim::QuantileSketch probe(1e-3);
  {
    const std::vector<double> values = cell_values(static_cast<std::int64_t>(keys.size()), mixed);
    probe.keys_of(values.data(), static_cast<std::int64_t>(values.size()), keys.data());
  }
  const std::vector<std::int64_t> lengths(kRows, kBlock);
  const std::int64_t stride = static_cast<std::int64_t>(kCells) * kBlock;
  std::vector<mfgsim::QuantileSketch> sketches(kCells, mfgsim::QuantileSketch(1e-3));
  std::int64_t added = 0;
  for (auto _ : state) {
    if (added > (std::int64_t{1} << 31)) {  // stay below the 2^32 - 1 values a sketch holds
      state.PauseTiming();
      sketches.assign(kCells, mfgsim::QuantileSketch(1e-3));
      added = 0;
      state.ResumeTiming();
    }
    for (int cell = 0; cell < kCells; ++cell)
      sketches[cell].add_key_rows(keys.data() + cell * kBlock, stride, lengths.data(), kRows);
    added += kRows * kBlock;
  }
  benchmark::DoNotOptimize(sketches.front().count());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(keys.size()));
}
BENCHMARK(BM_SketchAddKeyRows)->Arg(0)->Arg(1)->ArgName("mixed");
