#include "sim/core/designs.h"

#include <Random123/philox.h>
#include <Random123/uniform.hpp>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <numeric>

namespace mfgsim {

std::vector<double> grid_points(const std::vector<int>& points) {
  std::int64_t count = 1;
  for (int p : points) count *= std::max(p, 1);
  const std::size_t dims = points.size();
  std::vector<double> out(static_cast<std::size_t>(count) * dims);
  for (std::int64_t row = 0; row < count; ++row) {
    std::int64_t rest = row;
    // The last dimension varies fastest.
    for (std::size_t j = dims; j-- > 0;) {
      const int p = std::max(points[j], 1);
      const std::int64_t level = rest % p;
      rest /= p;
      out[static_cast<std::size_t>(row) * dims + j] = p == 1 ? 0.5 : static_cast<double>(level) / (p - 1);
    }
  }
  return out;
}

namespace {

using Philox = r123::Philox4x64;

// 64 random bits for (dim, purpose, index) under the key (seed, stream_key).
std::uint64_t random_bits(std::uint64_t seed, std::uint64_t stream_key, std::uint64_t dim, std::uint64_t purpose,
                          std::uint64_t index) {
  const Philox::key_type key = {{seed, stream_key}};
  const Philox::ctr_type counter = {{dim, purpose, index, 0}};
  return Philox()(counter, key).v[0];
}

}  // namespace

std::vector<double> lhs_points(int dims, int count, std::uint64_t seed, std::uint64_t stream_key) {
  auto uniform = [&](std::uint64_t dim, std::uint64_t purpose, std::uint64_t index) {
    return r123::u01<double>(random_bits(seed, stream_key, dim, purpose, index));  // (0, 1]
  };
  std::vector<double> out(static_cast<std::size_t>(count) * dims);
  std::vector<int> strata(static_cast<std::size_t>(count));
  for (int j = 0; j < dims; ++j) {
    std::iota(strata.begin(), strata.end(), 0);
    // Fisher-Yates with counter-based uniforms: the permutation depends only
    // on (seed, key, dimension).
    for (int i = count - 1; i > 0; --i) {
      const double u = uniform(static_cast<std::uint64_t>(j), 0, static_cast<std::uint64_t>(i));
      const int k = std::min(i, static_cast<int>((1.0 - u) * (i + 1)));
      std::swap(strata[static_cast<std::size_t>(i)], strata[static_cast<std::size_t>(k)]);
    }
    for (int i = 0; i < count; ++i) {
      const double u = 1.0 - uniform(static_cast<std::uint64_t>(j), 1, static_cast<std::uint64_t>(i));  // [0, 1)
      out[static_cast<std::size_t>(i) * dims + j] = (strata[static_cast<std::size_t>(i)] + u) / count;
    }
  }
  return out;
}

std::vector<double> sobol_points(int dims, std::int64_t count, std::uint64_t seed, std::uint64_t stream_key) {
  // Purpose 2 of the (seed, stream_key) stream (lhs_points uses 0 and 1).
  std::vector<std::uint64_t> shift(static_cast<std::size_t>(dims));
  for (int j = 0; j < dims; ++j) shift[static_cast<std::size_t>(j)] = random_bits(seed, stream_key, j, 2, 0) >> 11;
  boost::random::sobol engine(static_cast<std::size_t>(dims));
  std::vector<double> out(static_cast<std::size_t>(count) * dims);
  // Boost's engine starts at point 1 (in Gray-code order, which permutes
  // the points within each block of 2^m); point 0 is all zeros. Its values
  // are fractions of 2^64 with at most 53 significant bits for the first
  // 2^53 points, so the 53 leading bits hold them exactly.
  for (std::int64_t i = 0; i < count; ++i)
    for (int j = 0; j < dims; ++j) {
      const std::uint64_t bits = i == 0 ? 0 : engine() >> 11;
      out[static_cast<std::size_t>(i) * dims + j] = std::ldexp(static_cast<double>(bits ^ shift[static_cast<std::size_t>(j)]), -53);
    }
  return out;
}

std::string sobol_count_warning(std::int64_t count) {
  if (count > 0 && (count & (count - 1)) == 0) return {};
  std::int64_t below = 1;
  while (below * 2 <= count) below *= 2;
  return std::to_string(count) + " Sobol points: only a power of two puts exactly one point in each stratum of " +
         "every axis; " + std::to_string(below) + " or " + std::to_string(below * 2) + " would balance best";
}

}  // namespace mfgsim
