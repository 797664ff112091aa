// Counter-based random streams (Random123 Philox4x64-10). A number depends
// only on (seed, scenario, member, month, purpose, index), never on which
// thread or process drew it or in which order: that is what makes results
// identical whatever the thread or process count.
#pragma once

#include <Random123/boxmuller.hpp>
#include <Random123/philox.h>
#include <Random123/uniform.hpp>
#include <array>
#include <cstdint>
#include <string>

namespace mfgsim {

// What a stream is used for; part of the counter, so streams never overlap.
enum class StreamPurpose : std::uint64_t {
  shocks = 1,         // monthly shocks (F, z)
  parameters = 2,     // `uncertain` draws (month field = parameter index)
  firms = 3,          // firm sizes and adoption draws (firm mode)
};

// Second half of the model's Philox key, the same for every run: streams
// are keyed by the seed alone, never by a scenario's or batch's name, so a
// scenario gives the same numbers run alone or in any batch, and scenarios
// with one seed are paired (common random numbers). ("mfgsim" in ASCII.)
constexpr std::uint64_t kModelStreamKey = 0x6d666773696dULL;

class RandomStream {
 public:
  using Philox = r123::Philox4x64;

  RandomStream(std::uint64_t seed, std::uint64_t scenario_key) : key_{{seed, scenario_key}} {}

  // Four uniforms in (0, 1] for block `index` of the stream.
  void uniforms(std::uint64_t member, std::uint64_t month, StreamPurpose purpose, std::uint64_t index,
                double out[4]) const {
    const Philox::ctr_type bits = raw(member, month, purpose, index);
    for (int k = 0; k < 4; ++k) out[k] = r123::u01<double>(bits.v[k]);
  }

  // The four raw 64-bit words of block `index` (firm mode splits each into
  // two 32-bit uniforms).
  std::array<std::uint64_t, 4> words(std::uint64_t member, std::uint64_t month, StreamPurpose purpose,
                                     std::uint64_t index) const {
    const Philox::ctr_type bits = raw(member, month, purpose, index);
    return {bits.v[0], bits.v[1], bits.v[2], bits.v[3]};
  }

  // words() for the consecutive members first .. first + count - 1 at once:
  // word j of member first + m into out[j][m], the same bits as words().
  // Each 64 x 64-bit product is built from 32-bit halves (x86 vector units
  // have no 64-bit high multiply), so the loop over members vectorises.
  void words_block(std::uint64_t first, int count, std::uint64_t month, StreamPurpose purpose,
                   std::uint64_t index, std::uint64_t* const out[4]) const {
    constexpr int kRounds = Philox::rounds;
    std::uint64_t keys[kRounds][2];
    keys[0][0] = key_.v[0];
    keys[0][1] = key_.v[1];
    for (int r = 1; r < kRounds; ++r) {
      keys[r][0] = keys[r - 1][0] + PHILOX_W64_0;
      keys[r][1] = keys[r - 1][1] + PHILOX_W64_1;
    }
    std::uint64_t* __restrict w0 = out[0];
    std::uint64_t* __restrict w1 = out[1];
    std::uint64_t* __restrict w2 = out[2];
    std::uint64_t* __restrict w3 = out[3];
#pragma GCC ivdep
    for (int m = 0; m < count; ++m) {
      std::uint64_t c0 = first + static_cast<std::uint64_t>(m), c1 = month, c2 = static_cast<std::uint64_t>(purpose),
                    c3 = index;
#pragma GCC unroll 16
      for (int r = 0; r < kRounds; ++r) {
        std::uint64_t hi0, hi1;
        const std::uint64_t lo0 = mulhilo(PHILOX_M4x64_0, c0, &hi0), lo1 = mulhilo(PHILOX_M4x64_1, c2, &hi1);
        c0 = hi1 ^ c1 ^ keys[r][0];
        c1 = lo1;
        c2 = hi0 ^ c3 ^ keys[r][1];
        c3 = lo0;
      }
      w0[m] = c0;
      w1[m] = c1;
      w2[m] = c2;
      w3[m] = c3;
    }
  }

  // Four standard normals (Box-Muller on the four 64-bit words). The month
  // loop draws its shocks in blocks by inversion instead (sim/core/normal_quantile.h).
  void normals(std::uint64_t member, std::uint64_t month, StreamPurpose purpose, std::uint64_t index,
               double out[4]) const {
    const Philox::ctr_type bits = raw(member, month, purpose, index);
    const r123::double2 first = r123::boxmuller(bits.v[0], bits.v[1]);
    const r123::double2 second = r123::boxmuller(bits.v[2], bits.v[3]);
    out[0] = first.x;
    out[1] = first.y;
    out[2] = second.x;
    out[3] = second.y;
  }

 private:
  Philox::ctr_type raw(std::uint64_t member, std::uint64_t month, StreamPurpose purpose,
                       std::uint64_t index) const {
    const Philox::ctr_type counter = {{member, month, static_cast<std::uint64_t>(purpose), index}};
    return Philox()(counter, key_);
  }

  // a b = 2^64 hi + lo from four 32 x 32 -> 64-bit products.
  static std::uint64_t mulhilo(std::uint64_t a, std::uint64_t b, std::uint64_t* hi) {
    constexpr std::uint64_t kLow = 0xffffffffULL;
    const std::uint64_t a0 = a & kLow, a1 = a >> 32, b0 = b & kLow, b1 = b >> 32;
    const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    const std::uint64_t mid = (p00 >> 32) + (p01 & kLow) + (p10 & kLow);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return (p00 & kLow) | (mid << 32);
  }

  Philox::key_type key_;
};

}  // namespace mfgsim
