// A mergeable quantile sketch with a relative-error guarantee (the DDSketch
// construction, Masson, Rim and Lee, VLDB 2019), binned by the bit pattern
// of the value instead of its logarithm.
//
// Bins. For a finite |x| >= kZeroThreshold, the index of x's bin is its IEEE
// 754 bit pattern shifted right by 52 - m: the exponent followed by the top m
// mantissa bits. The bin of index i with exponent e and mantissa bits j is
// [lo, hi) = [2^e (1 + j/N), 2^e (1 + (j+1)/N)) with N = 2^m, so
// hi/lo = (N + j + 1)/(N + j) <= 1 + 1/N. Indices increase with |x|.
//
// Bound. A bin is represented by r = 2 lo hi / (lo + hi). For x in [lo, hi],
// |r - x| / x is largest at the ends, where it is (hi - lo)/(hi + lo)
// = 1/(2(N + j) + 1) <= 1/(2N + 1). m is the smallest number of bits with
// 1/(2N + 1) < α, so every order statistic the sketch returns is within
// relative error α of the exact one (values with |x| < kZeroThreshold count
// as 0: absolute error below it). α = 1e-3 gives m = 9, N = 512: at most
// 1/1025 = 9.76e-4; r is computed to a few ulp, far inside the margin.
//
// Memory. Bins are counted in one array per sign, allocated when the first
// values arrive to span them with a margin (an eighth of their span), and
// widened (by a quarter of the new span, so rarely) only when a later value
// falls outside. Memory grows with the
// spread of the values (log2 of max/min times N), never with their number.
//
// Counts are 32-bit: a sketch refuses (std::length_error) to hold more than
// 2^32 - 1 values, so no bin can overflow; an ensemble has at most 10^7
// members (sim/core/range.h). Counts are integers, so merging in any order,
// and adding values one at a time or in batches, gives the same sketch:
// results stay identical whatever the thread count or block size.
#pragma once

#include <cstdint>
#include <vector>

namespace mfgsim {

class QuantileSketch {
 public:
  static constexpr double kZeroThreshold = 1e-12;

  // α in [1e-9, 0.5); std::invalid_argument otherwise.
  explicit QuantileSketch(double relative_accuracy = 1e-3);

