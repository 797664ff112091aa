// Steps 12 and 14 of MODEL.md: productive capacity and output.
//   Vcap_i = Vcap0_i exp(lnA_i) (K_i / K0_i)^{α_i}          ¥100m/month
//   V_i = min(v_i Xd_i, Vcap_i),  X_i = V_i / v_i,  u_i = V_i / Vcap_i
//   pressure_i <- v_i Xd_i / Vcap_i,   Vprev_i <- V_i
// Parameters: V0, u0 (Vcap0 = V0/u0), K0, alpha, v (sector columns).
#pragma once

#include "models/block.h"

namespace mfgsim::capacity {

// Vcap0 e^{lnA} (K/K0)^α as Vcap0 exp(lnA + α log(K inv_K0)), inv_K0 = 1/K0.
// capacity() in two halves: the exponent, then the rest (see
// adoption::credit_exponent for why).
template <class T>
inline T capacity_exponent(T log_tfp, T alpha, T capital, T inv_K0) {
  return log_tfp + alpha * vector_math::log(capital * inv_K0);
}
template <class T>
inline T capacity_from_exponent(T capacity_ref, T capacity_exponent) {
  return capacity_ref * vector_math::exp(capacity_exponent);
}
template <class T>
inline T capacity(T capacity_ref, T log_tfp, T alpha, T capital, T inv_K0) {
  return capacity_from_exponent(capacity_ref, capacity_exponent(log_tfp, alpha, capital, inv_K0));
}

// Step 14 for one member in one sector, from the desired gross output Xd;
// inv_v = 1/v. One division: the pressure v Xd / Vcap; u is the same
// quotient when demand is served (V = v Xd) and exactly 1 when capacity
// binds (V = Vcap).
template <class T>
struct Output {
  T va, gross_output, utilisation, pressure;
};
template <class T>
inline Output<T> output(T v, T inv_v, T demand_output, T capacity) {
  const T desired = v * demand_output;
  const auto served = desired < capacity;
  const T va = vector_math::select(served, desired, capacity);  // std::min(desired, capacity)
  const T pressure = desired / capacity;
  return {va, va * inv_v, vector_math::select(served, pressure, T{} + 1.0), pressure};
}

inline void step_capacity_row(const BlockParams& p, BlockState& s, int i) {
  const int nb = p.members;
  for (int m = 0; m < nb; ++m) {
    const int k = i * nb + m;
    s.capacity[k] = capacity(p.capacity_ref[k], s.log_tfp[k], p.alpha[k], s.capital[k], 1.0 / p.K0[k]);
  }
}

// Step 14 for cell k of the block.
inline void step_output_cell(const BlockParams& p, BlockState& s, int k, double inv_v) {
  const Output<double> out = output(p.v[k], inv_v, s.demand_output[k], s.capacity[k]);
  s.va[k] = out.va;
  s.gross_output[k] = out.gross_output;
  s.utilisation[k] = out.utilisation;
  s.pressure[k] = out.pressure;
  s.va_prev[k] = out.va;
}

inline void step_output(const BlockParams& p, BlockState& s) {
  const int n = p.sectors * p.members;
  for (int k = 0; k < n; ++k) step_output_cell(p, s, k, 1.0 / p.v[k]);
}

}  // namespace mfgsim::capacity
