// Step 3 of MODEL.md, long-term lending (models/credit.h), called on a
// hand-filled block:
//   N = N_prev (1 + ℓ(t))^Δ;  N_prev <- N
//   w_i = ω_i (1 + tilt g_i) / Σ_j ω_j (1 + tilt g_j),  N_i = w_i N
//   Lm_i <- Lm_i (1 - Δ/T_m) + N_i;   Ls_i <- Ls_i (1 + ℓs)^Δ
// The block holds (1 + ℓ(t))^Δ, 1 - Δ/T_m and (1 + ℓs)^Δ precomputed (the
// compiler's job); the test fills them from chosen ℓ, T_m, ℓs.
// Tolerance 1e-12 relative.
#include <gtest/gtest.h>

#include <cmath>

#include "models/credit.h"
#include "tests/models/model_block.h"

namespace mfgsim {
namespace {

using namespace model_test;

constexpr int kSectors = 3, kMonths = 4;

double growth(int m) { return -0.02 + 0.03 * m; }        // ℓ, 1/yr
double maturity(int m) { return 2.0 + 1.5 * m; }         // T_m, yr
double short_growth(int m) { return -0.05 + 0.02 * m; }  // ℓs, 1/yr

// Sector 2 does not borrow (ω = 0).
Block filled() {
  Block b(kSectors, kMonths);
  for (int m = 0; m < b.nb(); ++m) {
    for (int t = 0; t < kMonths; ++t) b.at(&BlockParams::loan_growth_factor, t, m) = std::pow(1.0 + growth(m) + 0.01 * t, kDelta);
    b.at(&BlockParams::loan_decay, m) = 1.0 - kDelta / maturity(m);
    b.at(&BlockParams::short_term_factor, m) = std::pow(1.0 + short_growth(m), kDelta);
    b.at(&BlockParams::green_tilt, m) = 0.25 * m;  // member 0: no tilt
    b.at(&BlockState::new_loans_prev, m) = 30.0 + 2.0 * m;
    const double omega[kSectors] = {0.6, 0.4 + 0.05 * m, 0.0};
    for (int i = 0; i < kSectors; ++i) {
      b.at(&BlockParams::loan_weight, i, m) = omega[i];
      b.at(&BlockState::upgrade, i, m) = 0.1 * i + 0.07 * m;
      b.at(&BlockState::long_term_loans, i, m) = 500.0 + 100.0 * i + 10.0 * m;
      b.at(&BlockState::short_term_loans, i, m) = 300.0 - 50.0 * i + 5.0 * m;
    }
  }
  return b;
}

TEST(CreditStep, NewLoansSharesAndStocksFollowTheEquations) {
  for (int t = 0; t < kMonths; ++t) {
    Block b = filled();
    Block x = filled();
    credit::step(b.p, b.s, t);
    for (int m = 0; m < b.nb(); ++m) {
      SCOPED_TRACE("month " + std::to_string(t) + ", member " + std::to_string(m));
      const double total = x.at(&BlockState::new_loans_prev, m) * std::pow(1.0 + growth(m) + 0.01 * t, kDelta);
      EXPECT_TRUE(near_rel(b.at(&BlockState::new_loans_total, m), total));
      EXPECT_EQ(b.at(&BlockState::new_loans_prev, m), b.at(&BlockState::new_loans_total, m));
      double weight_sum = 0.0;
      for (int i = 0; i < kSectors; ++i)
        weight_sum += x.at(&BlockParams::loan_weight, i, m) * (1.0 + x.at(&BlockParams::green_tilt, m) * x.at(&BlockState::upgrade, i, m));
      double allocated = 0.0;
      for (int i = 0; i < kSectors; ++i) {
        const double w = x.at(&BlockParams::loan_weight, i, m) *
                         (1.0 + x.at(&BlockParams::green_tilt, m) * x.at(&BlockState::upgrade, i, m)) / weight_sum;
        const double n = w * total;
        EXPECT_TRUE(near_rel(b.at(&BlockState::new_loans, i, m), n)) << "sector " << i;
        EXPECT_TRUE(near_rel(b.at(&BlockState::long_term_loans, i, m),
                             x.at(&BlockState::long_term_loans, i, m) * (1.0 - kDelta / maturity(m)) + n))
            << "sector " << i;
        EXPECT_TRUE(near_rel(b.at(&BlockState::short_term_loans, i, m),
                             x.at(&BlockState::short_term_loans, i, m) * std::pow(1.0 + short_growth(m), kDelta)))
            << "sector " << i;
        allocated += b.at(&BlockState::new_loans, i, m);
      }
      // Accounting identity: the shares sum to 1, so Σ N_i = N.
      EXPECT_TRUE(near_rel(allocated, total));
      // A sector with ω = 0 gets nothing.
      EXPECT_EQ(b.at(&BlockState::new_loans, 2, m), 0.0);
    }
  }
}

TEST(CreditStep, WithoutTiltSharesAreTheBaseWeights) {
  // tilt = 0: w_i = ω_i / Σ ω_j whatever the upgrade shares.
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) b.at(&BlockParams::green_tilt, m) = 0.0;
  credit::step(b.p, b.s, 0);
  for (int m = 0; m < b.nb(); ++m) {
    const double sum = 0.6 + 0.4 + 0.05 * m;
    EXPECT_TRUE(near_rel(b.at(&BlockState::new_loans, 0, m), 0.6 / sum * b.at(&BlockState::new_loans_total, m))) << m;
    EXPECT_TRUE(near_rel(b.at(&BlockState::new_loans, 1, m), (0.4 + 0.05 * m) / sum * b.at(&BlockState::new_loans_total, m)))
        << m;
  }
}

TEST(CreditStep, ZeroNewLoansLetTheStockRunOff) {
  // N_prev = 0: N = 0 every month; Lm_n = Lm_0 (1 - Δ/T_m)^n, Ls_n = Ls_0 (1 + ℓs)^{nΔ}.
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) b.at(&BlockState::new_loans_prev, m) = 0.0;
  const Block start = b;
  Block x = start;
  for (int n = 1; n <= 24; ++n) {
    credit::step(b.p, b.s, n % kMonths);
    for (int m = 0; m < b.nb(); ++m) {
      EXPECT_EQ(b.at(&BlockState::new_loans_total, m), 0.0);
      for (int i = 0; i < kSectors; ++i) {
        EXPECT_EQ(b.at(&BlockState::new_loans, i, m), 0.0);
        ASSERT_TRUE(near_rel(b.at(&BlockState::long_term_loans, i, m),
                             x.at(&BlockState::long_term_loans, i, m) * std::pow(1.0 - kDelta / maturity(m), n)))
            << n << " " << i << " " << m;
        ASSERT_TRUE(near_rel(b.at(&BlockState::short_term_loans, i, m),
                             x.at(&BlockState::short_term_loans, i, m) * std::pow(1.0 + short_growth(m), n * kDelta)))
            << n << " " << i << " " << m;
      }
    }
  }
}

