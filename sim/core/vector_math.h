// exp and log for the month loop, one double at a time, written so that
// the compiler vectorises a loop over members that calls them: no branches
// (selects only), no division, no libm call, integer work on the IEEE bits.
// Eigen's pexp/plog each hold a division (a Padé form, and the atanh form of
// log), and the divider is the month loop's bottleneck on AVX-512.
//
// exp: Cody-Waite reduction x = k ln2 + r, |r| <= ln2/2, then the Taylor
// polynomial of degree 13 (truncation below 5e-18 relative), scaled by 2^k
// in two factors so that results that underflow to subnormals or overflow
// to inf round once. log: the table method of Tang (1990) as in
// ARM's optimized-routines and glibc 2.28+ (Szabolcs Nagy): x = 2^k z,
// z in [0.6875, 1.375), r = z/c - 1 = fma(z, 1/c, -1) exactly rounded with
// c from a 128-row table (scripts/gen_log_table.py), log x = k ln2 -
// log(1/c) + log1p(r), log1p by its series to r^8 (|r| < 1/128).
// Both within 1 ulp of the correctly rounded result (tests/core/
// vector_math_test.cpp measures the largest error over 10^6 arguments). The
// fma calls are exact IEEE operations (one instruction with FMA, libm's
// correctly rounded fma otherwise), so the results do not depend on the
// vector width or on whether the loop was vectorised (tested). No -ffast-math.
//
// Special values as std::exp/std::log: exp(NaN) = NaN, exp(+inf) = +inf,
// exp(-inf) = 0, exp(x > 709.78) = +inf; log(0) = -inf, log(x < 0) = NaN,
// log(+inf) = +inf, log(NaN) = NaN, subnormal x exact.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
// vector_math::Vec exists (AVX-512: 8 lanes; AVX2 with FMA: 4 lanes).
#define MFGSIM_VECTOR_MATH_VEC 1
#endif

