// The step tests' helpers (tests/models/model_block.h) can fail: the
// relative tolerance rejects an error just above it, and the
// member-independence check catches a step that lets one member's inputs
// reach another member's outputs.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "tests/models/model_block.h"

namespace mfgsim {
namespace {

using namespace model_test;

TEST(ModelBlockHelpers, RelativeToleranceIsTight) {
  EXPECT_TRUE(near_rel(1.0 + 0.5e-12, 1.0));
  EXPECT_FALSE(near_rel(1.0 + 2e-12, 1.0));
  EXPECT_FALSE(near_rel(1e-20, 0.0));           // no absolute floor unless asked
  EXPECT_TRUE(near_rel(1e-20, 0.0, kRel, 1e-19));
}

TEST(ModelBlockHelpers, BlockAccessIsRowTimesMembersPlusMember) {
  Block b(2, 3);
  b.at(&BlockParams::alpha, 1, 5) = 7.0;
  EXPECT_EQ(b.p.alpha[1 * kMembers + 5], 7.0);
  b.set_lever(&BlockParams::carbon_price, 2, 9.0);
  for (int t = 0; t < 3; ++t) EXPECT_EQ(b.p.carbon_price[t * kMembers + 2], 9.0);
  b.at(&BlockState::recycling, 4) = 0.5;
  EXPECT_EQ(b.s.recycling[4], 0.5);
}

TEST(ModelBlockHelpers, WithRowsSetsTheRowInEveryMember) {
  const Block b = with_rows(Block(2), {{&BlockParams::alpha, 1, 3.0}, {&BlockState::recycling, 0, 0.5}});
  for (int m = 0; m < b.nb(); ++m) {
    EXPECT_EQ(b.at(&BlockParams::alpha, 1, m), 3.0);
    EXPECT_EQ(b.at(&BlockParams::alpha, 0, m), 0.0);
    EXPECT_EQ(b.at(&BlockState::recycling, m), 0.5);
  }
}

TEST(ModelBlockHelpers, ExpectEachCellSeesEveryCellAfterAndBeforeTheStep) {
  int visits = 0;
  const auto step = [](Block& b) { b.at(&BlockState::capital, 2, 5) = 1.0; };
  expect_each_cell(Block(3), step, [&visits](const Block& out, const Block& in, int i, int m) {
    ++visits;
    EXPECT_EQ(out.at(&BlockState::capital, i, m), i == 2 && m == 5 ? 1.0 : 0.0);
    EXPECT_EQ(in.at(&BlockState::capital, i, m), 0.0);
  });
  EXPECT_EQ(visits, 3 * kMembers);
}

// A faulty "step": member m's capital becomes the sum over all members.
void leaky_step(Block& b) {
  double total = 0.0;
  for (int m = 0; m < b.nb(); ++m) total += b.at(&BlockState::capital, 0, m);
  for (int m = 0; m < b.nb(); ++m) b.at(&BlockState::capital, 0, m) = total;
}

void check_leaky_step() {
  Block b(1);
  for (int m = 0; m < b.nb(); ++m) b.at(&BlockState::capital, 0, m) = 1.0 + m;
  expect_members_independent(b, leaky_step);
}

TEST(ModelBlockHelpers, MemberIndependenceCheckCatchesALeak) {
  EXPECT_FATAL_FAILURE(check_leaky_step(), "with NaN neighbours");
}

}  // namespace
}  // namespace mfgsim
