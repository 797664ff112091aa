// The block inverse normal CDF (AS 241) against Boost.Math's normal quantile.
#include "sim/core/normal_quantile.h"

#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/block.h"

namespace mfgsim {
namespace {

TEST(NormalQuantile, MatchesBoostAcrossCentreAndTails) {
  // Points across (0, 1) including both tails and both branch switches
  // (|u - 0.5| = 0.425; r = 5, i.e. u = exp(-25)).
  Column u;
  for (double p : {1e-300, 1e-100, 1e-20, 1e-12, std::exp(-25.0), 1e-8, 1e-4, 0.01, 0.075, 0.0751, 0.2, 0.4999,
                   0.5 + 1e-9, 0.6, 0.924, 0.926, 0.99, 1 - 1e-6, 1 - 1e-12, 1 - 0x1p-53})
    u.push_back(p);
  for (int k = 1; k < 1000; ++k) u.push_back(k / 1000.0);
  while (u.size() % kMemberPad != 0) u.push_back(0.3);
  Column x(u.size());
  normal_quantiles(u.data(), x.data(), static_cast<int>(u.size()));
  const boost::math::normal normal;
  for (std::size_t k = 0; k < u.size(); ++k) {
    const double expected = boost::math::quantile(normal, u[k]);
    // AS 241 claims about 1e-16 relative; allow 1e-13 relative (absolute near 0).
    EXPECT_NEAR(x[k], expected, 1e-13 * std::max(1.0, std::fabs(expected))) << "u = " << u[k];
  }
}

TEST(NormalQuantile, IsOddAroundOneHalf) {
  Column u(kMemberPad), x(kMemberPad), y(kMemberPad);
  for (int k = 0; k < kMemberPad; ++k) u[k] = 0.5 + 0.06 * (k + 1);
  normal_quantiles(u.data(), x.data(), kMemberPad);
  for (int k = 0; k < kMemberPad; ++k) u[k] = 1.0 - u[k];
  normal_quantiles(u.data(), y.data(), kMemberPad);
  for (int k = 0; k < kMemberPad; ++k) EXPECT_NEAR(x[k], -y[k], 1e-14);
}

// A block's quantiles, its tail elements picked out by the vector compaction
// (AVX-512 or AVX2) in chunks of 256, are bit for bit those of one value at
// a time (the scalar path): tails in every lane pattern, runs crossing a
// chunk's end, the branch edges |u - 1/2| = 0.425 and lengths not a multiple
// of the vector width.
TEST(NormalQuantile, BlockEqualsOneValueAtATime) {
  std::vector<double> u;
  std::uint64_t state = 12345;
  for (int k = 0; k < 1200; ++k) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const double v = static_cast<double>(state >> 11) * 0x1p-53;
    // Every fourth run of 16 all tails, so that whole vectors are tails too.
    u.push_back((k / 16) % 4 == 3 ? 0.05 * v + (v < 0.5 ? 0.0 : 0.95) : (v == 0.0 ? 0.5 : v));
  }
  for (double edge : {0.075, 0.925, std::nextafter(0.075, 0.0), std::nextafter(0.925, 1.0), 1e-300})
    u.insert(u.begin() + 250, edge);  // around the first chunk's end
  for (int n : {1, 3, 4, 7, 8, 255, 256, 257, 260, static_cast<int>(u.size())}) {
    std::vector<double> block(n), single(n);
    normal_quantiles(u.data(), block.data(), n);
    for (int k = 0; k < n; ++k) normal_quantiles(u.data() + k, single.data() + k, 1);
    int tails = 0;
    for (int k = 0; k < n; ++k) {
      tails += std::fabs(u[k] - 0.5) > 0.425;
      ASSERT_EQ(std::bit_cast<std::uint64_t>(block[k]), std::bit_cast<std::uint64_t>(single[k])) << n << " " << k;
    }
    if (n >= 256) {
      EXPECT_GT(tails, n / 6) << n;  // the tails are exercised, not only the centre
    }
  }
}

}  // namespace
}  // namespace mfgsim
