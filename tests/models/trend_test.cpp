// The persistent trend (models/trend.h): one step against its equations on
// chosen normals (1e-12 relative), and the state's variance after n months
// from 20,000 members against the closed forms (Philox normals; tolerance
// 5% relative, five standard errors of a sample variance of 20,000 draws,
// sqrt(2 / 20,000) = 1%):
//   random walk (φ_d = 1):  Var d_n = n σ_d²,
//                           Var μ_n = σ_d² n (n + 1)(2n + 1) / 6 + n σ_μ²;
//   damped (φ_d < 1):       Var d_n = σ_d² (1 - φ_d^{2n}) / (1 - φ_d²);
//   across sectors:         corr(d_i, d_j) = β_d².
#include "models/trend.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/core/random_stream.h"

namespace mfgsim {
namespace {

constexpr int kSectors = 2;

struct TrendBlock {
  BlockParams p;
  BlockState s;
  Column normals;
  TrendBlock(int members, double drift_sigma, double persistence, double loading, double level_sigma) {
    p.allocate(kSectors, members, 1);
    s.allocate(kSectors, members);
    normals.assign(static_cast<std::size_t>(trend::normal_rows(kSectors)) * members, 0.0);
    for (int m = 0; m < members; ++m) {
      p.trend_drift_sigma[m] = drift_sigma;
      p.trend_drift_persistence[m] = persistence;
      p.trend_common_loading[m] = loading;
      p.trend_level_sigma[m] = level_sigma;
    }
  }
  // n months with normals from the model's stream (purpose trend).
  void run(int months) {
    const RandomStream stream(7, kModelStreamKey);
    const int nb = p.members, rows = trend::normal_rows(kSectors);
    for (int t = 0; t < months; ++t) {
      for (int m = 0; m < nb; ++m)
        for (int r = 0; r < rows; r += 4) {
          double z[4];
          stream.normals(m, t, StreamPurpose::trend, r / 4, z);
          for (int k = 0; k < 4 && r + k < rows; ++k) normals[(r + k) * nb + m] = z[k];
        }
      trend::step(p, s, normals);
    }
  }
  double moment(const Column& a, int i, const Column* b = nullptr, int j = 0) const {
    const int nb = p.members;
    double sa = 0, sb = 0, sab = 0;
    for (int m = 0; m < nb; ++m) {
      const double x = a[i * nb + m], y = b ? (*b)[j * nb + m] : x;
      sa += x;
      sb += y;
      sab += x * y;
    }
    return sab / nb - sa / nb * sb / nb;
  }
};

TEST(TrendStep, FollowsItsEquations) {
  TrendBlock b(8, 0.003, 0.9, 0.6, 0.004);
  const int nb = 8;
  for (int k = 0; k < kSectors * nb; ++k) {
    b.s.trend_drift[k] = 0.001 * (k - 5);
    b.s.trend_level[k] = 0.01 * std::sin(k);
  }
  for (std::size_t k = 0; k < b.normals.size(); ++k) b.normals[k] = 2.0 * std::sin(1.0 + 3.0 * k);
  const BlockState before = b.s;
  trend::step(b.p, b.s, b.normals);
  for (int i = 0; i < kSectors; ++i)
    for (int m = 0; m < nb; ++m) {
      const double eps = b.normals[m], eta = b.normals[(1 + i) * nb + m], xi = b.normals[(1 + kSectors + i) * nb + m];
      const double d = 0.9 * before.trend_drift[i * nb + m] + 0.003 * (0.6 * eps + std::sqrt(1 - 0.36) * eta);
      const double mu = before.trend_level[i * nb + m] + d + 0.004 * xi;
      EXPECT_NEAR(b.s.trend_drift[i * nb + m], d, 1e-12 * std::fabs(d)) << i << " " << m;
      EXPECT_NEAR(b.s.trend_level[i * nb + m], mu, 1e-12 * std::fabs(mu)) << i << " " << m;
    }
}

TEST(TrendStep, RandomWalkVariancesAfterNMonthsMatchTheClosedForms) {
  const double sd = 0.0025, sl = 0.005, beta = 0.8;
  const int n = 24;
  TrendBlock b(20000, sd, 1.0, beta, sl);
  b.run(n);
  for (int i = 0; i < kSectors; ++i) {
    const double var_d = b.moment(b.s.trend_drift, i), var_mu = b.moment(b.s.trend_level, i);
    EXPECT_NEAR(var_d / (n * sd * sd), 1.0, 0.05) << "sector " << i << ": Var d_n = " << var_d;
    const double closed_mu = sd * sd * n * (n + 1) * (2 * n + 1) / 6.0 + n * sl * sl;
    EXPECT_NEAR(var_mu / closed_mu, 1.0, 0.05) << "sector " << i << ": Var mu_n = " << var_mu;
  }
  const double corr = b.moment(b.s.trend_drift, 0, &b.s.trend_drift, 1) /
                      std::sqrt(b.moment(b.s.trend_drift, 0) * b.moment(b.s.trend_drift, 1));
  // The sample correlation's sd at rho = 0.64, 20,000 draws: (1 - rho²)/sqrt(n) = 0.004.
  EXPECT_NEAR(corr, beta * beta, 0.02);
}

TEST(TrendStep, DampedDriftVarianceMatchesTheClosedForm) {
  const double sd = 0.0025, phi = 0.95;
  const int n = 36;
  TrendBlock b(20000, sd, phi, 0.8, 0.0);
  b.run(n);
  const double closed = sd * sd * (1 - std::pow(phi, 2 * n)) / (1 - phi * phi);
  for (int i = 0; i < kSectors; ++i) EXPECT_NEAR(b.moment(b.s.trend_drift, i) / closed, 1.0, 0.05) << i;
}

}  // namespace
}  // namespace mfgsim
