// Step 6 of MODEL.md: investment and capital.
//   Icore_i = ι_i Vprev_i e^{z_i} (pressure_i / u0_i)^{φ_i} + λ N_i    ¥100m/month
//   K_i <- (1 - Δ δ_i) K_i + Icore_i + G_i                           ¥100m
// Parameters: iota, accelerator, u0, delta, K0 (sector columns),
// lending.investment_pass.
#pragma once

#include <cmath>

#include "sim/block.h"

namespace mfgsim::capital {

inline void step(const BlockParams& p, BlockState& s) {
  const int nb = p.members;
  for (int i = 0; i < p.sectors; ++i) {
    const int row = i * nb;
    for (int m = 0; m < nb; ++m) {
      const int k = row + m;
      const double core = p.iota[k] * s.va_prev[k] * std::exp(s.z[k]) *
                              std::pow(s.pressure[k] / p.u0[k], p.accelerator[k]) +
                          p.investment_pass[m] * s.new_loans[k];
      s.investment[k] = core;
      s.capital[k] = (1.0 - kMonth * p.delta[k]) * s.capital[k] + core + s.retrofit[k];
    }
  }
}

}  // namespace mfgsim::capital
