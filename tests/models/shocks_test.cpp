// Step 2 of MODEL.md, monthly shocks (models/shocks.h), called on a
// hand-filled block with chosen "normals" (row 0 for F, row 1 + i for sector i):
//   F <- ρ_F F + σ_F ε,   z_i <- ρ_i z_i + β_i F + σ_i η_i   (F after its update)
// Tolerance 1e-12 relative.
#include <gtest/gtest.h>

#include <cmath>

#include "models/shocks.h"
#include "tests/models/model_block.h"

namespace mfgsim::model_test {
namespace {

constexpr int kSectors = 3;

Block filled() {
  Block b(kSectors);
  for_each_member(b, [&b](int m) {
    b.at(&BlockParams::common_rho, m) = 0.1 * m - 0.2;
    b.at(&BlockParams::common_sigma, m) = 0.01 + 0.002 * m;
    b.at(&BlockState::common_factor, m) = 0.03 - 0.01 * m;
  });
  for_each_cell(b, [&b](int i, int m) {
    b.at(&BlockParams::shock_rho, i, m) = 0.5 + 0.05 * i;
    b.at(&BlockParams::shock_sigma, i, m) = 0.02 + 0.01 * i;
    b.at(&BlockParams::shock_beta, i, m) = 1.0 - 0.5 * i;
    b.at(&BlockState::z, i, m) = 0.01 * (m - i);
  });
  return b;
}

Column chosen_normals(int nb) {
  Column normals(static_cast<std::size_t>(1 + kSectors) * nb);
  for (int row = 0; row <= kSectors; ++row)
    for (int m = 0; m < nb; ++m) normals[row * nb + m] = std::sin(1.0 + row * 7.0 + m * 3.0) * 2.0;
  return normals;
}

TEST(ShocksStep, CommonFactorThenSectorShocks) {
  Block b = filled();
  const Column normals = chosen_normals(b.nb());
  shocks::step(b.p, b.s, normals);
  const Block x = filled();
  const int nb = b.nb();
  const auto common_factor = [&](int m) {
    return x.at(&BlockParams::common_rho, m) * x.at(&BlockState::common_factor, m) + x.at(&BlockParams::common_sigma, m) * normals[m];
  };
  for_each_member(b, [&](int m) { EXPECT_TRUE(near_rel(b.at(&BlockState::common_factor, m), common_factor(m))); });
  for_each_cell(b, [&](int i, int m) {
    const double z = x.at(&BlockParams::shock_rho, i, m) * x.at(&BlockState::z, i, m) +
                     x.at(&BlockParams::shock_beta, i, m) * common_factor(m) + x.at(&BlockParams::shock_sigma, i, m) * normals[(1 + i) * nb + m];
    EXPECT_TRUE(near_rel(b.at(&BlockState::z, i, m), z, 1e-12, 1e-17));
  });
}

TEST(ShocksStep, WithoutInnovationsShocksDecayGeometrically) {
  // ε = η = 0: F_n = ρ_F^n F_0 and, with β = 0, z_n = ρ^n z_0; 24 months.
  Block b = filled();
  for_each_cell(b, [&b](int i, int m) { b.at(&BlockParams::shock_beta, i, m) = 0.0; });
  const Column zeros(static_cast<std::size_t>(1 + kSectors) * b.nb(), 0.0);
  const Block x = b;
  for (int n = 1; n <= 24; ++n) shocks::step(b.p, b.s, zeros);
  for_each_member(b, [&](int m) {
    EXPECT_TRUE(near_rel(b.at(&BlockState::common_factor, m),
                         std::pow(x.at(&BlockParams::common_rho, m), 24) * x.at(&BlockState::common_factor, m), 1e-12, 1e-300));
  });
  for_each_cell(b, [&](int i, int m) {
    EXPECT_TRUE(near_rel(b.at(&BlockState::z, i, m), std::pow(x.at(&BlockParams::shock_rho, i, m), 24) * x.at(&BlockState::z, i, m)));
  });
}

TEST(ShocksStep, ZeroSigmasAndStateStayZero) {
  // The deterministic run: σ = σ_F = 0 and z = F = 0 stay 0 whatever the draws.
  Block b = filled();
  for_each_member(b, [&b](int m) {
    b.at(&BlockParams::common_sigma, m) = 0.0;
    b.at(&BlockState::common_factor, m) = 0.0;
  });
  for_each_cell(b, [&b](int i, int m) {
    b.at(&BlockParams::shock_sigma, i, m) = 0.0;
    b.at(&BlockState::z, i, m) = 0.0;
  });
  shocks::step(b.p, b.s, chosen_normals(b.nb()));
  for_each_member(b, [&b](int m) { EXPECT_EQ(b.at(&BlockState::common_factor, m), 0.0); });
  for_each_cell(b, [&b](int i, int m) { EXPECT_EQ(b.at(&BlockState::z, i, m), 0.0); });
}

TEST(ShocksStep, MembersAreIndependent) {
  // The normals are an input too: poisoning other members' normals must not matter.
  const Block block = filled();
  const Column normals = chosen_normals(block.nb());
  expect_members_independent(block, [&](Block& b) {
    Column own = normals;
    for (std::size_t k = 0; k < own.size(); ++k)
      if (std::isnan(b.s.z[k % b.nb()])) own[k] = std::nan("");
    shocks::step(b.p, b.s, own);
  });
}

}  // namespace
}  // namespace mfgsim::model_test
