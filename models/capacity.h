// Steps 12 and 14 of MODEL.md: productive capacity and output.
//   Vcap_i = Vcap0_i exp(lnA_i) (K_i / K0_i)^{α_i}          ¥100m/month
//   V_i = min(v_i Xd_i, Vcap_i),  X_i = V_i / v_i,  u_i = V_i / Vcap_i
//   pressure_i <- v_i Xd_i / Vcap_i,   Vprev_i <- V_i
// Parameters: V0, u0 (Vcap0 = V0/u0), K0, alpha, v (sector columns).
#pragma once

#include <algorithm>
#include <cmath>

#include "sim/block.h"

namespace mfgsim::capacity {

inline void step_capacity(const BlockParams& p, BlockState& s) {
  const int n = p.sectors * p.members;
  for (int k = 0; k < n; ++k)
    s.capacity[k] = p.capacity_ref[k] * std::exp(s.log_tfp[k]) * std::pow(s.capital[k] / p.K0[k], p.alpha[k]);
}

inline void step_output(const BlockParams& p, BlockState& s) {
  const int n = p.sectors * p.members;
  for (int k = 0; k < n; ++k) {
    const double desired = p.v[k] * s.demand_output[k];
    const double va = std::min(desired, s.capacity[k]);
    s.va[k] = va;
    s.gross_output[k] = va / p.v[k];
    s.utilisation[k] = va / s.capacity[k];
    s.pressure[k] = desired / s.capacity[k];
    s.va_prev[k] = va;
  }
}

}  // namespace mfgsim::capacity
