// Steps 8 and 15 of MODEL.md: energy intensity, energy use and emissions.
//   e_i <- e_i (1 - Δ aeei_i)(1 - ψ_i (g_new_i - g_i))     tce/¥10k
//   E_i = e_i V_i 1e4  (tce/month),   CO2_i = EF_i E_i  (tCO2/month)
// Parameters: e0, aeei, green_efficiency (ψ), EF (sector columns).
#pragma once

#include "sim/block.h"

namespace mfgsim::energy {

inline void step_intensity(const BlockParams& p, BlockState& s) {
  const int n = p.sectors * p.members;
  for (int k = 0; k < n; ++k)
    s.energy_intensity[k] *= (1.0 - kMonth * p.aeei[k]) * (1.0 - p.green_efficiency[k] * (s.upgrade_new[k] - s.upgrade[k]));
}

inline void step_emissions(const BlockParams& p, BlockState& s) {
  const int n = p.sectors * p.members;
  for (int k = 0; k < n; ++k) {
    s.energy[k] = s.energy_intensity[k] * s.va[k] * 1e4;
    s.co2[k] = p.EF[k] * s.energy[k];
  }
}

}  // namespace mfgsim::energy
