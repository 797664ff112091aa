// Designs of experiments (sim/core/designs.h) against their definitions.
#include "sim/core/designs.h"

#include <gtest/gtest.h>

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

TEST(Designs, SobolStartsAfterTheZeroPoint) {
  const std::vector<double> s = sobol_points(2, 4);
  const std::vector<double> expected = {0.5, 0.5, 0.75, 0.25, 0.25, 0.75, 0.375, 0.375};
  EXPECT_EQ(s, expected);
}

}  // namespace
}  // namespace mfgsim