namespace mfgsim::vector_math {

namespace detail {

inline constexpr double kLn2Hi = 0x1.62e42fefa3800p-1;   // ln 2, high bits (k ln2hi exact for |k| < 2^11)
inline constexpr double kLn2Lo = 0x1.ef35793c76730p-45;  // ln 2 - kLn2Hi
inline constexpr double kRoundShift = 0x1.8p52;          // x + 1.5 2^52 - 1.5 2^52 rounds x to an integer

// 1/c and -log(1/c) by row (scripts/gen_log_table.py). Two arrays, not
// one of pairs: GCC vectorises a gather from an array of doubles only.
alignas(64) inline constexpr double kLogInvC[128] = {
    0x1.734f0c541fe8dp+0, 0x1.713786d9c7c09p+0, 0x1.6f26016f26017p+0, 0x1.6d1a62681c861p+0,
    0x1.6b1490aa31a3dp+0, 0x1.691473a88d0c0p+0, 0x1.6719f3601671ap+0, 0x1.6524f853b4aa3p+0,
    0x1.63356b88ac0dep+0, 0x1.614b36831ae94p+0, 0x1.5f66434292dfcp+0, 0x1.5d867c3ece2a5p+0,
    0x1.5babcc647fa91p+0, 0x1.59d61f123ccaap+0, 0x1.5805601580560p+0, 0x1.56397ba7c52e2p+0,
    0x1.54725e6bb82fep+0, 0x1.52aff56a8054bp+0, 0x1.50f22e111c4c5p+0, 0x1.4f38f62dd4c9bp+0,
    0x1.4d843bedc2c4cp+0, 0x1.4bd3edda68fe1p+0, 0x1.4a27fad76014ap+0, 0x1.4880522014880p+0,
    0x1.46dce34596066p+0, 0x1.453d9e2c776cap+0, 0x1.43a2730abee4dp+0, 0x1.420b5265e5951p+0,
    0x1.40782d10e6566p+0, 0x1.3ee8f42a5af07p+0, 0x1.3d5d991aa75c6p+0, 0x1.3bd60d9232955p+0,
    0x1.3a524387ac822p+0, 0x1.38d22d366088ep+0, 0x1.3755bd1c945eep+0, 0x1.35dce5f9f2af8p+0,
    0x1.34679ace01346p+0, 0x1.32f5ced6a1dfap+0, 0x1.3187758e9ebb6p+0, 0x1.301c82ac40260p+0,
    0x1.2eb4ea1fed14bp+0, 0x1.2d50a012d50a0p+0, 0x1.2bef98e5a3711p+0, 0x1.2a91c92f3c105p+0,
    0x1.293725bb804a5p+0, 0x1.27dfa38a1ce4dp+0, 0x1.268b37cd60127p+0, 0x1.2539d7e9177b2p+0,
    0x1.23eb79717605bp+0, 0x1.22a0122a0122ap+0, 0x1.21579804855e6p+0, 0x1.2012012012012p+0,
    0x1.1ecf43c7fb84cp+0, 0x1.1d8f5672e4abdp+0, 0x1.1c522fc1ce059p+0, 0x1.1b17c67f2bae3p+0,
    0x1.19e0119e0119ep+0, 0x1.18ab083902bdbp+0, 0x1.1778a191bd684p+0, 0x1.1648d50fc3201p+0,
    0x1.151b9a3fdd5c9p+0, 0x1.13f0e8d344724p+0, 0x1.12c8b89edc0acp+0, 0x1.11a3019a74826p+0,
    0x1.107fbbe011080p+0, 0x1.0f5edfab325a2p+0, 0x1.0e40655826011p+0, 0x1.0d24456359e3ap+0,
    0x1.0c0a7868b4171p+0, 0x1.0af2f722eecb5p+0, 0x1.09ddba6af8360p+0, 0x1.08cabb37565e2p+0,
    0x1.07b9f29b8eae2p+0, 0x1.06ab59c7912fbp+0, 0x1.059eea0727586p+0, 0x1.04949cc1664c5p+0,
    0x1.038c6b78247fcp+0, 0x1.02864fc7729e9p+0, 0x1.0182436517a37p+0, 0x1.0000000000000p+0,
    0x1.0000000000000p+0, 0x1.fa11caa01fa12p-1, 0x1.f6310aca0dbb5p-1, 0x1.f25f644230ab5p-1,
    0x1.ee9c7f8458e02p-1, 0x1.eae807aba01ebp-1, 0x1.e741aa59750e4p-1, 0x1.e3a9179dc1a73p-1,
    0x1.e01e01e01e01ep-1, 0x1.dca01dca01dcap-1, 0x1.d92f2231e7f8ap-1, 0x1.d5cac807572b2p-1,
    0x1.d272ca3fc5b1ap-1, 0x1.cf26e5c44bfc6p-1, 0x1.cbe6d9601cbe7p-1, 0x1.c8b265afb8a42p-1,
    0x1.c5894d10d4986p-1, 0x1.c26b5392ea01cp-1, 0x1.bf583ee868d8bp-1, 0x1.bc4fd65883e7bp-1,
    0x1.b951e2b18ff23p-1, 0x1.b65e2e3beee05p-1, 0x1.b37484ad806cep-1, 0x1.b094b31d922a4p-1,
    0x1.adbe87f94905ep-1, 0x1.aaf1d2f87ebfdp-1, 0x1.a82e65130e159p-1, 0x1.a574107688a4ap-1,
    0x1.a2c2a87c51ca0p-1, 0x1.a01a01a01a01ap-1, 0x1.9d79f176b682dp-1, 0x1.9ae24ea5510dap-1,
    0x1.9852f0d8ec0ffp-1, 0x1.95cbb0be377aep-1, 0x1.934c67f9b2ce6p-1, 0x1.90d4f120190d5p-1,
    0x1.8e6527af1373fp-1, 0x1.8bfce8062ff3ap-1, 0x1.899c0f601899cp-1, 0x1.87427bcc092b9p-1,
    0x1.84f00c2780614p-1, 0x1.82a4a0182a4a0p-1, 0x1.8060180601806p-1, 0x1.7e225515a4f1dp-1,
    0x1.7beb3922e017cp-1, 0x1.79baa6bb6398bp-1, 0x1.77908119ac60dp-1, 0x1.756cac201756dp-1,
};
alignas(64) inline constexpr double kLogLogC[128] = {
    -0x1.7cc7f7db46a0ep-2, -0x1.76feecb947176p-2, -0x1.713e33a46a17cp-2, -0x1.6b85b4cffa3fdp-2,
    -0x1.65d558d4ce00bp-2, -0x1.602d08af091ecp-2, -0x1.5a8cadbbedfa1p-2, -0x1.54f431b7be1a8p-2,
    -0x1.4f637ebba9810p-2, -0x1.49da7f3bcc420p-2, -0x1.44591e0539f49p-2, -0x1.3edf463c1683ep-2,
    -0x1.396ce359bbf53p-2, -0x1.3401e12aecba0p-2, -0x1.2e9e2bce12286p-2, -0x1.2941afb186b7cp-2,
    -0x1.23ec5991eba49p-2, -0x1.1e9e1678899f5p-2, -0x1.1956d3b9bc2f9p-2, -0x1.14167ef367784p-2,
    -0x1.0edd060b78082p-2, -0x1.09aa572e6c6d4p-2, -0x1.047e60cde83b7p-2, -0x1.feb2233ea07cbp-3,
    -0x1.f474b134df228p-3, -0x1.ea4449f04aaf5p-3, -0x1.e020cc6235ab5p-3, -0x1.d60a17f903514p-3,
    -0x1.cc000c9db3c52p-3, -0x1.c2028ab17f9b5p-3, -0x1.b811730b823d4p-3, -0x1.ae2ca6f672bd8p-3,
    -0x1.a454082e6ab03p-3, -0x1.9a8778debaa3ap-3, -0x1.90c6db9fcbcdbp-3, -0x1.871213750e994p-3,
    -0x1.7d6903caf5acdp-3, -0x1.73cb9074fd14dp-3, -0x1.6a399dabbd383p-3, -0x1.60b3100b09474p-3,
    -0x1.5737cc9018cddp-3, -0x1.4dc7b897bc1c7p-3, -0x1.4462b9dc9b3dcp-3, -0x1.3b08b6757f2a7p-3,
    -0x1.31b994d3a4f86p-3, -0x1.28753bc11aba2p-3, -0x1.1f3b925f25d44p-3, -0x1.160c8024b27b0p-3,
    -0x1.0ce7ecdccc28bp-3, -0x1.03cdc0a51ec0dp-3, -0x1.f57bc7d9005dbp-4, -0x1.e3707ee30487bp-4,
    -0x1.d179788219362p-4, -0x1.bf968769fca18p-4, -0x1.adc77ee5aea8ep-4, -0x1.9c0c32d4d254dp-4,
    -0x1.8a6477a91dc29p-4, -0x1.78d02263d82d7p-4, -0x1.674f089365a78p-4, -0x1.55e10050e0382p-4,
    -0x1.4485e03dbdfb0p-4, -0x1.333d7f8183f4ap-4, -0x1.2207b5c7854a1p-4, -0x1.10e45b3cae829p-4,
    -0x1.ffa6911ab9309p-5, -0x1.dda8adc67ee59p-5, -0x1.bbcebfc68f424p-5, -0x1.9a187b573de81p-5,
    -0x1.788595a3577c8p-5, -0x1.5715c4c03cee1p-5, -0x1.35c8bfaa13069p-5, -0x1.149e3e4005a8dp-5,
    -0x1.e72bf2813ce6ap-6, -0x1.a55f548c5c427p-6, -0x1.63d6178690bbep-6, -0x1.228fb1fea2e0ap-6,
    -0x1.c317384c75f0dp-7, -0x1.41929f968330cp-7, -0x1.8121214586b02p-8, 0x0.0p+0,
    0x0.0p+0, 0x1.7dc475f810a69p-7, 0x1.3cea44346a584p-6, 0x1.b9fc027af919ap-6,
    0x1.1b0d98923d97fp-5, 0x1.58a5bafc8e4d3p-5, 0x1.95c830ec8e3f2p-5, 0x1.d276b8adb0b56p-5,
    0x1.075983598e471p-4, 0x1.253f62f0a1417p-4, 0x1.42edcbea646eep-4, 0x1.60658a93750c4p-4,
    0x1.7da766d7b12d0p-4, 0x1.9ab42462033aep-4, 0x1.b78c82bb0eda0p-4, 0x1.d4313d66cb35dp-4,
    0x1.f0a30c01162a4p-4, 0x1.0671512ca596fp-3, 0x1.14785846742acp-3, 0x1.2266f190a5acdp-3,
    0x1.303d718e47fd5p-3, 0x1.3dfc2b0ecc62ap-3, 0x1.4ba36f39a55e5p-3, 0x1.59338d9982085p-3,
    0x1.66acd4272ad51p-3, 0x1.740f8f54037a3p-3, 0x1.815c0a14357e9p-3, 0x1.8e928de886d41p-3,
    0x1.9bb362e7dfb85p-3, 0x1.a8becfc882f19p-3, 0x1.b5b519e8fb5a6p-3, 0x1.c2968558c18c2p-3,
    0x1.cf6354e09c5ddp-3, 0x1.dc1bca0abec7bp-3, 0x1.e8c0252aa5a60p-3, 0x1.f550a564b7b37p-3,
    0x1.00e6c45ad501dp-2, 0x1.071b85fcd590dp-2, 0x1.0d46b579ab74bp-2, 0x1.136870293a8b0p-2,
    0x1.1980d2dd4236fp-2, 0x1.1f8ff9e48a2f3p-2, 0x1.2596010df763ap-2, 0x1.2b9303ab89d25p-2,
    0x1.31871c9544185p-2, 0x1.3772662bfd85cp-2, 0x1.3d54fa5c1f710p-2, 0x1.432ef2a04e813p-2,
};

inline double from_bits(std::uint64_t u) { return std::bit_cast<double>(u); }
inline std::uint64_t to_bits(double x) { return std::bit_cast<std::uint64_t>(x); }

// 2^k for integer k in [-1022, 1023], from the bits.
inline double pow2(std::int64_t k) { return from_bits(static_cast<std::uint64_t>(k + 1023) << 52); }

}  // namespace detail

// c ? a : b on the bits. A ?: on doubles, or a short-circuit condition,
// leaves branches (comparisons and multiplications may trap, so the compiler
// does not speculate them), and jump threading then duplicates code across
// them until if-conversion gives up and the loop around does not vectorise.
inline double select(bool c, double a, double b) {
  const std::uint64_t mask = 0 - static_cast<std::uint64_t>(c);
  return detail::from_bits((detail::to_bits(a) & mask) | (detail::to_bits(b) & ~mask));
}

[[gnu::always_inline]] inline double exp(double x) {
  using namespace detail;
  // Beyond ±746 the result is 0 or inf whatever x is; clamping keeps k in
  // range. A NaN fails both comparisons and stays NaN.
  const double xc = select(x < -746.0, -746.0, select(x > 710.0, 710.0, x));
  const double shifted = xc * 0x1.71547652b82fep0 + kRoundShift;  // log2(e) x + shift
  const double kd = shifted - kRoundShift;                         // nearest integer to x/ln2
  const std::int64_t k = static_cast<std::int64_t>(to_bits(shifted) - to_bits(kRoundShift));
  double r = std::fma(-kd, kLn2Hi, xc);
  r = std::fma(-kd, kLn2Lo, r);
  // e^r = 1 + r + r^2 q(r), q by Estrin's scheme (shorter dependency chain than Horner).
  const double r2 = r * r, r4 = r2 * r2;
  const double q01 = std::fma(r, 1.0 / 6.0, 0.5), q23 = std::fma(r, 1.0 / 120.0, 1.0 / 24.0);
  const double q45 = std::fma(r, 1.0 / 5040.0, 1.0 / 720.0), q67 = std::fma(r, 1.0 / 362880.0, 1.0 / 40320.0);
  const double q89 = std::fma(r, 1.0 / 39916800.0, 1.0 / 3628800.0);
  const double q1011 = std::fma(r, 1.0 / 6227020800.0, 1.0 / 479001600.0);
  const double q0 = std::fma(r2, q23, q01), q1 = std::fma(r2, q67, q45), q2 = std::fma(r2, q1011, q89);
  const double q = std::fma(r4, std::fma(r4, q2, q1), q0);
  const double p = 1.0 + std::fma(r2, q, r);
  // 2^k as 2^(k/2) 2^(k - k/2): both factors normal for k in [-1077, 1025].
  const std::int64_t k1 = k >> 1;
  return p * pow2(k1) * pow2(k - k1);
}

[[gnu::always_inline]] inline double log(double x) {
  using namespace detail;
  // Subnormal x: scale into the normal range (k corrected below).
  const bool subnormal = x < 0x1p-1022;
  const double xs = select(subnormal, x * 0x1p52, x);
  const std::uint64_t ix = to_bits(xs);
  const std::uint64_t tmp = ix - 0x3fe6000000000000ULL;  // bits of 0.6875
  const std::uint64_t row = (tmp >> 45) & 127;
  const std::int64_t k = (static_cast<std::int64_t>(tmp) >> 52) - 52 * static_cast<std::int64_t>(subnormal);
  const double z = from_bits(ix - (tmp & (0xfffULL << 52)));
  const double invc = kLogInvC[row], logc = kLogLogC[row];
  const double r = std::fma(z, invc, -1.0);
  // k as a double through the bits, as exp does (|k| < 1100).
  const double kd = from_bits(static_cast<std::uint64_t>(k) + to_bits(kRoundShift)) - kRoundShift;
  const double w = kd * kLn2Hi + logc;  // exact product; |w| >= |r| or w = 0
  const double hi = w + r;
  const double lo = (w - hi) + r + kd * kLn2Lo;
  // log1p(r) - r = r^2 (-1/2 + r/3 - r^2/4 + ... - r^6/8), Estrin's scheme.
  const double r2 = r * r, r4 = r2 * r2;
  const double p01 = std::fma(r, 1.0 / 3.0, -0.5), p23 = std::fma(r, 1.0 / 5.0, -0.25);
  const double p45 = std::fma(r, 1.0 / 7.0, -1.0 / 6.0);
  const double p = r2 * std::fma(r4, std::fma(r2, -0.125, p45), std::fma(r2, p23, p01));
  const double y = (lo + p) + hi;
  // std::log's special values.
  const double special = select(x == 0.0, -INFINITY, select(x == INFINITY, INFINITY, NAN));
  return select((x > 0.0) & (x < INFINITY), y, special);
}

// x in every lane of L (double, or Vec below).
template <class L>
L splat(double x);
template <>
[[gnu::always_inline]] inline double splat<double>(double x) { return x; }

#if defined(__AVX512F__)
// Eight lanes at a time, for loops written over vectors (the month loop,
// sim/engine/engine.cpp): GCC's vector extension, whose operators work lane
// by lane and whose a * b + c is contracted to an fma exactly where the
// auto-vectorised scalar code above contracts it. exp(Vec) and log(Vec)
// below do the same operations as exp(double) and log(double), so every
// lane has the bits of one scalar call (tested); here with three AVX-512
// instructions the auto-vectoriser does not emit: vminpd/vmaxpd for exp's
// clamp, vscalefpd for its 2^k, which rounds once as the two scalar factors
// do (both exact unless the result is subnormal or overflows), and
// vfixupimmpd for log's special values. Fewer vector operations a call: the
// month loop is bound by them.
inline constexpr int kLanes = 8;
using Vec = double __attribute__((vector_size(64)));                  // 8 doubles (__m512d without may_alias)
using VecBits = std::uint64_t __attribute__((vector_size(64)));        // their bits
using VecInt = std::int64_t __attribute__((vector_size(64)));          // lane masks (-1, 0), integers

template <>
[[gnu::always_inline]] inline Vec splat<Vec>(double x) { return _mm512_set1_pd(x); }
[[gnu::always_inline]] inline Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_pd(a, b, c); }

