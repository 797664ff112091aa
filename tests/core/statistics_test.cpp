// sim/core/statistics.h: Hyndman-Fan type 7 quantiles against numpy's
// documented values, means and their standard errors, undefined and NaN cells.
#include "sim/core/statistics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace mfgsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// numpy.percentile's documented example: a = [[10, 7, 4], [3, 2, 1]],
// np.percentile(a, 50) = 3.5. The other levels by type 7, h = q (n - 1):
// sorted 1 2 3 4 7 10; 0.05 -> 1.25, 0.25 -> 2.25, 0.75 -> 6.25, 0.95 -> 9.25.
TEST(Statistics, QuantilesMatchNumpyLinear) {
  const std::vector<double> values = {10, 7, 4, 3, 2, 1};
  SelectionScratch scratch;
  CellSummary out;
  std::int64_t nans = -1;
  ASSERT_TRUE(summarise(values.data(), 6, scratch, &out, &nans));
  EXPECT_EQ(nans, 0);
  EXPECT_TRUE(out.defined);
  EXPECT_DOUBLE_EQ(out.mean, 4.5);
  const double expected[5] = {1.25, 2.25, 3.5, 6.25, 9.25};
  for (int k = 0; k < 5; ++k) EXPECT_NEAR(out.quantiles[k], expected[k], 1e-12) << kQuantileLevels[k];
}

// np.quantile([1, 2, 3, 4], q): q (n - 1) = 3q, so 1 + 3q exactly.
TEST(Statistics, QuantileSortedIsOnePlusThreeQOnOneToFour) {
  const double sorted[] = {1, 2, 3, 4};
  for (double q : {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0}) EXPECT_NEAR(quantile_sorted(sorted, 4, q), 1 + 3 * q, 1e-15);
  const double one[] = {7.5};
  EXPECT_EQ(quantile_sorted(one, 1, 0.95), 7.5);
}

// The partial sort gives the same quantiles as a full sort, for every size
// from 1 to 40 (values a shuffled permutation of 0 .. n-1: type 7 is
// q (n - 1) exactly).
TEST(Statistics, PartialSortEqualsClosedFormForEverySize) {
  SelectionScratch scratch;
  for (int n = 1; n <= 40; ++n) {
    std::vector<double> values(n);
    for (int k = 0; k < n; ++k) values[k] = static_cast<double>((k * 17 + 5) % n);  // a permutation when gcd(17, n) = 1
    if (n % 17 == 0) std::iota(values.rbegin(), values.rend(), 0.0);
    CellSummary out;
    std::int64_t nans = 0;
    ASSERT_TRUE(summarise(values.data(), n, scratch, &out, &nans));
    for (int k = 0; k < 5; ++k)
      EXPECT_NEAR(out.quantiles[k], kQuantileLevels[k] * (n - 1), 1e-12) << "n " << n << " q " << kQuantileLevels[k];
    EXPECT_NEAR(out.mean, (n - 1) / 2.0, 1e-12) << n;
  }
}

TEST(Statistics, AllNaNIsUndefinedAndSomeNaNIsAnError) {
  SelectionScratch scratch;
  CellSummary out;
  std::int64_t nans = 0;
  const double all[] = {kNaN, kNaN, kNaN};
  EXPECT_TRUE(summarise(all, 3, scratch, &out, &nans));
  EXPECT_FALSE(out.defined);
  EXPECT_EQ(nans, 3);
  const double some[] = {1.0, kNaN, 2.0, kNaN};
  EXPECT_FALSE(summarise(some, 4, scratch, &out, &nans));
  EXPECT_EQ(nans, 2);
  EXPECT_FALSE(out.defined);
  // No value (every member failed): undefined.
  EXPECT_TRUE(summarise(all, 0, scratch, &out, &nans));
  EXPECT_FALSE(out.defined);
  EXPECT_EQ(nans, 0);
}

// 1, 2, 3, 4: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5,
// s^2 = 5/3, standard error sqrt(5/3) / 2 = sqrt(5/12).
TEST(Statistics, StandardErrorOfTheMeanIsSOverRootN) {
  const std::vector<double> values = {4, 1, 3, 2};
  SelectionScratch scratch;
  CellSummary out;
  std::int64_t nans = -1;
  ASSERT_TRUE(summarise(values.data(), 4, scratch, &out, &nans));
  EXPECT_DOUBLE_EQ(out.mean, 2.5);
  EXPECT_NEAR(out.mean_se, std::sqrt(5.0 / 12.0), 1e-15);
  // One value: no standard error.
  ASSERT_TRUE(summarise(values.data(), 1, scratch, &out, &nans));
  EXPECT_TRUE(std::isnan(out.mean_se));
  // Constant values (exact in binary, so the mean is too): exactly 0.
  const std::vector<double> same(7, 0.375);
  ASSERT_TRUE(summarise(same.data(), 7, scratch, &out, &nans));
  EXPECT_EQ(out.mean_se, 0.0);
}

