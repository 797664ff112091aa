#include "models/demand.h"

#include <Eigen/LU>

#include <cmath>

namespace mfgsim::demand {

LeontiefSolver::LeontiefSolver(const Eigen::MatrixXd& A) {
  const Eigen::MatrixXd leontief = Eigen::MatrixXd::Identity(A.rows(), A.cols()) - A;
  inverse_ = leontief.partialPivLu().inverse();
}

void LeontiefSolver::solve_block(const double* f, double* x, int nb) const {
  for (int i = 0; i < size(); ++i) solve_row(i, f, x + static_cast<std::size_t>(i) * nb, nb);
}

void LeontiefSolver::solve_row(int i, const double* f, double* x_i, int nb) const {
  double* __restrict xi = x_i;
#pragma GCC ivdep
  for (int m = 0; m < nb; ++m) xi[m] = 0.0;
  for (int j = 0; j < size(); ++j) {
    const double lij = inverse_(i, j);
    const double* __restrict fj = f + static_cast<std::size_t>(j) * nb;
#pragma GCC ivdep
    // An explicit fma: GCC's AMD Zen tuning (avoid_fma_chains) left the
    // loop's scalar remainder as a multiply and an add while its vector body
    // used fma, so a block's solve differed from a single member's (seen on
    // Zen 3, tests/models/demand_test.cpp); other tunings contract both.
    for (int m = 0; m < nb; ++m) xi[m] = std::fma(lij, fj[m], xi[m]);
  }
}

Eigen::VectorXd LeontiefSolver::solve(const Eigen::VectorXd& f) const {
  Eigen::VectorXd x(size());
  solve_block(f.data(), x.data(), 1);
  return x;
}

Eigen::VectorXd reference_final_demand(const Eigen::MatrixXd& A, const Eigen::VectorXd& gross_output0,
                                       const Eigen::VectorXd& capital_goods_share, double investment_ref) {
  return gross_output0 - A * gross_output0 - capital_goods_share * investment_ref;
}

}  // namespace mfgsim::demand
