#include "sim/core/quantile_sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace mfgsim {

namespace {

constexpr std::uint64_t kMagnitudeMask = ~(1ull << 63);
constexpr std::uint64_t kInfinityBits = 0x7FF0000000000000ull;
constexpr std::int64_t kMaxCount = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t kKeySign = 1u << 31;  // of a 32-bit key
// Bit patterns order non-negative doubles as their values do.
const std::uint64_t kZeroThresholdBits = std::bit_cast<std::uint64_t>(QuantileSketch::kZeroThreshold);

// A value's key of type K: 0 below the zero threshold, all ones for NaN,
// else the sign in the top bit over the magnitude's bits shifted right.
// Branch-free, so a loop of them vectorises.
template <class K>
K key_of(double x, int shift) {
  constexpr int kSignBit = static_cast<int>(sizeof(K)) * 8 - 1;
  const auto pattern = std::bit_cast<std::uint64_t>(x);
  const std::uint64_t magnitude = pattern & kMagnitudeMask;
  const K key = static_cast<K>(static_cast<K>(pattern >> 63) << kSignBit) | static_cast<K>(magnitude >> shift);
  return magnitude > kInfinityBits ? static_cast<K>(~K{0}) : magnitude < kZeroThresholdBits ? K{0} : key;
}

}  // namespace

QuantileSketch::QuantileSketch(double relative_accuracy) : alpha_(relative_accuracy), bits_(0) {
  if (!(relative_accuracy >= 1e-9 && relative_accuracy < 1.0))
    throw std::invalid_argument("relative accuracy must be in [1e-9, 1)");
  while (bound() >= alpha_) ++bits_;
}

double QuantileSketch::bound() const { return 1.0 / (2.0 * std::ldexp(1.0, bits_) + 1.0); }

void QuantileSketch::Side::cover(std::int64_t lo, std::int64_t hi) {
  const auto size = static_cast<std::int64_t>(counts.size());
  if (size == 0) {
    // First values: their span and an eighth of it again on each side.
    const std::int64_t margin = (hi - lo) / 8 + 16;
    first = std::max<std::int64_t>(0, lo - margin);
    counts.assign(static_cast<std::size_t>(hi + margin + 1 - first), 0);
    return;
  }
  const std::int64_t last = first + size - 1;
  if (lo >= first && hi <= last) return;
  // Widen only the side that was passed, by a quarter of the new span: few regrowths.
  const std::int64_t margin = (std::max(hi, last) - std::min(lo, first)) / 4 + 16;
  const std::int64_t new_first = lo < first ? std::max<std::int64_t>(0, lo - margin) : first;
  const std::int64_t new_last = hi > last ? hi + margin : last;
  std::vector<std::uint32_t> grown(static_cast<std::size_t>(new_last - new_first + 1), 0);
  std::copy(counts.begin(), counts.end(), grown.begin() + (first - new_first));
  counts.swap(grown);
  first = new_first;
}

template <class K>
void QuantileSketch::count_into(Side& side, const K* keys, std::int64_t n, K mask) {
  if (n == 0) return;
  K lo = keys[0] & mask, hi = lo;
  for (std::int64_t k = 1; k < n; ++k) {
    lo = std::min<K>(lo, keys[k] & mask);
    hi = std::max<K>(hi, keys[k] & mask);
  }
  side.cover(static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi));
  std::uint32_t* counts = side.counts.data() - side.first;
  // One bin (a cell every member shares): one addition, not n increments
  // of one counter, each waiting for the last.
  if (lo == hi) {
    counts[lo] += static_cast<std::uint32_t>(n);
    return;
  }
  for (std::int64_t k = 0; k < n; ++k) ++counts[keys[k] & mask];
}

