// Step 4 of MODEL.md: intelligent-manufacturing adoption (aggregate mode), a
// Bass diffusion with demonstration and credit effects.
//   credit_i = (N_i / (wbar_i N0))^χ          (1 when wbar_i = 0)
//   h_i = (p(t) + q a_i + κ D_i(t) / M_i) credit_i        hazard, 1/yr
//   a_new_i = 1 - (1 - a_i) exp(-Δ h_i)
// D_i(t) = w_nat (national designations) + w_prov (provincial) up to month t.
// Parameters: intelligent_manufacturing.* (globals, innovation_p lever,
// demonstrations), a0, firms (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::adoption {

// The hazard h of sector i's row into `h`. pow(x, χ) is computed as
// exp(χ log x) on whole packets (vectorised).
inline void hazard_row(const BlockParams& p, const BlockState& s, int t, int i, Row h) {
  const int nb = p.members;
  const std::size_t demo = static_cast<std::size_t>(t) * p.sectors + i;
  const ConstRow ref = row(p.credit_ref, i, nb), a = row(s.adoption, i, nb);
  // (N + z) / (ref + z) with z = 1 where ref = 0 (then N = 0 too: the sector
  // does not borrow) is the ratio, or 1: no select, so Eigen vectorises it.
  const ConstRow no_credit = row(p.credit_ref_zero, i, nb);
  const auto ratio = (row(s.new_loans, i, nb) + no_credit) / (ref + no_credit);
  const auto credit = (row(p.credit_elasticity, 0, nb) * ratio.log()).exp();
  const auto demonstrations =
      row(p.national_weight, 0, nb) * p.demo_national[demo] + row(p.provincial_weight, 0, nb) * p.demo_provincial[demo];
  h = (row(p.innovation_p, t, nb) + row(p.imitation_q, 0, nb) * a +
       row(p.demonstration_effect, 0, nb) * demonstrations / row(p.firms, i, nb)) * credit;
}

// Sector i's row of the block (aggregate mode); also the expected adopted
// firm count a M and the designations so far.
inline void step_row(const BlockParams& p, BlockState& s, int t, int i) {
  const int nb = p.members;
  Row a_new = row(s.adoption_new, i, nb);
  hazard_row(p, s, t, i, a_new);
  a_new = 1.0 - (1.0 - row(s.adoption, i, nb)) * (-kMonth * a_new).exp();
  row(s.adopted_firms, i, nb) = a_new * row(p.firms, i, nb);
  const std::size_t demo = static_cast<std::size_t>(t) * p.sectors + i;
  row(s.demonstration_firms, i, nb).setConstant(p.demo_national[demo] + p.demo_provincial[demo]);
}

}  // namespace mfgsim::adoption
