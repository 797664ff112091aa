// Step 3 of MODEL.md: long-term lending.
//   N = N_prev (1 + ℓ(t))^Δ                     new medium/long-term loans, ¥100m/month
//   w_i = ω_i (1 + tilt g_i) / Σ_j ω_j (1 + tilt g_j),  N_i = w_i N
//   Lm_i <- Lm_i (1 - Δ/T_m) + N_i             medium/long-term stock, ¥100m
//   Ls_i <- Ls_i (1 + ℓs)^Δ                     short-term stock, ¥100m
// Parameters: lending.* (globals and the long_term_growth lever), loan_weight,
// Lm0, Ls0 (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::credit {

inline void step(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  Row total = row(s.new_loans_total, 0, nb);
  Row previous = row(s.new_loans_prev, 0, nb);
  Row weight_sum = row(s.scratch, 0, nb);
  total = previous * row(p.loan_growth_factor, t, nb);
  previous = total;
  weight_sum.setZero();
  const ConstRow tilt = row(p.green_tilt, 0, nb);
  for (int i = 0; i < p.sectors; ++i) {
    Row w = row(s.new_loans, i, nb);
    w = row(p.loan_weight, i, nb) * (1.0 + tilt * row(s.upgrade, i, nb));
    weight_sum += w;
  }
  const ConstRow decay = row(p.loan_decay, 0, nb), short_factor = row(p.short_term_factor, 0, nb);
  for (int i = 0; i < p.sectors; ++i) {
    Row n = row(s.new_loans, i, nb);
    n = n / weight_sum * total;
    row(s.long_term_loans, i, nb) = row(s.long_term_loans, i, nb) * decay + n;
    row(s.short_term_loans, i, nb) *= short_factor;
  }
}

}  // namespace mfgsim::credit
