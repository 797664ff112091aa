#include "sim/engine/uncertain.h"

#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <algorithm>
#include <cmath>
#include <utility>

namespace mfgsim {

namespace {

template <class Dist>
double truncated_quantile(const Dist& dist, double support_lo, double support_hi, double lo, double hi, double u) {
  using boost::math::cdf;
  using boost::math::complement;
  using boost::math::quantile;
  lo = std::max(lo, support_lo);
  hi = std::min(hi, support_hi);
  auto F = [&](double x) {
    if (x <= support_lo) return 0.0;
    if (x >= support_hi) return 1.0;
    return cdf(dist, x);
  };
  auto S = [&](double x) {
    if (x <= support_lo) return 1.0;
    if (x >= support_hi) return 0.0;
    return cdf(complement(dist, x));
  };
  double x;
  const double F_lo = F(lo);
  if (F_lo > 0.5) {
    // Upper tail: work with survival probabilities to keep precision.
    const double S_lo = S(lo), S_hi = S(hi);
    const double s = S_lo - u * (S_lo - S_hi);
    if (s >= 1.0) x = lo;
    else if (s <= 0.0) x = hi;
    else x = quantile(complement(dist, s));
  } else {
    const double F_hi = F(hi);
    const double p = F_lo + u * (F_hi - F_lo);
    if (p <= 0.0) x = lo;
    else if (p >= 1.0) x = hi;
    else x = quantile(dist, p);
  }
  return std::min(std::max(x, lo), hi);
}

}  // namespace

std::pair<double, double> UncertainParam::support() const {
  switch (dist) {
    case UncertainParam::Dist::normal: return {-kInf, kInf};
    case UncertainParam::Dist::lognormal: return {0.0, kInf};
    case UncertainParam::Dist::uniform:
    case UncertainParam::Dist::triangular: return {a, b};
  }
  return {-kInf, kInf};
}

double UncertainParam::mass() const {
  const UncertainParam& p = *this;
  // Plain variables, not a structured binding: the lambda below captures
  // them, which clang accepts only from version 16.
  const std::pair<double, double> support = p.support();
  const double slo = support.first, shi = support.second;
  double lo = std::max(p.lo, slo), hi = std::min(p.hi, shi);
  if (!(lo < hi)) return 0.0;
  auto mass = [&](const auto& dist) {
    using boost::math::cdf;
    using boost::math::complement;
    double F_lo = lo <= slo ? 0.0 : cdf(dist, lo);
    double F_hi = hi >= shi ? 1.0 : cdf(dist, hi);
    if (F_lo > 0.5) {
      double S_lo = lo <= slo ? 1.0 : cdf(complement(dist, lo));
      double S_hi = hi >= shi ? 0.0 : cdf(complement(dist, hi));
      return S_lo - S_hi;
    }
    return F_hi - F_lo;
  };
  switch (p.dist) {
    case UncertainParam::Dist::normal: return mass(boost::math::normal_distribution<double>(p.a, p.b));
    case UncertainParam::Dist::lognormal: return mass(boost::math::lognormal_distribution<double>(p.a, p.b));
    case UncertainParam::Dist::uniform: return mass(boost::math::uniform_distribution<double>(p.a, p.b));
    case UncertainParam::Dist::triangular:
      return mass(boost::math::triangular_distribution<double>(p.a, p.c, p.b));
  }
  return 0.0;
}

double UncertainParam::quantile(double u) const {
  // A whole-number parameter is drawn only from a uniform over whole low and
  // high without bounds (the scenario reader's rule): each whole value alike.
  if (address.whole()) return address.uniform_value(u, a, b);
  auto [slo, shi] = support();
  switch (dist) {
    case Dist::normal:
      return truncated_quantile(boost::math::normal_distribution<double>(a, b), slo, shi, lo, hi, u);
    case Dist::lognormal:
      return truncated_quantile(boost::math::lognormal_distribution<double>(a, b), slo, shi, lo, hi, u);
    case Dist::uniform:
      return truncated_quantile(boost::math::uniform_distribution<double>(a, b), slo, shi, lo, hi, u);
    case Dist::triangular:
      return truncated_quantile(boost::math::triangular_distribution<double>(a, c, b), slo, shi, lo, hi, u);
  }
  return a;
}

}  // namespace mfgsim