  void add(double x) { add(&x, 1); }  // NaN is counted apart (nan_count)
  // Adds n values: one pass for their range, one to count them (the bins
  // stay in cache when a cell is fed many members at a time).
  void add(const double* values, std::int64_t n);
  // Keys: each value's bin in 32 bits (0 for |x| < kZeroThreshold,
  // kNanKey for NaN, else the sign in bit 31 over the bin index above), so a
  // caller can stage many values in half the memory of doubles and add them
  // later: add_keys(keys_of(x)) counts exactly as add(x). Only for sketches
  // of at most kMaxKeyBits mantissa bits (α > 1/(2^20 + 1), about 9.54e-7);
  // std::logic_error otherwise.
  static constexpr int kMaxKeyBits = 19;
  static constexpr std::uint32_t kNanKey = 0xFFFFFFFFu;
  void keys_of(const double* values, std::int64_t n, std::uint32_t* keys) const;
  // One vectorised pass for the keys' range, then one to count them (two
  // sides at once when the signs are mixed, without a branch on the sign;
  // keys 0 and NaN apart).
  void add_keys(const std::uint32_t* keys, std::int64_t n) { add_key_rows(keys, 0, &n, 1); }
  // add_keys of `rows` runs of keys, row r at first + r * stride holding
  // lengths[r] keys: the same counts as add_keys of the rows one after the
  // other, in one range pass and one counting pass (a caller's staged rows
  // are counted where they lie, not first copied into one run).
  void add_key_rows(const std::uint32_t* first, std::int64_t stride, const std::int64_t* lengths, int rows);
  // Where a run of values would be counted: bins [lo, hi] of `counts`.
  struct Covered {
    std::uint32_t* counts = nullptr;
    std::int64_t lo = 0, hi = -1;
  };
  // Whether every one of n values falls in a bin the sketch already has, all
  // of one sign and none zero (|x| < kZeroThreshold), infinite or NaN; if
  // so, `where` says which bins, and their cache lines are prefetched for a
  // later add_covered (a caller checks many cells first, then counts them,
  // so that the bins' misses overlap). Changes nothing.
  bool covered(const double* values, std::int64_t n, Covered& where);
  // Counts the values `where` came from (covered, with no change to the
  // sketch in between): the same counts as add or add_keys of the values.
  void add_covered(const double* values, std::int64_t n, const Covered& where);
  // covered, then add_covered: counts the values and returns true, or counts
  // nothing and returns false.
  bool add_if_covered(const double* values, std::int64_t n) {
    Covered where;
    if (!covered(values, n, where)) return false;
    add_covered(values, n, where);
    return true;
  }
  // Takes back values that add_covered counted (the same values, bit for
  // bit); std::logic_error for a value in no counted bin.
  void remove_covered(const double* values, std::int64_t n);
  void merge(const QuantileSketch& other);
  std::int64_t count() const { return count_; }
  std::int64_t nan_count() const { return nans_; }
  double relative_accuracy() const { return alpha_; }
  int mantissa_bits() const { return bits_; }
  // The guaranteed bound 1/(2N + 1) <= α (see above).
  double bound() const;
  // The value of rank r (0-based) in sorted order, within relative error α.
  double value_at_rank(std::int64_t rank) const;
  // Type-7 quantile (1 - f) x_k + f x_{k+1}, k = floor(q(n-1)), from the
  // estimated order statistics. Its error is at most α((1 - f)|x_k| + f|x_{k+1}|)
  // (plus kZeroThreshold): relative error α when x_k and x_{k+1} share a sign,
  // but not relative to the quantile itself when they straddle zero, where the
  // interpolation cancels (a quantile of 1.5e-7 between -1e-4 and 1e-4 may be
  // off by 1e-7 absolute, far more than α relative; tested).
  double quantile(double q) const;
  // The same at n <= 16 levels, in one walk over the bins.
  void quantiles(const double* levels, int n, double* out) const;

 private:
  struct Side {  // bins of |x| for one sign
    std::vector<std::uint32_t> counts;
    std::int64_t first = 0;  // counts[k] is bin index first + k
    void cover(std::int64_t lo, std::int64_t hi);  // make bins lo .. hi exist
  };
  // Counts the bins (key & mask) of n keys (nonzero, not NaN, one sign).
  template <class K>
  void count_into(Side& side, const K* keys, std::int64_t n, K mask);
  // Keys of type K (sign in the top bit, all ones for NaN) into the counts.
  template <class K>
  void add_keyed(const K* keys, std::int64_t n);
  void check_keyed() const;
  // Of runs of 32-bit keys: the smallest and largest key (0 and kNanKey,
  // the keys counted apart, are the smallest and largest there are), the
  // largest of the positive values' keys and the smallest of the negative
  // values' (sign bit set).
  struct KeyRange {
    std::uint32_t lo, hi, positive_hi, negative_lo;
  };
  // Over rows as add_key_rows takes them.
  static KeyRange range_of(const std::uint32_t* first, std::int64_t stride, const std::int64_t* lengths, int rows);
  // Makes the bins of range's keys of one sign exist; their counts indexed
  // by the key without its sign bit, or null when the range has none.
  std::uint32_t* cover_keys(const KeyRange& range, bool negative);
  double value_of(std::int64_t index) const;
  // The values of ranks[0..n) (ascending) into out.
  void values_at_ranks(const std::int64_t* ranks, int n, double* out) const;

  double alpha_;
  int bits_;  // m: mantissa bits kept
  Side positive_, negative_;
  std::int64_t zeros_ = 0, nans_ = 0, count_ = 0;
};

}  // namespace mfgsim
