#include "sim/core/order_statistics.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace mfgsim {

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

namespace {

constexpr std::int64_t kSelectBelow = 256;  // a set this small goes to select_ranks at once
constexpr int kMaxGroups = 16;              // ranks handled per pass (order_statistics splits longer lists)

// The ranks ranks[i] - base of data[0, n), which may be reordered.
void select_in_place(double* data, std::int64_t n, const std::int64_t* ranks, int count, std::int64_t base,
                     double* out) {
  std::int64_t local[kMaxGroups];
  for (int i = 0; i < count; ++i) local[i] = ranks[i] - base;
  select_ranks(data, 0, n, local, count);
  for (int i = 0; i < count; ++i) out[i] = data[local[i]];
}

struct Range {
  double least, greatest;
};

// Least and greatest value, in kLanes independent lanes (one vector min and
// max per 8 values; the lanes' `<` keeps it exact without NaN).
Range value_range(const double* values, std::int64_t n) {
  constexpr int kLanes = 8;
  double least[kLanes], greatest[kLanes];
  for (int j = 0; j < kLanes; ++j) least[j] = greatest[j] = values[0];
  const std::int64_t whole = n / kLanes * kLanes;
  for (std::int64_t m = 0; m < whole; m += kLanes)
    for (int j = 0; j < kLanes; ++j) {
      const double x = values[m + j];
      least[j] = x < least[j] ? x : least[j];
      greatest[j] = x > greatest[j] ? x : greatest[j];
    }
  for (std::int64_t m = whole; m < n; ++m) {
    least[0] = values[m] < least[0] ? values[m] : least[0];
    greatest[0] = values[m] > greatest[0] ? values[m] : greatest[0];
  }
  Range out{least[0], greatest[0]};
  for (int j = 1; j < kLanes; ++j) {
    out.least = least[j] < out.least ? least[j] : out.least;
    out.greatest = greatest[j] > out.greatest ? greatest[j] : out.greatest;
  }
  return out;
}

// floor((x - least) scale), at most last: non-decreasing in x, which is all
// the selection needs of it (rounding is monotonic).
inline int bucket_of(double x, double least, double scale, double last) {
  return static_cast<int>(std::min((x - least) * scale, last));
}

// The ranks ranks[i] - base (ascending, count <= kMaxGroups) of values[0, n)
// into out, by one bucket level at `depth`: gathers into scratch.level[depth].
// own: values itself when it may be reordered (a deeper level's buffer), else
// nullptr (the caller's values).
void bucket_select(const double* values, double* own, std::int64_t n, const std::int64_t* ranks, int count,
                   std::int64_t base, double* out, SelectionScratch& scratch, int depth) {
  if (n <= kSelectBelow || depth == kMaxSelectionDepth) {
    if (!own) {
      std::vector<double>& copy = scratch.level[0];
      if (copy.size() < static_cast<std::size_t>(n)) copy.resize(static_cast<std::size_t>(n));
      std::copy(values, values + n, copy.begin());
      own = copy.data();
    }
    select_in_place(own, n, ranks, count, base, out);
    return;
  }
  const Range range = value_range(values, n);
  if (!(range.least < range.greatest)) {  // all equal
    std::fill(out, out + count, range.least);
    return;
  }
  // About 4 values a bucket: the gathered sets stay a few per cent of the set.
  const int buckets = static_cast<int>(
      std::clamp<std::int64_t>(static_cast<std::int64_t>(std::bit_ceil(static_cast<std::uint64_t>(n))) / 4, 64,
                               kMaxSelectionBuckets));
  const double scale = buckets / (range.greatest - range.least);
  if (!(scale > 0.0 && scale <= std::numeric_limits<double>::max())) {  // a range beyond double's
    bucket_select(values, own, n, ranks, count, base, out, scratch, kMaxSelectionDepth);
    return;
  }
  const double last = buckets - 1;
  // counts[b], then group_of[b] = 1 + the group of bucket b, 0 when no rank
  // falls in it (kept all 0 between calls).
  std::vector<std::uint32_t>& histogram = scratch.histogram;
  if (histogram.size() < 2u * kMaxSelectionBuckets) histogram.assign(2u * kMaxSelectionBuckets, 0);
  std::uint32_t* counts = histogram.data();
  std::uint32_t* group_of = histogram.data() + kMaxSelectionBuckets;
  std::fill(counts, counts + buckets, 0u);
  for (std::int64_t m = 0; m < n; ++m) ++counts[bucket_of(values[m], range.least, scale, last)];

  // The bucket of each rank: consecutive ranks in one bucket form a group.
  struct Group {
    int bucket;
    std::int64_t below, size;  // values in lower buckets, in this one
    int first, count;          // its ranks
  };
  Group groups[kMaxGroups];
  int group_count = 0;
  std::int64_t below = 0;
  for (int b = 0, i = 0; i < count; below += counts[b], ++b) {
    const std::int64_t end = below + counts[b];
    if (ranks[i] - base >= end) continue;
    Group& g = groups[group_count++];
    g = {b, below, counts[b], i, 0};
    while (i < count && ranks[i] - base < end) ++i, ++g.count;
  }
  std::vector<double>& gathered = scratch.level[depth];
  std::int64_t cursor[kMaxGroups + 1];
  std::int64_t total = 0;
  for (int j = 0; j < group_count; ++j) {
    cursor[j + 1] = total;
    total += groups[j].size;
  }
  if (gathered.size() < static_cast<std::size_t>(total)) gathered.resize(static_cast<std::size_t>(total));
  double* into = gathered.data();
  for (int j = 0; j < group_count; ++j) group_of[groups[j].bucket] = static_cast<std::uint32_t>(j + 1);
  for (std::int64_t m = 0; m < n; ++m) {
    const double x = values[m];
    const std::uint32_t g = group_of[bucket_of(x, range.least, scale, last)];
    if (g != 0) into[cursor[g]++] = x;  // a few per cent taken: predictable
  }
  for (int j = 0; j < group_count; ++j) group_of[groups[j].bucket] = 0;
  std::int64_t start = 0;
  for (int j = 0; j < group_count; ++j) {
    const Group& g = groups[j];
    bucket_select(into + start, into + start, g.size, ranks + g.first, g.count, base + g.below, out + g.first, scratch,
                  depth + 1);
    start += g.size;
  }
}

}  // namespace

void order_statistics(const double* values, std::int64_t n, const std::int64_t* ranks, int count, double* out,
                      SelectionScratch& scratch) {
  for (int first = 0; first < count; first += kMaxGroups)
    bucket_select(values, nullptr, n, ranks + first, std::min(kMaxGroups, count - first), 0, out + first, scratch, 0);
}

}  // namespace mfgsim
