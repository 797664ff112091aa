// Step 9 of MODEL.md, the province-wide recycling ratio (models/recycling.h),
// called on a hand-filled block:
//   r <- r + Δ k_r (r*(t) - r)
// Tolerance 1e-12 relative.
#include <gtest/gtest.h>

#include <cmath>

#include "models/recycling.h"
#include "tests/models/model_block.h"

namespace mfgsim {
namespace {

using namespace model_test;

constexpr int kMonths = 3;

Block filled() {
  Block b(1, kMonths);
  for (int m = 0; m < b.nb(); ++m) {
    b.at(&BlockState::recycling, m) = 0.70 + 0.01 * m;
    b.at(&BlockParams::recycling_speed, m) = 0.5 * m;  // member 0: k_r = 0
    for (int t = 0; t < kMonths; ++t) b.at(&BlockParams::recycling_target, t, m) = 0.80 - 0.02 * t;
  }
  return b;
}

TEST(RecyclingStep, MovesAFractionOfTheGapToTheTarget) {
  for (int t = 0; t < kMonths; ++t) {
    Block b = filled();
    recycling::step(b.p, b.s, t);
    Block x = filled();
    for (int m = 0; m < b.nb(); ++m) {
      const double r = x.at(&BlockState::recycling, m);
      EXPECT_TRUE(near_rel(b.at(&BlockState::recycling, m),
                           r + kDelta * x.at(&BlockParams::recycling_speed, m) * (x.at(&BlockParams::recycling_target, t, m) - r)))
          << t << " " << m;
    }
    // k_r = 0: the ratio stays.
    EXPECT_EQ(b.at(&BlockState::recycling, 0), x.at(&BlockState::recycling, 0));
  }
}

TEST(RecyclingStep, ConstantTargetClosesTheGapGeometrically) {
  // r_n = r* + (r_0 - r*) (1 - Δ k_r)^n; 120 months.
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) b.set_lever(&BlockParams::recycling_target, m, 0.85);
  Block x = b;
  for (int n = 1; n <= 120; ++n) {
    recycling::step(b.p, b.s, n % kMonths);
    for (int m = 0; m < b.nb(); ++m)
      ASSERT_TRUE(near_rel(b.at(&BlockState::recycling, m),
                           0.85 + (x.at(&BlockState::recycling, m) - 0.85) *
                                      std::pow(1.0 - kDelta * x.at(&BlockParams::recycling_speed, m), n)))
          << n << " " << m;
  }
}

TEST(RecyclingStep, AtTheTargetItStays) {
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) b.at(&BlockState::recycling, m) = b.at(&BlockParams::recycling_target, 1, m);
  recycling::step(b.p, b.s, 1);
  for (int m = 0; m < b.nb(); ++m) EXPECT_EQ(b.at(&BlockState::recycling, m), b.at(&BlockParams::recycling_target, 1, m));
}

TEST(RecyclingStep, MembersAreIndependent) {
  expect_members_independent(filled(), [](Block& b) { recycling::step(b.p, b.s, 2); });
}

}  // namespace
}  // namespace mfgsim
