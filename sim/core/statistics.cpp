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

void select_ranks(double* data, std::int64_t begin, std::int64_t end, const std::int64_t* ranks, int count) {
  if (count == 0) return;
  // The middle rank splits the range and the other ranks: O(n log count).
  // Repeated ranks go to neither side.
  const std::int64_t r = ranks[count / 2];
  const std::int64_t* left_end = std::lower_bound(ranks, ranks + count, r);
  const std::int64_t* right = std::upper_bound(ranks, ranks + count, r);
  std::nth_element(data + begin, data + r, data + end);
  select_ranks(data, begin, r, ranks, static_cast<int>(left_end - ranks));
  select_ranks(data, r + 1, end, right, static_cast<int>(ranks + count - right));
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
  // Type 7 needs the order statistics r = floor(q (n - 1)) and r + 1 of each
  // level. One multi-selection places the five r (select_ranks); each r + 1
  // is then the least value between r and the next placed rank.
  double* data = scratch.data();
  std::array<std::int64_t, kQuantileLevels.size()> ranks{};
  for (std::size_t k = 0; k < ranks.size(); ++k)
    ranks[k] = static_cast<std::int64_t>(std::floor(kQuantileLevels[k] * static_cast<double>(n - 1)));
  select_ranks(data, 0, n, ranks.data(), static_cast<int>(ranks.size()));
  for (std::size_t k = 0; k < ranks.size(); ++k) {
    const std::int64_t next = ranks[k] + 1;
    const auto* later = std::upper_bound(ranks.begin(), ranks.end(), ranks[k]);
    const std::int64_t bound = later != ranks.end() ? *later : n;
    if (next >= bound) continue;  // already placed (or beyond the end)
    std::iter_swap(data + next, std::min_element(data + next, data + bound));
  }
  for (size_t k = 0; k < kQuantileLevels.size(); ++k) out->quantiles[k] = quantile_sorted(data, n, kQuantileLevels[k]);
  return true;
}

}  // namespace mfgsim
