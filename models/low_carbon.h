// Step 5 of MODEL.md: low-carbon upgrades.
//   c_i = τ(t) EF_i e_i 1e-4     carbon cost per ¥ of value added (e before this step's cut)
//   hg_i = p_g(t) + η c_i + q_g g_i                   hazard, 1/yr
//   g_new_i = 1 - (1 - g_i) exp(-Δ hg_i)
//   G_i = s_g (g_new_i - g_i) K_i                     retrofit spending, ¥100m this month
// Parameters: low_carbon.* (carbon_price and retrofit_push levers,
// carbon_response, peer_effect, retrofit_capex), g0, EF (sector columns).
#pragma once

#include <cmath>
#include <utility>

#include "models/block.h"

namespace mfgsim::low_carbon {

// Carbon cost per unit of value added (ratio): ¥/tCO2 x tCO2/tce x tce/¥10k x 1e-4.
inline double carbon_cost(double carbon_price, double emission_factor, double energy_intensity) {
  return carbon_price * emission_factor * energy_intensity * 1e-4;
}

inline void step_row(const BlockParams& p, BlockState& s, int t, int i) {
  const int nb = p.members;
  const ConstRow g = row(std::as_const(s.upgrade), i, nb);
  const auto c = row(p.carbon_price, t, nb) * row(p.EF, i, nb) * row(s.energy_intensity, i, nb) * 1e-4;
  const auto h = row(p.retrofit_push, t, nb) + row(p.carbon_response, 0, nb) * c + row(p.peer_effect, 0, nb) * g;
  Row g_new = row(s.upgrade_new, i, nb);
  g_new = 1.0 - (1.0 - g) * (-kMonth * h).exp();
  row(s.retrofit, i, nb) = row(p.retrofit_capex, 0, nb) * (g_new - g) * row(s.capital, i, nb);
}

}  // namespace mfgsim::low_carbon
