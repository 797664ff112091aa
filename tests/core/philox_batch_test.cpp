// sim/core/philox_batch.h: the batched Philox4x64-10 gives Random123's words
// for every counter and key, and the uniform rows are RandomStream's words
// through u01fixedpt, for any batch size, member offset, row count and stride.
#include "sim/core/philox_batch.h"

#include <gtest/gtest.h>

#include <Random123/philox.h>
#include <random>
#include <vector>

#include "sim/core/random_stream.h"

namespace mfgsim {
namespace {

// 4,000 batches of 8 random counters under random keys, plus edge words
// (0 and all ones), against r123::Philox4x64 one counter at a time.
TEST(PhiloxBatch, SameWordsAsRandom123ForManyCountersAndKeys) {
  std::mt19937_64 bits(15);
  const std::uint64_t edges[] = {0, 1, ~0ULL, 0x8000000000000000ULL};
  r123::Philox4x64 philox;
  int compared = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    const std::uint64_t key0 = trial < 4 ? edges[trial] : bits(), key1 = trial < 4 ? edges[3 - trial] : bits();
    std::uint64_t c[4][8];
    for (int j = 0; j < 8; ++j)
      for (int w = 0; w < 4; ++w) c[w][j] = (trial + j + w) % 7 == 0 ? edges[(j + w) % 4] : bits();
    r123::Philox4x64::ctr_type expected[8];
    for (int j = 0; j < 8; ++j) expected[j] = philox({{c[0][j], c[1][j], c[2][j], c[3][j]}}, {{key0, key1}});
    philox4x64_10<8>(c, key0, key1);
    for (int j = 0; j < 8; ++j)
      for (int w = 0; w < 4; ++w) {
        ASSERT_EQ(c[w][j], expected[j].v[w]) << "trial " << trial << " counter " << j << " word " << w;
        ++compared;
      }
  }
  EXPECT_EQ(compared, 4000 * 8 * 4);
}

// Random123's known answer (kat_vectors: philox4x64 10, the pi digits),
// in every lane of a batch of 3.
TEST(PhiloxBatch, KnownAnswerInEveryLane) {
  std::uint64_t c[4][3];
  for (int j = 0; j < 3; ++j) {
    c[0][j] = 0x243f6a8885a308d3ull;
    c[1][j] = 0x13198a2e03707344ull;
    c[2][j] = 0xa4093822299f31d0ull;
    c[3][j] = 0x082efa98ec4e6c89ull;
  }
  philox4x64_10<3>(c, 0x452821e638d01377ull, 0xbe5466cf34e90c6cull);
  for (int j = 0; j < 3; ++j) {
    EXPECT_EQ(c[0][j], 0xa528f45403e61d95ull);
    EXPECT_EQ(c[1][j], 0x38c72dbd566e9788ull);
    EXPECT_EQ(c[2][j], 0xa5a1610e72fd18b5ull);
    EXPECT_EQ(c[3][j], 0x57bd43b5e52b7fe6ull);
  }
}

// The IFMA kernel (vectors of 8 counters, 52-bit limbs): random counters
// and keys, and words whose limbs are all ones or zero (the limb products'
// carries at their largest), against r123::Philox4x64.
TEST(PhiloxBatch, VectorKernelSameWordsAsRandom123) {
#if MFGSIM_PHILOX_IFMA
  std::mt19937_64 bits(52);
  const std::uint64_t edges[] = {0, ~0ULL, (1ULL << 52) - 1, ~((1ULL << 52) - 1), 1ULL << 52};
  r123::Philox4x64 philox;
  for (int trial = 0; trial < 2000; ++trial) {
    const std::uint64_t key0 = trial < 5 ? edges[trial] : bits(), key1 = trial < 5 ? edges[4 - trial] : bits();
    alignas(64) std::uint64_t words[4][2][8];
    for (int g = 0; g < 2; ++g)
      for (int w = 0; w < 4; ++w)
        for (int j = 0; j < 8; ++j) words[w][g][j] = (trial + j + w + g) % 5 == 0 ? edges[(j + w) % 5] : bits();
    __m512i c[4][2];
    for (int w = 0; w < 4; ++w)
      for (int g = 0; g < 2; ++g) c[w][g] = _mm512_load_si512(words[w][g]);
    philox4x64_10<2>(c, key0, key1);
    alignas(64) std::uint64_t got[4][2][8];
    for (int w = 0; w < 4; ++w)
      for (int g = 0; g < 2; ++g) _mm512_store_si512(got[w][g], c[w][g]);
    for (int g = 0; g < 2; ++g)
      for (int j = 0; j < 8; ++j) {
        const auto expected = philox({{words[0][g][j], words[1][g][j], words[2][g][j], words[3][g][j]}}, {{key0, key1}});
        for (int w = 0; w < 4; ++w) ASSERT_EQ(got[w][g][j], expected.v[w]) << "trial " << trial << " lane " << j;
      }
  }
#else
  GTEST_SKIP() << "built without AVX-512 IFMA: the scalar rounds are tested above";
#endif
}

template <int N>
void expect_rows_match_stream(int rows, int count, int stride, std::uint64_t member0) {
  const std::uint64_t seed = 0x5eedULL + static_cast<std::uint64_t>(rows * 131 + count);
  const RandomStream stream(seed, kModelStreamKey);
  const double sentinel = -7.0;
  std::vector<double> u(static_cast<std::size_t>(rows) * stride + 1, sentinel);
  philox_uniform_rows<N>(seed, kModelStreamKey, member0, 17, static_cast<std::uint64_t>(StreamPurpose::trend), rows,
                         count, stride, u.data());
  for (int j = 0; j < count; ++j)
    for (int r = 0; r < rows; ++r) {
      const auto words = stream.words(member0 + static_cast<std::uint64_t>(j), 17, StreamPurpose::trend,
                                      static_cast<std::uint64_t>(r / 4));
      const double expected = r123::u01fixedpt<double>(words[r % 4]);
      ASSERT_EQ(u[static_cast<std::size_t>(r) * stride + j], expected)
          << "N " << N << " rows " << rows << " count " << count << " member " << j << " row " << r;
      ASSERT_GT(expected, 0.0);
      ASSERT_LT(expected, 1.0);
    }
  // Nothing written outside the rows' first `count` members.
  for (int r = 0; r < rows; ++r)
    for (int j = count; j < stride; ++j) ASSERT_EQ(u[static_cast<std::size_t>(r) * stride + j], sentinel);
  ASSERT_EQ(u.back(), sentinel);
}

TEST(PhiloxBatch, UniformRowsAreTheStreamsWordsForAnyShape) {
  for (int rows : {1, 3, 4, 5, 11, 21})
    for (int count : {1, 7, 8, 9, 32, 37, 40, 71, 128}) {
      expect_rows_match_stream<kPhiloxBatch>(rows, count, count + 3, 1000003);
      expect_rows_match_stream<kPhiloxBatch>(rows, count, count, ~0ULL - 50);  // member words wrap past 2^64
      expect_rows_match_stream<1>(rows, count, count, 0);
      expect_rows_match_stream<5>(rows, count, count + 8, 42);
    }
}

}  // namespace
}  // namespace mfgsim
