// Step 6 of MODEL.md (models/capital.h), called on a hand-filled block:
//   Icore_i = ι_i Vprev_i e^{z_i} (pressure_i / u0_i)^{φ_i} + λ N_i
//   K_i <- (1 - Δ δ_i) K_i + Icore_i + G_i
// Tolerance 1e-12 relative (the step computes e^z x^φ as exp(z + φ log x)).
#include <gtest/gtest.h>

#include <cmath>

#include "models/capital.h"
#include "tests/models/model_block.h"

namespace mfgsim {
namespace {

using namespace model_test;

constexpr int kSectors = 2;

Block filled() {
  Block b(kSectors);
  for (int m = 0; m < b.nb(); ++m) {
    b.at(&BlockParams::investment_pass, m) = 0.3 + 0.08 * m;
    for (int i = 0; i < kSectors; ++i) {
      b.at(&BlockParams::iota, i, m) = 0.1 + 0.02 * i + 0.01 * m;
      b.at(&BlockParams::accelerator, i, m) = 0.5 * m + i;  // member 0, sector 0: φ = 0
      b.at(&BlockParams::u0, i, m) = 0.8 + 0.05 * i;
      b.at(&BlockParams::delta, i, m) = 0.05 + 0.01 * m;
      b.at(&BlockState::va_prev, i, m) = 60.0 + 5.0 * m - 10.0 * i;
      b.at(&BlockState::z, i, m) = -0.03 + 0.01 * m;
      b.at(&BlockState::pressure, i, m) = 0.7 + 0.06 * m;  // below, at and above u0
      b.at(&BlockState::new_loans, i, m) = 4.0 + m - 2.0 * i;
      b.at(&BlockState::capital, i, m) = 900.0 + 40.0 * m + 300.0 * i;
      b.at(&BlockState::retrofit, i, m) = 0.5 * m * (1 - i);
    }
  }
  return b;
}

TEST(CapitalStep, InvestmentAndCapitalFollowTheEquations) {
  Block b = filled();
  const Block before = b;
  for (int i = 0; i < kSectors; ++i) capital::step_row(b.p, b.s, i);
  Block x = before;
  for (int i = 0; i < kSectors; ++i)
    for (int m = 0; m < b.nb(); ++m) {
      SCOPED_TRACE("sector " + std::to_string(i) + ", member " + std::to_string(m));
      const double core = x.at(&BlockParams::iota, i, m) * x.at(&BlockState::va_prev, i, m) *
                              std::exp(x.at(&BlockState::z, i, m)) *
                              std::pow(x.at(&BlockState::pressure, i, m) / x.at(&BlockParams::u0, i, m),
                                       x.at(&BlockParams::accelerator, i, m)) +
                          x.at(&BlockParams::investment_pass, m) * x.at(&BlockState::new_loans, i, m);
      const double capital = (1.0 - kDelta * x.at(&BlockParams::delta, i, m)) * x.at(&BlockState::capital, i, m) + core +
                             x.at(&BlockState::retrofit, i, m);
      EXPECT_TRUE(near_rel(b.at(&BlockState::investment, i, m), core));
      EXPECT_TRUE(near_rel(b.at(&BlockState::capital, i, m), capital));
    }
}

TEST(CapitalStep, NoLoansNoShockPressureAtU0GivesInternalInvestmentOnly) {
  // N = 0, z = 0, pressure = u0: Icore = ι Vprev for any φ.
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) {
    b.at(&BlockState::new_loans, 0, m) = 0.0;
    b.at(&BlockState::z, 0, m) = 0.0;
    b.at(&BlockState::pressure, 0, m) = b.at(&BlockParams::u0, 0, m);
  }
  capital::step_row(b.p, b.s, 0);
  for (int m = 0; m < b.nb(); ++m)
    EXPECT_TRUE(near_rel(b.at(&BlockState::investment, 0, m), b.at(&BlockParams::iota, 0, m) * b.at(&BlockState::va_prev, 0, m)))
        << m;
}

TEST(CapitalStep, ZeroIotaLeavesOnlyTheLoanFinancedPart) {
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) b.at(&BlockParams::iota, 1, m) = 0.0;
  capital::step_row(b.p, b.s, 1);
  for (int m = 0; m < b.nb(); ++m)
    EXPECT_TRUE(near_rel(b.at(&BlockState::investment, 1, m),
                         b.at(&BlockParams::investment_pass, m) * b.at(&BlockState::new_loans, 1, m)))
        << m;
}

TEST(CapitalStep, ConstantInvestmentConvergesGeometrically) {
  // Constant inflow I = Icore + G each month: after n months
  //   K_n = d^n K_0 + I (1 - d^n) / (1 - d),   d = 1 - Δ δ.
  // Inputs of Icore (Vprev, z, pressure, N) are held fixed; 60 months.
  Block b = filled();
  const Block start = b;
  for (int n = 1; n <= 60; ++n) {
    for (int i = 0; i < kSectors; ++i) capital::step_row(b.p, b.s, i);
    Block x = start;
    for (int i = 0; i < kSectors; ++i)
      for (int m = 0; m < b.nb(); ++m) {
        const double inflow = b.at(&BlockState::investment, i, m) + x.at(&BlockState::retrofit, i, m);
        const double d = 1.0 - kDelta * x.at(&BlockParams::delta, i, m);
        const double expected = std::pow(d, n) * x.at(&BlockState::capital, i, m) + inflow * (1.0 - std::pow(d, n)) / (1.0 - d);
        ASSERT_TRUE(near_rel(b.at(&BlockState::capital, i, m), expected, 1e-12)) << "month " << n << " sector " << i << " member " << m;
      }
  }
}

TEST(CapitalStep, MembersAreIndependent) {
  expect_members_independent(filled(), [](Block& b) {
    for (int i = 0; i < kSectors; ++i) capital::step_row(b.p, b.s, i);
  });
}

}  // namespace
}  // namespace mfgsim
