// Steps 12 and 14 of MODEL.md: productive capacity and output.
//   Vcap_i = Vcap0_i exp(lnA_i) (K_i / K0_i)^{α_i}          ¥100m/month
//   V_i = min(v_i Xd_i, Vcap_i),  X_i = V_i / v_i,  u_i = V_i / Vcap_i
//   pressure_i <- v_i Xd_i / Vcap_i,   Vprev_i <- V_i
// Parameters: V0, u0 (Vcap0 = V0/u0), K0, alpha, v (sector columns).
#pragma once

#include <algorithm>
#include <cmath>

#include "models/block.h"

namespace mfgsim::capacity {

// Vcap0 e^{lnA} (K/K0)^α is computed as Vcap0 exp(lnA + α log(K/K0)) (vectorised).
inline void step_capacity_row(const BlockParams& p, BlockState& s, int i) {
  const int nb = p.members;
  row(s.capacity, i, nb) = row(p.capacity_ref, i, nb) *
                           (row(s.log_tfp, i, nb) + row(p.alpha, i, nb) * (row(s.capital, i, nb) / row(p.K0, i, nb)).log()).exp();
}

inline void step_output(const BlockParams& p, BlockState& s) {
  const int n = p.sectors * p.members;
  const ConstRow v(p.v.data(), n), capacity(s.capacity.data(), n);
  const auto desired = v * ConstRow(s.demand_output.data(), n);
  Row va(s.va.data(), n);
  va = desired.min(capacity);
  Row(s.gross_output.data(), n) = va / v;
  Row(s.utilisation.data(), n) = va / capacity;
  Row(s.pressure.data(), n) = desired / capacity;
  Row(s.va_prev.data(), n) = va;
}

}  // namespace mfgsim::capacity
