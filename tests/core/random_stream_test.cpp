// sim/core/random_stream.h: the stream is Philox4x64-10 (Random123's
// known-answer vectors), a number depends only on its counter
// (member, month, purpose, index), and uniforms lie in (0, 1].
#include "sim/core/random_stream.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <set>

namespace mfgsim {
namespace {

using Words = std::array<std::uint64_t, 4>;

// Random123's kat_vectors: philox4x64 10 <counter x4> <key x2> -> <result x4>.
TEST(RandomStream, PhiloxKnownAnswers) {
  const RandomStream zero(0, 0);
  EXPECT_EQ(zero.words(0, 0, static_cast<StreamPurpose>(0), 0),
            (Words{0x16554d9eca36314cull, 0xdb20fe9d672d0fdcull, 0xd7e772cee186176bull, 0x7e68b68aec7ba23bull}));
  const RandomStream pi(0x452821e638d01377ull, 0xbe5466cf34e90c6cull);
  EXPECT_EQ(pi.words(0x243f6a8885a308d3ull, 0x13198a2e03707344ull, static_cast<StreamPurpose>(0xa4093822299f31d0ull),
                     0x082efa98ec4e6c89ull),
            (Words{0xa528f45403e61d95ull, 0x38c72dbd566e9788ull, 0xa5a1610e72fd18b5ull, 0x57bd43b5e52b7fe6ull}));
}

// Changing any one coordinate of the counter, or the key, gives new words;
// the same coordinates give the same words from another stream object.
TEST(RandomStream, EachCounterCoordinateSelectsItsOwnBlock) {
  const RandomStream stream(42, 7);
  const Words base = stream.words(3, 5, StreamPurpose::shocks, 2);
  EXPECT_EQ(RandomStream(42, 7).words(3, 5, StreamPurpose::shocks, 2), base);
  std::set<Words> seen = {base};
  seen.insert(stream.words(4, 5, StreamPurpose::shocks, 2));
  seen.insert(stream.words(3, 6, StreamPurpose::shocks, 2));
  seen.insert(stream.words(3, 5, StreamPurpose::parameters, 2));
  seen.insert(stream.words(3, 5, StreamPurpose::firms, 2));
  seen.insert(stream.words(3, 5, StreamPurpose::shocks, 3));
  seen.insert(RandomStream(43, 7).words(3, 5, StreamPurpose::shocks, 2));
  seen.insert(RandomStream(42, 8).words(3, 5, StreamPurpose::shocks, 2));
  EXPECT_EQ(seen.size(), 8u);
}

// u01: (w + 1/2) / 2^64 in double, so in (0, 1]; over 4 x 5000 draws the
// mean is 1/2 within 5 standard errors (sd 1/sqrt(12) / sqrt(20000) = 0.002).
TEST(RandomStream, UniformsAreScaledWordsInZeroOne) {
  const RandomStream stream(2024, 11);
  double sum = 0.0;
  int below_quarter = 0;
  for (std::uint64_t index = 0; index < 5000; ++index) {
    double u[4];
    stream.uniforms(1, 2, StreamPurpose::parameters, index, u);
    const Words w = stream.words(1, 2, StreamPurpose::parameters, index);
    for (int k = 0; k < 4; ++k) {
      ASSERT_GT(u[k], 0.0);
      ASSERT_LE(u[k], 1.0);
      ASSERT_NEAR(u[k], (static_cast<double>(w[k]) + 0.5) * 0x1p-64, 0x1p-52);
      sum += u[k];
      below_quarter += u[k] < 0.25;
    }
  }
  EXPECT_NEAR(sum / 20000.0, 0.5, 5 * 0.00204);
  EXPECT_NEAR(below_quarter / 20000.0, 0.25, 5 * 0.00307);  // binomial sd sqrt(0.1875 / 20000)
}

// Box-Muller: over 4 x 5000 normals, mean 0 and variance 1 within 5
// standard errors (sd of the variance estimate sqrt(2 / 20000) = 0.01).
TEST(RandomStream, NormalsHaveUnitVariance) {
  const RandomStream stream(9, 9);
  double sum = 0.0, squares = 0.0;
  for (std::uint64_t index = 0; index < 5000; ++index) {
    double z[4];
    stream.normals(0, 0, StreamPurpose::shocks, index, z);
    for (double x : z) {
      sum += x;
      squares += x * x;
    }
  }
  EXPECT_NEAR(sum / 20000.0, 0.0, 5 * 0.00707);
  EXPECT_NEAR(squares / 20000.0, 1.0, 5 * 0.01);
}

}  // namespace
}  // namespace mfgsim
