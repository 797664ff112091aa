// Shares and the guards (sim/engine/guards.h): a share is compared with
// [0, 1] widened by kShareTolerance (4 ulp of 1), which rounding of a
// share's short expression cannot cross and a real fault does; a failure
// message prints a value near a bound with all 17 digits.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sim/engine/engine.h"
#include "sim/engine/guards.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {
namespace {

constexpr double kUlp = 0x1p-52;  // ulp of 1
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One share of a two-sector, four-member block set to `value`, every other
// value inside its requirement; returns the hits of one check.
std::vector<GuardHit> check_share(Column BlockState::*share, double value) {
  BlockParams params;
  BlockState state;
  params.allocate(2, 4, 1);
  state.allocate(2, 4);
  for (Column* c : {&state.long_term_loans, &state.short_term_loans, &state.capital, &state.price, &state.capacity,
                    &state.pressure, &state.va, &state.adoption, &state.upgrade})
    c->assign(c->size(), 0.5);
  (state.*share)[5] = value;  // sector 1, member 1
  std::vector<int> failed(4, -1);
  std::vector<GuardHit> hits;
  check_month(0, params, state, failed, hits);
  return hits;
}

TEST(ShareGuard, RoundingPassesRealFaultsFail) {
  for (Column BlockState::*share : {&BlockState::adoption, &BlockState::upgrade}) {
    for (double ok : {0.0, 1.0, 1.0 + kUlp, 1.0 + 4 * kUlp, -4 * kUlp, std::nextafter(0.0, -1.0)})
      EXPECT_TRUE(check_share(share, ok).empty()) << ok;
    for (double bad : {1.0 + 5 * kUlp, 1.0 + 1e-6, 1.5, -1e-6, -5 * kUlp, kNaN,
                       std::numeric_limits<double>::infinity()}) {
      const std::vector<GuardHit> hits = check_share(share, bad);
      ASSERT_EQ(hits.size(), 1u) << bad;
      EXPECT_EQ(hits[0].column, 1);
      EXPECT_EQ(hits[0].sector, 1);
    }
  }
  const GuardBounds bounds = guard_bounds(GuardedVariable::adoption);
  EXPECT_EQ(bounds.lo, -4 * kUlp);
  EXPECT_EQ(bounds.hi, 1.0 + 4 * kUlp);
}

TEST(ShareGuard, MessagePrintsAValueNearABoundInFull) {
  const ScenarioLoad load = load_scenario(std::string(MFGSIM_SOURCE_DIR) + "/scenarios/baseline.yaml");
  ASSERT_TRUE(load.scenario) << load.diagnostics.format();
  CompileResult compiled = compile(run_spec(*load.scenario), EngineOptions{});
  ASSERT_TRUE(compiled.run);
  auto message = [&](GuardedVariable variable, double value) {
    GuardHit hit;
    hit.month = 2;
    hit.variable = variable;
    hit.sector = 8;  // transport_nev
    hit.value = value;
    return compiled.run->failure_message(hit, 7);
  };
  auto starts = [](const std::string& text, const std::string& head) { return text.rfind(head, 0) == 0; };
  const std::string near_one = message(GuardedVariable::adoption, 1.0 + 5 * kUlp);
  EXPECT_TRUE(starts(near_one, "member 7: adoption of transport_nev is 1.0000000000000011 in 2021-03, must be in [0, 1]"))
      << near_one;
  const std::string near_zero = message(GuardedVariable::upgrade_share, -1e-12);
  EXPECT_TRUE(starts(near_zero, "member 7: upgrade_share of transport_nev is -9.9999999999999998e-13 in"))
      << near_zero;
  // Far from every bound: six digits, as before.
  const std::string far = message(GuardedVariable::adoption, 1.5);
  EXPECT_TRUE(starts(far, "member 7: adoption of transport_nev is 1.5 in 2021-03")) << far;
  const std::string price = message(GuardedVariable::price, -0.031974712345);
  EXPECT_TRUE(starts(price, "member 7: price of transport_nev is -0.0319747 in")) << price;
  const std::string nan = message(GuardedVariable::adoption, kNaN);
  EXPECT_TRUE(starts(nan, "member 7: adoption of transport_nev is NaN in")) << nan;
}

}  // namespace
}  // namespace mfgsim