namespace detail {
// min(710, x) then max(-746, .): a NaN x is the second operand of both, so it stays NaN.
[[gnu::always_inline]] inline Vec clamp(Vec x, double lo, double hi) {
  return _mm512_max_pd(_mm512_set1_pd(lo), _mm512_min_pd(_mm512_set1_pd(hi), x));
}
// p 2^k, k = kd an integer in [-1077, 1025], rounded once.
[[gnu::always_inline]] inline Vec scale_by_pow2(Vec p, Vec kd, VecBits) { return _mm512_scalef_pd(p, kd); }
[[gnu::always_inline]] inline Vec gather(const double* table, VecBits row) {
  return _mm512_i64gather_pd(std::bit_cast<__m512i>(row), table, 8);
}
// The arithmetic shift tmp >> 52 (vpsraq).
[[gnu::always_inline]] inline VecInt shift_right_52(VecBits tmp) { return std::bit_cast<VecInt>(tmp) >> 52; }
// std::log's special values: one vfixupimmpd for 0 (-inf) and +inf (+inf),
// y for the other non-negative x; NaN for x < 0 or NaN as the scalar code.
// Classes of x (token: response): QNaN 0, SNaN 1, zero 2: -inf (4), one 3,
// -inf 4, +inf 5: +inf (5), negative 6, positive 7; response 0 keeps y.
[[gnu::always_inline]] inline Vec log_special_values(Vec y, Vec x) {
  const Vec fixed = _mm512_fixupimm_pd(y, x, _mm512_set1_epi64(0x00500400LL), 0);
  return x >= 0.0 ? fixed : _mm512_set1_pd(NAN);
}
}  // namespace detail
#elif defined(MFGSIM_VECTOR_MATH_VEC)
// Four lanes at a time on AVX2 with FMA (AMD Zen, Intel cores without
// AVX-512), for the same loops, where GCC's auto-vectorised scalar text
// read the log's table by scalar loads and inserts and emulated the 64-bit
// shifts lane by lane. AVX2 has no 64-bit arithmetic shift: k >> 1 and
// tmp >> 52 are taken as logical shifts of a biased value.
inline constexpr int kLanes = 4;
using Vec = double __attribute__((vector_size(32)));            // 4 doubles (__m256d without may_alias)
using VecBits = std::uint64_t __attribute__((vector_size(32)));  // their bits
using VecInt = std::int64_t __attribute__((vector_size(32)));    // lane masks (-1, 0), integers

