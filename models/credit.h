// Step 3 of MODEL.md: long-term lending.
//   N = N_prev (1 + ℓ(t))^Δ                     new medium/long-term loans, ¥100m/month
//   w_i = ω_i (1 + tilt g_i) / Σ_j ω_j (1 + tilt g_j),  N_i = w_i N
//   Lm_i <- Lm_i (1 - Δ/T_m) + N_i             medium/long-term stock, ¥100m
//   Ls_i <- Ls_i (1 + ℓs)^Δ                     short-term stock, ¥100m
// Parameters: lending.* (globals and the long_term_growth lever), loan_weight,
// Lm0, Ls0 (sector columns).
#pragma once

#include <cstddef>

#include "models/block.h"

namespace mfgsim::credit {

// The unnormalised share weight ω_i (1 + tilt g_i).
inline double weight(double loan_weight, double green_tilt, double upgrade) {
  return loan_weight * (1.0 + green_tilt * upgrade);
}

// Step 3 for the whole block: N per member (s.new_loans_total), N_i =
// w_i (N / Σ_j w_j) per sector (one division per member), and the stocks.
// Rows as restrict pointers so that the member loops vectorise.
inline void step(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  double* __restrict total = s.new_loans_total.data();
  double* __restrict previous = s.new_loans_prev.data();
  double* __restrict scale = s.scratch.data();
  const double* __restrict growth = p.loan_growth_factor.data() + static_cast<std::size_t>(t) * nb;
  const double* __restrict tilt = p.green_tilt.data();
  const double* __restrict decay = p.loan_decay.data();
  const double* __restrict short_factor = p.short_term_factor.data();
#pragma GCC ivdep
  for (int m = 0; m < nb; ++m) {
    total[m] = previous[m] * growth[m];
    previous[m] = total[m];
    scale[m] = 0.0;
  }
  for (int i = 0; i < p.sectors; ++i) {
    const std::size_t at = static_cast<std::size_t>(i) * nb;
    const double* __restrict loan_weight = p.loan_weight.data() + at;
    const double* __restrict upgrade = s.upgrade.data() + at;
    double* __restrict new_loans = s.new_loans.data() + at;
#pragma GCC ivdep
    for (int m = 0; m < nb; ++m) {
      new_loans[m] = weight(loan_weight[m], tilt[m], upgrade[m]);
      scale[m] += new_loans[m];
    }
  }
#pragma GCC ivdep
  for (int m = 0; m < nb; ++m) scale[m] = total[m] / scale[m];
  for (int i = 0; i < p.sectors; ++i) {
    const std::size_t at = static_cast<std::size_t>(i) * nb;
    double* __restrict new_loans = s.new_loans.data() + at;
    double* __restrict long_term = s.long_term_loans.data() + at;
    double* __restrict short_term = s.short_term_loans.data() + at;
#pragma GCC ivdep
    for (int m = 0; m < nb; ++m) {
      new_loans[m] *= scale[m];
      long_term[m] = long_term[m] * decay[m] + new_loans[m];
      short_term[m] *= short_factor[m];
    }
  }
}

}  // namespace mfgsim::credit
