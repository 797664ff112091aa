// Steps 8 and 15 of MODEL.md: energy intensity, energy use and emissions.
//   e_i <- e_i (1 - Δ aeei_i)(1 - ψ_i (g_new_i - g_i))     tce/¥10k
//   E_i = e_i V_i 1e4  (tce/month),   CO2_i = EF_i E_i  (tCO2/month)
// Parameters: e0, aeei, green_efficiency (ψ), EF (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::energy {

template <class T>
inline T intensity_after(T intensity, T aeei, T green_efficiency, T upgrade_new, T upgrade) {
  return intensity * ((1.0 - kMonth * aeei) * (1.0 - green_efficiency * (upgrade_new - upgrade)));
}

// E (tce/month) from e and V.
template <class T>
inline T energy_use(T intensity, T va) { return intensity * va * 1e4; }

inline void step_intensity_row(const BlockParams& p, BlockState& s, int i) {
  const int nb = p.members;
  for (int m = 0; m < nb; ++m) {
    const int k = i * nb + m;
    s.energy_intensity[k] =
        intensity_after(s.energy_intensity[k], p.aeei[k], p.green_efficiency[k], s.upgrade_new[k], s.upgrade[k]);
  }
}

inline void step_emissions(const BlockParams& p, BlockState& s) {
  const int n = p.sectors * p.members;
  for (int k = 0; k < n; ++k) {
    s.energy[k] = energy_use(s.energy_intensity[k], s.va[k]);
    s.co2[k] = p.EF[k] * s.energy[k];
  }
}

}  // namespace mfgsim::energy
