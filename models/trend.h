// The persistent stochastic trend of final demand (issue 14; models/MODEL.md
// "Persistent trend"): a damped local linear trend per sector whose drift
// innovations share a common factor. Each month, after step 2's shocks,
//   d_i <- φ_d d_i + σ_d (β_d ε + sqrt(1 - β_d²) η_i)
//   μ_i <- μ_i + d_i + σ_μ ξ_i
// and step 13 multiplies final demand by exp(μ_i). Symbols: μ_i trend level
// (log deviation of final demand), d_i drift (log per month), ε the common
// drift shock, η_i and ξ_i sector shocks (standard normals). With φ_d = 1 the
// drift is a random walk (Var d_n = n σ_d² from d_0 = 0); with φ_d < 1 it is
// the damped trend of Gardner and McKenzie (1985). Parameters: the globals
// trend_shocks.drift_sigma, drift_persistence, common_loading, level_sigma.
#pragma once

#include <cmath>

#include "models/block.h"

namespace mfgsim::trend {

// Rows of `normals` per member: the common shock, then S drift shocks, then S level shocks.
inline int normal_rows(int sectors) { return 1 + 2 * sectors; }

// normals: normal_rows(S) x nb standard normals, row 0 ε, row 1 + i η_i, row 1 + S + i ξ_i.
inline void step(const BlockParams& p, BlockState& s, const Column& normals) {
  const int nb = p.members, S = p.sectors;
  const ConstRow loading = row(p.trend_common_loading, 0, nb);
  const Eigen::ArrayXd idiosyncratic = (1.0 - loading.square()).sqrt();
  for (int i = 0; i < S; ++i) {
    Row drift = row(s.trend_drift, i, nb);
    drift = row(p.trend_drift_persistence, 0, nb) * drift +
            row(p.trend_drift_sigma, 0, nb) * (loading * row(normals, 0, nb) + idiosyncratic * row(normals, 1 + i, nb));
    row(s.trend_level, i, nb) += drift + row(p.trend_level_sigma, 0, nb) * row(normals, 1 + S + i, nb);
  }
}

}  // namespace mfgsim::trend
