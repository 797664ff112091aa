// sim/core/order_statistics.h: the value of every rank against the closed
// form, a sorted copy (std::sort), on random data with and without ties,
// across the bucket levels, the depth limit and the ranges double cannot
// bucket; the set itself is never changed.
#include "sim/core/order_statistics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/core/statistics.h"

namespace mfgsim {
namespace {

// Every rank of values (all n of them, ascending, in one call) equals the
// sorted copy's, bit for bit; values unchanged.
void expect_every_rank(const std::vector<double>& values, SelectionScratch& scratch, const char* what) {
  const auto n = static_cast<std::int64_t>(values.size());
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> ranks(values.size());
  std::iota(ranks.begin(), ranks.end(), 0);
  std::vector<double> out(values.size(), -1.0);
  const std::vector<double> before = values;
  order_statistics(values.data(), n, ranks.data(), static_cast<int>(n), out.data(), scratch);
  for (std::int64_t r = 0; r < n; ++r) ASSERT_EQ(out[r], sorted[r]) << what << ": n " << n << " rank " << r;
  ASSERT_EQ(std::memcmp(values.data(), before.data(), sizeof(double) * values.size()), 0) << what;
}

TEST(OrderStatistics, EveryRankOfRandomValuesEqualsTheSortedCopy) {
  std::mt19937_64 rng(15);
  std::normal_distribution<double> normal(100.0, 15.0);
  SelectionScratch scratch;  // reused across sizes and shapes, as a thread reuses it
  for (std::int64_t n : {1, 2, 3, 7, 64, 255, 256, 257, 300, 1000, 4097, 10000}) {
    std::vector<double> values(static_cast<std::size_t>(n));
    for (double& v : values) v = normal(rng);
    expect_every_rank(values, scratch, "normal");
    // Ties: five distinct values, and one value taking 40% of the set among a spread.
    for (double& v : values) v = static_cast<double>(rng() % 5);
    expect_every_rank(values, scratch, "five values");
    for (double& v : values) v = rng() % 5 < 2 ? 1.0 : normal(rng) / 100.0;
    expect_every_rank(values, scratch, "a mass at 1");
    // Signs and magnitudes over 600 orders of ten: buckets cannot separate
    // them, the depth limit hands over to select_ranks.
    for (double& v : values) v = (rng() % 2 ? 1.0 : -1.0) * std::pow(10.0, static_cast<double>(rng() % 600) - 300.0);
    expect_every_rank(values, scratch, "600 decades");
  }
}

// Ranges the bucket scale cannot hold (wider than double's largest, or
// infinite, or subnormal) and constant sets give the sorted copy's values too.
TEST(OrderStatistics, ExtremeRangesAndConstantSets) {
  std::mt19937_64 rng(7);
  SelectionScratch scratch;
  const double big = std::numeric_limits<double>::max(), inf = std::numeric_limits<double>::infinity();
  const double tiny = std::numeric_limits<double>::denorm_min();
  std::vector<double> values(1000);
  for (double& v : values) v = (rng() % 3 == 0 ? -big : big) * (static_cast<double>(rng() % 1000) / 1000.0);
  expect_every_rank(values, scratch, "beyond double's range");
  for (double& v : values) v = rng() % 7 == 0 ? (rng() % 2 ? inf : -inf) : static_cast<double>(rng() % 100);
  expect_every_rank(values, scratch, "infinities");
  for (double& v : values) v = tiny * static_cast<double>(rng() % 50);
  expect_every_rank(values, scratch, "subnormal");
  std::fill(values.begin(), values.end(), 2.5);
  expect_every_rank(values, scratch, "constant");
}

// A few ranks with repeats (as summarise asks for them): each the sorted copy's.
TEST(OrderStatistics, RepeatedRanks) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<double> values(5000);
  for (double& v : values) v = uniform(rng);
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const std::int64_t ranks[] = {0, 0, 249, 250, 250, 2499, 2500, 4998, 4999, 4999};
  double out[10];
  SelectionScratch scratch;
  order_statistics(values.data(), 5000, ranks, 10, out, scratch);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(out[i], sorted[ranks[i]]) << ranks[i];
}

// summarise_group gives each set what summarise gives it alone, bit for bit
// (means, standard errors, quantiles), with an all-NaN set (undefined) and a
// set with one NaN (an error) among them; the quantiles are type 7 on the
// sorted copy.
TEST(OrderStatistics, SummariseGroupEqualsEachSetAlone) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> lognormal(0.0, 0.5);
  const std::int64_t n = 3001;
  std::vector<std::vector<double>> sets(kSummaryGroup, std::vector<double>(n));
  for (auto& set : sets)
    for (double& v : set) v = lognormal(rng);
  std::fill(sets[2].begin(), sets[2].end(), std::numeric_limits<double>::quiet_NaN());
  sets[5][1234] = std::numeric_limits<double>::quiet_NaN();
  SelectionScratch scratch;
  for (int cells = 1; cells <= kSummaryGroup; ++cells) {
    const double* values[kSummaryGroup];
    for (int j = 0; j < cells; ++j) values[j] = sets[j].data();
    CellSummary group[kSummaryGroup];
    std::int64_t nans[kSummaryGroup];
    bool ok[kSummaryGroup];
    summarise_group(values, cells, n, scratch, group, nans, ok);
    for (int j = 0; j < cells; ++j) {
      CellSummary alone;
      std::int64_t alone_nans = -1;
      EXPECT_EQ(ok[j], summarise(values[j], n, scratch, &alone, &alone_nans)) << j;
      EXPECT_EQ(nans[j], alone_nans);
      EXPECT_EQ(ok[j], j != 5) << j;
      EXPECT_EQ(group[j].defined, j != 2 && j != 5) << j;
      if (!group[j].defined) continue;
      EXPECT_EQ(group[j].mean, alone.mean) << j;
      EXPECT_EQ(group[j].mean_se, alone.mean_se) << j;
      const MeanAccumulator moments = accumulate(values[j], n);
      EXPECT_EQ(group[j].mean, moments.mean()) << j;
      std::vector<double> sorted = sets[j];
      std::sort(sorted.begin(), sorted.end());
      for (int k = 0; k < 5; ++k) {
        EXPECT_EQ(group[j].quantiles[k], alone.quantiles[k]) << j << " " << k;
        EXPECT_EQ(group[j].quantiles[k], quantile_sorted(sorted.data(), n, kQuantileLevels[k])) << j << " " << k;
      }
    }
  }
}

// More sets than a group holds, or none, is a caller's error, not a silent
// overrun of the fixed-size arrays.
TEST(OrderStatistics, SummariseGroupRejectsCellsOutsideOneToAGroup) {
  std::vector<double> set(10, 1.0);
  const double* values[kSummaryGroup + 1];
  for (auto& v : values) v = set.data();
  SelectionScratch scratch;
  CellSummary out[kSummaryGroup + 1];
  std::int64_t nans[kSummaryGroup + 1];
  bool ok[kSummaryGroup + 1];
  EXPECT_THROW(summarise_group(values, kSummaryGroup + 1, 10, scratch, out, nans, ok), std::invalid_argument);
  EXPECT_THROW(summarise_group(values, 0, 10, scratch, out, nans, ok), std::invalid_argument);
}

}  // namespace
}  // namespace mfgsim
