// Step 2 of MODEL.md: monthly demand/investment shocks (stochastic runs only).
//   F <- ρ_F F + σ_F ε,   z_i <- ρ_i z_i + β_i F + σ_i η_i
// Symbols: F common factor, z_i sector shock (log deviation), ε and η
// standard normals. Parameters: shocks.common_rho/common_sigma (globals),
// shock_rho/shock_sigma/shock_beta (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::shocks {

// normals: (1 + S) x nb standard normals, row 0 for F, row 1 + i for sector i.
inline void step(const BlockParams& p, BlockState& s, const Column& normals) {
  const int nb = p.members;
  Row factor = row(s.common_factor, 0, nb);
  factor = row(p.common_rho, 0, nb) * factor + row(p.common_sigma, 0, nb) * row(normals, 0, nb);
  for (int i = 0; i < p.sectors; ++i)
    row(s.z, i, nb) = row(p.shock_rho, i, nb) * row(s.z, i, nb) + row(p.shock_beta, i, nb) * factor +
                      row(p.shock_sigma, i, nb) * row(normals, 1 + i, nb);
}

}  // namespace mfgsim::shocks
