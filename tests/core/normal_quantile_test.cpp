// The block inverse normal CDF (AS 241) against Boost.Math's normal quantile.
#include "sim/core/normal_quantile.h"

#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>

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

}  // namespace
}  // namespace mfgsim
