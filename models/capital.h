// Step 6 of MODEL.md: investment and capital.
//   Icore_i = ι_i Vprev_i e^{z_i} (pressure_i / u0_i)^{φ_i} + λ N_i    ¥100m/month
//   K_i <- (1 - Δ δ_i) K_i + Icore_i + G_i                           ¥100m
// Parameters: iota, accelerator, u0, delta, K0 (sector columns),
// lending.investment_pass.
#pragma once

#include "models/block.h"

namespace mfgsim::capital {

// One member's Icore in one sector; e^z (pressure/u0)^φ is computed as
// exp(z + φ log(pressure inv_u0)), inv_u0 = 1/u0.
// core_investment() in two halves: the exponent, then the rest (see
// adoption::credit_exponent for why).
template <class T>
inline T core_exponent(T z, T accelerator, T pressure, T inv_u0) {
  return z + accelerator * vector_math::log(pressure * inv_u0);
}
template <class T>
inline T core_investment_from_exponent(T iota, T va_prev, T core_exponent, T investment_pass, T new_loans) {
  return iota * va_prev * vector_math::exp(core_exponent) + investment_pass * new_loans;
}
template <class T>
inline T core_investment(T iota, T va_prev, T z, T accelerator, T pressure, T inv_u0, T investment_pass, T new_loans) {
  return core_investment_from_exponent(iota, va_prev, core_exponent(z, accelerator, pressure, inv_u0), investment_pass,
                                       new_loans);
}

// K after the month.
template <class T>
inline T capital_after(T delta, T capital, T core_investment, T retrofit) {
  return (1.0 - kMonth * delta) * capital + core_investment + retrofit;
}

inline void step_row(const BlockParams& p, BlockState& s, int i) {
  const int nb = p.members;
  for (int m = 0; m < nb; ++m) {
    const int k = i * nb + m;
    const double core = core_investment(p.iota[k], s.va_prev[k], s.z[k], p.accelerator[k], s.pressure[k],
                                        1.0 / p.u0[k], p.investment_pass[m], s.new_loans[k]);
    s.investment[k] = core;
    s.capital[k] = capital_after(p.delta[k], s.capital[k], core, s.retrofit[k]);
  }
}

}  // namespace mfgsim::capital
