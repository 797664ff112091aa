// Step 11 of MODEL.md: relative prices.
//   P_i = 1 + π_i τ(t) EF_i e_i 1e-4 - μ_i (r - r0)      (new e, new r)
// Parameters: pass_through (π), recycling_saving (μ), EF (sector columns),
// low_carbon.carbon_price, low_carbon.recycling_start.
#pragma once

#include "models/low_carbon.h"
#include "models/block.h"

namespace mfgsim::prices {

template <class T>
inline T price(T pass_through, T carbon_cost, T recycling_saving, T recycling_gap) {
  return 1.0 + pass_through * carbon_cost - recycling_saving * recycling_gap;
}

inline void step_row(const BlockParams& p, BlockState& s, int t, int i) {
  const int nb = p.members;
  for (int m = 0; m < nb; ++m) {
    const int k = i * nb + m;
    s.price[k] = price(p.pass_through[k], low_carbon::carbon_cost(p.carbon_price[t * nb + m], p.EF[k], s.energy_intensity[k]),
                       p.recycling_saving[k], s.recycling[m] - p.recycling_start[m]);
  }
}

}  // namespace mfgsim::prices
