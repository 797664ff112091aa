// Step 2 of MODEL.md: monthly demand/investment shocks (stochastic runs only).
//   F <- ρ_F F + σ_F ε,   z_i <- ρ_i z_i + β_i F + σ_i η_i
// Symbols: F common factor, z_i sector shock (log deviation), ε and η
// standard normals. Parameters: shocks.common_rho/common_sigma (globals),
// shock_rho/shock_sigma/shock_beta (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::shocks {

// The AR(1) update x <- ρ x + (loading) + σ η, for F (loading 0) and z_i (β_i F).
template <class T>
inline T ar1(T rho, T x, T loading, T sigma, T normal) {
  return rho * x + loading + sigma * normal;
}

// normals: (1 + S) x nb standard normals, row 0 for F, row 1 + i for sector i.
inline void step(const BlockParams& p, BlockState& s, const Column& normals) {
  const int nb = p.members;
  for (int m = 0; m < nb; ++m) {
    const double f = p.common_rho[m] * s.common_factor[m] + p.common_sigma[m] * normals[m];
    s.common_factor[m] = f;
    for (int i = 0; i < p.sectors; ++i) {
      const int k = i * nb + m;
      s.z[k] = ar1(p.shock_rho[k], s.z[k], p.shock_beta[k] * f, p.shock_sigma[k], normals[(1 + i) * nb + m]);
    }
  }
}

}  // namespace mfgsim::shocks
