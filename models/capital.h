// Step 6 of MODEL.md: investment and capital.
//   Icore_i = ι_i Vprev_i e^{z_i} (pressure_i / u0_i)^{φ_i} + λ N_i    ¥100m/month
//   K_i <- (1 - Δ δ_i) K_i + Icore_i + G_i                           ¥100m
// Parameters: iota, accelerator, u0, delta, K0 (sector columns),
// lending.investment_pass.
#pragma once

#include <cmath>

#include "models/block.h"

namespace mfgsim::capital {

// e^z (pressure/u0)^φ is computed as exp(z + φ log(pressure/u0)) (vectorised).
inline void step_row(const BlockParams& p, BlockState& s, int i) {
  const int nb = p.members;
  Row core = row(s.investment, i, nb);
  core = row(p.iota, i, nb) * row(s.va_prev, i, nb) *
             (row(s.z, i, nb) + row(p.accelerator, i, nb) * (row(s.pressure, i, nb) / row(p.u0, i, nb)).log()).exp() +
         row(p.investment_pass, 0, nb) * row(s.new_loans, i, nb);
  Row capital = row(s.capital, i, nb);
  capital = (1.0 - kMonth * row(p.delta, i, nb)) * capital + core + row(s.retrofit, i, nb);
}

}  // namespace mfgsim::capital
