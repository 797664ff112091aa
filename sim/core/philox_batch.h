// Philox4x64-10 (Salmon, Moraes, Dror and Shaw 2011; the same words as
// Random123's r123::Philox4x64, tested for many counters and keys) for a
// batch of counters at once, structure of arrays. One call is ten rounds,
// each two 64x64->128-bit multiplies that depend on the round before: one
// counter at a time the loop waits on that chain (about 5 cycles a round);
// several counters' rounds interleaved keep the scalar multiplier busy
// instead. (Vectorised over counters with vpmuludq, 64-bit products need
// four 32-bit ones: no faster here, README "Performance".)
#pragma once

#include <Random123/uniform.hpp>
#include <cstdint>

namespace mfgsim {

// Counters per batch in the month loop's draws (8: enough independent
// multiply chains to hide their latency; bench/random_bench.cpp).
inline constexpr int kPhiloxBatch = 8;

// c[w][j] is word w of counter j on entry, word w of Philox4x64-10(counter
// j, {key0, key1}) on return, for j < N.
template <int N>
inline void philox4x64_10(std::uint64_t (&c)[4][N], std::uint64_t key0, std::uint64_t key1) {
  __extension__ typedef unsigned __int128 Product;
  constexpr std::uint64_t kMultiplier0 = 0xD2E7470EE14C6C93ULL;  // PHILOX_M4x64_0
  constexpr std::uint64_t kMultiplier1 = 0xCA5A826395121157ULL;  // PHILOX_M4x64_1
  constexpr std::uint64_t kWeyl0 = 0x9E3779B97F4A7C15ULL;        // PHILOX_W64_0 (key bump)
  constexpr std::uint64_t kWeyl1 = 0xBB67AE8584CAA73BULL;        // PHILOX_W64_1
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

// Rows of uniforms for `count` consecutive members: u[r * stride + j] =
// u01fixedpt(word r % 4 of Philox4x64-10({member0 + j, month, purpose,
// r / 4}, {key0, key1})) for r < rows, j < count: the numbers
// RandomStream::words gives those counters, one batch of kPhiloxBatch
// members at a time (N: another batch size, for the benchmark). u in
// (0, 1), 2^-53 apart, never 0, 1/2 or 1.
template <int N = kPhiloxBatch>
inline void philox_uniform_rows(std::uint64_t key0, std::uint64_t key1, std::uint64_t member0, std::uint64_t month,
                                std::uint64_t purpose, int rows, int count, int stride, double* u) {
  constexpr int kN = N;
  for (int first = 0; first < count; first += kN) {
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
