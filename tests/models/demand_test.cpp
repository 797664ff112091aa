// Step 13 of MODEL.md (models/demand.h), called on a hand-filled block:
//   f_i = fbar_i exp(γd_i t Δ + z_i + s(t)) (P_i / P0_i)^{-ε_i} + b_i Σ_j Icore_j
//         + [i = equipment sector] Σ_j G_j
//   Xd = (I - A)^{-1} f
// and the reference final demand of the initial state, fbar = (I - A) X0 - b Iref.
// Tolerance 1e-12 relative unless stated (the Leontief solve: 1e-12 on the
// residual, relative to the largest term).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "models/demand.h"
#include "tests/models/model_block.h"

namespace mfgsim {
namespace {

using namespace model_test;

constexpr int kSectors = 3, kEquipment = 1, kMonths = 96;

Block filled(int equipment = kEquipment) {
  Block b(kSectors, kMonths);
  b.p.equipment_sector = equipment;
  for (int m = 0; m < b.nb(); ++m)
    for (int i = 0; i < kSectors; ++i) {
      b.at(&BlockParams::final_demand_ref, i, m) = 100.0 + 20.0 * i + m;
      b.at(&BlockParams::demand_trend, i, m) = 0.02 * i - 0.01 + 0.005 * m;
      b.at(&BlockParams::price_elasticity, i, m) = 0.3 * m + 0.1 * i;  // member 0, sector 0: ε = 0
      b.at(&BlockParams::price_ref, i, m) = 1.0 + 0.01 * i;
      b.at(&BlockParams::capital_goods_share, i, m) = i == 1 ? 0.6 : 0.2;
      b.at(&BlockState::price, i, m) = 0.97 + 0.01 * m + 0.005 * i;
      b.at(&BlockState::z, i, m) = -0.02 + 0.006 * m;
      b.at(&BlockState::investment, i, m) = 10.0 + i + 0.5 * m;
      b.at(&BlockState::retrofit, i, m) = 0.2 * m + 0.1 * i;
    }
  return b;
}

double expected_final_demand(Block& b, int t, int i, int m) {
  double investment = 0.0, retrofit = 0.0;
  for (int j = 0; j < kSectors; ++j) {
    investment += b.at(&BlockState::investment, j, m);
    retrofit += b.at(&BlockState::retrofit, j, m);
  }
  return b.at(&BlockParams::final_demand_ref, i, m) *
             std::exp(b.at(&BlockParams::demand_trend, i, m) * t * kDelta + b.at(&BlockState::z, i, m) +
                      b.at(&BlockParams::demand_shock, t, m)) *
             std::pow(b.at(&BlockState::price, i, m) / b.at(&BlockParams::price_ref, i, m),
                      -b.at(&BlockParams::price_elasticity, i, m)) +
         b.at(&BlockParams::capital_goods_share, i, m) * investment + (i == b.p.equipment_sector ? retrofit : 0.0);
}

TEST(FinalDemand, EveryMemberFollowsTheEquation) {
  for (int t : {0, 7, 95}) {
    Block b = filled();
    demand::final_demand(b.p, b.s, t);
    for (int i = 0; i < kSectors; ++i)
      for (int m = 0; m < b.nb(); ++m)
        EXPECT_TRUE(near_rel(b.at(&BlockState::final_demand, i, m), expected_final_demand(b, t, i, m)))
            << "month " << t << ", sector " << i << ", member " << m;
  }
}

// The demand-shock lever s(t) (models/MODEL.md, "Demand shocks") scales each
// sector's own part by exp(s(t)) in its month only.
TEST(FinalDemand, DemandShockScalesTheOwnPartByExpS) {
  Block shocked = filled(-1), plain = filled(-1);
  for (Block* b : {&shocked, &plain})
    for (int m = 0; m < b->nb(); ++m)
      for (int i = 0; i < kSectors; ++i) b->at(&BlockParams::capital_goods_share, i, m) = 0.0;  // own part only
  for (int m = 0; m < shocked.nb(); ++m) shocked.at(&BlockParams::demand_shock, 7, m) = -0.25 + 0.1 * m;
  for (int t : {6, 7}) {
    for (Block* b : {&shocked, &plain}) demand::final_demand(b->p, b->s, t);
    for (int m = 0; m < shocked.nb(); ++m)
      for (int i = 0; i < kSectors; ++i) {
        const double ratio = t == 7 ? std::exp(-0.25 + 0.1 * m) : 1.0;
        EXPECT_TRUE(near_rel(shocked.at(&BlockState::final_demand, i, m), ratio * plain.at(&BlockState::final_demand, i, m)))
            << "month " << t << ", sector " << i << ", member " << m;
        EXPECT_TRUE(near_rel(shocked.at(&BlockState::final_demand, i, m), expected_final_demand(shocked, t, i, m)));
      }
  }
}

TEST(FinalDemand, RetrofitSpendingGoesToTheEquipmentSectorOnly) {
  // Without an equipment sector (-1) the retrofit spending is not demand;
  // with one, exactly Σ_j G_j more lands on it and nothing on the others.
  Block with = filled(kEquipment), without = filled(-1);
  demand::final_demand(with.p, with.s, 5);
  demand::final_demand(without.p, without.s, 5);
  for (int m = 0; m < with.nb(); ++m) {
    double retrofit = 0.0;
    for (int j = 0; j < kSectors; ++j) retrofit += with.at(&BlockState::retrofit, j, m);
    for (int i = 0; i < kSectors; ++i) {
      const double extra = with.at(&BlockState::final_demand, i, m) - without.at(&BlockState::final_demand, i, m);
      EXPECT_TRUE(near_rel(extra, i == kEquipment ? retrofit : 0.0, 1e-12, 1e-12)) << i << " " << m;
    }
  }
}

TEST(FinalDemand, MonthZeroAtReferencePricesIsTheReferencePlusInvestment) {
  // t = 0, z = 0, P = P0, no retrofit: f_i = fbar_i + b_i Σ Icore_j. With the
  // month-0 investment equal to Iref this is (I - A) X0: month 0 reproduces X0.
  Block b = filled(-1);
  for (int m = 0; m < b.nb(); ++m)
    for (int i = 0; i < kSectors; ++i) {
      b.at(&BlockState::z, i, m) = 0.0;
      b.at(&BlockState::price, i, m) = b.at(&BlockParams::price_ref, i, m);
    }
  demand::final_demand(b.p, b.s, 0);
  for (int m = 0; m < b.nb(); ++m) {
    const double investment = 30.0 + 3.0 + 1.5 * m;
    for (int i = 0; i < kSectors; ++i)
      EXPECT_TRUE(near_rel(b.at(&BlockState::final_demand, i, m),
                           b.at(&BlockParams::final_demand_ref, i, m) + b.at(&BlockParams::capital_goods_share, i, m) * investment))
          << i << " " << m;
  }
}

TEST(FinalDemand, UnitPriceElasticityHalvesDemandAtDoublePrice) {
  // ε = 1, P = 2 P0, t = 0, z = 0, b = 0: f = fbar / 2.
  Block b = filled(-1);
  for (int m = 0; m < b.nb(); ++m)
    for (int i = 0; i < kSectors; ++i) {
      b.at(&BlockParams::price_elasticity, i, m) = 1.0;
      b.at(&BlockState::price, i, m) = 2.0 * b.at(&BlockParams::price_ref, i, m);
      b.at(&BlockState::z, i, m) = 0.0;
      b.at(&BlockParams::capital_goods_share, i, m) = 0.0;
    }
  demand::final_demand(b.p, b.s, 0);
  for (int m = 0; m < b.nb(); ++m)
    for (int i = 0; i < kSectors; ++i)
      EXPECT_TRUE(near_rel(b.at(&BlockState::final_demand, i, m), b.at(&BlockParams::final_demand_ref, i, m) / 2.0));
}

TEST(FinalDemand, MembersAreIndependent) {
  expect_members_independent(filled(), [](Block& b) { demand::final_demand(b.p, b.s, 11); });
}

Eigen::MatrixXd three_sector_A() {
  Eigen::MatrixXd A(3, 3);
  A << 0.10, 0.25, 0.05,  //
      0.05, 0.15, 0.20,   //
      0.12, 0.02, 0.30;
  return A;
}

TEST(Leontief, TwoSectorInverseIsTheClosedForm) {
  // (I - A)^{-1} = [[1 - a22, a12], [a21, 1 - a11]] / ((1 - a11)(1 - a22) - a12 a21).
  Eigen::MatrixXd A(2, 2);
  A << 0.2, 0.3, 0.1, 0.4;
  const demand::LeontiefSolver solver(A);
  const double det = (1 - 0.2) * (1 - 0.4) - 0.3 * 0.1;
  for (const auto& [f0, f1] : {std::pair{1.0, 0.0}, std::pair{0.0, 1.0}, std::pair{50.0, 20.0}}) {
    const Eigen::VectorXd x = solver.solve((Eigen::VectorXd(2) << f0, f1).finished());
    EXPECT_TRUE(near_rel(x[0], ((1 - 0.4) * f0 + 0.3 * f1) / det, 1e-13, 1e-15)) << f0 << " " << f1;
    EXPECT_TRUE(near_rel(x[1], (0.1 * f0 + (1 - 0.2) * f1) / det, 1e-13, 1e-15)) << f0 << " " << f1;
  }
}

TEST(Leontief, SolutionSatisfiesTheIdentityForEveryMember) {
  // (I - A) Xd = f for each member of a block; the block solve equals the
  // single-vector solve bitwise (its sum order does not depend on nb).
  const Eigen::MatrixXd A = three_sector_A();
  const demand::LeontiefSolver solver(A);
  EXPECT_EQ(solver.size(), 3);
  const int nb = kMembers;
  Column f(3 * nb), x(3 * nb);
  for (int i = 0; i < 3; ++i)
    for (int m = 0; m < nb; ++m) f[i * nb + m] = 10.0 + 7.0 * i + 13.0 * m - 2.0 * i * m;
  solver.solve_block(f.data(), x.data(), nb);
  for (int m = 0; m < nb; ++m) {
    Eigen::VectorXd fm(3), xm(3);
    for (int i = 0; i < 3; ++i) {
      fm[i] = f[i * nb + m];
      xm[i] = x[i * nb + m];
    }
    const Eigen::VectorXd residual = xm - A * xm - fm;
    EXPECT_LE(residual.cwiseAbs().maxCoeff(), 1e-12 * xm.cwiseAbs().maxCoeff()) << "member " << m;
    const Eigen::VectorXd single = solver.solve(fm);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(single[i], xm[i])) << "member " << m << " sector " << i;
  }
}

TEST(Leontief, NoIntermediateInputsIsTheIdentity) {
  const demand::LeontiefSolver solver(Eigen::MatrixXd::Zero(3, 3));
  const Eigen::VectorXd f = (Eigen::VectorXd(3) << 1.5, -2.0, 7.25).finished();
  const Eigen::VectorXd x = solver.solve(f);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(x[i], f[i]);
}

TEST(ReferenceFinalDemand, IsGrossOutputLessIntermediateAndInvestmentDemand) {
  // fbar_i = X0_i - Σ_j A_ij X0_j - b_i Iref, by hand for three sectors.
  const Eigen::MatrixXd A = three_sector_A();
  const Eigen::VectorXd X0 = (Eigen::VectorXd(3) << 400.0, 250.0, 120.0).finished();
  const Eigen::VectorXd b = (Eigen::VectorXd(3) << 0.1, 0.7, 0.2).finished();
  const double Iref = 35.0;
  const Eigen::VectorXd fbar = demand::reference_final_demand(A, X0, b, Iref);
  const double expected[3] = {400.0 - (0.10 * 400 + 0.25 * 250 + 0.05 * 120) - 0.1 * 35,
                              250.0 - (0.05 * 400 + 0.15 * 250 + 0.20 * 120) - 0.7 * 35,
                              120.0 - (0.12 * 400 + 0.02 * 250 + 0.30 * 120) - 0.2 * 35};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(near_rel(fbar[i], expected[i])) << i;
  // Round trip: Leontief-solving fbar + b Iref gives back X0.
  const Eigen::VectorXd back = demand::LeontiefSolver(A).solve(fbar + b * Iref);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(near_rel(back[i], X0[i])) << i;
}

}  // namespace
}  // namespace mfgsim