// Pooling parts (Chan, Golub and LeVeque) gives the whole set's moments:
// 1..10 has mean 5.5, squared deviations 82.5, s^2 = 82.5 / 9, SE = sqrt(82.5 / 90).
TEST(Statistics, MeanAccumulatorsMergeToTheWhole) {
  std::vector<double> values(10);
  std::iota(values.begin(), values.end(), 1.0);
  MeanAccumulator pooled;
  for (int first : {0, 3, 4, 8}) {
    const int end = first == 0 ? 3 : first == 3 ? 4 : first == 4 ? 8 : 10;
    pooled.merge(accumulate(values.data() + first, end - first));
  }
  pooled.merge(MeanAccumulator{});  // an empty part changes nothing
  const MeanAccumulator whole = accumulate(values.data(), 10);
  EXPECT_EQ(pooled.count, 10.0);
  EXPECT_DOUBLE_EQ(pooled.mean(), 5.5);
  EXPECT_NEAR(pooled.squares, 82.5, 1e-12);
  EXPECT_NEAR(whole.squares, 82.5, 1e-12);
  EXPECT_NEAR(pooled.standard_error(), std::sqrt(82.5 / 90.0), 1e-15);
  EXPECT_TRUE(std::isnan(accumulate(values.data(), 1).standard_error()));
}

// The least and greatest value, on both sums and through merges, NaN left
// out; none: +inf and -inf.
TEST(Statistics, MeanAccumulatorsKeepTheRange) {
  std::vector<double> values = {3.0, -2.0, 7.5, std::numeric_limits<double>::quiet_NaN(), 0.25, 7.5, -1.0,
                                4.0, 2.0, -2.5, 1.0};
  for (std::int64_t n : {1, 8, 9, 11}) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::int64_t m = 0; m < n; ++m)
      if (!std::isnan(values[m])) {
        lo = std::min(lo, values[m]);
        hi = std::max(hi, values[m]);
      }
    const MeanAccumulator lanes = accumulate_lanes(values.data(), n), ordered = accumulate(values.data(), n);
    EXPECT_EQ(lanes.lo, lo) << n;
    EXPECT_EQ(lanes.hi, hi) << n;
    EXPECT_EQ(ordered.lo, lo) << n;
    EXPECT_EQ(ordered.hi, hi) << n;
  }
  MeanAccumulator pooled;
  EXPECT_EQ(pooled.lo, std::numeric_limits<double>::infinity());
  EXPECT_EQ(pooled.hi, -std::numeric_limits<double>::infinity());
  pooled.merge(accumulate_lanes(values.data(), 3));      // -2 .. 7.5
  pooled.merge(accumulate_lanes(values.data() + 4, 7));  // -2.5 .. 7.5
  EXPECT_EQ(pooled.lo, -2.5);
  EXPECT_EQ(pooled.hi, 7.5);
}

// accumulate_lanes sums in the documented order (value m in lane m mod 8,
// lanes added ((0+1)+(2+3))+((4+5)+(6+7))), bit for bit against that order
// written out here one value at a time, for every n from 1 to 40; and agrees
// with the two-pass sum in member order to rounding.
TEST(Statistics, AccumulateLanesSumsInItsDocumentedOrder) {
  std::vector<double> values(40);
  for (std::size_t m = 0; m < values.size(); ++m) values[m] = 1.0 / (3.0 + static_cast<double>(m)) + 1e3 * (m % 3);
  auto pairwise = [](const double* l) { return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7])); };
  for (std::int64_t n = 1; n <= 40; ++n) {
    double lane[8] = {}, squares[8] = {};
    for (std::int64_t m = 0; m < n; ++m) lane[m % 8] += values[m];
    const double sum = pairwise(lane), mean = sum / static_cast<double>(n);
    for (std::int64_t m = 0; m < n; ++m) squares[m % 8] += (values[m] - mean) * (values[m] - mean);
    const MeanAccumulator lanes = accumulate_lanes(values.data(), n);
    EXPECT_EQ(lanes.count, static_cast<double>(n));
    EXPECT_EQ(lanes.sum, sum) << n;
    EXPECT_EQ(lanes.squares, pairwise(squares)) << n;
    const MeanAccumulator ordered = accumulate(values.data(), n);
    EXPECT_NEAR(lanes.sum, ordered.sum, 1e-13 * std::fabs(ordered.sum));
    EXPECT_NEAR(lanes.squares, ordered.squares, 1e-12 * ordered.squares + 1e-300);
  }
}

// select_ranks places every wanted rank as a full sort would, with ties
// (values from 0..4) and repeated ranks, for every size from 1 to 60; and
// summarise's quantiles equal those of a fully sorted copy, bit for bit.
TEST(Statistics, MultiSelectionPlacesEveryRankAsASortWould) {
  SelectionScratch scratch;
  for (int n = 1; n <= 60; ++n) {
    std::vector<double> values(n);
    for (int k = 0; k < n; ++k) values[k] = static_cast<double>((k * 7919 + 13) % 5) + 0.25 * ((k * 31) % 3);
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::int64_t> ranks = {0, n / 3, n / 3, n / 2, n - 1};
    std::sort(ranks.begin(), ranks.end());
    std::vector<double> data = values;
    select_ranks(data.data(), 0, n, ranks.data(), static_cast<int>(ranks.size()));
    for (std::int64_t r : ranks) {
      EXPECT_EQ(data[r], sorted[r]) << "n " << n << " rank " << r;
      for (std::int64_t k = 0; k < r; ++k) EXPECT_LE(data[k], data[r]);
      for (std::int64_t k = r + 1; k < n; ++k) EXPECT_GE(data[k], data[r]);
    }
    CellSummary out;
    std::int64_t nans = 0;
    ASSERT_TRUE(summarise(values.data(), n, scratch, &out, &nans));
    for (int k = 0; k < 5; ++k)
      EXPECT_EQ(out.quantiles[k], quantile_sorted(sorted.data(), n, kQuantileLevels[k])) << "n " << n << " q " << k;
  }
}

}  // namespace
}  // namespace mfgsim
