// Step 13 of MODEL.md: final demand and the input-output (Leontief) solve.
//   f_i = fbar_i exp(γd_i t Δ + z_i + μ_i) (P_i / P0_i)^{-ε_i} + b_i Σ_j Icore_j
//         + [i = equipment sector] Σ_j G_j                  ¥100m/month
//   Xd = (I - A)^{-1} f                                     desired gross output
// Also the reference final demand of the initial state:
//   fbar = (I - A) X0 - b Iref.
// Parameters: demand_trend (γd, 1/yr), price_elasticity (ε),
// capital_goods_share (b) (sector columns), A (data/io_coefficients.csv),
// low_carbon.equipment_sector. μ_i: the persistent trend's level (models/trend.h),
// 0 unless a stochastic run has `trend_shocks:`.
#pragma once

#include <Eigen/Core>
#include <cmath>

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
  Eigen::VectorXd solve(const Eigen::VectorXd& f) const;

 private:
  Eigen::MatrixXd inverse_;  // (I - A)^{-1}, from one LU factorisation
};

// fbar = (I - A) X0 - b Iref.
Eigen::VectorXd reference_final_demand(const Eigen::MatrixXd& A, const Eigen::VectorXd& gross_output0,
                                       const Eigen::VectorXd& capital_goods_share, double investment_ref);

// exp(γd t Δ + z + μ) (P/P0)^{-ε} is computed as exp(γd t Δ + z + μ - ε log(P/P0)) (vectorised).
inline void final_demand(const BlockParams& p, BlockState& s, int t) {
  const int nb = p.members;
  Row investment_total = row(s.scratch, 0, nb);
  investment_total.setZero();
  for (int i = 0; i < p.sectors; ++i) investment_total += row(s.investment, i, nb);
  const double years = static_cast<double>(t) * kMonth;
  for (int i = 0; i < p.sectors; ++i)
    row(s.final_demand, i, nb) =
        row(p.final_demand_ref, i, nb) *
            (row(p.demand_trend, i, nb) * years + row(s.z, i, nb) + row(s.trend_level, i, nb) -
             row(p.price_elasticity, i, nb) * (row(s.price, i, nb) / row(p.price_ref, i, nb)).log()).exp() +
        row(p.capital_goods_share, i, nb) * investment_total;
  if (p.equipment_sector >= 0) {
    Row equipment = row(s.final_demand, p.equipment_sector, nb);
    for (int i = 0; i < p.sectors; ++i) equipment += row(s.retrofit, i, nb);
  }
}

}  // namespace mfgsim::demand
