// Philox4x64-10 (Salmon, Moraes, Dror and Shaw 2011; the same words as
// Random123's r123::Philox4x64, tested for many counters and keys) for a
// batch of counters at once, structure of arrays. One call is ten rounds,
// each two 64x64->128-bit multiplies that depend on the round before: one
// counter at a time the loop waits on that chain (about 5 cycles a round).
// Two ways to keep the multipliers busy instead: with AVX-512 IFMA, 8
// counters a vector from 52-bit limb products (7 vpmadd52 per 64x64
// product), four vectors interleaved; otherwise several counters' scalar
// rounds interleaved. (Vectorised with vpmuludq, 32-bit limbs: no faster
// than one counter at a time, README "Performance".) Measured with
// bench/random_bench.cpp.
#pragma once

#include <Random123/uniform.hpp>
#include <cstdint>

#if defined(__AVX512F__) && defined(__AVX512IFMA__) && defined(__AVX512DQ__)
#include <immintrin.h>
#define MFGSIM_PHILOX_IFMA 1
#endif

namespace mfgsim {

namespace philox_constants {
inline constexpr std::uint64_t kMultiplier0 = 0xD2E7470EE14C6C93ULL;  // PHILOX_M4x64_0
inline constexpr std::uint64_t kMultiplier1 = 0xCA5A826395121157ULL;  // PHILOX_M4x64_1
inline constexpr std::uint64_t kWeyl0 = 0x9E3779B97F4A7C15ULL;        // PHILOX_W64_0 (key bump)
inline constexpr std::uint64_t kWeyl1 = 0xBB67AE8584CAA73BULL;        // PHILOX_W64_1
}  // namespace philox_constants

// Counters per batch in the scalar rounds (8: enough independent multiply
// chains to hide their latency; 4 and 16 are no faster).
inline constexpr int kPhiloxBatch = 8;

// c[w][j] is word w of counter j on entry, word w of Philox4x64-10(counter
// j, {key0, key1}) on return, for j < N.
template <int N>
inline void philox4x64_10(std::uint64_t (&c)[4][N], std::uint64_t key0, std::uint64_t key1) {
  __extension__ typedef unsigned __int128 Product;
  using namespace philox_constants;
#pragma GCC unroll 10
  for (int round = 0; round < 10; ++round) {
#pragma GCC unroll 16
    for (int j = 0; j < N; ++j) {
      const Product p0 = static_cast<Product>(kMultiplier0) * c[0][j];
      const Product p1 = static_cast<Product>(kMultiplier1) * c[2][j];
      const std::uint64_t c1 = c[1][j], c3 = c[3][j];
      c[0][j] = static_cast<std::uint64_t>(p1 >> 64) ^ c1 ^ key0;
      c[1][j] = static_cast<std::uint64_t>(p1);
      c[2][j] = static_cast<std::uint64_t>(p0 >> 64) ^ c3 ^ key1;
      c[3][j] = static_cast<std::uint64_t>(p0);
    }
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
}

#if MFGSIM_PHILOX_IFMA
// Shifts by a constant through GCC's vector extension (GCC 12's
// _mm512_srli_epi64 trips -Wuninitialized in its own header).
namespace philox_vector {
typedef std::uint64_t Words __attribute__((vector_size(64)));
inline __m512i shift_right(__m512i x, int n) { return reinterpret_cast<__m512i>(reinterpret_cast<Words>(x) >> n); }
inline __m512i shift_left(__m512i x, int n) { return reinterpret_cast<__m512i>(reinterpret_cast<Words>(x) << n); }
}  // namespace philox_vector

// The same rounds on G vectors of 8 counters with AVX-512 IFMA: each
// 64x64->128-bit product from 52-bit limbs (b = b0 + 2^52 b1, the same for
// the multiplier; vpmadd52luq/huq give the low and high 52 bits of a limb
// product): columns at 2^0, 2^52 and 2^104 (m1 b1 < 2^24: no column at
// 2^156); col0 + (col52 mod 2^12) 2^52 < 2^64, so the low word takes no
// carry and the high word is col52 / 2^12 + col104 2^40.
template <int G>
inline void philox4x64_10(__m512i (&c)[4][G], std::uint64_t key0, std::uint64_t key1) {
  using namespace philox_constants;
  const __m512i zero = _mm512_setzero_si512();
  const __m512i multiplier[2] = {_mm512_set1_epi64(static_cast<long long>(kMultiplier0)),
                                 _mm512_set1_epi64(static_cast<long long>(kMultiplier1))};
  const __m512i multiplier_top[2] = {_mm512_set1_epi64(static_cast<long long>(kMultiplier0 >> 52)),
                                     _mm512_set1_epi64(static_cast<long long>(kMultiplier1 >> 52))};
  auto product = [&](int which, __m512i b, __m512i& hi, __m512i& lo) {
    const __m512i m = multiplier[which], m1 = multiplier_top[which];
    const __m512i b1 = philox_vector::shift_right(b, 52);
    const __m512i col0 = _mm512_madd52lo_epu64(zero, m, b);
    const __m512i col52 =
        _mm512_madd52lo_epu64(_mm512_madd52lo_epu64(_mm512_madd52hi_epu64(zero, m, b), m, b1), m1, b);
    const __m512i col104 =
        _mm512_madd52lo_epu64(_mm512_madd52hi_epu64(_mm512_madd52hi_epu64(zero, m, b1), m1, b), m1, b1);
    lo = _mm512_add_epi64(col0, philox_vector::shift_left(col52, 52));
    hi = _mm512_add_epi64(philox_vector::shift_right(col52, 12), philox_vector::shift_left(col104, 40));
  };
#pragma GCC unroll 10
  for (int round = 0; round < 10; ++round) {
    const __m512i k0 = _mm512_set1_epi64(static_cast<long long>(key0));
    const __m512i k1 = _mm512_set1_epi64(static_cast<long long>(key1));
#pragma GCC unroll 8
    for (int g = 0; g < G; ++g) {
      __m512i hi0, lo0, hi1, lo1;
      product(0, c[0][g], hi0, lo0);
      product(1, c[2][g], hi1, lo1);
      c[0][g] = _mm512_ternarylogic_epi64(hi1, c[1][g], k0, 0x96);  // three-way xor
      c[1][g] = lo1;
      c[2][g] = _mm512_ternarylogic_epi64(hi0, c[3][g], k1, 0x96);
      c[3][g] = lo0;
    }
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
}

// philox_uniform_rows for G vectors of 8 members from member index `first`.
template <int G>
inline void philox_uniform_rows_ifma(std::uint64_t key0, std::uint64_t key1, std::uint64_t member0,
                                     std::uint64_t month, std::uint64_t purpose, int rows, int first, int stride,
                                     double* u) {
  const __m512i lanes = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
  const __m512d scale = _mm512_set1_pd(1.0 / (1.0 + static_cast<double>(~0ULL >> 11)));  // u01fixedpt's 2^-53
  for (int block = 0; 4 * block < rows; ++block) {
    __m512i c[4][G];
    for (int g = 0; g < G; ++g) {
      c[0][g] = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(member0 + first + 8 * g)), lanes);
      c[1][g] = _mm512_set1_epi64(static_cast<long long>(month));
      c[2][g] = _mm512_set1_epi64(static_cast<long long>(purpose));
      c[3][g] = _mm512_set1_epi64(block);
    }
    philox4x64_10<G>(c, key0, key1);
    for (int w = 0; w < 4 && 4 * block + w < rows; ++w) {
      double* row = u + static_cast<std::ptrdiff_t>(4 * block + w) * stride + first;
      for (int g = 0; g < G; ++g) {
        const __m512i odd = _mm512_or_si512(philox_vector::shift_right(c[w][g], 11), _mm512_set1_epi64(1));
        _mm512_storeu_pd(row + 8 * g, _mm512_mul_pd(_mm512_cvtepu64_pd(odd), scale));
      }
    }
  }
}
#endif

// Rows of uniforms for `count` consecutive members: u[r * stride + j] =
// u01fixedpt(word r % 4 of Philox4x64-10({member0 + j, month, purpose,
// r / 4}, {key0, key1})) for r < rows, j < count: the numbers
// RandomStream::words gives those counters, one batch of kPhiloxBatch
// members at a time (N: another batch size, for the benchmark; with IFMA,
// N = kPhiloxBatch takes whole vectors of 8 members vectorised and the rest
// scalar). u in (0, 1), 2^-53 apart, never 0, 1/2 or 1. Each value depends
// on its counter alone, not on count, stride or the member's place.
template <int N = kPhiloxBatch>
inline void philox_uniform_rows(std::uint64_t key0, std::uint64_t key1, std::uint64_t member0, std::uint64_t month,
                                std::uint64_t purpose, int rows, int count, int stride, double* u) {
  constexpr int kN = N;
  int first = 0;
#if MFGSIM_PHILOX_IFMA
  if constexpr (N == kPhiloxBatch) {
    // Four vectors of 8 members at a time: 16 counters' words in registers.
    for (; first + 32 <= count; first += 32)
      philox_uniform_rows_ifma<4>(key0, key1, member0, month, purpose, rows, first, stride, u);
    for (; first + 8 <= count; first += 8)
      philox_uniform_rows_ifma<1>(key0, key1, member0, month, purpose, rows, first, stride, u);
  }
#endif
  for (; first < count; first += kN) {
    const int n = count - first < kN ? count - first : kN;
    for (int block = 0; 4 * block < rows; ++block) {
      std::uint64_t c[4][kN];
      for (int j = 0; j < kN; ++j) {
        c[0][j] = member0 + static_cast<std::uint64_t>(first + j);
        c[1][j] = month;
        c[2][j] = purpose;
        c[3][j] = static_cast<std::uint64_t>(block);
      }
      philox4x64_10<kN>(c, key0, key1);
      for (int w = 0; w < 4 && 4 * block + w < rows; ++w) {
        double* __restrict row = u + static_cast<std::ptrdiff_t>(4 * block + w) * stride + first;
        for (int j = 0; j < n; ++j) row[j] = r123::u01fixedpt<double>(c[w][j]);
      }
    }
  }
}

}  // namespace mfgsim
