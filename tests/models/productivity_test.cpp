// Step 7 of MODEL.md, total factor productivity (models/productivity.h),
// called on a hand-filled block:
//   lnA_i <- lnA_i + Δ γ_i + θ_i (a_new_i - a_i)
// Tolerance 1e-12 relative.
#include <gtest/gtest.h>

#include "models/productivity.h"
#include "tests/models/model_block.h"

namespace mfgsim::model_test {
namespace {

Block filled() {
  return fill_cells(Block(/*sectors=*/2), [](Block& b, int i, int m) {
    b.at(&BlockState::log_tfp, i, m) = 0.01 * m - 0.02 * i;
    b.at(&BlockParams::tfp_trend, i, m) = 0.005 * m - 0.01;  // negative, zero (m = 2), positive
    b.at(&BlockParams::tfp_gain, i, m) = 0.1 + 0.05 * m + 0.2 * i;
    b.at(&BlockState::adoption, i, m) = 0.1 + 0.1 * m;
    b.at(&BlockState::adoption_new, i, m) = 0.1 + 0.1 * m + 0.003 * (i + 1);
  });
}

const auto step = every_row(productivity::step_row);

TEST(ProductivityStep, TrendPlusGainFromAdoption) {
  expect_each_cell(filled(), step, [](const Block& b, const Block& x, int i, int m) {
    const double lnA = x.at(&BlockState::log_tfp, i, m) + kDelta * x.at(&BlockParams::tfp_trend, i, m) +
                       x.at(&BlockParams::tfp_gain, i, m) * (x.at(&BlockState::adoption_new, i, m) - x.at(&BlockState::adoption, i, m));
    EXPECT_TRUE(near_rel(b.at(&BlockState::log_tfp, i, m), lnA, 1e-12, 1e-17));
  });
}

TEST(ProductivityStep, TwelveMonthsOfTrendAddTheAnnualRate) {
  // No adoption change: after 12 months lnA = lnA_0 + γ (the rate is per year).
  Block start = filled();
  for_each_cell(start, [&start](int i, int m) {
    start.at(&BlockState::adoption_new, i, m) = start.at(&BlockState::adoption, i, m);
  });
  const auto twelve_months = [](Block& b) {
    for (int n = 0; n < 12; ++n) step(b);
  };
  expect_each_cell(start, twelve_months, [](const Block& b, const Block& x, int i, int m) {
    EXPECT_NEAR(b.at(&BlockState::log_tfp, i, m), x.at(&BlockState::log_tfp, i, m) + x.at(&BlockParams::tfp_trend, i, m), 1e-15)
        << "(absolute 1e-15: lnA is near 0)";
  });
}

TEST(ProductivityStep, FullAdoptionFromNoneAddsTheWholeGain) {
  // a 0 -> 1 in a month with γ = 0: lnA rises by θ (TFP by e^θ).
  Block b = with_rows(filled(), {{&BlockParams::tfp_trend, 0, 0.0},
                                  {&BlockState::adoption, 0, 0.0},
                                  {&BlockState::adoption_new, 0, 1.0},
                                  {&BlockState::log_tfp, 0, 0.0}});
  productivity::step_row(b.p, b.s, 0);
  for_each_member(b, [&b](int m) { EXPECT_EQ(b.at(&BlockState::log_tfp, 0, m), b.at(&BlockParams::tfp_gain, 0, m)); });
}

TEST(ProductivityStep, MembersAreIndependent) { expect_members_independent(filled(), step); }

}  // namespace
}  // namespace mfgsim::model_test