template <class K>
void QuantileSketch::add_keyed(const K* keys, std::int64_t n) {
  if (count_ + nans_ + n > kMaxCount) throw std::length_error("a quantile sketch holds at most 2^32 - 1 values");
  constexpr K kSign = static_cast<K>(K{1} << (sizeof(K) * 8 - 1)), kAll = static_cast<K>(~K{0});
  // The usual case, a cell's members all of one sign and none zero or NaN:
  // one branch-free pass to see it, then the keys are counted as they are.
  K any = 0, all = kAll, special = 0;
  for (std::int64_t k = 0; k < n; ++k) {
    any |= keys[k];
    all &= keys[k];
    special |= static_cast<K>(keys[k] == 0) | static_cast<K>(keys[k] == kAll);
  }
  if (n > 0 && !special && (!(any & kSign) || (all & kSign))) {
    count_into(all & kSign ? negative_ : positive_, keys, n, static_cast<K>(~kSign));
    count_ += n;
    return;
  }
  constexpr int kChunk = 256;
  K positive[kChunk], negative[kChunk];
  for (std::int64_t start = 0; start < n; start += kChunk) {
    const int size = static_cast<int>(std::min<std::int64_t>(kChunk, n - start));
    int np = 0, nn = 0, nans = 0;
    for (int k = 0; k < size; ++k) {
      const K key = keys[start + k];
      if (key == kAll) {
        ++nans;
      } else if (key == 0) {
        ++zeros_;
      } else if (key & kSign) {
        negative[nn++] = key & ~kSign;
      } else {
        positive[np++] = key;
      }
    }
    nans_ += nans;
    count_ += size - nans;
    count_into(positive_, positive, np, kAll);
    count_into(negative_, negative, nn, kAll);
  }
}

void QuantileSketch::add(const double* values, std::int64_t n) {
  if (count_ + nans_ + n > kMaxCount) throw std::length_error("a quantile sketch holds at most 2^32 - 1 values");
  constexpr int kChunk = 256;
  std::uint64_t keys[kChunk];
  const int shift = 52 - bits_;
  for (std::int64_t start = 0; start < n; start += kChunk) {
    const int size = static_cast<int>(std::min<std::int64_t>(kChunk, n - start));
    for (int k = 0; k < size; ++k) keys[k] = key_of<std::uint64_t>(values[start + k], shift);
    add_keyed(keys, size);
  }
}

void QuantileSketch::check_keyed() const {
  if (bits_ > kMaxKeyBits) throw std::logic_error("32-bit keys need a sketch of at most 19 mantissa bits");
}

void QuantileSketch::keys_of(const double* values, std::int64_t n, std::uint32_t* keys) const {
  check_keyed();
  const int shift = 52 - bits_;
  for (std::int64_t k = 0; k < n; ++k) keys[k] = key_of<std::uint32_t>(values[k], shift);
}

QuantileSketch::KeyRange QuantileSketch::range_of(const std::uint32_t* first, std::int64_t stride,
                                                  const std::int64_t* lengths, int rows) {
  // 16 keys at a time in GCC's vector types (GCC vectorised the lane-array
  // form of this loop with masked moves through the stack, at about a third
  // of this speed). (key >> 31) - 1 is all ones for a positive value's key,
  // 0 for a negative one's: masks, not selects.
  using Keys = std::uint32_t __attribute__((vector_size(64)));
  Keys lo, hi, positive_hi, negative_lo;
  for (int j = 0; j < 16; ++j) {
    lo[j] = negative_lo[j] = kNanKey;
    hi[j] = positive_hi[j] = 0;
  }
  // The rows' whole vectors first, into the same lanes (one reduction for
  // all the rows, not one per row of a few dozen keys), then their tails.
  for (int r = 0; r < rows; ++r) {
    const std::uint32_t* keys = first + r * stride;
    for (std::int64_t k = 0; k + 16 <= lengths[r]; k += 16) {
      Keys key;
      std::memcpy(&key, keys + k, sizeof key);
      const Keys positive_mask = (key >> 31) - 1u;
      lo = key < lo ? key : lo;
      hi = key > hi ? key : hi;
      const Keys positive = key & positive_mask, negative = key | positive_mask;
      positive_hi = positive > positive_hi ? positive : positive_hi;
      negative_lo = negative < negative_lo ? negative : negative_lo;
    }
  }
  KeyRange range{kNanKey, 0, 0, kNanKey};
  for (int j = 0; j < 16; ++j) {
    range.lo = std::min(range.lo, static_cast<std::uint32_t>(lo[j]));
    range.hi = std::max(range.hi, static_cast<std::uint32_t>(hi[j]));
    range.positive_hi = std::max(range.positive_hi, static_cast<std::uint32_t>(positive_hi[j]));
    range.negative_lo = std::min(range.negative_lo, static_cast<std::uint32_t>(negative_lo[j]));
  }
  for (int r = 0; r < rows; ++r)
    for (std::int64_t k = lengths[r] / 16 * 16; k < lengths[r]; ++k) {
      const std::uint32_t key = first[r * stride + k], positive_mask = (key >> 31) - 1u;
      range.lo = std::min(range.lo, key);
      range.hi = std::max(range.hi, key);
      range.positive_hi = std::max(range.positive_hi, key & positive_mask);
      range.negative_lo = std::min(range.negative_lo, key | positive_mask);
    }
  return range;
}

