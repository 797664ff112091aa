// Summaries across ensemble members: the mean and the quantiles p05, p25,
// p50, p75, p95, exact (linear interpolation between order statistics,
// Hyndman-Fan type 7, numpy's default).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mfgsim {

inline constexpr std::array<double, 5> kQuantileLevels = {0.05, 0.25, 0.50, 0.75, 0.95};

struct CellSummary {
  bool defined = false;  // false: the series is undefined at that month (reported empty)
  double mean = 0.0;
  std::array<double, 5> quantiles{};  // at kQuantileLevels
};

// Summarises n values (reorders `scratch`, which it resizes). All-NaN input
// is undefined; a NaN among finite values is an error (returns false and
// sets *nan_count).
bool summarise(const double* values, std::int64_t n, std::vector<double>& scratch, CellSummary* out,
               std::int64_t* nan_count);

// Reorders data[begin, end) so that data[r] holds the value of rank r (as
// in a sorted copy) for each of the `count` ascending ranks in [begin, end),
// with smaller values before each and larger after: one recursive
// multi-selection (nth_element on the middle rank, then each side), not one
// selection per rank.
void select_ranks(double* data, std::int64_t begin, std::int64_t end, const std::int64_t* ranks, int count);

// Quantile at level q of sorted values (type 7).
double quantile_sorted(const double* sorted, std::int64_t n, double q);

}  // namespace mfgsim
