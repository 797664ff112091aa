#include "sim/core/statistics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace mfgsim {

namespace {

// Type 7 between the order statistics lo and lo + 1 (at_lo, at_hi), h = q (n - 1).
double interpolate(double h, std::int64_t lo, double at_lo, double at_hi) {
  return at_lo + (h - static_cast<double>(lo)) * (at_hi - at_lo);
}

}  // namespace

double quantile_sorted(const double* sorted, std::int64_t n, double q) {
  const double h = q * static_cast<double>(n - 1);
  const auto lo = static_cast<std::int64_t>(std::floor(h));
  const std::int64_t hi = std::min(lo + 1, n - 1);
  return interpolate(h, lo, sorted[lo], sorted[hi]);
}

double MeanAccumulator::standard_error() const {
  if (count < 2.0) return std::numeric_limits<double>::quiet_NaN();
  return std::sqrt(squares / (count - 1.0) / count);
}

namespace {

// accumulate() of `sets` sets of n values, set j at values[j], into out[j]:
// each set's additions in member order (the same bits as one set alone),
// the sets' chains interleaved.
template <int kSets>
void accumulate_sets(const double* const* values, std::int64_t n, MeanAccumulator* out) {
  double sum[kSets] = {}, squares[kSets] = {}, mean[kSets];
  for (int j = 0; j < kSets; ++j) out[j] = MeanAccumulator{};
  for (std::int64_t m = 0; m < n; ++m)
    for (int j = 0; j < kSets; ++j) {
      sum[j] += values[j][m];
      out[j].lo = values[j][m] < out[j].lo ? values[j][m] : out[j].lo;
      out[j].hi = values[j][m] > out[j].hi ? values[j][m] : out[j].hi;
    }
  for (int j = 0; j < kSets; ++j) mean[j] = sum[j] / static_cast<double>(n);
  for (std::int64_t m = 0; m < n; ++m)
    for (int j = 0; j < kSets; ++j) squares[j] += (values[j][m] - mean[j]) * (values[j][m] - mean[j]);
  for (int j = 0; j < kSets; ++j) {
    out[j].count = static_cast<double>(n);
    out[j].sum = sum[j];
    out[j].squares = squares[j];
  }
}

}  // namespace

MeanAccumulator accumulate(const double* values, std::int64_t n) {
  MeanAccumulator out;
  accumulate_sets<1>(&values, n, &out);
  return out;
}

bool summarise(const double* values, std::int64_t n, SelectionScratch& scratch, CellSummary* out,
               std::int64_t* nan_count) {
  bool ok = false;
  summarise_group(&values, 1, n, scratch, out, nan_count, &ok);
  return ok;
}

void summarise_group(const double* const* values, int cells, std::int64_t n, SelectionScratch& scratch,
                     CellSummary* out, std::int64_t* nan_counts, bool* ok) {
  if (cells < 1 || cells > kSummaryGroup)
    throw std::invalid_argument("summarise_group: cells must be in [1, " + std::to_string(kSummaryGroup) + "], got " +
                                std::to_string(cells));
  // The sets to summarise (NaN-free), padded to a full group with the first
  // (its results discarded): one loop shape for every group.
  const double* defined[kSummaryGroup];
  int index[kSummaryGroup];
  int count = 0;
  for (int j = 0; j < cells; ++j) {
    std::int64_t nans = 0;
    for (std::int64_t m = 0; m < n; ++m) nans += std::isnan(values[j][m]) ? 1 : 0;
    nan_counts[j] = nans;
    out[j] = CellSummary{};
    ok[j] = nans == n || nans == 0;  // all NaN (or no value): undefined; some NaN: an error
    if (nans == 0 && n > 0) {
      defined[count] = values[j];
      index[count++] = j;
    }
  }
  if (count == 0) return;
  MeanAccumulator moments[kSummaryGroup];
  if (count == 1) {
    accumulate_sets<1>(defined, n, moments);
  } else {
    for (int j = count; j < kSummaryGroup; ++j) defined[j] = defined[0];
    accumulate_sets<kSummaryGroup>(defined, n, moments);
  }
  // Type 7 needs the order statistics r = floor(q (n - 1)) and r + 1 (the
  // last value for r = n - 1) of each level.
  constexpr int kLevels = static_cast<int>(kQuantileLevels.size());
  std::array<std::int64_t, 2 * kLevels> ranks{};
  std::array<double, 2 * kLevels> order{};
  for (int k = 0; k < kLevels; ++k) {
    ranks[2 * k] = static_cast<std::int64_t>(std::floor(kQuantileLevels[k] * static_cast<double>(n - 1)));
    ranks[2 * k + 1] = std::min(ranks[2 * k] + 1, n - 1);
  }
  // order_statistics takes strictly ascending ranks; with n < 6 levels share
  // ranks (n = 3: 0 1 0 1 1 2 1 2 1 2), so select the distinct ones.
  std::array<std::int64_t, 2 * kLevels> distinct = ranks;
  std::sort(distinct.begin(), distinct.end());
  const int count_distinct = static_cast<int>(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
  std::array<int, 2 * kLevels> position{};
  for (int k = 0; k < 2 * kLevels; ++k)
    position[k] = static_cast<int>(std::lower_bound(distinct.begin(), distinct.begin() + count_distinct, ranks[k]) -
                                   distinct.begin());
  std::array<double, 2 * kLevels> selected{};
  for (int c = 0; c < count; ++c) {
    CellSummary& cell = out[index[c]];
    cell.defined = true;
    cell.mean = moments[c].mean();
    cell.mean_se = moments[c].standard_error();
    order_statistics(defined[c], n, distinct.data(), count_distinct, selected.data(), scratch);
    for (int k = 0; k < 2 * kLevels; ++k) order[k] = selected[position[k]];
    for (int k = 0; k < kLevels; ++k) {
      const double h = kQuantileLevels[k] * static_cast<double>(n - 1);
      cell.quantiles[k] = interpolate(h, ranks[2 * k], order[2 * k], order[2 * k + 1]);
    }
  }
}

}  // namespace mfgsim
