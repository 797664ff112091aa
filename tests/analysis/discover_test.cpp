// mfgsim discover: PRIM recovers a known box from synthetic points, the
// quasi-p values' binomial tail and the Kolmogorov-Smirnov feature scores
// against hand-computed values, and the --where condition's grammar.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/analysis/discover.h"

namespace mfgsim {
namespace {

// Points uniform in [0, 1]^3 from a fixed splitmix64 stream (the same on
// every platform); y = 1 exactly inside [0.2, 0.6] x [0.5, 1.0] for x0, x1;
// x2 irrelevant.
struct Synthetic {
  std::vector<double> x;
  std::vector<std::uint8_t> y;
};
Synthetic synthetic_points(std::size_t n) {
  std::uint64_t state = 20261130;
  const auto uniform = [&state] {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  };
  Synthetic s;
  for (std::size_t i = 0; i < n; ++i) {
    const double x0 = uniform(), x1 = uniform(), x2 = uniform();
    s.x.insert(s.x.end(), {x0, x1, x2});
    s.y.push_back(x0 >= 0.2 && x0 <= 0.6 && x1 >= 0.5 ? 1 : 0);
  }
  return s;
}

// The sampling resolution at a true limit: the nearest sample values of
// parameter j on either side of `limit` among the points that are inside
// `box` in every other parameter. A limit between them (above the lower,
// at most the upper) classifies every point as the true one does.
std::pair<double, double> neighbours(const Synthetic& s, const PrimBox& box, std::size_t j, double limit) {
  double below = -std::numeric_limits<double>::infinity(), above = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < s.y.size(); ++i) {
    bool in_slab = true;
    for (std::size_t k = 0; k < 3; ++k)
      if (k != j && (s.x[i * 3 + k] < box.low[k] || s.x[i * 3 + k] > box.high[k])) in_slab = false;
    if (!in_slab) continue;
    const double v = s.x[i * 3 + j];
    if (v < limit) below = std::max(below, v);
    else above = std::min(above, v);
  }
  return {below, above};
}

TEST(Prim, RecoversAKnownBoxWithinTheSamplingResolution) {
  const Synthetic s = synthetic_points(4000);
  PrimOptions options;
  options.min_density = 1.0;  // the box where y = 1 for sure: its limits are the true ones
  const PrimResult r = prim(s.x, s.y, 3, options);
  ASSERT_GE(r.chosen, 0);
  const PrimBox& box = r.box;
  EXPECT_EQ(box.density, 1.0);
  // Every point of the true box is in it: coverage 1 (pasting undid the peels that cut into it).
  EXPECT_EQ(box.coverage, 1.0);
  EXPECT_EQ(box.restricted, 2);
  // x0's low and high, x1's low: between the neighbouring sample values of
  // the true limit (about 1/2000 apart with 4000 points: the resolution).
  const auto [low0_below, low0_above] = neighbours(s, box, 0, 0.2);
  EXPECT_GT(box.low[0], low0_below);
  EXPECT_LE(box.low[0], low0_above);
  // y = 1 up to 0.6 included: the neighbours of the first value above it.
  const auto [high0_below, high0_above] = neighbours(s, box, 0, std::nextafter(0.6, 1.0));
  EXPECT_GE(box.high[0], high0_below);
  EXPECT_LT(box.high[0], high0_above);
  const auto [low1_below, low1_above] = neighbours(s, box, 1, 0.5);
  EXPECT_GT(box.low[1], low1_below);
  EXPECT_LE(box.low[1], low1_above);
  // The resolution here is fine: each gap is below 0.005.
  EXPECT_LT(low0_above - low0_below, 0.005);
  EXPECT_LT(high0_above - high0_below, 0.005);
  EXPECT_LT(low1_above - low1_below, 0.005);
  // x1's high (1.0, the top of the range) and x2 are not restricted.
  EXPECT_EQ(box.high[1], r.range_high[1]);
  EXPECT_EQ(box.low[2], r.range_low[2]);
  EXPECT_EQ(box.high[2], r.range_high[2]);
  EXPECT_TRUE(std::isnan(r.high_p_value[1]));
  EXPECT_TRUE(std::isnan(r.low_p_value[2]) && std::isnan(r.high_p_value[2]));
  // Each restricted limit matters: dropping it lets in y = 0 points that
  // the box's 100% density (over hundreds of points) rules out.
  for (double p : {r.low_p_value[0], r.high_p_value[0], r.low_p_value[1]}) EXPECT_LT(p, 1e-10);

  // Features: x0 and x1 above x2. For x1, y = 1 only above 0.5, so its
  // distance is near P(x1 < 0.5 | y = 0) = 0.5 / 0.8 = 0.625.
  const std::vector<double> ks = ks_distances(s.x, s.y, 3);
  EXPECT_GT(ks[0], 0.3);
  EXPECT_NEAR(ks[1], 0.625, 0.05);
  EXPECT_LT(ks[2], 0.06);
}

TEST(Prim, TrajectoryStartsFromEverythingAndChoosesTheLargestCoverage) {
  const Synthetic s = synthetic_points(2000);
  PrimOptions options;
  options.min_density = 0.8;
  const PrimResult r = prim(s.x, s.y, 3, options);
  ASSERT_GE(r.trajectory.size(), 2u);
  const PrimBox& first = r.trajectory.front();
  EXPECT_EQ(first.points, 2000);
  EXPECT_EQ(first.coverage, 1.0);
  EXPECT_EQ(first.mass, 1.0);
  EXPECT_EQ(first.restricted, 0);
  // The share of y = 1 is 0.4 x 0.5 = 0.2, up to sampling.
  EXPECT_NEAR(first.density, 0.2, 0.03);
  for (std::size_t k = 1; k < r.trajectory.size(); ++k) {
    EXPECT_LE(r.trajectory[k].coverage, r.trajectory[k - 1].coverage);
    EXPECT_LT(r.trajectory[k].points, r.trajectory[k - 1].points);
    // Each peel removes about alpha of the box (more only with ties, which uniform points lack).
    EXPECT_EQ(r.trajectory[k].points,
              r.trajectory[k - 1].points - std::max<std::int64_t>(1, static_cast<std::int64_t>(
                                                                         0.05 * static_cast<double>(r.trajectory[k - 1].points))));
  }
  ASSERT_GE(r.chosen, 0);
  const auto chosen = static_cast<std::size_t>(r.chosen);
  EXPECT_GE(r.trajectory[chosen].density, 0.8);
  // Earlier boxes: below the density, or of the same coverage (peels that
  // removed only y = 0 points) and less dense; later ones: less coverage.
  for (std::size_t k = 0; k < chosen; ++k)
    EXPECT_TRUE(r.trajectory[k].density < 0.8 || (r.trajectory[k].coverage == r.trajectory[chosen].coverage &&
                                                  r.trajectory[k].density <= r.trajectory[chosen].density))
        << k;
  for (std::size_t k = chosen + 1; k < r.trajectory.size(); ++k)
    EXPECT_LT(r.trajectory[k].coverage, r.trajectory[chosen].coverage) << k;
  // Pasting never lowers the density, nor the coverage.
  EXPECT_GE(r.box.density, r.trajectory[chosen].density);
  EXPECT_GE(r.box.coverage, r.trajectory[chosen].coverage);
  // Peeling stops at density 1 or at the minimum mass.
  const PrimBox& last = r.trajectory.back();
  EXPECT_TRUE(last.density == 1.0 || last.mass < 0.05 / 0.95 + 1e-12) << last.density << " " << last.mass;
}

TEST(Prim, NoBoxWhenNothingReachesTheDensity) {
  // y = 1 for every other point along one parameter: density 0.5 everywhere.
  std::vector<double> x;
  std::vector<std::uint8_t> y;
  for (int i = 0; i < 100; ++i) {
    x.push_back(i);
    y.push_back(i % 2);
  }
  PrimOptions options;
  options.min_density = 0.9;
  const PrimResult r = prim(x, y, 1, options);
  EXPECT_EQ(r.chosen, -1);
  EXPECT_TRUE(std::isnan(r.low_p_value[0]));
}

TEST(Prim, NothingToPeelWhenAllOrNoPointsMeetTheCondition) {
  const std::vector<double> x = {0, 1, 2, 3};
  const PrimResult none = prim(x, {0, 0, 0, 0}, 1, PrimOptions{});
  EXPECT_EQ(none.trajectory.size(), 1u);
  EXPECT_EQ(none.chosen, -1);
  EXPECT_TRUE(std::isnan(ks_distances(x, {0, 0, 0, 0}, 1)[0]));
  const PrimResult all = prim(x, {1, 1, 1, 1}, 1, PrimOptions{});
  ASSERT_EQ(all.trajectory.size(), 1u);
  EXPECT_EQ(all.chosen, 0);
  EXPECT_EQ(all.box.density, 1.0);
  EXPECT_EQ(all.box.restricted, 0);
  EXPECT_EQ(all.box.low[0], 0.0);
  EXPECT_EQ(all.box.high[0], 3.0);
}

TEST(BinomialUpperTail, ClosedForms) {
  // P(X >= 8), X ~ B(10, 1/2) = (45 + 10 + 1) / 1024.
  EXPECT_NEAR(binomial_upper_tail(8, 10, 0.5), 56.0 / 1024.0, 1e-15);
  EXPECT_NEAR(binomial_upper_tail(5, 5, 0.3), std::pow(0.3, 5), 1e-17);
  // P(X >= 1) = 1 - 0.7^5.
  EXPECT_NEAR(binomial_upper_tail(1, 5, 0.3), 1.0 - std::pow(0.7, 5), 1e-15);
  EXPECT_EQ(binomial_upper_tail(0, 5, 0.3), 1.0);
  EXPECT_EQ(binomial_upper_tail(6, 5, 0.3), 0.0);
  EXPECT_EQ(binomial_upper_tail(3, 5, 1.0), 1.0);
  // Against exact rational sums (Python's fractions): a far tail and a large n.
  EXPECT_NEAR(binomial_upper_tail(900, 1000, 0.8) / 8.731206511212329e-18, 1.0, 1e-9);
  EXPECT_NEAR(binomial_upper_tail(5100, 10000, 0.5), 0.023292763852473693, 1e-12);
}

TEST(KsDistances, HandComputedWithTies) {
  EXPECT_EQ(ks_distances({1, 2, 3, 4}, {0, 0, 1, 1}, 1)[0], 1.0);
  EXPECT_EQ(ks_distances({1, 2, 3, 4}, {1, 0, 1, 0}, 1)[0], 0.5);
  // Tied values: both CDFs are compared after the last of the ties, so equal groups give 0.
  EXPECT_EQ(ks_distances({1, 1, 2, 2}, {1, 0, 1, 0}, 1)[0], 0.0);
  EXPECT_TRUE(std::isnan(ks_distances({1, 2}, {1, 1}, 1)[0]));
  // Two parameters, row by row: the first separates, the second does not.
  const std::vector<double> two = ks_distances({0, 5, 1, 6, 2, 5, 3, 6}, {0, 0, 1, 1}, 2);
  EXPECT_EQ(two[0], 1.0);
  EXPECT_EQ(two[1], 0.0);
}

TEST(Condition, ParsesTheFourComparisons) {
  std::string problem;
  const auto ge = parse_condition(">= 0.07", &problem);
  ASSERT_TRUE(ge) << problem;
  EXPECT_EQ(ge->op, Condition::Op::ge);
  EXPECT_EQ(ge->value, 0.07);
  EXPECT_TRUE(ge->holds(0.07));
  EXPECT_FALSE(ge->holds(0.069));
  EXPECT_FALSE(ge->holds(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_EQ(ge->text(), ">= 0.07");
  const auto gt = parse_condition(">0.07", &problem);
  ASSERT_TRUE(gt);
  EXPECT_FALSE(gt->holds(0.07));
  const auto lt = parse_condition("  <  -1e-3 ", &problem);
  ASSERT_TRUE(lt);
  EXPECT_EQ(lt->op, Condition::Op::lt);
  EXPECT_EQ(lt->value, -1e-3);
  const auto le = parse_condition("<=2", &problem);
  ASSERT_TRUE(le);
  EXPECT_TRUE(le->holds(2.0));
  for (const char* bad : {"", "0.07", "=> 0.07", "== 1", ">= abc", ">= 0.07 x", ">= inf", ">= nan", ">=", "≥ 0.07"}) {
    problem.clear();
    EXPECT_FALSE(parse_condition(bad, &problem)) << bad;
    EXPECT_NE(problem.find("expected a comparison"), std::string::npos) << bad << ": " << problem;
  }
}

}  // namespace
}  // namespace mfgsim
