// Steps 8 and 15 of MODEL.md (models/energy.h), called on a hand-filled block:
//   e_i <- e_i (1 - Δ aeei_i)(1 - ψ_i (g_new_i - g_i))
//   E_i = e_i V_i 1e4 (tce),   CO2_i = EF_i E_i (t)
// Tolerance 1e-12 relative.
#include <gtest/gtest.h>

#include <cmath>

#include "models/energy.h"
#include "tests/models/model_block.h"

namespace mfgsim::model_test {
namespace {

Block filled() {
  return fill_cells(Block(/*sectors=*/2), [](Block& b, int i, int m) {
    b.at(&BlockState::energy_intensity, i, m) = 1.2 + 0.3 * i + 0.05 * m;
    b.at(&BlockParams::aeei, i, m) = -0.01 + 0.01 * m;  // member 1: aeei = 0; member 0 negative
    b.at(&BlockParams::green_efficiency, i, m) = 0.1 * m + 0.05 * i;
    b.at(&BlockState::upgrade, i, m) = 0.1 + 0.05 * m;
    b.at(&BlockState::upgrade_new, i, m) = 0.1 + 0.05 * m + 0.01 * (i + 1);
    b.at(&BlockState::va, i, m) = 30.0 + 4.0 * m + 20.0 * i;
    b.at(&BlockParams::EF, i, m) = 2.0 + 0.1 * m + 0.5 * i;
  });
}

void step_emissions(Block& b) { energy::step_emissions(b.p, b.s); }

TEST(EnergyStep, IntensityFallsWithTrendAndUpgrades) {
  expect_each_cell(filled(), every_row(energy::step_intensity_row), [](const Block& b, const Block& x, int i, int m) {
    const double e = x.at(&BlockState::energy_intensity, i, m) * (1.0 - kDelta * x.at(&BlockParams::aeei, i, m)) *
                     (1.0 - x.at(&BlockParams::green_efficiency, i, m) *
                                (x.at(&BlockState::upgrade_new, i, m) - x.at(&BlockState::upgrade, i, m)));
    EXPECT_TRUE(near_rel(b.at(&BlockState::energy_intensity, i, m), e));
  });
}

TEST(EnergyStep, FullUpgradeInOneMonthCutsIntensityByPsi) {
  // g 0 -> 1, aeei = 0: e_new = e (1 - ψ).
  Block b = with_rows(filled(), {{&BlockState::upgrade, 0, 0.0}, {&BlockState::upgrade_new, 0, 1.0}, {&BlockParams::aeei, 0, 0.0}});
  const Block x = b;
  energy::step_intensity_row(b.p, b.s, 0);
  for_each_member(b, [&](int m) {
    EXPECT_TRUE(near_rel(b.at(&BlockState::energy_intensity, 0, m),
                         x.at(&BlockState::energy_intensity, 0, m) * (1.0 - x.at(&BlockParams::green_efficiency, 0, m))));
  });
}

TEST(EnergyStep, AutonomousImprovementCompounds) {
  // No upgrades (g_new = g): after n months e_n = e_0 (1 - Δ aeei)^n; 120 months.
  Block start = filled();
  for_each_cell(start, [&start](int i, int m) {
    start.at(&BlockState::upgrade_new, i, m) = start.at(&BlockState::upgrade, i, m);
  });
  const auto months_120 = [](Block& b) {
    for (int n = 1; n <= 120; ++n) every_row(energy::step_intensity_row)(b);
  };
  expect_each_cell(start, months_120, [](const Block& b, const Block& x, int i, int m) {
    EXPECT_TRUE(near_rel(b.at(&BlockState::energy_intensity, i, m),
                         x.at(&BlockState::energy_intensity, i, m) * std::pow(1.0 - kDelta * x.at(&BlockParams::aeei, i, m), 120)));
  });
}

TEST(EmissionsStep, EnergyAndCo2AreIntensityTimesValueAdded) {
  expect_each_cell(filled(), step_emissions, [](const Block& b, const Block&, int i, int m) {
    // e tce/¥10k x V ¥100m/month x 1e4 (¥10k per ¥100m) = tce/month.
    const double energy = b.at(&BlockState::energy_intensity, i, m) * b.at(&BlockState::va, i, m) * 1e4;
    EXPECT_TRUE(near_rel(b.at(&BlockState::energy, i, m), energy));
    EXPECT_TRUE(near_rel(b.at(&BlockState::co2, i, m), b.at(&BlockParams::EF, i, m) * energy));
  });
  // Zero output, zero energy and emissions.
  Block z = filled();
  for_each_member(z, [&z](int m) { z.at(&BlockState::va, 1, m) = 0.0; });
  step_emissions(z);
  for_each_member(z, [&z](int m) {
    EXPECT_EQ(z.at(&BlockState::energy, 1, m), 0.0);
    EXPECT_EQ(z.at(&BlockState::co2, 1, m), 0.0);
  });
}

TEST(EnergyStep, MembersAreIndependent) {
  expect_members_independent(filled(), [](Block& b) {
    every_row(energy::step_intensity_row)(b);
    step_emissions(b);
  });
}

}  // namespace
}  // namespace mfgsim::model_test
