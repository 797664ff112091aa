// A mergeable quantile sketch with a relative-error guarantee (the DDSketch
// construction): values are counted in logarithmic bins (γ^(i-1), γ^i] with
// γ = (1 + α) / (1 - α), and a bin is represented by 2 γ^i / (γ + 1), which
// lies within relative error α of every value in the bin. So each order
// statistic the sketch returns is within relative error α of the exact one
// (values with |x| < zero_threshold count as 0: absolute error below it).
// Counts are integers, so merging in any order gives the same sketch: results
// stay identical whatever the thread count. Memory grows with the spread of
// the values (log of max/min over log γ), never with their number.
#pragma once

#include <cstdint>
#include <vector>

namespace mfgsim {

class QuantileSketch {
 public:
  static constexpr double kZeroThreshold = 1e-12;

  explicit QuantileSketch(double relative_accuracy = 1e-3);

  void add(double x);  // NaN is counted apart (nan_count)
  void merge(const QuantileSketch& other);
  std::int64_t count() const { return count_; }
  std::int64_t nan_count() const { return nans_; }
  double relative_accuracy() const { return alpha_; }
  // The value of rank r (0-based) in sorted order, within relative error α.
  double value_at_rank(std::int64_t rank) const;
  // Type-7 quantile from the estimated order statistics at floor(q(n-1)) and the next.
  double quantile(double q) const;

 private:
  struct Side {  // bins of |x| for one sign
    std::vector<std::int64_t> counts;
    int offset = 0;  // counts[k] is bin offset + k
    std::int64_t total = 0;
    void add(int bin, std::int64_t n);
  };
  int bin_of(double magnitude) const;
  double value_of(int bin) const;

  double alpha_, gamma_, log_gamma_;
  Side positive_, negative_;
  std::int64_t zeros_ = 0, nans_ = 0, count_ = 0;
};

}  // namespace mfgsim
