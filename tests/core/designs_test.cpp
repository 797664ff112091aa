// Designs of experiments (sim/core/designs.h) against their definitions.
#include "sim/core/designs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

namespace mfgsim {
namespace {

TEST(Designs, GridIsTheCartesianProductFirstSlowest) {
  const std::vector<double> g = grid_points({2, 3});
  const std::vector<double> expected = {0, 0, 0, 0.5, 0, 1, 1, 0, 1, 0.5, 1, 1};
  EXPECT_EQ(g, expected);
}

TEST(Designs, LatinHypercubeHasOnePointPerStratumAndIsDeterministic) {
  const int n = 37, dims = 3;
  const std::vector<double> a = lhs_points(dims, n, 7, 1);
  EXPECT_EQ(a, lhs_points(dims, n, 7, 1));
  EXPECT_NE(a, lhs_points(dims, n, 8, 1));
  EXPECT_NE(a, lhs_points(dims, n, 7, 2));
  for (int j = 0; j < dims; ++j) {
    std::set<int> strata;
    for (int i = 0; i < n; ++i) {
      const double u = a[static_cast<std::size_t>(i) * dims + j];
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      strata.insert(static_cast<int>(u * n));
    }
    EXPECT_EQ(strata.size(), static_cast<std::size_t>(n)) << "dimension " << j;
  }
}

// Issue 12, item 7: points 0 .. N-1, digitally shifted. At N = 2^m every
// axis has exactly one point in each [k/N, (k+1)/N) (the unshifted
// sequence from point 1 left [0, 1/8) empty and put two in [1/8, 1/4)).
std::vector<int> stratum_counts(const std::vector<double>& points, int dims, int axis, int strata) {
  std::vector<int> counts(static_cast<std::size_t>(strata));
  for (std::size_t i = static_cast<std::size_t>(axis); i < points.size(); i += static_cast<std::size_t>(dims))
    ++counts[static_cast<std::size_t>(points[i] * strata)];
  return counts;
}

TEST(Designs, SobolPutsOnePointInEveryStratumAtPowersOfTwo) {
  for (std::uint64_t seed : {1u, 20230901u}) {
    for (int n : {8, 256}) {
      const int dims = 6;
      const std::vector<double> s = sobol_points(dims, n, seed, 7);
      ASSERT_EQ(s.size(), static_cast<std::size_t>(n * dims));
      for (double x : s) ASSERT_TRUE(x >= 0.0 && x < 1.0) << x;
      for (int j = 0; j < dims; ++j)
        EXPECT_EQ(stratum_counts(s, dims, j, n), std::vector<int>(static_cast<std::size_t>(n), 1))
            << "N = " << n << ", axis " << j << ", seed " << seed;
    }
  }
  // The first two axes form a (0, m, 2)-net: at N = 16 one point in each
  // of the 4 x 4 squares.
  const std::vector<double> s = sobol_points(2, 16, 3, 9);
  std::vector<int> squares(16);
  for (std::size_t i = 0; i < 16; ++i) ++squares[static_cast<std::size_t>(s[2 * i] * 4) * 4 + static_cast<std::size_t>(s[2 * i + 1] * 4)];
  EXPECT_EQ(squares, std::vector<int>(16, 1));
}

TEST(Designs, SobolShiftIsKeyedAndAvoidsTheZeroCorner) {
  const std::vector<double> a = sobol_points(3, 64, 1, 2);
  EXPECT_EQ(a, sobol_points(3, 64, 1, 2));
  EXPECT_NE(a, sobol_points(3, 64, 2, 2));
  EXPECT_NE(a, sobol_points(3, 64, 1, 3));
  for (std::size_t i = 0; i < a.size(); i += 3) EXPECT_FALSE(a[i] == 0.0 && a[i + 1] == 0.0 && a[i + 2] == 0.0);
  // A prefix of a longer design is the shorter design.
  const std::vector<double> longer = sobol_points(3, 100, 1, 2);
  EXPECT_TRUE(std::equal(a.begin(), a.end(), longer.begin()));
  // Shifting is an XOR of the binary digits: point 0 XOR point i is the
  // unshifted point i (0.5, 0.75, 0.25 on the first axis for i = 1, 2, 3).
  auto unshifted = [&](std::size_t i) {
    const auto bits = [](double x) { return static_cast<std::uint64_t>(std::ldexp(x, 53)); };
    return std::ldexp(static_cast<double>(bits(a[3 * i]) ^ bits(a[0])), -53);
  };
  EXPECT_EQ(unshifted(1), 0.5);
  EXPECT_EQ(unshifted(2), 0.75);
  EXPECT_EQ(unshifted(3), 0.25);
}

TEST(Designs, SobolCountWarningOnlyOffPowersOfTwo) {
  EXPECT_EQ(sobol_count_warning(1), "");
  EXPECT_EQ(sobol_count_warning(256), "");
  EXPECT_EQ(sobol_count_warning(100),
            "100 Sobol points: only a power of two puts exactly one point in each stratum of every axis; 64 or 128 "
            "would balance best");
}

}  // namespace
}  // namespace mfgsim
