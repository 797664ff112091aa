// Standard normal draws for whole blocks: the inverse normal CDF of Wichura
// (1988, Applied Statistics algorithm AS 241, PPND16; relative accuracy about
// 1e-16): the central rational branch on every element (vectorised, no
// log), then the tails (15% of uniform draws) on the elements that need them,
// gathered so that their log (sim/core/vector_math.h), square root and
// rational functions vectorise as well.
// Box-Muller (Random123's boxmuller) needs sin and cos, which Eigen does not
// vectorise for doubles: inversion is several times faster per draw here.
// Checked against Boost.Math's normal quantile in tests/normal_quantile_test.cpp.
#pragma once

namespace mfgsim {

// x[k] = Φ^{-1}(u[k]) for k < n; u in (0, 1) (open). Each x[k] depends on
// u[k] alone (not on n or on k).
void normal_quantiles(const double* u, double* x, int n);

}  // namespace mfgsim
