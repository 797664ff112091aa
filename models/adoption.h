// Step 4 of MODEL.md: intelligent-manufacturing adoption (aggregate mode), a
// Bass diffusion with demonstration and credit effects.
//   credit_i = (N_i / (wbar_i N0))^χ          (1 when wbar_i = 0)
//   h_i = (p(t) + q a_i + κ D_i(t) / M_i) credit_i        hazard, 1/yr
//   a_new_i = 1 - (1 - a_i) exp(-Δ h_i)
// D_i(t) = w_nat (national designations) + w_prov (provincial) up to month t.
// Parameters: intelligent_manufacturing.* (globals, innovation_p lever,
// demonstrations), a0, firms (sector columns).
#pragma once

#include <cstddef>

#include "models/block.h"

namespace mfgsim::adoption {

// One member's hazard h (1/yr) in one sector. demonstration_term = κ D/M;
// (N + no_credit) inv_ref is N/(wbar N0), or 1 for a sector that does not
// borrow (no_credit = 1, N = 0, inv_ref = 1). pow(x, χ) is exp(χ log x).
// hazard() in two halves, the exponent of the credit factor and the rest,
// so that a loop can take every member's log before any exp (one dependent
// log-exp chain a member stalls the vector ports).
template <class T>
inline T credit_exponent(T credit_elasticity, T new_loans, T no_credit, T inv_ref) {
  return credit_elasticity * vector_math::log((new_loans + no_credit) * inv_ref);
}
template <class T>
inline T hazard_from_exponent(T innovation_p, T imitation_q, T adoption, T demonstration_term, T credit_exponent) {
  return (innovation_p + imitation_q * adoption + demonstration_term) * vector_math::exp(credit_exponent);
}
template <class T>
inline T hazard(T innovation_p, T imitation_q, T adoption, T demonstration_term, T credit_elasticity, T new_loans,
                T no_credit, T inv_ref) {
  return hazard_from_exponent(innovation_p, imitation_q, adoption, demonstration_term,
                              credit_exponent(credit_elasticity, new_loans, no_credit, inv_ref));
}

// D_i(t) = w_nat national + w_prov provincial designations up to month t.
inline double demonstrations(const BlockParams& p, int t, int i, int m) {
  const std::size_t demo = static_cast<std::size_t>(t) * p.sectors + i;
  return p.national_weight[m] * p.demo_national[demo] + p.provincial_weight[m] * p.demo_provincial[demo];
}

// The hazard h of sector i's row into `h`.
inline void hazard_row(const BlockParams& p, const BlockState& s, int t, int i, Row h) {
  const int nb = p.members;
  for (int m = 0; m < nb; ++m) {
    const int k = i * nb + m;
    const double no_credit = p.credit_ref_zero[k];
    h[m] = hazard(p.innovation_p[t * nb + m], p.imitation_q[m], s.adoption[k],
                  p.demonstration_effect[m] * demonstrations(p, t, i, m) / p.firms[k], p.credit_elasticity[m],
                  s.new_loans[k], no_credit, 1.0 / (p.credit_ref[k] + no_credit));
  }
}

// Sector i's row of the block (aggregate mode); also the expected adopted
// firm count a M and the designations so far.
inline void step_row(const BlockParams& p, BlockState& s, int t, int i) {
  const int nb = p.members;
  Row a_new = row(s.adoption_new, i, nb);
  hazard_row(p, s, t, i, a_new);
  for (int m = 0; m < nb; ++m) a_new[m] = share_after_hazard(s.adoption[i * nb + m], a_new[m]);
  row(s.adopted_firms, i, nb) = a_new * row(p.firms, i, nb);
  const std::size_t demo = static_cast<std::size_t>(t) * p.sectors + i;
  row(s.demonstration_firms, i, nb).setConstant(p.demo_national[demo] + p.demo_provincial[demo]);
}

}  // namespace mfgsim::adoption
