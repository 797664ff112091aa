// Exact order statistics of a set of values: the values of a few ranks
// (the exact quantiles of an ensemble's members) without sorting or
// reordering the set.
//
// Method: bucket selection (distributive partitioning; Alabi, Blanchard,
// Gordon and Steinbach 2012, "Fast k-selection algorithms for graphics
// processing units", BucketSelect). The range [min, max] of the values is cut
// into B equal buckets (B <= 4096) by bucket(x) = floor((x - min) B /
// (max - min)), a non-decreasing function of x; a histogram of the buckets
// gives the bucket of each wanted rank and its rank inside it; only the
// values of those buckets (a few per cent of the set) are gathered and
// selected among, by the same method again (at most kMaxSelectionDepth
// levels; a level whose values are all equal answers at once), then by
// select_ranks. Three sequential passes over the set, no data-dependent
// branch in the first two, instead of quickselect's mispredicted partition
// steps over the whole set for each rank. Any pivots or bucket bounds give
// the same result: the values of the ranks are exact whatever the path.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace mfgsim {

inline constexpr int kMaxSelectionDepth = 4;  // bucket levels before select_ranks
inline constexpr int kMaxSelectionBuckets = 4096;

// Reusable buffers of order_statistics (one per thread): the gathered values
// of each level and the histogram. Sized on first use, never shrunk.
struct SelectionScratch {
  std::array<std::vector<double>, kMaxSelectionDepth> level;
  std::vector<std::uint32_t> histogram;
};

// out[i] = the value of rank ranks[i] of values[0, n) (rank 0 the least, as
// in a sorted copy; ties each take their own rank), for `count` ranks in
// [0, n), ascending, repeats allowed. values must hold no NaN (their order
// is then total); they are not changed. O(n) expected; at worst (values
// spread over many orders of magnitude) that of select_ranks on the set.
void order_statistics(const double* values, std::int64_t n, const std::int64_t* ranks, int count, double* out,
                      SelectionScratch& scratch);

// Reorders data[begin, end) so that data[r] holds the value of rank r (as
// in a sorted copy) for each of the `count` ascending ranks in [begin, end),
// with smaller values before each and larger after: one recursive
// multi-selection (nth_element on the middle rank, then each side), not one
// selection per rank. O(n log count) expected.
void select_ranks(double* data, std::int64_t begin, std::int64_t end, const std::int64_t* ranks, int count);

}  // namespace mfgsim