template <>
[[gnu::always_inline]] inline Vec splat<Vec>(double x) { return _mm256_set1_pd(x); }
[[gnu::always_inline]] inline Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_pd(a, b, c); }

namespace detail {
[[gnu::always_inline]] inline Vec clamp(Vec x, double lo, double hi) {
  return _mm256_max_pd(_mm256_set1_pd(lo), _mm256_min_pd(_mm256_set1_pd(hi), x));
}
// p 2^k1 2^(k - k1) as the scalar code, k1 = k >> 1 (floor) taken as
// ((k + 2048) >> 1) - 1024: k + 2048 > 0 for k in [-1077, 1025]. Unsigned
// (two's complement) arithmetic: the same bits for those k, and a NaN x,
// whose k is any pattern (its result is NaN whatever the scale), wraps
// instead of overflowing a signed integer (UBSan found it).
[[gnu::always_inline]] inline Vec scale_by_pow2(Vec p, Vec, VecBits k) {
  const VecBits k1 = ((k + 2048) >> 1) - 1024;
  const Vec scale1 = std::bit_cast<Vec>((k1 + 1023) << 52);
  const Vec scale2 = std::bit_cast<Vec>((k - k1 + 1023) << 52);
  return p * scale1 * scale2;
}
[[gnu::always_inline]] inline Vec gather(const double* table, VecBits row) {
  return _mm256_i64gather_pd(table, std::bit_cast<__m256i>(row), 8);
}
// The arithmetic tmp >> 52: with the sign bit flipped, a logical shift 2^11 too high.
[[gnu::always_inline]] inline VecInt shift_right_52(VecBits tmp) {
  return std::bit_cast<VecInt>((tmp ^ 0x8000000000000000ULL) >> 52) - 2048;
}
// std::log's special values, selected as the scalar code selects them.
[[gnu::always_inline]] inline Vec log_special_values(Vec y, Vec x) {
  const Vec special = x == 0.0 ? splat<Vec>(-INFINITY) : (x == INFINITY ? splat<Vec>(INFINITY) : splat<Vec>(NAN));
  return (x > 0.0) & (x < INFINITY) ? y : special;
}
}  // namespace detail
#endif

