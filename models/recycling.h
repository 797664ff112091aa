// Step 9 of MODEL.md: recycling ratio of waste (province-wide).
//   r <- r + Δ k_r (r*(t) - r)
// Parameters: low_carbon.recycling_start (r0), recycling_target (r*(t)),
// recycling_speed (k_r, 1/yr).
#pragma once

#include <cstddef>

#include "models/block.h"

namespace mfgsim::recycling {

inline void step(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  double* __restrict r = s.recycling.data();
  const double* __restrict speed = p.recycling_speed.data();
  const double* __restrict target = p.recycling_target.data() + static_cast<std::size_t>(t) * nb;
#pragma GCC ivdep
  for (int m = 0; m < nb; ++m) r[m] += kMonth * speed[m] * (target[m] - r[m]);
}

}  // namespace mfgsim::recycling
