#include "sim/core/normal_quantile.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include "sim/core/vector_math.h"

namespace mfgsim {
namespace {

// AS 241 coefficients (PPND16).
constexpr double a[8] = {3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3,
                         1.3731693765509461125e4, 4.5921953931549871457e4, 6.7265770927008700853e4,
                         3.3430575583588128105e4, 2.5090809287301226727e3};
constexpr double b[8] = {1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
                         2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4,
                         5.2264952788528545610e3};
constexpr double c[8] = {1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
                         3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
                         2.27238449892691845833e-2, 7.74545014278341407640e-4};
constexpr double d[8] = {1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
                         1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
                         1.05075007164441684324e-9};
constexpr double e[8] = {6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
                         2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
                         2.71155556874348757815e-5, 2.01033439929228813265e-7};
constexpr double f[8] = {1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
                         7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
                         2.04426310338993978564e-15};

#if defined(__AVX2__) && !(defined(__AVX512F__) && defined(__AVX512VL__))
// Row m: the lanes (0-3) whose bit is set in m, in order, then zeros.
alignas(16) constexpr std::array<std::array<int, 4>, 16> kPacked = [] {
  std::array<std::array<int, 4>, 16> rows{};
  for (int m = 0; m < 16; ++m)
    for (int lane = 0, j = 0; lane < 4; ++lane)
      if ((m >> lane) & 1) rows[m][j++] = lane;
  return rows;
}();
#endif

inline double poly(const double* k, double x) {
  return ((((((k[7] * x + k[6]) * x + k[5]) * x + k[4]) * x + k[3]) * x + k[2]) * x + k[1]) * x + k[0];
}

}  // namespace

void normal_quantiles(const double* u, double* x, int n) {
  // The central branch (|u - 1/2| <= 0.425, 85% of draws) for every
  // element: one rational function, vectorised, no log.
  for (int k = 0; k < n; ++k) {
    const double q = u[k] - 0.5;
    const double rr = 0.180625 - q * q;
    x[k] = q * poly(a, rr) / poly(b, rr);
  }
  // The tails on the elements that need them, gathered into chunks so that
  // their log, sqrt and rational functions vectorise too.
  constexpr int kChunk = 256;
  int index[kChunk + 8];  // 8 spare: the vector compaction stores 8 at a time
  double tail_u[kChunk], tail_x[kChunk];
  for (int start = 0; start < n; start += kChunk) {
    const int end = std::min(n, start + kChunk);
    int count = 0;
    int k = start;
#if defined(__AVX512F__) && defined(__AVX512VL__)
    // The same test, eight at a time: the indices of the tail elements
    // packed to the front of a register (the scalar loop below costs a few
    // cycles a value and was half of the normals' time).
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (; k + 8 <= end; k += 8) {
      const __m512d q = _mm512_sub_pd(_mm512_loadu_pd(u + k), _mm512_set1_pd(0.5));
      const __mmask8 tail = _mm512_cmp_pd_mask(_mm512_abs_pd(q), _mm512_set1_pd(0.425), _CMP_GT_OQ);
      const __m256i packed = _mm256_maskz_compress_epi32(tail, _mm256_add_epi32(_mm256_set1_epi32(k), lanes));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(index + count), packed);
      count += std::popcount(static_cast<unsigned>(tail));
    }
#elif defined(__AVX2__)
    // Without AVX-512's compress: four at a time, the tail lanes' mask
    // choosing a row of kPacked, their lane numbers packed to the front
    // (the scalar loop below was half of the normals' time on AVX2).
    for (; k + 4 <= end; k += 4) {
      const __m256d q = _mm256_sub_pd(_mm256_loadu_pd(u + k), _mm256_set1_pd(0.5));
      const __m256d magnitude = _mm256_andnot_pd(_mm256_set1_pd(-0.0), q);
      const int tail = _mm256_movemask_pd(_mm256_cmp_pd(magnitude, _mm256_set1_pd(0.425), _CMP_GT_OQ));
      const __m128i lanes = _mm_load_si128(reinterpret_cast<const __m128i*>(kPacked[tail].data()));
      const __m128i packed = _mm_add_epi32(_mm_set1_epi32(k), lanes);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(index + count), packed);
      count += std::popcount(static_cast<unsigned>(tail));
    }
#endif
    for (; k < end; ++k) {
      index[count] = k;
      count += std::fabs(u[k] - 0.5) > 0.425 ? 1 : 0;
    }
    for (int j = 0; j < count; ++j) tail_u[j] = u[index[j]];
    for (int j = 0; j < count; ++j) {
      const double q = tail_u[j] - 0.5;
      const double r = std::sqrt(-vector_math::log(vector_math::select(q < 0.0, tail_u[j], 1.0 - tail_u[j])));
      // One division: the chosen branch's numerator over its denominator.
      const bool near = r <= 5.0;
      const double numerator = vector_math::select(near, poly(c, r - 1.6), poly(e, r - 5.0));
      const double denominator = vector_math::select(near, poly(d, r - 1.6), poly(f, r - 5.0));
      const double tail = numerator / denominator;
      tail_x[j] = vector_math::select(q < 0.0, -tail, tail);
    }
    for (int j = 0; j < count; ++j) x[index[j]] = tail_x[j];
  }
}

}  // namespace mfgsim