#if defined(MFGSIM_VECTOR_MATH_VEC)
[[gnu::always_inline]] inline Vec select(VecInt c, Vec a, Vec b) { return c ? a : b; }

[[gnu::always_inline]] inline Vec exp(Vec x) {
  using namespace detail;
  auto c = [](double v) { return splat<Vec>(v); };
  const Vec xc = clamp(x, -746.0, 710.0);
  const Vec shifted = fma(xc, c(0x1.71547652b82fep0), c(kRoundShift));
  const Vec kd = shifted - kRoundShift;
  const VecBits k = std::bit_cast<VecBits>(shifted) - to_bits(kRoundShift);  // k as two's complement bits
  Vec r = fma(-kd, c(kLn2Hi), xc);
  r = fma(-kd, c(kLn2Lo), r);
  const Vec r2 = r * r, r4 = r2 * r2;
  const Vec q01 = fma(r, c(1.0 / 6.0), c(0.5)), q23 = fma(r, c(1.0 / 120.0), c(1.0 / 24.0));
  const Vec q45 = fma(r, c(1.0 / 5040.0), c(1.0 / 720.0)), q67 = fma(r, c(1.0 / 362880.0), c(1.0 / 40320.0));
  const Vec q89 = fma(r, c(1.0 / 39916800.0), c(1.0 / 3628800.0));
  const Vec q1011 = fma(r, c(1.0 / 6227020800.0), c(1.0 / 479001600.0));
  const Vec q0 = fma(r2, q23, q01), q1 = fma(r2, q67, q45), q2 = fma(r2, q1011, q89);
  const Vec q = fma(r4, fma(r4, q2, q1), q0);
  const Vec p = 1.0 + fma(r2, q, r);
  return scale_by_pow2(p, kd, k);
}

