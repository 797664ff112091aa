#include "models/firms.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "models/block.h"

namespace mfgsim::firms {
namespace {

// Stream layout (purpose firms): month field = t for monthly draws, and
// kInitMonth for the initial sizes and adoption; index = sector << 40 | block.
constexpr std::uint64_t kInitMonth = ~std::uint64_t{0};
constexpr std::uint64_t kSizeDraws = std::uint64_t{1} << 39;  // init: sizes vs initial adoption

std::uint64_t index_of(int sector, std::uint64_t block) { return (static_cast<std::uint64_t>(sector) << 40) | block; }

// Names `n` more firms of member m's sector i, largest first (sizes are
// sorted): under `recognition` adopted firms first, then, if too few are
// left, firms not yet adopted, which adopt; under `adoption` any firm not
// yet designated, which adopts. Capped at the sector's firm count.
void designate(Population& pop, int m, int i, std::int64_t n, DesignationRule rule) {
  const std::int64_t begin = pop.offset[i], count = pop.offset[i + 1] - begin;
  const std::size_t first = static_cast<std::size_t>(m) * pop.firms + begin;
  std::uint8_t* adopted = pop.adopted.data() + first;
  std::uint8_t* named = pop.is_designated.data() + first;
  std::int64_t& designated = pop.designated[static_cast<std::size_t>(i) * pop.members + m];
  std::int64_t left = std::min(n, count - designated);
  designated += left;
  if (rule == DesignationRule::recognition)
    for (std::int64_t k = 0; k < count && left > 0; ++k)
      if (adopted[k] && !named[k]) {
        named[k] = 1;
        --left;
      }
  for (std::int64_t k = 0; k < count && left > 0; ++k)
    if (!named[k]) {
      named[k] = 1;
      adopted[k] = 1;
      --left;
    }
}

}  // namespace

void Population::allocate(const std::vector<double>& firm_counts, int n_members) {
  sectors = static_cast<int>(firm_counts.size());
  members = n_members;
  offset.assign(sectors + 1, 0);
  std::int64_t largest = 0;
  for (int i = 0; i < sectors; ++i) {
    const auto count = static_cast<std::int64_t>(std::llround(firm_counts[i]));
    offset[i + 1] = offset[i] + count;
    largest = std::max(largest, count);
  }
  firms = offset[sectors];
  size.assign(static_cast<std::size_t>(firms) * members, 0.0);
  adopted.assign(static_cast<std::size_t>(firms) * members, 0);
  draws.assign(static_cast<std::size_t>(largest) + 8, 0);
  designated.assign(static_cast<std::size_t>(sectors) * members, 0);
  is_designated.assign(static_cast<std::size_t>(firms) * members, 0);
}

void initialise_member(Population& pop, int m, std::uint64_t member_id, const RandomStream& stream, double shape,
                       const double* a0, double* share0) {
  double u[4];
  for (int i = 0; i < pop.sectors; ++i) {
    const std::int64_t begin = pop.offset[i], count = pop.offset[i + 1] - begin;
    double* size = pop.size.data() + static_cast<std::size_t>(m) * pop.firms + begin;
    std::uint8_t* adopted = pop.adopted.data() + static_cast<std::size_t>(m) * pop.firms + begin;
    std::fill_n(pop.is_designated.data() + static_cast<std::size_t>(m) * pop.firms + begin, count, 0);
    // Pareto sizes by inversion (x_m = 1): x = u^(-1/shape), u in (0, 1].
    for (std::int64_t k = 0; k < count; ++k) {
      if (k % 4 == 0) stream.uniforms(member_id, kInitMonth, StreamPurpose::firms, index_of(i, k / 4), u);
      size[k] = std::pow(u[k % 4], -1.0 / shape);
    }
    std::sort(size, size + count, std::greater<>());
    double total = 0.0;
    for (std::int64_t k = 0; k < count; ++k) total += size[k];
    double share = 0.0;
    for (std::int64_t k = 0; k < count; ++k) {
      size[k] /= total;
      if (k % 4 == 0) stream.uniforms(member_id, kInitMonth, StreamPurpose::firms, index_of(i, kSizeDraws + k / 4), u);
      adopted[k] = u[k % 4] <= a0[i];
      share += adopted[k] * size[k];
    }
    share0[i] = std::min(share, 1.0);  // the rounding bound: models/firms.h
    pop.designated[static_cast<std::size_t>(i) * pop.members + m] = 0;
  }
}

double step(Population& pop, int m, int i, std::uint64_t member_id, int t, const RandomStream& stream,
            std::int64_t new_designations, double hazard, double* adopted_count, DesignationRule rule) {
  const std::int64_t begin = pop.offset[i], count = pop.offset[i + 1] - begin;
  const double* size = pop.size.data() + static_cast<std::size_t>(m) * pop.firms + begin;
  std::uint8_t* adopted = pop.adopted.data() + static_cast<std::size_t>(m) * pop.firms + begin;
  if (new_designations > 0) designate(pop, m, i, new_designations, rule);
  // Adoption draws: 32-bit uniforms against p scaled to 2^32.
  const double p = 1.0 - std::exp(-kMonth * hazard);
  // A NaN hazard (a member a guard has stopped) adopts nothing; converting NaN is undefined.
  const auto threshold = static_cast<std::uint64_t>(std::ldexp(p > 0.0 ? std::min(p, 1.0) : 0.0, 32));
  std::uint32_t* draws = pop.draws.data();
  for (std::int64_t k = 0; k < count; k += 8) {
    const auto words = stream.words(member_id, static_cast<std::uint64_t>(t), StreamPurpose::firms,
                                    index_of(i, static_cast<std::uint64_t>(k / 8)));
    for (int w = 0; w < 4; ++w) {
      draws[k + 2 * w] = static_cast<std::uint32_t>(words[w]);
      draws[k + 2 * w + 1] = static_cast<std::uint32_t>(words[w] >> 32);
    }
  }
  double share = 0.0;
  std::int64_t adopters = 0;
  for (std::int64_t k = 0; k < count; ++k) {
    const std::uint8_t now = adopted[k] | static_cast<std::uint8_t>(draws[k] < threshold);
    adopted[k] = now;
    share += size[k] * now;
    adopters += now;
  }
  *adopted_count = static_cast<double>(adopters);
  return std::min(share, 1.0);  // the rounding bound: models/firms.h
}

}  // namespace mfgsim::firms
