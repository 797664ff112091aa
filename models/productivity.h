// Step 7 of MODEL.md: total factor productivity.
//   lnA_i <- lnA_i + Δ γ_i + θ_i (a_new_i - a_i)
// Parameters: tfp_trend (γ, 1/yr), tfp_gain (θ) (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::productivity {

inline void step_row(const BlockParams& p, BlockState& s, int i) {
  const int nb = p.members;
  row(s.log_tfp, i, nb) += kMonth * row(p.tfp_trend, i, nb) +
                           row(p.tfp_gain, i, nb) * (row(s.adoption_new, i, nb) - row(s.adoption, i, nb));
}

}  // namespace mfgsim::productivity