TEST(CreditStep, ConstantGrowthCompoundsToTheAnnualRate) {
  // Constant ℓ: after 12 months N = N_prev (1 + ℓ) (a year of growth).
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) b.set_lever(&BlockParams::loan_growth_factor, m, std::pow(1.0 + growth(m), kDelta));
  for (int n = 0; n < 12; ++n) credit::step(b.p, b.s, n % kMonths);
  Block x = filled();
  for (int m = 0; m < b.nb(); ++m)
    EXPECT_TRUE(near_rel(b.at(&BlockState::new_loans_total, m), x.at(&BlockState::new_loans_prev, m) * (1.0 + growth(m))))
        << m;
}

TEST(CreditStep, TiltFavoursUpgradedSectors) {
  // With tilt > 0, a sector with a higher upgrade share gets a larger share
  // than its base weight; sector 1 (g = 0.1 + 0.07 m) vs sector 0 (g = 0.07 m).
  Block b = filled();
  credit::step(b.p, b.s, 0);
  for (int m = 1; m < b.nb(); ++m) {
    const double base = (0.4 + 0.05 * m) / 0.6;
    EXPECT_GT(b.at(&BlockState::new_loans, 1, m) / b.at(&BlockState::new_loans, 0, m), base) << m;
  }
  EXPECT_TRUE(near_rel(b.at(&BlockState::new_loans, 1, 0) / b.at(&BlockState::new_loans, 0, 0), 0.4 / 0.6));
}

TEST(CreditStep, MembersAreIndependent) {
  expect_members_independent(filled(), [](Block& b) { credit::step(b.p, b.s, 1); });
}

}  // namespace
}  // namespace mfgsim
