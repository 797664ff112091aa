// Step 9 of MODEL.md: recycling ratio of waste (province-wide).
//   r <- r + Δ k_r (r*(t) - r)
// Parameters: low_carbon.recycling_start (r0), recycling_target (r*(t)),
// recycling_speed (k_r, 1/yr).
#pragma once

#include "models/block.h"

namespace mfgsim::recycling {

inline void step(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  Row r = row(s.recycling, 0, nb);
  r += kMonth * row(p.recycling_speed, 0, nb) * (row(p.recycling_target, t, nb) - r);
}

}  // namespace mfgsim::recycling
