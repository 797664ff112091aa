// Step 5 of MODEL.md: low-carbon upgrades.
//   c_i = τ(t) EF_i e_i 1e-4     carbon cost per ¥ of value added (e before this step's cut)
//   hg_i = p_g(t) + η c_i + q_g g_i                   hazard, 1/yr
//   g_new_i = 1 - (1 - g_i) exp(-Δ hg_i)
//   G_i = s_g (g_new_i - g_i) K_i                     retrofit spending, ¥100m this month
// Parameters: low_carbon.* (carbon_price and retrofit_push levers,
// carbon_response, peer_effect, retrofit_capex), g0, EF (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::low_carbon {

// Carbon cost per unit of value added (ratio): ¥/tCO2 x tCO2/tce x tce/¥10k x 1e-4.
template <class T>
inline T carbon_cost(T carbon_price, T emission_factor, T energy_intensity) {
  return carbon_price * emission_factor * energy_intensity * 1e-4;
}

// One member's upgrade hazard hg (1/yr) in one sector.
template <class T>
inline T hazard(T retrofit_push, T carbon_response, T carbon_cost, T peer_effect, T upgrade) {
  return retrofit_push + carbon_response * carbon_cost + peer_effect * upgrade;
}

inline void step_row(const BlockParams& p, BlockState& s, int t, int i) {
  const int nb = p.members;
  for (int m = 0; m < nb; ++m) {
    const int k = i * nb + m, lever = t * nb + m;
    const double g = s.upgrade[k];
    const double c = carbon_cost(p.carbon_price[lever], p.EF[k], s.energy_intensity[k]);
    const double g_new = share_after_hazard(g, hazard(p.retrofit_push[lever], p.carbon_response[m], c, p.peer_effect[m], g));
    s.upgrade_new[k] = g_new;
    s.retrofit[k] = p.retrofit_capex[m] * (g_new - g) * s.capital[k];
  }
}

}  // namespace mfgsim::low_carbon