void QuantileSketch::add_key_rows(const std::uint32_t* first, std::int64_t stride, const std::int64_t* lengths,
                                  int rows) {
  check_keyed();
  std::int64_t n = 0;
  for (int r = 0; r < rows; ++r) n += lengths[r];
  if (n == 0) return;
  const KeyRange range = range_of(first, stride, lengths, rows);
  if (count_ + nans_ + n > kMaxCount) throw std::length_error("a quantile sketch holds at most 2^32 - 1 values");
  // Every value 0 or every value NaN (a cell no member reaches, a series
  // that is 0 in some sector): counted without reading the keys again.
  if (range.lo == range.hi && (range.lo == 0 || range.lo == kNanKey)) {
    (range.lo == 0 ? zeros_ : nans_) += n;
    if (range.lo == 0) count_ += n;
    return;
  }
  if (range.lo == 0 || range.hi == kNanKey) {  // some zeros or NaN among the others
    for (int r = 0; r < rows; ++r) add_keyed(first + r * stride, lengths[r]);
    return;
  }
  std::uint32_t* positive = cover_keys(range, false);
  std::uint32_t* negative = cover_keys(range, true);
  count_ += n;
  if (range.lo == range.hi) {  // every key in one bin: one addition
    (positive ? positive : negative)[range.lo & ~kKeySign] += static_cast<std::uint32_t>(n);
    return;
  }
  if (!negative || !positive) {
    std::uint32_t* counts = positive ? positive : negative;
    for (int r = 0; r < rows; ++r) {
      const std::uint32_t* keys = first + r * stride;
      for (std::int64_t k = 0; k < lengths[r]; ++k) ++counts[keys[k] & ~kKeySign];
    }
    return;
  }
  // Mixed signs: the side picked by the sign bit as an index, not a
  // branch. Such cells (12% of the keys of issue 15's job) spread over a
  // dozen octaves of each sign, about one key per cache line of bins, and
  // their bins are not in cache when a flush starts: the next row's bins
  // are asked for while this row is counted (the job 0.94x the CPU time;
  // the same for one-sign cells, whose keys share lines, was 1.04x).
  std::uint32_t* const sides[2] = {positive, negative};
  for (int r = 0; r < rows; ++r) {
    const std::uint32_t* keys = first + r * stride;
    if (r + 1 < rows) {
      const std::uint32_t* next = keys + stride;
      for (std::int64_t k = 0; k < lengths[r + 1]; ++k) __builtin_prefetch(&sides[next[k] >> 31][next[k] & ~kKeySign], 1);
    }
    for (std::int64_t k = 0; k < lengths[r]; ++k) ++sides[keys[k] >> 31][keys[k] & ~kKeySign];
  }
}

