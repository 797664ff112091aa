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

#include "sim/core/philox_batch.h"

namespace mfgsim {

// What a stream is used for; part of the counter, so streams never overlap.
enum class StreamPurpose : std::uint64_t {
  shocks = 1,         // monthly shocks (F, z)
  parameters = 2,     // `uncertain` draws (month field = parameter index)
  firms = 3,          // firm sizes and adoption draws (firm mode)
  trend = 4,          // persistent trend shocks (models/trend.h; only with `trend_shocks:`)
  resample = 5,       // particle filter resampling (sim/ensemble/particle_filter.h; member field 0)
  jitter = 6,         // particle filter's Liu-West kernel on the trend states
  predictive = 7,     // a backtest's measurement errors of forecast figures (month field = origin)
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

  // Rows of uniforms for `count` consecutive members from `member0`:
  // u[r * stride + j] = u01fixedpt of word r % 4 of words(member0 + j,
  // month, purpose, r / 4), for r < rows, j < count, the members' Philox
  // calls interleaved in batches (sim/core/philox_batch.h): the same numbers
  // as one call at a time, several times faster.
  void uniform_rows(std::uint64_t member0, std::uint64_t month, StreamPurpose purpose, int rows, int count,
                    int stride, double* u) const {
    philox_uniform_rows(key_.v[0], key_.v[1], member0, month, static_cast<std::uint64_t>(purpose), rows, count,
                        stride, u);
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

  Philox::key_type key_;
};

}  // namespace mfgsim
