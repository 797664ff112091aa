// Designs of experiments in the unit cube [0, 1]^dims, as rows of `dims`
// values (row-major): full-factorial grids, Latin hypercubes (McKay,
// Beckman and Conover 1979) and randomly shifted Sobol points (Sobol' 1967,
// Boost.Random's Joe-Kuo direction numbers). Batch sweeps and Sobol
// sensitivity draw from them; the caller scales each dimension to its
// parameter's range.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mfgsim {

// Every combination of points[j] equally spaced values in [0, 1] (ends
// included; 0.5 where points[j] is 1), the first dimension varying slowest.
std::vector<double> grid_points(const std::vector<int>& points);
// `count` Latin-hypercube points: in each dimension one point per stratum
// [k/count, (k+1)/count). Deterministic in (seed, stream_key): the Philox
// key of the permutations and offsets.
std::vector<double> lhs_points(int dims, int count, std::uint64_t seed, std::uint64_t stream_key);
// Points 0 .. count-1 of the `dims`-dimensional Sobol sequence (dims <=
// 3667, count <= 2^53), each coordinate given a random digital shift: its 53
// leading binary digits XOR one random 53-bit value per dimension
// (Matousek 1998, "On the L2-discrepancy for anchored boxes", J. Complexity
// 14; L'Ecuyer and Lemieux 2002, "Recent advances in randomized
// quasi-Monte Carlo methods", section 6.2). The shift keeps every property
// of the net: for count = 2^m each axis has exactly one point in each
// [k/count, (k+1)/count), and the first two axes one in each square of side
// 2^-(m/2) for even m. Point 0 is the shift itself, not the all-zero corner.
// Deterministic in (seed, stream_key), the Philox key of the shifts.
std::vector<double> sobol_points(int dims, std::int64_t count, std::uint64_t seed, std::uint64_t stream_key);
// Empty when `count` is a power of two; otherwise a warning for the user:
// the Sobol points are balanced (one per stratum) only at powers of two.
std::string sobol_count_warning(std::int64_t count);

}  // namespace mfgsim
