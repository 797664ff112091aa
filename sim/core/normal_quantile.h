// Standard normal draws for whole blocks: the inverse normal CDF of Wichura
// (1988, Applied Statistics algorithm AS 241, PPND16; relative accuracy about
// 1e-16), with its one log and square root on Eigen's vectorised packets and
// its rational polynomials in a branch-free loop the compiler vectorises.
// Box-Muller (Random123's boxmuller) needs sin and cos, which Eigen does not
// vectorise for doubles: inversion is several times faster per draw here.
// Checked against Boost.Math's normal quantile in tests/normal_quantile_test.cpp.
#pragma once

namespace mfgsim {

// x[k] = Φ^{-1}(u[k]) for k < n; u in (0, 1) (open). n must be a multiple
// of kMemberPad (models/block.h) and both arrays aligned as block columns.
void normal_quantiles(const double* u, double* x, int n);

}  // namespace mfgsim
