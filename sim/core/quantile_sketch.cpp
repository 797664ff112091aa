#include "sim/core/quantile_sketch.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mfgsim {

QuantileSketch::QuantileSketch(double relative_accuracy)
    : alpha_(relative_accuracy),
      gamma_((1.0 + relative_accuracy) / (1.0 - relative_accuracy)),
      log_gamma_(std::log(gamma_)) {
  if (!(relative_accuracy > 0.0 && relative_accuracy < 1.0))
    throw std::invalid_argument("relative accuracy must be in (0, 1)");
}

void QuantileSketch::Side::add(int bin, std::int64_t n) {
  if (counts.empty()) {
    offset = bin;
    counts.assign(1, 0);
  } else if (bin < offset) {
    counts.insert(counts.begin(), static_cast<std::size_t>(offset - bin), 0);
    offset = bin;
  } else if (bin >= offset + static_cast<int>(counts.size())) {
    counts.resize(static_cast<std::size_t>(bin - offset + 1), 0);
  }
  counts[bin - offset] += n;
  total += n;
}

int QuantileSketch::bin_of(double magnitude) const {
  return static_cast<int>(std::ceil(std::log(magnitude) / log_gamma_));
}

double QuantileSketch::value_of(int bin) const {
  return 2.0 * std::exp(bin * log_gamma_) / (gamma_ + 1.0);
}

void QuantileSketch::add(double x) {
  if (std::isnan(x)) {
    ++nans_;
    return;
  }
  ++count_;
  const double magnitude = std::fabs(x);
  if (magnitude < kZeroThreshold) ++zeros_;
  else if (x > 0) positive_.add(bin_of(magnitude), 1);
  else negative_.add(bin_of(magnitude), 1);
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.gamma_ != gamma_) throw std::invalid_argument("merging sketches of different accuracy");
  for (std::size_t k = 0; k < other.positive_.counts.size(); ++k)
    if (other.positive_.counts[k]) positive_.add(other.positive_.offset + static_cast<int>(k), other.positive_.counts[k]);
  for (std::size_t k = 0; k < other.negative_.counts.size(); ++k)
    if (other.negative_.counts[k]) negative_.add(other.negative_.offset + static_cast<int>(k), other.negative_.counts[k]);
  zeros_ += other.zeros_;
  nans_ += other.nans_;
  count_ += other.count_;
}

double QuantileSketch::value_at_rank(std::int64_t rank) const {
  // Sorted order: negatives by decreasing magnitude, zeros, positives by increasing magnitude.
  std::int64_t seen = 0;
  for (std::size_t k = negative_.counts.size(); k-- > 0;) {
    seen += negative_.counts[k];
    if (rank < seen) return -value_of(negative_.offset + static_cast<int>(k));
  }
  seen += zeros_;
  if (rank < seen) return 0.0;
  for (std::size_t k = 0; k < positive_.counts.size(); ++k) {
    seen += positive_.counts[k];
    if (rank < seen) return value_of(positive_.offset + static_cast<int>(k));
  }
  throw std::out_of_range("rank beyond the sketch's count");
}

double QuantileSketch::quantile(double q) const {
  const double h = q * static_cast<double>(count_ - 1);
  const auto lo = static_cast<std::int64_t>(std::floor(h));
  const std::int64_t hi = std::min(lo + 1, count_ - 1);
  const double a = value_at_rank(lo), b = value_at_rank(hi);
  return a + (h - static_cast<double>(lo)) * (b - a);
}

}  // namespace mfgsim
