// Step 9 of MODEL.md: recycling ratio of waste (province-wide).
//   r <- r + Δ k_r (r*(t) - r)
// Parameters: low_carbon.recycling_start (r0), recycling_target (r*(t)),
// recycling_speed (k_r, 1/yr).
#pragma once

#include "sim/block.h"

namespace mfgsim::recycling {

inline void step(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  const double* target = p.recycling_target.data() + static_cast<std::size_t>(t) * nb;
  for (int m = 0; m < nb; ++m) s.recycling[m] += kMonth * p.recycling_speed[m] * (target[m] - s.recycling[m]);
}

}  // namespace mfgsim::recycling
