// Step 13 of MODEL.md: final demand and the input-output (Leontief) solve.
//   f_i = fbar_i exp(γd_i t Δ + z_i + μ_i) (P_i / P0_i)^{-ε_i} + b_i Σ_j Icore_j
//         + [i = equipment sector] Σ_j G_j                  ¥100m/month
//   Xd = (I - A)^{-1} f                                     desired gross output
// Also the reference final demand of the initial state:
//   fbar = (I - A) X0 - b Iref.
// Parameters: demand_trend (γd, 1/yr), price_elasticity (ε),
// capital_goods_share (b) (sector columns), A (data/io_coefficients.csv),
// low_carbon.equipment_sector. μ_i: the persistent trend's level (models/trend.h),
// 0 unless a stochastic run has `trend_shocks:`; plus s(t), the lever
// shocks.final_demand (default 0), added to μ_i (x + 0 = x: exact when off).
#pragma once

#include <Eigen/Core>

#include "models/block.h"

namespace mfgsim::demand {

// I - A factored once per run; solves for whole blocks of members.
class LeontiefSolver {
 public:
  LeontiefSolver() = default;
  explicit LeontiefSolver(const Eigen::MatrixXd& A);
  int size() const { return static_cast<int>(inverse_.rows()); }
  // x = (I - A)^{-1} f for nb members at once; f and x are [sector * nb + m].
  // The sum runs over suppliers in a fixed order, so a member's result does
  // not depend on nb (block size) or on its position in the block.
  void solve_block(const double* f, double* x, int nb) const;
  // Row i of that solve: x_i (nb values) = Σ_j [(I - A)^{-1}]_ij f_j.
  void solve_row(int i, const double* f, double* x_i, int nb) const;
  Eigen::VectorXd solve(const Eigen::VectorXd& f) const;

 private:
  Eigen::MatrixXd inverse_;  // (I - A)^{-1}, from one LU factorisation
};

// fbar = (I - A) X0 - b Iref.
Eigen::VectorXd reference_final_demand(const Eigen::MatrixXd& A, const Eigen::VectorXd& gross_output0,
                                       const Eigen::VectorXd& capital_goods_share, double investment_ref);

// The price- and trend-driven part of sector i's final demand for one member,
// fbar exp(γd t Δ + z + μ) (P/P0)^{-ε}, as fbar exp(γd t Δ + z + μ - ε log(P inv_P0)),
// inv_P0 = 1/P0; `years` = t Δ; μ the persistent trend's level (0 without it:
// then the sum is the MODEL.md one bit for bit).
// own_final_demand() in two halves: the exponent, then the rest (see
// adoption::credit_exponent for why).
template <class T>
inline T own_final_demand_exponent(T demand_trend, double years, T z, T level, T price_elasticity, T price,
                                   T inv_price_ref) {
  return demand_trend * years + z + level - price_elasticity * vector_math::log(price * inv_price_ref);
}
template <class T>
inline T own_final_demand_from_exponent(T final_demand_ref, T exponent) {
  return final_demand_ref * vector_math::exp(exponent);
}
template <class T>
inline T own_final_demand(T final_demand_ref, T demand_trend, double years, T z, T level, T price_elasticity, T price,
                          T inv_price_ref) {
  return own_final_demand_from_exponent(
      final_demand_ref, own_final_demand_exponent(demand_trend, years, z, level, price_elasticity, price, inv_price_ref));
}

// Sector i's full final demand: its own part plus b_i Σ_j Icore_j, and at
// the equipment sector Σ_j G_j (sums over sectors in order, per member).
inline double final_demand_total(double own, double capital_goods_share, double investment_total,
                                 double retrofit_total, bool equipment) {
  const double f = own + capital_goods_share * investment_total;
  return equipment ? f + retrofit_total : f;
}

inline void final_demand(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  const double years = static_cast<double>(t) * kMonth;
  for (int m = 0; m < nb; ++m) {
    double investment_total = 0.0, retrofit_total = 0.0;
    for (int i = 0; i < p.sectors; ++i) {
      investment_total += s.investment[i * nb + m];
      retrofit_total += s.retrofit[i * nb + m];
    }
    for (int i = 0; i < p.sectors; ++i) {
      const int k = i * nb + m;
      const double own = own_final_demand(p.final_demand_ref[k], p.demand_trend[k], years, s.z[k],
                                          s.trend_level[k] + p.demand_shock[static_cast<std::size_t>(t) * nb + m],
                                          p.price_elasticity[k], s.price[k], 1.0 / p.price_ref[k]);
      s.final_demand[k] =
          final_demand_total(own, p.capital_goods_share[k], investment_total, retrofit_total, i == p.equipment_sector);
    }
  }
}

}  // namespace mfgsim::demand
