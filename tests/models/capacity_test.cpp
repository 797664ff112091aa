// Steps 12 and 14 of MODEL.md (models/capacity.h), called on a hand-filled block:
//   Vcap_i = Vcap0_i exp(lnA_i) (K_i / K0_i)^{α_i}
//   V_i = min(v_i Xd_i, Vcap_i),  X_i = V_i / v_i,  u_i = V_i / Vcap_i,
//   pressure_i = v_i Xd_i / Vcap_i,  Vprev_i = V_i.
// Tolerance 1e-12 relative (the step computes the power as exp(α log x)).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/capacity.h"
#include "tests/models/model_block.h"

namespace mfgsim::model_test {
namespace {

Block filled() {
  return fill_cells(Block(/*sectors=*/3), [](Block& b, int i, int m) {
    b.at(&BlockParams::capacity_ref, i, m) = 50.0 + 10.0 * i + 3.0 * m;
    b.at(&BlockParams::alpha, i, m) = 0.2 + 0.1 * i + 0.05 * m;
    b.at(&BlockParams::K0, i, m) = 1000.0 + 100.0 * i;
    b.at(&BlockState::capital, i, m) = (1000.0 + 100.0 * i) * (0.9 + 0.04 * m);  // below, then above K0
    b.at(&BlockState::log_tfp, i, m) = -0.02 + 0.01 * m + 0.003 * i;
    b.at(&BlockParams::v, i, m) = 0.25 + 0.1 * i;
    // Desired gross output: value added v Xd below capacity for some members, above for others.
    b.at(&BlockState::demand_output, i, m) = (40.0 + 9.0 * m + 10.0 * i) / (0.25 + 0.1 * i);
  });
}

double expected_capacity(const Block& b, int i, int m) {
  return b.at(&BlockParams::capacity_ref, i, m) * std::exp(b.at(&BlockState::log_tfp, i, m)) *
         std::pow(b.at(&BlockState::capital, i, m) / b.at(&BlockParams::K0, i, m), b.at(&BlockParams::alpha, i, m));
}

const auto step_capacity = every_row(capacity::step_capacity_row);

TEST(CapacityStep, CapacityIsCobbDouglasInCapitalTimesTfp) {
  expect_each_cell(filled(), step_capacity, [](const Block& b, const Block&, int i, int m) {
    EXPECT_TRUE(near_rel(b.at(&BlockState::capacity, i, m), expected_capacity(b, i, m)));
  });
}

TEST(CapacityStep, MonthZeroStateGivesTheReferenceCapacity) {
  // K = K0, lnA = 0: Vcap = Vcap0 = V0 / u0 for any α.
  Block b = filled();
  for_each_member(b, [&b](int m) {
    b.at(&BlockState::capital, 1, m) = b.at(&BlockParams::K0, 1, m);
    b.at(&BlockState::log_tfp, 1, m) = 0.0;
  });
  capacity::step_capacity_row(b.p, b.s, 1);
  for_each_member(b, [&b](int m) { EXPECT_EQ(b.at(&BlockState::capacity, 1, m), b.at(&BlockParams::capacity_ref, 1, m)); });
}

TEST(CapacityStep, ZeroAlphaMakesCapacityIndependentOfCapital) {
  Block b = with_rows(filled(), {{&BlockParams::alpha, 2, 0.0}});
  capacity::step_capacity_row(b.p, b.s, 2);
  for_each_member(b, [&b](int m) {
    EXPECT_TRUE(near_rel(b.at(&BlockState::capacity, 2, m),
                         b.at(&BlockParams::capacity_ref, 2, m) * std::exp(b.at(&BlockState::log_tfp, 2, m))));
  });
}

TEST(CapacityStep, DoublingCapitalScalesCapacityByTwoToTheAlpha) {
  Block b = filled(), c = filled();
  for_each_member(c, [&c](int m) { c.at(&BlockState::capital, 0, m) *= 2.0; });
  capacity::step_capacity_row(b.p, b.s, 0);
  capacity::step_capacity_row(c.p, c.s, 0);
  for_each_member(b, [&](int m) {
    EXPECT_TRUE(near_rel(c.at(&BlockState::capacity, 0, m) / b.at(&BlockState::capacity, 0, m),
                         std::pow(2.0, b.at(&BlockParams::alpha, 0, m))));
  });
}

TEST(OutputStep, ValueAddedIsDemandCappedByCapacity) {
  Block before = filled();
  step_capacity(before);
  int capped = 0, served = 0;
  const auto step_output = [](Block& b) { capacity::step_output(b.p, b.s); };
  expect_each_cell(before, step_output, [&](const Block& b, const Block& x, int i, int m) {
    const double v = b.at(&BlockParams::v, i, m), cap = x.at(&BlockState::capacity, i, m);
    const double desired = v * x.at(&BlockState::demand_output, i, m);
    const double va = std::min(desired, cap);
    (desired > cap ? capped : served) += 1;
    EXPECT_TRUE(near_rel(b.at(&BlockState::va, i, m), va));
    EXPECT_TRUE(near_rel(b.at(&BlockState::gross_output, i, m), va / v));
    EXPECT_TRUE(near_rel(b.at(&BlockState::utilisation, i, m), va / cap));
    EXPECT_TRUE(near_rel(b.at(&BlockState::pressure, i, m), desired / cap));
    EXPECT_EQ(b.at(&BlockState::va_prev, i, m), b.at(&BlockState::va, i, m));
    // A capped sector runs at full capacity with pressure above 1; a served one below.
    if (desired > cap) {
      EXPECT_EQ(b.at(&BlockState::utilisation, i, m), 1.0);
      EXPECT_GT(b.at(&BlockState::pressure, i, m), 1.0);
    } else {
      EXPECT_EQ(b.at(&BlockState::pressure, i, m), b.at(&BlockState::utilisation, i, m));
    }
  });
  // The chosen numbers exercise both branches of the min.
  EXPECT_GT(capped, 0);
  EXPECT_GT(served, 0);
}

TEST(CapacityStep, MembersAreIndependent) {
  expect_members_independent(filled(), [](Block& b) {
    step_capacity(b);
    capacity::step_output(b.p, b.s);
  });
}

}  // namespace
}  // namespace mfgsim::model_test
