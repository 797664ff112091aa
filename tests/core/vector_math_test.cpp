// sim/core/vector_math.h: exp and log against long double expl/logl (64-bit
// mantissa, so an error of the double result in ulp is measured to about
// 1/2048 ulp), their special values, their table, and that a vectorised loop
// gives the same bits as one call at a time.
#include "sim/core/vector_math.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "models/block.h"

namespace mfgsim {
namespace {

// |got - exact| in units of the last place of the double nearest to `exact`.
double ulp_error(double got, long double exact) {
  const double nearest = static_cast<double>(exact);
  const double ulp = nearest == 0.0 ? DBL_TRUE_MIN
                                    : std::nextafter(std::fabs(nearest), INFINITY) - std::fabs(nearest);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - exact) / ulp);
}

// Not inlined: one call at a time, against the vectorised loops below.
[[gnu::noinline]] double exp_one(double x) { return vector_math::exp(x); }
[[gnu::noinline]] double log_one(double x) { return vector_math::log(x); }

void exp_all(const Column& x, Column& y) {
  for (std::size_t k = 0; k < x.size(); ++k) y[k] = vector_math::exp(x[k]);
}
void log_all(const Column& x, Column& y) {
  for (std::size_t k = 0; k < x.size(); ++k) y[k] = vector_math::log(x[k]);
}

constexpr int kSamples = 1 << 20;

// The largest error of `all` (a vectorised loop) over x against `exact`,
// after checking that each value has the bits of `one` (one call at a time).
template <class All, class One, class Exact>
double worst_ulp(const Column& x, All all, One one, Exact exact) {
  Column y(x.size());
  all(x, y);
  double worst = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    worst = std::max(worst, ulp_error(y[k], exact(static_cast<long double>(x[k]))));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(y[k]), std::bit_cast<std::uint64_t>(one(x[k]))) << x[k];
  }
  return worst;
}

TEST(VectorMath, ExpWithinOneUlpOverItsWholeRange) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> wide(-745.0, 709.7), narrow(-2.0, 2.0);
  Column x(kSamples);
  for (int k = 0; k < kSamples; ++k) x[k] = k % 2 ? wide(rng) : narrow(rng);
  // Measured: 0.99 ulp (the worst case of degree-13 Taylor + one rounding).
  EXPECT_LT(worst_ulp(x, exp_all, exp_one, [](long double v) { return expl(v); }), 1.0);
}

TEST(VectorMath, LogWithinOneAndAHalfUlpOverItsWholeRange) {
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> exponent(-1070.0, 1020.0), near_one(-0.05, 0.05);
  Column x(kSamples);
  // A third near 1 (the model's ratios K/K0, P/P0, ...), the rest log-uniform
  // over the doubles, subnormals included.
  for (int k = 0; k < kSamples; ++k) x[k] = k % 3 == 0 ? 1.0 + near_one(rng) : std::exp2(exponent(rng));
  // Measured: 1.45 ulp, just above 1 + 1/128 where the table's -log(1/c)
  // (rounded once) is twice the result.
  EXPECT_LT(worst_ulp(x, log_all, log_one, [](long double v) { return logl(v); }), 1.5);
}

TEST(VectorMath, NearOneLogKeepsItsRelativeAccuracy) {
  for (double d : {1e-300, 1e-17, 0x1p-53, 1e-12, 1e-8, 1e-4})
    for (double x : {1.0 + d, 1.0 - d}) EXPECT_LT(ulp_error(log_one(x), logl(static_cast<long double>(x))), 1.0) << x;
  EXPECT_EQ(log_one(1.0), 0.0);
}

