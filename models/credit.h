// Step 3 of MODEL.md: long-term lending.
//   N = N_prev (1 + ℓ(t))^Δ                     new medium/long-term loans, ¥100m/month
//   w_i = ω_i (1 + tilt g_i) / Σ_j ω_j (1 + tilt g_j),  N_i = w_i N
//   Lm_i <- Lm_i (1 - Δ/T_m) + N_i             medium/long-term stock, ¥100m
//   Ls_i <- Ls_i (1 + ℓs)^Δ                     short-term stock, ¥100m
// Parameters: lending.* (globals and the long_term_growth lever), loan_weight,
// Lm0, Ls0 (sector columns).
#pragma once

#include "sim/block.h"

namespace mfgsim::credit {

inline void step(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  const double* growth = p.loan_growth_factor.data() + static_cast<std::size_t>(t) * nb;
  double* total = s.new_loans_total.data();
  double* weight_sum = s.scratch.data();
  for (int m = 0; m < nb; ++m) {
    total[m] = s.new_loans_prev[m] * growth[m];
    s.new_loans_prev[m] = total[m];
    weight_sum[m] = 0.0;
  }
  for (int i = 0; i < p.sectors; ++i) {
    const int row = i * nb;
    for (int m = 0; m < nb; ++m) {
      const double w = p.loan_weight[row + m] * (1.0 + p.green_tilt[m] * s.upgrade[row + m]);
      s.new_loans[row + m] = w;
      weight_sum[m] += w;
    }
  }
  for (int i = 0; i < p.sectors; ++i) {
    const int row = i * nb;
    for (int m = 0; m < nb; ++m) {
      const double n = s.new_loans[row + m] / weight_sum[m] * total[m];
      s.new_loans[row + m] = n;
      s.long_term_loans[row + m] = s.long_term_loans[row + m] * p.loan_decay[m] + n;
      s.short_term_loans[row + m] *= p.short_term_factor[m];
    }
  }
}

}  // namespace mfgsim::credit
