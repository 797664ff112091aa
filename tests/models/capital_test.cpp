// Step 6 of MODEL.md (models/capital.h), called on a hand-filled block:
//   Icore_i = ι_i Vprev_i e^{z_i} (pressure_i / u0_i)^{φ_i} + λ N_i
//   K_i <- (1 - Δ δ_i) K_i + Icore_i + G_i
// Tolerance 1e-12 relative (the step computes e^z x^φ as exp(z + φ log x)).
#include <gtest/gtest.h>

#include <cmath>

#include "models/capital.h"
#include "tests/models/model_block.h"

namespace mfgsim::model_test {
namespace {

Block filled() {
  Block b(/*sectors=*/2);
  for_each_member(b, [&b](int m) { b.at(&BlockParams::investment_pass, m) = 0.3 + 0.08 * m; });
  for_each_cell(b, [&b](int i, int m) {
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
  });
  return b;
}

// Icore_i for member m, from the block's inputs.
double core_investment(const Block& x, int i, int m) {
  return x.at(&BlockParams::iota, i, m) * x.at(&BlockState::va_prev, i, m) * std::exp(x.at(&BlockState::z, i, m)) *
             std::pow(x.at(&BlockState::pressure, i, m) / x.at(&BlockParams::u0, i, m), x.at(&BlockParams::accelerator, i, m)) +
         x.at(&BlockParams::investment_pass, m) * x.at(&BlockState::new_loans, i, m);
}

TEST(CapitalStep, InvestmentAndCapitalFollowTheEquations) {
  expect_each_cell(filled(), every_row(capital::step_row), [](const Block& b, const Block& x, int i, int m) {
    const double core = core_investment(x, i, m);
    const double capital = (1.0 - kDelta * x.at(&BlockParams::delta, i, m)) * x.at(&BlockState::capital, i, m) + core +
                           x.at(&BlockState::retrofit, i, m);
    EXPECT_TRUE(near_rel(b.at(&BlockState::investment, i, m), core));
    EXPECT_TRUE(near_rel(b.at(&BlockState::capital, i, m), capital));
  });
}

TEST(CapitalStep, NoLoansNoShockPressureAtU0GivesInternalInvestmentOnly) {
  // N = 0, z = 0, pressure = u0: Icore = ι Vprev for any φ.
  Block b = with_rows(filled(), {{&BlockState::new_loans, 0, 0.0}, {&BlockState::z, 0, 0.0}});
  for_each_member(b, [&b](int m) { b.at(&BlockState::pressure, 0, m) = b.at(&BlockParams::u0, 0, m); });
  capital::step_row(b.p, b.s, 0);
  for_each_member(b, [&b](int m) {
    EXPECT_TRUE(near_rel(b.at(&BlockState::investment, 0, m), b.at(&BlockParams::iota, 0, m) * b.at(&BlockState::va_prev, 0, m)));
  });
}

TEST(CapitalStep, ZeroIotaLeavesOnlyTheLoanFinancedPart) {
  Block b = with_rows(filled(), {{&BlockParams::iota, 1, 0.0}});
  capital::step_row(b.p, b.s, 1);
  for_each_member(b, [&b](int m) {
    EXPECT_TRUE(near_rel(b.at(&BlockState::investment, 1, m),
                         b.at(&BlockParams::investment_pass, m) * b.at(&BlockState::new_loans, 1, m)));
  });
}

TEST(CapitalStep, ConstantInvestmentConvergesGeometrically) {
  // Constant inflow I = Icore + G each month: after n months
  //   K_n = d^n K_0 + I (1 - d^n) / (1 - d),   d = 1 - Δ δ.
  // Inputs of Icore (Vprev, z, pressure, N) are held fixed; 60 months.
  Block b = filled();
  const Block start = b;
  for (int n = 1; n <= 60; ++n) {
    SCOPED_TRACE("month " + std::to_string(n));
    every_row(capital::step_row)(b);
    ASSERT_NO_FATAL_FAILURE(for_each_cell(b, [&](int i, int m) {
      const double inflow = b.at(&BlockState::investment, i, m) + start.at(&BlockState::retrofit, i, m);
      const double d = 1.0 - kDelta * start.at(&BlockParams::delta, i, m);
      const double expected = std::pow(d, n) * start.at(&BlockState::capital, i, m) + inflow * (1.0 - std::pow(d, n)) / (1.0 - d);
      ASSERT_TRUE(near_rel(b.at(&BlockState::capital, i, m), expected, 1e-12));
    }));
  }
}

TEST(CapitalStep, MembersAreIndependent) { expect_members_independent(filled(), every_row(capital::step_row)); }

}  // namespace
}  // namespace mfgsim::model_test