TEST(VectorMath, SpecialValuesAsTheStandardLibrary) {
  EXPECT_EQ(log_one(0.0), -INFINITY);
  EXPECT_EQ(log_one(-0.0), -INFINITY);
  EXPECT_TRUE(std::isnan(log_one(-1.0)));
  EXPECT_TRUE(std::isnan(log_one(-INFINITY)));
  EXPECT_TRUE(std::isnan(log_one(NAN)));
  EXPECT_EQ(log_one(INFINITY), INFINITY);
  EXPECT_EQ(log_one(DBL_TRUE_MIN), std::log(DBL_TRUE_MIN));
  EXPECT_EQ(log_one(DBL_MAX), std::log(DBL_MAX));
  EXPECT_EQ(exp_one(0.0), 1.0);
  EXPECT_EQ(exp_one(-INFINITY), 0.0);
  EXPECT_EQ(exp_one(INFINITY), INFINITY);
  EXPECT_TRUE(std::isnan(exp_one(NAN)));
  EXPECT_EQ(exp_one(709.79), INFINITY);  // above log(DBL_MAX) = 709.78...
  EXPECT_EQ(exp_one(1000.0), INFINITY);
  EXPECT_EQ(exp_one(-746.0), 0.0);
  EXPECT_EQ(exp_one(-745.1), DBL_TRUE_MIN);  // the smallest subnormal, as std::exp
  // Subnormal results round once, as std::exp.
  for (double x : {-708.5, -720.0, -740.0}) EXPECT_EQ(exp_one(x), std::exp(x)) << x;
}

TEST(VectorMath, LogTableRowsAreTheirDefinition) {
  // Row i: invc = 1/c rounded, c the row's midpoint (1 for rows 79 and 80),
  // logc = -log(invc) to within half an ulp (scripts/gen_log_table.py).
  for (int i = 0; i < 128; ++i) {
    const double lo = i < 80 ? 0.6875 + i / 256.0 : 1.0 + (i - 80) / 128.0;
    const double width = i < 80 ? 1 / 256.0 : 1 / 128.0;
    const double c = i == 79 || i == 80 ? 1.0 : lo + width / 2;
    EXPECT_EQ(vector_math::detail::kLogInvC[i], 1.0 / c) << i;
    const long double exact = -logl(static_cast<long double>(vector_math::detail::kLogInvC[i]));
    if (exact != 0.0L) {
      EXPECT_LE(ulp_error(vector_math::detail::kLogLogC[i], exact), 0.5 + 1e-3) << i;
    }
  }
}

TEST(VectorMath, SelectPicksBitsExactly) {
  EXPECT_EQ(std::bit_cast<std::uint64_t>(vector_math::select(true, -0.0, 1.0)), std::bit_cast<std::uint64_t>(-0.0));
  EXPECT_EQ(vector_math::select(false, -0.0, 1.0), 1.0);
  EXPECT_TRUE(std::isnan(vector_math::select(true, NAN, 1.0)));
}

#if defined(MFGSIM_VECTOR_MATH_VEC)
// exp(Vec) and log(Vec) (the month loop's eight lanes on AVX-512, four on AVX2) give each lane the
// bits of one scalar call, special values and subnormals included; a NaN is
// a NaN (IEEE 754 does not specify the sign of an operation's NaN, and
// exp(NaN)'s differs).
TEST(VectorMath, VectorLanesHaveTheBitsOfOneCall) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> wide(-760.0, 720.0), exponent(-1074.0, 1023.0), narrow(-3.0, 3.0);
  std::vector<double> x;
  for (int k = 0; k < kSamples / 4; ++k) {
    x.push_back(k % 2 ? wide(rng) : narrow(rng));
    x.push_back(std::exp2(exponent(rng)));
    x.push_back(1.0 + narrow(rng) * 1e-3);
  }
  for (double v : std::initializer_list<double>{0.0, -0.0, -1.0, -INFINITY, INFINITY, NAN, -NAN, DBL_TRUE_MIN, DBL_MIN, DBL_MAX, 1.0, 709.78,
                   709.79, -745.1, -746.0, -708.5, 0x1p-1022 * (1 - 0x1p-52)})
    x.push_back(v);
  while (x.size() % vector_math::kLanes != 0) x.push_back(1.0);
  auto bits = [](double v) { return std::isnan(v) ? std::uint64_t{1} : std::bit_cast<std::uint64_t>(v); };
  for (std::size_t k = 0; k < x.size(); k += vector_math::kLanes) {
    vector_math::Vec v;
    for (int j = 0; j < vector_math::kLanes; ++j) v[j] = x[k + j];
    const vector_math::Vec e = vector_math::exp(v), l = vector_math::log(v);
    for (int j = 0; j < vector_math::kLanes; ++j) {
      EXPECT_EQ(bits(e[j]), bits(exp_one(x[k + j]))) << x[k + j];
      EXPECT_EQ(bits(l[j]), bits(log_one(x[k + j]))) << x[k + j];
    }
  }
}
#endif

}  // namespace
}  // namespace mfgsim