bool QuantileSketch::covered(const double* values, std::int64_t n, Covered& where) {
  if (n <= 0 || count_ + nans_ + n > kMaxCount) return false;
  // Magnitudes' bit patterns as signed integers (the sign bit cleared), so
  // that their min and max vectorise without unsigned 64-bit comparisons;
  // the signs by AND and OR.
  constexpr auto kMask = static_cast<std::int64_t>(kMagnitudeMask);
  std::int64_t lo = kMask, hi = 0;
  std::uint64_t signs_and = ~0ull, signs_or = 0;
  for (std::int64_t k = 0; k < n; ++k) {
    const auto pattern = std::bit_cast<std::uint64_t>(values[k]);
    const auto magnitude = static_cast<std::int64_t>(pattern) & kMask;
    lo = std::min(lo, magnitude);
    hi = std::max(hi, magnitude);
    signs_and &= pattern;
    signs_or |= pattern;
  }
  // Below the zero threshold, infinite or NaN (patterns above infinity's), or both signs: not here.
  if (lo < static_cast<std::int64_t>(kZeroThresholdBits) || hi >= static_cast<std::int64_t>(kInfinityBits) ||
      ((signs_and ^ signs_or) >> 63))
    return false;
  Side& side = (signs_and >> 63) ? negative_ : positive_;
  const int shift = 52 - bits_;
  const std::int64_t last = side.first + static_cast<std::int64_t>(side.counts.size()) - 1;
  if (side.counts.empty() || (lo >> shift) < side.first || (hi >> shift) > last) return false;
  where = {side.counts.data() - side.first, lo >> shift, hi >> shift};
  const auto* begin = reinterpret_cast<const char*>(where.counts + where.lo);
  const auto* end = reinterpret_cast<const char*>(where.counts + where.hi + 1);
  for (const char* line = begin; line < end; line += 64) __builtin_prefetch(line, 1);
  __builtin_prefetch(end - 1, 1);
  return true;
}

void QuantileSketch::add_covered(const double* values, std::int64_t n, const Covered& where) {
  constexpr auto kMask = static_cast<std::int64_t>(kMagnitudeMask);
  const int shift = 52 - bits_;
  count_ += n;
  // Every value in one bin (a series the members share): one addition, not
  // n increments of one counter, each waiting for the last.
  if (where.lo == where.hi) {
    where.counts[where.lo] += static_cast<std::uint32_t>(n);
    return;
  }
  for (std::int64_t k = 0; k < n; ++k) ++where.counts[(std::bit_cast<std::int64_t>(values[k]) & kMask) >> shift];
}

void QuantileSketch::remove_covered(const double* values, std::int64_t n) {
  const int shift = 52 - bits_;
  for (std::int64_t k = 0; k < n; ++k) {
    const auto pattern = std::bit_cast<std::uint64_t>(values[k]);
    Side& side = (pattern >> 63) ? negative_ : positive_;
    const auto index = static_cast<std::int64_t>((pattern & kMagnitudeMask) >> shift) - side.first;
    if ((pattern & kMagnitudeMask) < kZeroThresholdBits || index < 0 || index >= static_cast<std::int64_t>(side.counts.size()) ||
        side.counts[static_cast<std::size_t>(index)] == 0 || count_ == 0)
      throw std::logic_error("remove_covered: a value the sketch did not count");
    --side.counts[static_cast<std::size_t>(index)];
    --count_;
  }
}

std::uint32_t* QuantileSketch::cover_keys(const KeyRange& range, bool negative) {
  // Positive keys lie in [lo, positive_hi], negative ones in [negative_lo, hi].
  const bool any = negative ? range.hi >= kKeySign : range.lo < kKeySign;
  if (!any) return nullptr;
  Side& side = negative ? negative_ : positive_;
  side.cover((negative ? range.negative_lo : range.lo) & ~kKeySign, (negative ? range.hi : range.positive_hi) & ~kKeySign);
  return side.counts.data() - side.first;
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.bits_ != bits_) throw std::invalid_argument("merging sketches of different accuracy");
  if (count_ + nans_ + other.count_ + other.nans_ > kMaxCount)
    throw std::length_error("a quantile sketch holds at most 2^32 - 1 values");
  auto merge_side = [](Side& into, const Side& from) {
    if (from.counts.empty()) return;
    into.cover(from.first, from.first + static_cast<std::int64_t>(from.counts.size()) - 1);
    std::uint32_t* counts = into.counts.data() + (from.first - into.first);
    for (std::size_t k = 0; k < from.counts.size(); ++k) counts[k] += from.counts[k];
  };
  merge_side(positive_, other.positive_);
  merge_side(negative_, other.negative_);
  zeros_ += other.zeros_;
  nans_ += other.nans_;
  count_ += other.count_;
}

