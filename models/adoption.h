// Step 4 of MODEL.md: intelligent-manufacturing adoption (aggregate mode), a
// Bass diffusion with demonstration and credit effects.
//   credit_i = (N_i / (wbar_i N0))^χ          (1 when wbar_i = 0)
//   h_i = (p(t) + q a_i + κ D_i(t) / M_i) credit_i        hazard, 1/yr
//   a_new_i = 1 - (1 - a_i) exp(-Δ h_i)
// D_i(t) = w_nat (national designations) + w_prov (provincial) up to month t.
// Parameters: intelligent_manufacturing.* (globals, innovation_p lever,
// demonstrations), a0, firms (sector columns).
#pragma once

#include <cmath>

#include "sim/block.h"

namespace mfgsim::adoption {

// The hazard h_i for one member (also used by firm mode).
inline double hazard(double p, double q, double a, double kappa, double demonstrations, double firms,
                     double credit_factor) {
  return (p + q * a + kappa * demonstrations / firms) * credit_factor;
}

inline double credit_factor(double new_loans, double credit_ref, double elasticity) {
  return credit_ref > 0.0 ? std::pow(new_loans / credit_ref, elasticity) : 1.0;
}

inline void step(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  const double* innovation = p.innovation_p.data() + static_cast<std::size_t>(t) * nb;
  for (int i = 0; i < p.sectors; ++i) {
    const int row = i * nb;
    const double national = p.demo_national[static_cast<std::size_t>(t) * p.sectors + i];
    const double provincial = p.demo_provincial[static_cast<std::size_t>(t) * p.sectors + i];
    for (int m = 0; m < nb; ++m) {
      const double d = p.national_weight[m] * national + p.provincial_weight[m] * provincial;
      const double c = credit_factor(s.new_loans[row + m], p.credit_ref[row + m], p.credit_elasticity[m]);
      const double h = hazard(innovation[m], p.imitation_q[m], s.adoption[row + m], p.demonstration_effect[m], d,
                              p.firms[row + m], c);
      s.adoption_new[row + m] = 1.0 - (1.0 - s.adoption[row + m]) * std::exp(-kMonth * h);
    }
  }
}

}  // namespace mfgsim::adoption
