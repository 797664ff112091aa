// Step 2 of MODEL.md: monthly demand/investment shocks (stochastic runs only).
//   F <- ρ_F F + σ_F ε,   z_i <- ρ_i z_i + β_i F + σ_i η_i
// Symbols: F common factor, z_i sector shock (log deviation), ε and η
// standard normals. Parameters: shocks.common_rho/common_sigma (globals),
// shock_rho/shock_sigma/shock_beta (sector columns).
#pragma once

#include "sim/block.h"

namespace mfgsim::shocks {

// normals: (1 + S) x nb standard normals, row 0 for F, row 1 + i for sector i.
inline void step(const BlockParams& p, BlockState& s, const double* normals) {
  const int nb = p.members;
  for (int m = 0; m < nb; ++m)
    s.common_factor[m] = p.common_rho[m] * s.common_factor[m] + p.common_sigma[m] * normals[m];
  for (int i = 0; i < p.sectors; ++i) {
    const int row = i * nb;
    const double* eta = normals + (1 + i) * nb;
    for (int m = 0; m < nb; ++m)
      s.z[row + m] = p.shock_rho[row + m] * s.z[row + m] + p.shock_beta[row + m] * s.common_factor[m] +
                     p.shock_sigma[row + m] * eta[m];
  }
}

}  // namespace mfgsim::shocks
