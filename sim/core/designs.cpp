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

std::vector<double> lhs_points(int dims, int count, std::uint64_t seed, std::uint64_t stream_key) {
  using Philox = r123::Philox4x64;
  const Philox::key_type philox_key = {{seed, stream_key}};
  auto uniform = [&](std::uint64_t dim, std::uint64_t purpose, std::uint64_t index) {
    const Philox::ctr_type counter = {{dim, purpose, index, 0}};
    return r123::u01<double>(Philox()(counter, philox_key).v[0]);  // (0, 1]
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

std::vector<double> sobol_points(int dims, std::int64_t count) {
  boost::random::sobol engine(static_cast<std::size_t>(dims));
  std::vector<double> out(static_cast<std::size_t>(count) * dims);
  // Values are 64-bit fractions of 2^64; the first 2^53 points have at most
  // 53 significant bits, so the conversion is exact.
  for (double& x : out) x = std::ldexp(static_cast<double>(engine()), -64);
  return out;
}

}  // namespace mfgsim