double QuantileSketch::value_of(std::int64_t index) const {
  const std::int64_t exponent = index >> bits_;
  if (exponent >= 0x7FF) return std::numeric_limits<double>::infinity();
  const double n = std::ldexp(1.0, bits_), nj = n + static_cast<double>(index & ((std::int64_t{1} << bits_) - 1));
  // 2 lo hi / (lo + hi) with lo = 2^e (N + j)/N and hi = 2^e (N + j + 1)/N.
  return std::ldexp(2.0 * nj * (nj + 1.0) / (n * (2.0 * nj + 1.0)), static_cast<int>(exponent) - 1023);
}

void QuantileSketch::values_at_ranks(const std::int64_t* ranks, int n, double* out) const {
  // One walk in sorted order: negatives by decreasing magnitude, zeros,
  // positives by increasing magnitude.
  // Bins are walked 16 at a time while a chunk ends before the next rank
  // (one vectorised sum instead of 16 steps; a job's cells hold thousands
  // of bins and ask for 20 ranks).
  constexpr std::size_t kChunk = 16;
  auto chunk_sum = [](const std::uint32_t* counts) {
    std::int64_t sum = 0;
    for (std::size_t j = 0; j < kChunk; ++j) sum += counts[j];
    return sum;
  };
  int next = 0;
  std::int64_t seen = 0;
  for (std::size_t k = negative_.counts.size(); k > 0 && next < n;) {
    if (k >= kChunk) {
      const std::int64_t sum = chunk_sum(negative_.counts.data() + k - kChunk);
      if (seen + sum <= ranks[next]) {
        seen += sum;
        k -= kChunk;
        continue;
      }
    }
    --k;
    seen += negative_.counts[k];
    for (; next < n && ranks[next] < seen; ++next) out[next] = -value_of(negative_.first + static_cast<std::int64_t>(k));
  }
  seen += zeros_;
  for (; next < n && ranks[next] < seen; ++next) out[next] = 0.0;
  for (std::size_t k = 0; k < positive_.counts.size() && next < n;) {
    if (k + kChunk <= positive_.counts.size()) {
      const std::int64_t sum = chunk_sum(positive_.counts.data() + k);
      if (seen + sum <= ranks[next]) {
        seen += sum;
        k += kChunk;
        continue;
      }
    }
    seen += positive_.counts[k];
    for (; next < n && ranks[next] < seen; ++next) out[next] = value_of(positive_.first + static_cast<std::int64_t>(k));
    ++k;
  }
  if (next < n) throw std::out_of_range("rank beyond the sketch's count");
}

double QuantileSketch::value_at_rank(std::int64_t rank) const {
  double value = 0.0;
  values_at_ranks(&rank, 1, &value);
  return value;
}

double QuantileSketch::quantile(double q) const {
  double value = 0.0;
  quantiles(&q, 1, &value);
  return value;
}

void QuantileSketch::quantiles(const double* levels, int n, double* out) const {
  // Type 7: the order statistics at floor(q(n-1)) and the next, all found
  // in one walk over the bins.
  constexpr int kMax = 16;
  if (n > kMax) throw std::invalid_argument("at most 16 quantile levels at a time");
  std::int64_t ranks[2 * kMax];
  double h[kMax];
  for (int k = 0; k < n; ++k) {
    h[k] = levels[k] * static_cast<double>(count_ - 1);
    ranks[2 * k] = static_cast<std::int64_t>(std::floor(h[k]));
    ranks[2 * k + 1] = std::min(ranks[2 * k] + 1, count_ - 1);
  }
  std::int64_t sorted[2 * kMax];
  std::copy(ranks, ranks + 2 * n, sorted);
  std::sort(sorted, sorted + 2 * n);
  double values[2 * kMax];
  values_at_ranks(sorted, 2 * n, values);
  auto at = [&](std::int64_t rank) { return values[std::lower_bound(sorted, sorted + 2 * n, rank) - sorted]; };
  for (int k = 0; k < n; ++k) {
    const double a = at(ranks[2 * k]), b = at(ranks[2 * k + 1]);
    out[k] = a + (h[k] - static_cast<double>(ranks[2 * k])) * (b - a);
  }
}

}  // namespace mfgsim
