#include "sim/core/statistics.h"

#include <algorithm>
#include <cmath>

namespace mfgsim {

double quantile_sorted(const double* sorted, std::int64_t n, double q) {
  const double h = q * static_cast<double>(n - 1);
  const auto lo = static_cast<std::int64_t>(std::floor(h));
  const std::int64_t hi = std::min(lo + 1, n - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

void MeanAccumulator::merge(const MeanAccumulator& other) {
  if (other.count == 0.0) return;
  if (count == 0.0) {
    *this = other;
    return;
  }
  const double delta = other.mean() - mean();
  squares += other.squares + delta * delta * count * other.count / (count + other.count);
  count += other.count;
  sum += other.sum;
}

double MeanAccumulator::standard_error() const {
  if (count < 2.0) return std::numeric_limits<double>::quiet_NaN();
  return std::sqrt(squares / (count - 1.0) / count);
}

MeanAccumulator accumulate(const double* values, std::int64_t n) {
  MeanAccumulator out;
  out.count = static_cast<double>(n);
  for (std::int64_t m = 0; m < n; ++m) out.sum += values[m];
  const double mean = out.sum / out.count;
  for (std::int64_t m = 0; m < n; ++m) out.squares += (values[m] - mean) * (values[m] - mean);
  return out;
}

bool summarise(const double* values, std::int64_t n, std::vector<double>& scratch, CellSummary* out,
               std::int64_t* nan_count) {
  std::int64_t nans = 0;
  for (std::int64_t m = 0; m < n; ++m)
    if (std::isnan(values[m])) ++nans;
  *nan_count = nans;
  *out = CellSummary{};
  if (nans == n) return true;
  if (nans > 0) return false;
  out->defined = true;
  const MeanAccumulator moments = accumulate(values, n);
  out->mean = moments.mean();
  out->mean_se = moments.standard_error();
  scratch.assign(values, values + n);
  // Only the order statistics the quantiles need are placed, in ascending
  // order, each search starting after the previous one: linear on average.
  double* data = scratch.data();
  double* end = data + n;
  double* lo = data;
  std::array<std::int64_t, 10> ranks{};
  int count = 0;
  for (double q : kQuantileLevels) {
    const auto r = static_cast<std::int64_t>(std::floor(q * static_cast<double>(n - 1)));
    ranks[count++] = r;
    ranks[count++] = std::min(r + 1, n - 1);
  }
  std::sort(ranks.begin(), ranks.begin() + count);
  for (int k = 0; k < count; ++k) {
    double* target = data + ranks[k];
    if (target < lo) continue;
    std::nth_element(lo, target, end);
    lo = target + 1;
  }
  for (size_t k = 0; k < kQuantileLevels.size(); ++k) out->quantiles[k] = quantile_sorted(data, n, kQuantileLevels[k]);
  return true;
}

}  // namespace mfgsim
