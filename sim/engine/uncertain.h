// A parameter drawn once per stochastic member (a scenario's `uncertain:`
// entry): its address in the compiled parameters and its distribution,
// truncated to `bounds`. Quantiles by inversion of Boost.Math's CDFs.
#pragma once

#include <limits>
#include <utility>

#include "models/param_address.h"

namespace mfgsim {

// A parameter drawn once per stochastic member (`uncertain:` block).
struct UncertainParam {
  enum class Dist { normal, lognormal, uniform, triangular };
  ParamAddress address;
  Dist dist = Dist::normal;
  // normal: mean, sd; lognormal: mu, sigma of log(x); uniform: low, high
  // (in a, b); triangular: low, mode, high (in a, c, b).
  double a = 0.0, b = 1.0, c = 0.0;
  // Truncation bounds (`bounds: [lo, hi]`); draws follow the distribution
  // conditioned on [lo, hi].
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  // Inverse CDF of the (truncated) distribution at u in (0, 1); for a
  // whole-number parameter (uniform only) ParamAddress::uniform_value.
  double quantile(double u) const;
  // Probability of [lo, hi] under the untruncated distribution (0: the
  // bounds exclude every value).
  double mass() const;
  // Support [lo, hi] of the untruncated distribution.
  std::pair<double, double> support() const;
};

}  // namespace mfgsim
