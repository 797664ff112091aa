// Step 5 of MODEL.md, low-carbon upgrades (models/low_carbon.h), called on a
// hand-filled block:
//   c_i = τ(t) EF_i e_i 1e-4            (e before this step's cut)
//   hg_i = p_g(t) + η c_i + q_g g_i
//   g_new_i = 1 - (1 - g_i) exp(-Δ hg_i)
//   G_i = s_g (g_new_i - g_i) K_i
// Tolerance 1e-12 relative.
#include <gtest/gtest.h>

#include <cmath>

#include "models/low_carbon.h"
#include "tests/models/model_block.h"

namespace mfgsim::model_test {
namespace {

constexpr int kSectors = 2, kMonths = 3;

Block filled() {
  Block b = fill_cells(Block(kSectors, kMonths), [](Block& b, int i, int m) {
    b.at(&BlockParams::EF, i, m) = 2.5 + 0.5 * i;
    b.at(&BlockState::energy_intensity, i, m) = 1.5 + i + 0.1 * m;
    b.at(&BlockState::upgrade, i, m) = 0.05 + 0.1 * m + 0.02 * i;
    b.at(&BlockState::capital, i, m) = 800.0 + 50.0 * m + 200.0 * i;
  });
  for_each_member(b, [&b](int m) {
    for (int t = 0; t < kMonths; ++t) {
      b.at(&BlockParams::carbon_price, t, m) = t == 0 ? 0.0 : 40.0 * t + 10.0 * m;  // month 0: no carbon price
      b.at(&BlockParams::retrofit_push, t, m) = 0.02 * t + 0.01 * m;
    }
    b.at(&BlockParams::carbon_response, m) = 0.5 + 0.5 * m;
    b.at(&BlockParams::peer_effect, m) = 0.05 * m;
    b.at(&BlockParams::retrofit_capex, m) = 0.05 + 0.01 * m;
  });
  return b;
}

TEST(LowCarbonStep, EveryMemberFollowsTheUpgradeHazard) {
  for (int t = 0; t < kMonths; ++t) {
    Block b = filled();
    for (int i = 0; i < kSectors; ++i) low_carbon::step_row(b.p, b.s, t, i);
    Block x = filled();
    for (int i = 0; i < kSectors; ++i)
      for (int m = 0; m < b.nb(); ++m) {
        SCOPED_TRACE("month " + std::to_string(t) + ", sector " + std::to_string(i) + ", member " + std::to_string(m));
        const double g = x.at(&BlockState::upgrade, i, m);
        const double c = x.at(&BlockParams::carbon_price, t, m) * x.at(&BlockParams::EF, i, m) *
                         x.at(&BlockState::energy_intensity, i, m) * 1e-4;
        const double h = x.at(&BlockParams::retrofit_push, t, m) + x.at(&BlockParams::carbon_response, m) * c +
                         x.at(&BlockParams::peer_effect, m) * g;
        const double g_new = 1.0 - (1.0 - g) * std::exp(-kDelta * h);
        EXPECT_TRUE(near_rel(b.at(&BlockState::upgrade_new, i, m), g_new));
        EXPECT_TRUE(near_rel(b.at(&BlockState::retrofit, i, m),
                             x.at(&BlockParams::retrofit_capex, m) * (g_new - g) * x.at(&BlockState::capital, i, m), 1e-10))
            << "(1e-10: g_new - g cancels digits)";
        // The step leaves its inputs alone: g is committed in step 10, e cut in step 8.
        EXPECT_EQ(b.at(&BlockState::upgrade, i, m), g);
        EXPECT_EQ(b.at(&BlockState::energy_intensity, i, m), x.at(&BlockState::energy_intensity, i, m));
      }
  }
}

TEST(LowCarbonStep, ZeroCarbonPriceLeavesPushAndPeers) {
  // τ = 0 (month 0): hg = p_g + q_g g, whatever η, EF and e.
  Block b = filled(), c = filled();
  for (int m = 0; m < c.nb(); ++m) {
    c.at(&BlockParams::carbon_response, m) *= 10.0;
    c.at(&BlockState::energy_intensity, 0, m) *= 3.0;
  }
  low_carbon::step_row(b.p, b.s, 0, 0);
  low_carbon::step_row(c.p, c.s, 0, 0);
  for (int m = 0; m < b.nb(); ++m) {
    EXPECT_EQ(b.at(&BlockState::upgrade_new, 0, m), c.at(&BlockState::upgrade_new, 0, m)) << m;
    const double g = b.at(&BlockState::upgrade, 0, m);
    const double h = b.at(&BlockParams::retrofit_push, 0, m) + b.at(&BlockParams::peer_effect, m) * g;
    EXPECT_TRUE(near_rel(b.at(&BlockState::upgrade_new, 0, m), 1.0 - (1.0 - g) * std::exp(-kDelta * h))) << m;
  }
  // Member 0 in month 0: p_g = 0, q_g = 0, τ = 0: nothing happens, nothing is spent.
  EXPECT_TRUE(near_rel(b.at(&BlockState::upgrade_new, 0, 0), b.at(&BlockState::upgrade, 0, 0), 1e-15, 1e-16));
  EXPECT_LE(std::fabs(b.at(&BlockState::retrofit, 0, 0)), 1e-12);
}

TEST(LowCarbonStep, FullUpgradeSpendsNothing) {
  Block b = with_rows(filled(), {{&BlockState::upgrade, 1, 1.0}});
  low_carbon::step_row(b.p, b.s, 2, 1);
  for_each_member(b, [&b](int m) {
    EXPECT_EQ(b.at(&BlockState::upgrade_new, 1, m), 1.0);
    EXPECT_EQ(b.at(&BlockState::retrofit, 1, m), 0.0);
  });
}

TEST(LowCarbonStep, ConstantPushFollowsTheClosedForm) {
  // τ = 0, q_g = 0, constant p_g: g_n = 1 - (1 - g_0) exp(-p_g n Δ); 60 months,
  // and the retrofit spending sums to s_g (g_n - g_0) K at constant K.
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) {
    b.set_lever(&BlockParams::carbon_price, m, 0.0);
    b.set_lever(&BlockParams::retrofit_push, m, 0.1 + 0.05 * m);
    b.at(&BlockParams::peer_effect, m) = 0.0;
  }
  const Block start = b;
  Block x = start;
  std::vector<double> spent(b.nb(), 0.0);
  for (int n = 1; n <= 60; ++n) {
    low_carbon::step_row(b.p, b.s, 1, 0);
    for (int m = 0; m < b.nb(); ++m) spent[m] += b.at(&BlockState::retrofit, 0, m);
    b.s.upgrade = b.s.upgrade_new;
  }
  for (int m = 0; m < b.nb(); ++m) {
    const double g0 = x.at(&BlockState::upgrade, 0, m);
    const double g60 = 1.0 - (1.0 - g0) * std::exp(-(0.1 + 0.05 * m) * 60 * kDelta);
    EXPECT_TRUE(near_rel(b.at(&BlockState::upgrade, 0, m), g60)) << m;
    EXPECT_TRUE(near_rel(spent[m], x.at(&BlockParams::retrofit_capex, m) * (g60 - g0) * x.at(&BlockState::capital, 0, m), 1e-11))
        << m;
  }
}

TEST(LowCarbonStep, MembersAreIndependent) {
  expect_members_independent(filled(), [](Block& b) {
    for (int i = 0; i < kSectors; ++i) low_carbon::step_row(b.p, b.s, 2, i);
  });
}

}  // namespace
}  // namespace mfgsim::model_test
