// Step 7 of MODEL.md: total factor productivity.
//   lnA_i <- lnA_i + Δ γ_i + θ_i (a_new_i - a_i)
// Parameters: tfp_trend (γ, 1/yr), tfp_gain (θ) (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::productivity {

template <class T>
inline T log_tfp_after(T log_tfp, T tfp_trend, T tfp_gain, T adoption_new, T adoption) {
  return log_tfp + (kMonth * tfp_trend + tfp_gain * (adoption_new - adoption));
}

inline void step_row(const BlockParams& p, BlockState& s, int i) {
  const int nb = p.members;
  for (int m = 0; m < nb; ++m) {
    const int k = i * nb + m;
    s.log_tfp[k] = log_tfp_after(s.log_tfp[k], p.tfp_trend[k], p.tfp_gain[k], s.adoption_new[k], s.adoption[k]);
  }
}

}  // namespace mfgsim::productivity