[[gnu::always_inline]] inline Vec log(Vec x) {
  using namespace detail;
  auto c = [](double v) { return splat<Vec>(v); };
  const VecInt subnormal = x < 0x1p-1022;
  const Vec xs = select(subnormal, x * 0x1p52, x);
  const VecBits ix = std::bit_cast<VecBits>(xs);
  const VecBits tmp = ix - 0x3fe6000000000000ULL;
  const VecBits row = (tmp >> 45) & 127;
  const VecInt k = shift_right_52(tmp) - (subnormal & 52);
  const Vec z = std::bit_cast<Vec>(ix - (tmp & (0xfffULL << 52)));
  const Vec invc = gather(kLogInvC, row), logc = gather(kLogLogC, row);
  const Vec r = fma(z, invc, c(-1.0));
  const Vec kd = std::bit_cast<Vec>(std::bit_cast<VecBits>(k) + to_bits(kRoundShift)) - kRoundShift;
  // The scalar code's contractions: w and lo's last term are fmas.
  const Vec w = fma(kd, c(kLn2Hi), logc);
  const Vec hi = w + r;
  const Vec lo = fma(kd, c(kLn2Lo), (w - hi) + r);
  const Vec r2 = r * r, r4 = r2 * r2;
  const Vec p01 = fma(r, c(1.0 / 3.0), c(-0.5)), p23 = fma(r, c(1.0 / 5.0), c(-0.25));
  const Vec p45 = fma(r, c(1.0 / 7.0), c(-1.0 / 6.0));
  const Vec y = fma(r2, fma(r4, fma(r2, c(-0.125), p45), fma(r2, p23, p01)), lo) + hi;
  return log_special_values(y, x);
}
#endif

}  // namespace mfgsim::vector_math
