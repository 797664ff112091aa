// Step 11 of MODEL.md: relative prices.
//   P_i = 1 + π_i τ(t) EF_i e_i 1e-4 - μ_i (r - r0)      (new e, new r)
// Parameters: pass_through (π), recycling_saving (μ), EF (sector columns),
// low_carbon.carbon_price, low_carbon.recycling_start.
#pragma once

#include "models/low_carbon.h"
#include "models/block.h"

namespace mfgsim::prices {

inline double price(double pass_through, double carbon_cost, double recycling_saving, double recycling_gap) {
  return 1.0 + pass_through * carbon_cost - recycling_saving * recycling_gap;
}

inline void step_row(const BlockParams& p, BlockState& s, int t, int i) {
  const int nb = p.members;
  row(s.price, i, nb) = 1.0 +
                        row(p.pass_through, i, nb) * row(p.carbon_price, t, nb) * row(p.EF, i, nb) *
                            row(s.energy_intensity, i, nb) * 1e-4 -
                        row(p.recycling_saving, i, nb) * (row(s.recycling, 0, nb) - row(p.recycling_start, 0, nb));
}

}  // namespace mfgsim::prices
