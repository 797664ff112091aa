// Step 5 of MODEL.md: low-carbon upgrades.
//   c_i = τ(t) EF_i e_i 1e-4     carbon cost per ¥ of value added (e before this step's cut)
//   hg_i = p_g(t) + η c_i + q_g g_i                   hazard, 1/yr
//   g_new_i = 1 - (1 - g_i) exp(-Δ hg_i)
//   G_i = s_g (g_new_i - g_i) K_i                     retrofit spending, ¥100m this month
// Parameters: low_carbon.* (carbon_price and retrofit_push levers,
// carbon_response, peer_effect, retrofit_capex), g0, EF (sector columns).
#pragma once

#include <cmath>

#include "sim/block.h"

namespace mfgsim::low_carbon {

// Carbon cost per unit of value added (ratio): ¥/tCO2 x tCO2/tce x tce/¥10k x 1e-4.
inline double carbon_cost(double carbon_price, double emission_factor, double energy_intensity) {
  return carbon_price * emission_factor * energy_intensity * 1e-4;
}

inline void step(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  const double* tau = p.carbon_price.data() + static_cast<std::size_t>(t) * nb;
  const double* push = p.retrofit_push.data() + static_cast<std::size_t>(t) * nb;
  for (int i = 0; i < p.sectors; ++i) {
    const int row = i * nb;
    for (int m = 0; m < nb; ++m) {
      const double g = s.upgrade[row + m];
      const double c = carbon_cost(tau[m], p.EF[row + m], s.energy_intensity[row + m]);
      const double h = push[m] + p.carbon_response[m] * c + p.peer_effect[m] * g;
      const double g_new = 1.0 - (1.0 - g) * std::exp(-kMonth * h);
      s.upgrade_new[row + m] = g_new;
      s.retrofit[row + m] = p.retrofit_capex[m] * (g_new - g) * s.capital[row + m];
    }
  }
}

}  // namespace mfgsim::low_carbon
