// Designs of experiments in the unit cube [0, 1]^dims, as rows of `dims`
// values (row-major): full-factorial grids, Latin hypercubes (McKay,
// Beckman and Conover 1979) and Sobol sequences (Sobol' 1967, Boost.Random's
// Joe-Kuo direction numbers). Batch sweeps and Sobol sensitivity draw from
// them; the caller scales each dimension to its parameter's range.
#pragma once

#include <cstdint>
#include <vector>

namespace mfgsim {

// Every combination of points[j] equally spaced values in [0, 1] (ends
// included; 0.5 where points[j] is 1), the first dimension varying slowest.
std::vector<double> grid_points(const std::vector<int>& points);
// `count` Latin-hypercube points: in each dimension one point per stratum
// [k/count, (k+1)/count). Deterministic in (seed, stream_key): the Philox
// key of the permutations and offsets.
std::vector<double> lhs_points(int dims, int count, std::uint64_t seed, std::uint64_t stream_key);
// Points 1 .. count of the `dims`-dimensional Sobol sequence (the all-zero
// point 0 is skipped).
std::vector<double> sobol_points(int dims, std::int64_t count);

}  // namespace mfgsim
