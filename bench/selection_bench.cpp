// The exact path's selection kernel (Google Benchmark): the ten order
// statistics of type 7's five quantiles (floor(q (n - 1)) and the next) of
// one cell of n members, items = values. BM_OrderStatistics is the bucket
// selection summarise uses; BM_SelectRanksCopy the method it replaced (copy
// the cell, nth_element multi-selection on the five lower ranks, then the
// least value above each). Arguments: members, shape (0 normal values,
// 1 a 40% mass at one value among normal values). BM_Summarise: the whole
// cell summary (NaN check, mean and standard error, quantiles), one cell
// at a time or kSummaryGroup at once.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "sim/core/order_statistics.h"
#include "sim/core/statistics.h"

namespace {

constexpr int kCells = 64;  // distinct cells cycled through, as a job's cells are

std::vector<double> cells(std::int64_t n, int shape) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal(100.0, 15.0);
  std::vector<double> values(static_cast<std::size_t>(n) * kCells);
  for (double& v : values) v = shape == 1 && rng() % 5 < 2 ? 100.0 : normal(rng);
  return values;
}

std::vector<std::int64_t> type7_ranks(std::int64_t n) {
  std::vector<std::int64_t> ranks;
  for (double q : mfgsim::kQuantileLevels) {
    const auto r = static_cast<std::int64_t>(std::floor(q * static_cast<double>(n - 1)));
    ranks.push_back(r);
    ranks.push_back(std::min(r + 1, n - 1));
  }
  return ranks;
}

void BM_OrderStatistics(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::vector<double> values = cells(n, static_cast<int>(state.range(1)));
  const std::vector<std::int64_t> ranks = type7_ranks(n);
  mfgsim::SelectionScratch scratch;
  double out[10];
  int cell = 0;
  for (auto _ : state) {
    mfgsim::order_statistics(values.data() + cell * n, n, ranks.data(), 10, out, scratch);
    benchmark::DoNotOptimize(out);
    cell = (cell + 1) % kCells;
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_OrderStatistics)->ArgsProduct({{1000, 10000, 100000}, {0, 1}})->ArgNames({"members", "shape"});

void BM_SelectRanksCopy(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::vector<double> values = cells(n, static_cast<int>(state.range(1)));
  std::vector<std::int64_t> lower;
  for (std::size_t k = 0; k < 10; k += 2) lower.push_back(type7_ranks(n)[k]);
  std::vector<double> scratch;
  int cell = 0;
  for (auto _ : state) {
    scratch.assign(values.data() + cell * n, values.data() + (cell + 1) * n);
    double* data = scratch.data();
    mfgsim::select_ranks(data, 0, n, lower.data(), static_cast<int>(lower.size()));
    for (std::size_t k = 0; k < lower.size(); ++k) {
      const std::int64_t bound = k + 1 < lower.size() ? lower[k + 1] : n;
      if (lower[k] + 1 < bound) std::iter_swap(data + lower[k] + 1, std::min_element(data + lower[k] + 1, data + bound));
    }
    benchmark::DoNotOptimize(data);
    cell = (cell + 1) % kCells;
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_SelectRanksCopy)->ArgsProduct({{1000, 10000, 100000}, {0, 1}})->ArgNames({"members", "shape"});

void BM_Summarise(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const int group = static_cast<int>(state.range(1));
  const std::vector<double> values = cells(n, 0);
  mfgsim::SelectionScratch scratch;
  mfgsim::CellSummary out[mfgsim::kSummaryGroup];
  std::int64_t nans[mfgsim::kSummaryGroup];
  bool ok[mfgsim::kSummaryGroup];
  int cell = 0;
  for (auto _ : state) {
    const double* sets[mfgsim::kSummaryGroup];
    for (int j = 0; j < group; ++j) sets[j] = values.data() + ((cell + j) % kCells) * n;
    mfgsim::summarise_group(sets, group, n, scratch, out, nans, ok);
    benchmark::DoNotOptimize(out);
    cell = (cell + group) % kCells;
  }
  state.SetItemsProcessed(state.iterations() * n * group);
}
BENCHMARK(BM_Summarise)->ArgsProduct({{10000}, {1, mfgsim::kSummaryGroup}})->ArgNames({"members", "cells"});

}  // namespace
