// sim/engine/uncertain.h: quantiles of the truncated distributions against
// closed forms (erf-based normal CDFs, the triangular and uniform inverses),
// masses and supports. The quantile tests moved here from
// tests/scenario/scenario_test.cpp.
#include "sim/engine/uncertain.h"

#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <map>

#include "models/parameters.h"
#include "sim/core/range.h"

namespace mfgsim {
namespace {

UncertainParam dist(UncertainParam::Dist d, double a, double b, double c = 0.0, double lo = -kInf,
                    double hi = kInf) {
  UncertainParam p;
  p.dist = d;
  p.a = a;
  p.b = b;
  p.c = c;
  p.lo = lo;
  p.hi = hi;
  return p;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

TEST(Uncertain, NormalUntruncated) {
  UncertainParam p = dist(UncertainParam::Dist::normal, 2.0, 0.5);
  EXPECT_NEAR(p.quantile(0.5), 2.0, 1e-12);
  EXPECT_NEAR(p.quantile(0.975), 2.0 + 0.5 * 1.959963984540054, 1e-9);
  EXPECT_NEAR(p.quantile(0.025), 2.0 - 0.5 * 1.959963984540054, 1e-9);
}

TEST(Uncertain, NormalTruncated) {
  UncertainParam p = dist(UncertainParam::Dist::normal, 0.5, 0.1, 0.0, 0.45, 0.9);
  const double Fa = normal_cdf((0.45 - 0.5) / 0.1), Fb = normal_cdf((0.9 - 0.5) / 0.1);
  for (double u : {0.001, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999}) {
    double x = p.quantile(u);
    EXPECT_GE(x, 0.45);
    EXPECT_LE(x, 0.9);
    // The truncated CDF at the quantile gives back u.
    EXPECT_NEAR((normal_cdf((x - 0.5) / 0.1) - Fa) / (Fb - Fa), u, 1e-10) << u;
  }
  EXPECT_NEAR(p.quantile(0.0), 0.45, 1e-12);
  EXPECT_NEAR(p.quantile(1.0), 0.9, 1e-12);
}

TEST(Uncertain, NormalFarUpperTailKeepsPrecision) {
  // Truncated to [5, 6] standard deviations: F(lo) is 1 - 2.9e-7.
  UncertainParam p = dist(UncertainParam::Dist::normal, 0.0, 1.0, 0.0, 5.0, 6.0);
  double previous = 5.0;
  for (double u : {0.01, 0.25, 0.5, 0.75, 0.99}) {
    double x = p.quantile(u);
    EXPECT_GT(x, previous);
    EXPECT_LT(x, 6.0);
    previous = x;
  }
  // Conditional on X > 5, X - 5 is close to exponential with rate 5: median ~ 5 + ln 2 / 5.
  EXPECT_NEAR(p.quantile(0.5), 5.0 + std::log(2.0) / 5.0, 0.01);
  boost::math::normal_distribution<double> n;
  double x = p.quantile(0.3);
  double Sa = boost::math::cdf(boost::math::complement(n, 5.0)), Sb = boost::math::cdf(boost::math::complement(n, 6.0));
  EXPECT_NEAR((Sa - boost::math::cdf(boost::math::complement(n, x))) / (Sa - Sb), 0.3, 1e-9);
}

TEST(Uncertain, Lognormal) {
  UncertainParam p = dist(UncertainParam::Dist::lognormal, -2.0, 0.3);
  EXPECT_NEAR(p.quantile(0.5), std::exp(-2.0), 1e-12);
  EXPECT_NEAR(p.quantile(0.975), std::exp(-2.0 + 0.3 * 1.959963984540054), 1e-9);
  // Truncated: the log is a truncated normal.
  UncertainParam t = dist(UncertainParam::Dist::lognormal, -2.0, 0.3, 0.0, 0.1, 0.2);
  const double Fa = normal_cdf((std::log(0.1) + 2.0) / 0.3), Fb = normal_cdf((std::log(0.2) + 2.0) / 0.3);
  for (double u : {0.05, 0.5, 0.95}) {
    double x = t.quantile(u);
    EXPECT_NEAR((normal_cdf((std::log(x) + 2.0) / 0.3) - Fa) / (Fb - Fa), u, 1e-10);
  }
  // Bounds reaching below the support: truncation at 0 changes nothing.
  UncertainParam below = dist(UncertainParam::Dist::lognormal, -2.0, 0.3, 0.0, -1.0, kInf);
  EXPECT_NEAR(below.quantile(0.3), p.quantile(0.3), 1e-12);
}

TEST(Uncertain, Uniform) {
  UncertainParam p = dist(UncertainParam::Dist::uniform, 0.05, 0.2);
  EXPECT_NEAR(p.quantile(0.25), 0.05 + 0.25 * 0.15, 1e-12);
  // Truncated uniform is uniform on the intersection.
  UncertainParam t = dist(UncertainParam::Dist::uniform, 0.0, 10.0, 0.0, 2.0, 20.0);
  EXPECT_NEAR(t.quantile(0.5), 6.0, 1e-12);
  EXPECT_NEAR(t.quantile(0.25), 4.0, 1e-12);
}

// A whole-number parameter (a sector's firms): each whole value of
// [low, high] with probability 1 / (high - low + 1), ParamAddress::uniform_value.
TEST(Uncertain, WholeNumberUniformTakesEachValueAlike) {
  UncertainParam p = dist(UncertainParam::Dist::uniform, 100.0, 103.0);
  p.address.kind = ParamAddress::Kind::sector;
  p.address.field = find_sector_field("firms");
  ASSERT_TRUE(p.address.whole());
  std::map<double, int> counts;
  constexpr int kRanks = 4000;  // midpoints of [k/4000, (k+1)/4000): exactly 1000 per value
  for (int k = 0; k < kRanks; ++k) ++counts[p.quantile((k + 0.5) / kRanks)];
  const std::map<double, int> expected = {{100.0, 1000}, {101.0, 1000}, {102.0, 1000}, {103.0, 1000}};
  EXPECT_EQ(counts, expected);
  EXPECT_EQ(p.quantile(0.0), 100.0);
  EXPECT_EQ(p.quantile(1.0), 103.0);  // the top of [0, 1] stays in range
  // A flag over [0, 1]: 0 below one half, 1 from there.
  p.address.field = find_sector_field("manufacturing");
  p.a = 0.0;
  p.b = 1.0;
  EXPECT_EQ(p.quantile(0.4999), 0.0);
  EXPECT_EQ(p.quantile(0.5), 1.0);
  // A continuous parameter is not rounded.
  p.address.field = find_sector_field("alpha");
  EXPECT_FALSE(p.address.whole());
  EXPECT_NEAR(p.quantile(0.25), 0.25, 1e-15);
}

TEST(Uncertain, Triangular) {
  const double a = 0.2, c = 0.3, b = 0.5;
  UncertainParam p = dist(UncertainParam::Dist::triangular, a, b, c);
  auto closed_form = [&](double u) {
    return u < (c - a) / (b - a) ? a + std::sqrt(u * (b - a) * (c - a)) : b - std::sqrt((1 - u) * (b - a) * (b - c));
  };
  for (double u : {0.01, 0.2, 1.0 / 3.0, 0.5, 0.8, 0.99}) EXPECT_NEAR(p.quantile(u), closed_form(u), 1e-10) << u;
  // Truncated to [0.25, 0.4]: F(x) = (x-a)^2/((b-a)(c-a)) below c, 1 - (b-x)^2/((b-a)(b-c)) above.
  auto F = [&](double x) {
    return x <= c ? (x - a) * (x - a) / ((b - a) * (c - a)) : 1 - (b - x) * (b - x) / ((b - a) * (b - c));
  };
  UncertainParam t = dist(UncertainParam::Dist::triangular, a, b, c, 0.25, 0.4);
  for (double u : {0.1, 0.5, 0.9}) {
    double x = t.quantile(u);
    EXPECT_NEAR((F(x) - F(0.25)) / (F(0.4) - F(0.25)), u, 1e-10);
  }
}

// Probability of the bounds under the untruncated distribution, closed forms:
// N(0, 1) on [-1, 1] is erf(1 / sqrt 2) = 0.682689492137086 (the 68% rule);
// N(0, 1) on [5, inf) is erfc(5 / sqrt 2) / 2; Uniform(1, 5) on [2, 10] is 3/4;
// Triangular(0, 1, 4) above its mode is 3/4.
TEST(Uncertain, MassAndSupport) {
  EXPECT_NEAR(dist(UncertainParam::Dist::normal, 0.0, 1.0, 0.0, -1.0, 1.0).mass(), 0.682689492137086, 1e-14);
  const double tail = 0.5 * std::erfc(5.0 / std::sqrt(2.0));
  EXPECT_NEAR(dist(UncertainParam::Dist::normal, 0.0, 1.0, 0.0, 5.0).mass(), tail, 1e-12 * tail);
  EXPECT_EQ(dist(UncertainParam::Dist::normal, 2.0, 0.5).mass(), 1.0);
  EXPECT_NEAR(dist(UncertainParam::Dist::uniform, 1.0, 5.0, 0.0, 2.0, 10.0).mass(), 0.75, 1e-15);
  EXPECT_EQ(dist(UncertainParam::Dist::uniform, 1.0, 5.0, 0.0, 6.0, 7.0).mass(), 0.0);  // bounds miss the support
  EXPECT_NEAR(dist(UncertainParam::Dist::triangular, 0.0, 4.0, 1.0, 1.0).mass(), 0.75, 1e-14);
  EXPECT_EQ(dist(UncertainParam::Dist::lognormal, 0.1, 0.3).support(), (std::pair<double, double>{0.0, kInf}));
  EXPECT_EQ(dist(UncertainParam::Dist::triangular, 0.0, 4.0, 1.0).support(), (std::pair<double, double>{0.0, 4.0}));
  EXPECT_EQ(dist(UncertainParam::Dist::normal, 0.0, 1.0).support().first, -kInf);
}

}  // namespace
}  // namespace mfgsim
