// Summaries across ensemble members: the mean, its standard error and the
// quantiles p05, p25, p50, p75, p95, exact (linear interpolation between
// order statistics, Hyndman-Fan type 7, numpy's default).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/order_statistics.h"

namespace mfgsim {

inline constexpr std::array<double, 5> kQuantileLevels = {0.05, 0.25, 0.50, 0.75, 0.95};

struct CellSummary {
  bool defined = false;  // false: the series is undefined at that month (reported empty)
  double mean = 0.0;
  std::array<double, 5> quantiles{};  // at kQuantileLevels
  // Standard error of the mean, s / sqrt(n), s the sample standard deviation
  // (divisor n - 1) over the n members summarised: the Monte Carlo error of
  // `mean` (members are independent draws). NaN when n < 2.
  double mean_se = std::numeric_limits<double>::quiet_NaN();
};

// Count, mean and sum of squared deviations of a set of values, mergeable:
// merge() pools two sets (Chan, Golub and LeVeque 1979), so a fixed order of
// merges gives the same bits whatever thread computed each part.
struct MeanAccumulator {
  double count = 0.0, sum = 0.0, squares = 0.0;  // squares: sum of (x - mean)^2
  // The least and greatest value (NaN left out; +inf and -inf when none):
  // a quantile sketch's estimates are clamped to them, so that a cell whose
  // members all agree gets that value exactly.
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  // Inline: merged once per cell and block (millions of times a job), in
  // loops over cells whose merges are independent.
  void merge(const MeanAccumulator& other) {
    if (other.count == 0.0) return;
    if (count == 0.0) {
      *this = other;
      return;
    }
    const double delta = other.mean() - mean();
    squares += other.squares + delta * delta * count * other.count / (count + other.count);
    count += other.count;
    sum += other.sum;
    lo = other.lo < lo ? other.lo : lo;
    hi = other.hi > hi ? other.hi : hi;
  }
  double mean() const { return sum / count; }
  // s / sqrt(n); NaN when count < 2.
  double standard_error() const;
};
// The accumulator of n values, summed in index order (two passes: the mean,
// then the squared deviations from it).
MeanAccumulator accumulate(const double* values, std::int64_t n);
// The same, summed in kLanes lanes (value m into lane m mod kLanes, the lanes
// then added pairwise: ((0+1)+(2+3))+((4+5)+(6+7))), for both passes: one
// vector operation per 8 values instead of a chain of dependent additions.
// A fixed order, so the same values give the same bits on any thread; it
// differs from accumulate() in the last bits.
inline constexpr int kLanes = 8;
// Inline: it runs once per cell and block (millions of times a job) on a
// few dozen values.
inline MeanAccumulator accumulate_lanes(const double* values, std::int64_t n) {
  static_assert(kLanes == 8);
  // Lanes 0-3 and 4-7 as two 4-double vectors (GCC's vector extension: the
  // same IEEE operations lane by lane, so the same bits as a scalar loop per
  // lane; written so because GCC left the eight-array loop scalar, with its
  // lanes spilled, at 1.5 ns a value).
  using Four = double __attribute__((vector_size(32)));
  using FourUnaligned = double __attribute__((vector_size(32), aligned(8)));
  auto load = [](const double* p) { return *reinterpret_cast<const FourUnaligned*>(p); };
  auto add_lanes = [](const double* lane) {
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  };
  MeanAccumulator out;
  out.count = static_cast<double>(n);
  const std::int64_t whole = n / kLanes * kLanes;
  double lane[kLanes], lo[kLanes], hi[kLanes];
  {
    Four sum0 = {}, sum1 = {}, lo0 = sum0 + out.lo, lo1 = lo0, hi0 = sum0 + out.hi, hi1 = hi0;
    // v < lo ? v : lo leaves NaN out (and compiles to vminpd).
    for (std::int64_t m = 0; m < whole; m += kLanes) {
      const Four v0 = load(values + m), v1 = load(values + m + 4);
      sum0 += v0;
      sum1 += v1;
      lo0 = v0 < lo0 ? v0 : lo0;
      lo1 = v1 < lo1 ? v1 : lo1;
      hi0 = v0 > hi0 ? v0 : hi0;
      hi1 = v1 > hi1 ? v1 : hi1;
    }
    std::memcpy(lane, &sum0, sizeof sum0);
    std::memcpy(lane + 4, &sum1, sizeof sum1);
    std::memcpy(lo, &lo0, sizeof lo0);
    std::memcpy(lo + 4, &lo1, sizeof lo1);
    std::memcpy(hi, &hi0, sizeof hi0);
    std::memcpy(hi + 4, &hi1, sizeof hi1);
  }
  for (std::int64_t m = whole; m < n; ++m) {
    lane[m - whole] += values[m];
    lo[m - whole] = values[m] < lo[m - whole] ? values[m] : lo[m - whole];
    hi[m - whole] = values[m] > hi[m - whole] ? values[m] : hi[m - whole];
  }
  out.sum = add_lanes(lane);
  for (int j = 0; j < kLanes; ++j) {
    out.lo = lo[j] < out.lo ? lo[j] : out.lo;
    out.hi = hi[j] > out.hi ? hi[j] : out.hi;
  }
  const double mean = out.sum / out.count;
  double squares[kLanes];
  {
    Four squares0 = {}, squares1 = {};
    for (std::int64_t m = 0; m < whole; m += kLanes) {
      const Four d0 = load(values + m) - mean, d1 = load(values + m + 4) - mean;
      squares0 += d0 * d0;
      squares1 += d1 * d1;
    }
    std::memcpy(squares, &squares0, sizeof squares0);
    std::memcpy(squares + 4, &squares1, sizeof squares1);
  }
  for (std::int64_t m = whole; m < n; ++m) squares[m - whole] += (values[m] - mean) * (values[m] - mean);
  out.squares = add_lanes(squares);
  return out;
}

// Summarises n values (not changed; scratch is the selection's). All-NaN
// input is undefined; a NaN among finite values is an error (returns false
// and sets *nan_count). Quantiles: the order statistics floor(q (n - 1)) and
// the next of each level, by order_statistics (exact).
bool summarise(const double* values, std::int64_t n, SelectionScratch& scratch, CellSummary* out,
               std::int64_t* nan_count);

// summarise() of `cells` (1 .. kSummaryGroup) sets of n values each at once,
// set j at values[j]: ok[j], out[j] and nan_counts[j] bit for bit those of
// summarise() on set j alone. The sets' sums (a chain of dependent
// additions each, in member order) are taken in one loop, so that the chains
// overlap instead of each waiting on its own additions' latency. Throws
// std::invalid_argument when cells is outside [1, kSummaryGroup].
inline constexpr int kSummaryGroup = 8;
void summarise_group(const double* const* values, int cells, std::int64_t n, SelectionScratch& scratch,
                     CellSummary* out, std::int64_t* nan_counts, bool* ok);

// Quantile at level q of sorted values (type 7).
double quantile_sorted(const double* sorted, std::int64_t n, double q);

}  // namespace mfgsim
