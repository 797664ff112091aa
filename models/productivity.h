// Step 7 of MODEL.md: total factor productivity.
//   lnA_i <- lnA_i + Δ γ_i + θ_i (a_new_i - a_i)
// Parameters: tfp_trend (γ, 1/yr), tfp_gain (θ) (sector columns).
#pragma once

#include "sim/block.h"

namespace mfgsim::productivity {

inline void step(const BlockParams& p, BlockState& s) {
  const int n = p.sectors * p.members;
  for (int k = 0; k < n; ++k)
    s.log_tfp[k] += kMonth * p.tfp_trend[k] + p.tfp_gain[k] * (s.adoption_new[k] - s.adoption[k]);
}

}  // namespace mfgsim::productivity
