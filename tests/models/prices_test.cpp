// Step 11 of MODEL.md, relative prices (models/prices.h), called on a
// hand-filled block:
//   P_i = 1 + π_i τ(t) EF_i e_i 1e-4 - μ_i (r - r0)      (new e, new r)
// Tolerance 1e-12 relative.
#include <gtest/gtest.h>

#include "models/prices.h"
#include "tests/models/model_block.h"

namespace mfgsim::model_test {
namespace {

constexpr int kSectors = 2, kMonths = 2;

Block filled() {
  Block b(kSectors, kMonths);
  for_each_member(b, [&b](int m) {
    b.at(&BlockParams::carbon_price, 0, m) = 0.0;
    b.at(&BlockParams::carbon_price, 1, m) = 50.0 + 25.0 * m;
    b.at(&BlockState::recycling, m) = 0.70 + 0.01 * m;
    b.at(&BlockParams::recycling_start, m) = 0.72;  // r - r0 negative, zero (m = 2), positive
  });
  for_each_cell(b, [&b](int i, int m) {
    b.at(&BlockParams::pass_through, i, m) = 0.1 * m;
    b.at(&BlockParams::EF, i, m) = 2.0 + i;
    b.at(&BlockState::energy_intensity, i, m) = 1.0 + 0.5 * i + 0.1 * m;
    b.at(&BlockParams::recycling_saving, i, m) = 0.2 + 0.3 * i;
  });
  return b;
}

// Recycling at its start: r = r0.
Block recycling_at_start() {
  Block b = filled();
  for_each_member(b, [&b](int m) { b.at(&BlockState::recycling, m) = b.at(&BlockParams::recycling_start, m); });
  return b;
}

TEST(PricesStep, CarbonCostPassedThroughLessRecyclingSaving) {
  for (int t = 0; t < kMonths; ++t) {
    SCOPED_TRACE("month " + std::to_string(t));
    expect_each_cell(filled(), every_row(t, prices::step_row), [t](const Block& b, const Block&, int i, int m) {
      const double price = 1.0 +
                           b.at(&BlockParams::pass_through, i, m) * b.at(&BlockParams::carbon_price, t, m) * b.at(&BlockParams::EF, i, m) *
                               b.at(&BlockState::energy_intensity, i, m) * 1e-4 -
                           b.at(&BlockParams::recycling_saving, i, m) * (b.at(&BlockState::recycling, m) - b.at(&BlockParams::recycling_start, m));
      EXPECT_TRUE(near_rel(b.at(&BlockState::price, i, m), price));
    });
  }
}

TEST(PricesStep, NoCarbonPriceAndRecyclingAtItsStartGivesUnitPrice) {
  // τ = 0 and r = r0: P = 1 exactly; with π = 0 the carbon price does not matter either.
  expect_each_cell(recycling_at_start(), every_row(0, prices::step_row),
                   [](const Block& b, const Block&, int i, int m) { EXPECT_EQ(b.at(&BlockState::price, i, m), 1.0); });
  Block c = recycling_at_start();
  prices::step_row(c.p, c.s, 1, 0);
  EXPECT_EQ(c.at(&BlockState::price, 0, 0), 1.0);  // member 0: π = 0
  EXPECT_GT(c.at(&BlockState::price, 0, 1), 1.0);  // member 1: π = 0.1, τ = 75
}

TEST(PricesStep, WorkedExample) {
  // π = 0.5, τ = 100 ¥/t, EF = 2.5 t/tce, e = 1.2 tce/¥10k: carbon cost
  // 100 x 2.5 x 1.2 x 1e-4 = 0.03 per ¥ of value added, half passed on:
  // +0.015; μ = 0.4 with r - r0 = 0.05: -0.02. P = 0.995.
  Block b = with_rows(filled(), {{&BlockParams::pass_through, 0, 0.5},
                                  {&BlockParams::carbon_price, 1, 100.0},
                                  {&BlockParams::EF, 0, 2.5},
                                  {&BlockState::energy_intensity, 0, 1.2},
                                  {&BlockParams::recycling_saving, 0, 0.4},
                                  {&BlockState::recycling, 0, 0.75},  // member scalars: row 0
                                  {&BlockParams::recycling_start, 0, 0.70}});
  prices::step_row(b.p, b.s, 1, 0);
  for_each_member(b, [&b](int m) { EXPECT_TRUE(near_rel(b.at(&BlockState::price, 0, m), 0.995)); });
}

TEST(PricesStep, MembersAreIndependent) { expect_members_independent(filled(), every_row(1, prices::step_row)); }

}  // namespace
}  // namespace mfgsim::model_test
