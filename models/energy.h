// Steps 8 and 15 of MODEL.md: energy intensity, energy use and emissions.
//   e_i <- e_i (1 - Δ aeei_i)(1 - ψ_i (g_new_i - g_i))     tce/¥10k
//   E_i = e_i V_i 1e4  (tce/month),   CO2_i = EF_i E_i  (tCO2/month)
// Parameters: e0, aeei, green_efficiency (ψ), EF (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::energy {

inline void step_intensity_row(const BlockParams& p, BlockState& s, int i) {
  const int nb = p.members;
  row(s.energy_intensity, i, nb) *= (1.0 - kMonth * row(p.aeei, i, nb)) *
                                    (1.0 - row(p.green_efficiency, i, nb) * (row(s.upgrade_new, i, nb) - row(s.upgrade, i, nb)));
}

inline void step_emissions(const BlockParams& p, BlockState& s) {
  const int n = p.sectors * p.members;
  Row energy(s.energy.data(), n);
  energy = ConstRow(s.energy_intensity.data(), n) * ConstRow(s.va.data(), n) * 1e4;
  Row(s.co2.data(), n) = ConstRow(p.EF.data(), n) * energy;
}

}  // namespace mfgsim::energy
