// Summaries across ensemble members: the mean, its standard error and the
// quantiles p05, p25, p50, p75, p95, exact (linear interpolation between
// order statistics, Hyndman-Fan type 7, numpy's default).
#pragma once

#include <array>
#include <cstdint>
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
  auto add_lanes = [](const double* lane) {
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  };
  MeanAccumulator out;
  out.count = static_cast<double>(n);
  const std::int64_t whole = n / kLanes * kLanes;
  double lane[kLanes] = {}, lo[kLanes], hi[kLanes];
  for (int j = 0; j < kLanes; ++j) {
    lo[j] = out.lo;
    hi[j] = out.hi;
  }
  // v < lo ? v : lo leaves NaN out (and compiles to vminpd).
  for (std::int64_t m = 0; m < whole; m += kLanes)
    for (int j = 0; j < kLanes; ++j) {
      lane[j] += values[m + j];
      lo[j] = values[m + j] < lo[j] ? values[m + j] : lo[j];
      hi[j] = values[m + j] > hi[j] ? values[m + j] : hi[j];
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
  double squares[kLanes] = {};
  for (std::int64_t m = 0; m < whole; m += kLanes)
    for (int j = 0; j < kLanes; ++j) squares[j] += (values[m + j] - mean) * (values[m + j] - mean);
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
