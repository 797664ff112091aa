// Firm mode (MODEL.md "Firm mode"): the firm step of models/firms.h called
// directly against its rules (Pareto sizes by inversion, sorted and
// normalised; designations recognise the largest adopted firms, or make the
// largest others adopt when too few have (MODEL.md "Designations in firm
// mode"); adoption with probability
// 1 - exp(-Δ h) per firm, drawn from the member's counter-based stream), and
// against aggregate mode: with many firms the mean of the size-weighted
// adoption share approaches the aggregate path.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "models/firms.h"
#include "sim/core/random_stream.h"
#include "sim/ensemble/ensemble.h"
#include "sim/scenario/scenario.h"
#include "tests/support/baseline_sectors.h"

namespace mfgsim {
namespace {

// 5,000 firms in every sector, no demonstrations, 24 months (the shipped
// baseline with its designations: tests/ensemble/firm_mode_test.cpp).
std::string scenario_text(const std::string& mode) {
  std::string text =
      "name: firms_vs_aggregate\n"
      "extends: baseline.yaml\n"
      "calendar: {start: 2021-01, months: 24}\n"
      "intelligent_manufacturing: {mode: " + mode + ", demonstrations: []}\n"
      "ensemble: {members: 1, seed: 7, stochastic: false}\n";
  return text + test_support::overrides_for_every_sector("{firms: 5000}");
}

Scenario load(const std::string& mode) {
  ScenarioLoad l = load_scenario_text(scenario_text(mode), "firms.yaml", MFGSIM_SOURCE_DIR "/scenarios");
  EXPECT_TRUE(l.scenario) << l.diagnostics.format();
  return *l.scenario;
}

TEST(FirmMode, MeanAdoptionApproachesAggregateMode) {
  const Scenario aggregate = load("aggregate");
  const Scenario firms = load("firms");
  EnsembleRequest one;
  one.threads = 2;
  const EnsembleResult reference = run_ensemble(aggregate, one);
  EnsembleRequest many = one;
  many.members = 200;
  const EnsembleResult result = run_ensemble(firms, many);
  // Tolerance: four standard errors of the 200-member mean (computed from
  // the members; Pareto(1.16) sizes make a member's share vary a lot: its
  // standard deviation is 0.07-0.09) plus 0.002 for the bias the hazard's
  // nonlinearity in a (q a) may add. The seed is fixed, so the test is
  // deterministic; with other seeds it fails about once in 15,000 cells.
  const int S = aggregate.params.sectors.size();
  double worst = 0.0;
  for (int i = 0; i < S; ++i)
    for (int t = 0; t < aggregate.calendar.months; ++t) {
      const double expected = reference.store->cell(SectorSeries::adoption, i, t)[0];
      const double* values = result.store->cell(SectorSeries::adoption, i, t);
      double mean = 0.0, square = 0.0;
      for (int m = 0; m < many.members; ++m) mean += values[m];
      mean /= static_cast<double>(many.members);
      for (int m = 0; m < many.members; ++m) square += (values[m] - mean) * (values[m] - mean);
      const double standard_error = std::sqrt(square / (many.members - 1) / many.members);
      worst = std::max(worst, std::fabs(mean - expected) / standard_error);
      EXPECT_NEAR(mean, expected, 4.0 * standard_error + 0.002) << aggregate.params.sectors.names[i] << " month " << t;
    }
  RecordProperty("max_deviation_in_standard_errors", std::to_string(worst));
  RecordProperty("max_abs_deviation", std::to_string(worst));
}

// With no firm adopted (a0 = 0, no hazard) every designation falls short of
// adopted firms, so the largest firms adopt at designation.
TEST(FirmMode, DesignationsWithoutAdoptersGoToTheLargestFirmsAndAdopt) {
  ScenarioLoad l = load_scenario_text(
      "name: designations\nextends: baseline.yaml\ncalendar: {start: 2021-01, months: 3}\n"
      "intelligent_manufacturing:\n  mode: firms\n  innovation_p: 0\n  imitation_q: 0\n  demonstration_effect: 0\n"
      "  demonstrations: [{month: 2021-02, sector: equipment, national: 2, provincial: 3}]\n"
      "sector_overrides: {equipment: {a0: 0}}\nuncertain: {intelligent_manufacturing.imitation_q: null}\n",
      "d.yaml", MFGSIM_SOURCE_DIR "/scenarios");
  ASSERT_TRUE(l.scenario) << l.diagnostics.format();
  EnsembleRequest request;
  request.members = 3;
  const EnsembleResult r = run_ensemble(*l.scenario, request);
  const int equipment = l.scenario->params.sectors.index_of("equipment");
  for (int m = 0; m < 3; ++m) {
    // No hazard and a0 = 0: only the five designated firms adopt, in February.
    EXPECT_EQ(r.store->cell(SectorSeries::adopted_firms, equipment, 0)[m], 0.0);
    EXPECT_EQ(r.store->cell(SectorSeries::adopted_firms, equipment, 1)[m], 5.0);
    EXPECT_EQ(r.store->cell(SectorSeries::demonstration_firms, equipment, 2)[m], 5.0);
    // The largest five of 1,100 Pareto(1.16) firms hold far more than 5/1100 of the sector.
    EXPECT_GT(r.store->cell(SectorSeries::adoption, equipment, 1)[m], 10 * 5.0 / 1100.0);
  }
}

TEST(FirmMode, ThreadCountDoesNotChangeResults) {
  const Scenario firms = load("firms");
  EnsembleRequest request;
  request.members = 9;
  request.block_size = 4;
  request.threads = 1;
  const EnsembleResult a = run_ensemble(firms, request);
  request.threads = 3;
  const EnsembleResult b = run_ensemble(firms, request);
  for (int i = 0; i < firms.params.sectors.size(); ++i)
    for (int t = 0; t < firms.calendar.months; ++t)
      for (int m = 0; m < 9; ++m)
        ASSERT_EQ(a.store->cell(SectorSeries::adoption, i, t)[m], b.store->cell(SectorSeries::adoption, i, t)[m]);
}


// ---------------------------------------------------------------------------
// The firm step alone.

constexpr double kMonthYears = 1.0 / 12.0;  // Δ
constexpr double kShape = 1.16;            // Pareto shape (the default)
// The stream layout of models/firms.cpp (purpose `firms`): initial draws at
// month ~0, index sector << 40 | block; the adoption flags' block offset 2^39.
constexpr std::uint64_t kInitMonth = ~std::uint64_t{0};
std::uint64_t stream_index(int sector, std::uint64_t block) { return (static_cast<std::uint64_t>(sector) << 40) | block; }

const RandomStream kStream(20230901, 12345);

// Three sectors of 7, 2.6 (rounds to 3) and 1000 firms, two members.
firms::Population population(int members = 2) {
  firms::Population pop;
  pop.allocate({7.0, 2.6, 1000.0}, members);
  return pop;
}

const double* sizes(const firms::Population& pop, int m, int i) {
  return pop.size.data() + static_cast<std::size_t>(m) * pop.firms + pop.offset[i];
}
const std::uint8_t* adopted(const firms::Population& pop, int m, int i) {
  return pop.adopted.data() + static_cast<std::size_t>(m) * pop.firms + pop.offset[i];
}
std::int64_t count_of(const firms::Population& pop, int i) { return pop.offset[i + 1] - pop.offset[i]; }

TEST(FirmPopulation, AllocateLaysTheSectorsOutInOrder) {
  const firms::Population pop = population(3);
  EXPECT_EQ(pop.sectors, 3);
  EXPECT_EQ(pop.members, 3);
  EXPECT_EQ(pop.offset, (std::vector<std::int64_t>{0, 7, 10, 1010}));  // 2.6 firms round to 3
  EXPECT_EQ(pop.firms, 1010);
  EXPECT_EQ(pop.size.size(), 3u * 1010u);
  EXPECT_EQ(pop.adopted.size(), 3u * 1010u);
  EXPECT_EQ(pop.designated.size(), 3u * 3u);
}

TEST(FirmPopulation, SizesAreParetoByInversionSortedAndNormalised) {
  // x_k = u_k^(-1/shape) with u_k the member's k-th uniform; sorted largest
  // first; divided by their sum.
  firms::Population pop = population();
  const double a0[3] = {0.3, 0.3, 0.3};
  double share0[3];
  for (int m = 0; m < 2; ++m) {
    const std::uint64_t member_id = 40 + m;
    firms::initialise_member(pop, m, member_id, kStream, kShape, a0, share0);
    for (int i = 0; i < 3; ++i) {
      const std::int64_t n = count_of(pop, i);
      std::vector<double> expected(n);
      double u[4];
      for (std::int64_t k = 0; k < n; ++k) {
        if (k % 4 == 0) kStream.uniforms(member_id, kInitMonth, StreamPurpose::firms, stream_index(i, k / 4), u);
        expected[k] = std::pow(u[k % 4], -1.0 / kShape);
      }
      std::sort(expected.begin(), expected.end(), std::greater<>());
      const double total = std::accumulate(expected.begin(), expected.end(), 0.0);
      const double* size = sizes(pop, m, i);
      double sum = 0.0;
      for (std::int64_t k = 0; k < n; ++k) {
        EXPECT_NEAR(size[k], expected[k] / total, 1e-12 * expected[k] / total) << m << " " << i << " " << k;
        if (k > 0) {
          EXPECT_LE(size[k], size[k - 1]);
        }
        EXPECT_GT(size[k], 0.0);
        sum += size[k];
      }
      EXPECT_NEAR(sum, 1.0, 1e-12) << m << " " << i;
    }
  }
  // Members draw different sizes (their own streams).
  EXPECT_NE(sizes(pop, 0, 2)[0], sizes(pop, 1, 2)[0]);
}

TEST(FirmPopulation, InitialShareIsTheSizeWeightedShareOfAdoptedFirms) {
  firms::Population pop = population();
  const double a0[3] = {0.0, 1.0, 0.4};
  double share0[3];
  firms::initialise_member(pop, 1, 7, kStream, kShape, a0, share0);
  // a0 = 0: no firm; a0 = 1: every firm (uniforms lie in (0, 1]).
  EXPECT_EQ(share0[0], 0.0);
  for (std::int64_t k = 0; k < count_of(pop, 0); ++k) EXPECT_EQ(adopted(pop, 1, 0)[k], 0);
  EXPECT_NEAR(share0[1], 1.0, 1e-12);
  for (std::int64_t k = 0; k < count_of(pop, 1); ++k) EXPECT_EQ(adopted(pop, 1, 1)[k], 1);
  // a0 = 0.4 over 1000 firms: the realised share is Σ adopted size; the
  // fraction of adopted firms is 0.4 within 5 binomial standard errors
  // (fixed seed: deterministic).
  double share = 0.0, adopters = 0.0;
  for (std::int64_t k = 0; k < count_of(pop, 2); ++k) {
    share += adopted(pop, 1, 2)[k] * sizes(pop, 1, 2)[k];
    adopters += adopted(pop, 1, 2)[k];
  }
  EXPECT_EQ(share0[2], share);
  EXPECT_NEAR(adopters / 1000.0, 0.4, 5.0 * std::sqrt(0.4 * 0.6 / 1000.0));
  // Member 0 untouched by member 1's initialisation.
  EXPECT_EQ(std::count(pop.size.begin(), pop.size.begin() + pop.firms, 0.0), pop.firms);
}

TEST(FirmStep, DesignationsWithoutAdoptersGoToTheLargestFirmsAndAdoptAtOnce) {
  // No hazard and no adopted firm (the shortfall case of the recognition
  // rule): only designated firms adopt, the largest first; a count beyond
  // the sector's firms is capped.
  firms::Population pop = population();
  const double a0[3] = {0.0, 0.0, 0.0};
  double share0[3], count = -1.0;
  firms::initialise_member(pop, 0, 3, kStream, kShape, a0, share0);
  double share = firms::step(pop, 0, 2, 3, 0, kStream, 4, 0.0, &count);
  EXPECT_EQ(count, 4.0);
  EXPECT_NEAR(share, sizes(pop, 0, 2)[0] + sizes(pop, 0, 2)[1] + sizes(pop, 0, 2)[2] + sizes(pop, 0, 2)[3], 1e-15);
  EXPECT_EQ(pop.designated[2 * pop.members + 0], 4);
  // Two more next month: firms 5 and 6 (indices 4, 5).
  share = firms::step(pop, 0, 2, 3, 1, kStream, 2, 0.0, &count);
  EXPECT_EQ(count, 6.0);
  for (std::int64_t k = 0; k < count_of(pop, 2); ++k) EXPECT_EQ(adopted(pop, 0, 2)[k], k < 6 ? 1 : 0) << k;
  // Sector 0 has 7 firms: 10 designations adopt all 7, share 1.
  share = firms::step(pop, 0, 0, 3, 0, kStream, 10, 0.0, &count);
  EXPECT_EQ(count, 7.0);
  EXPECT_NEAR(share, 1.0, 1e-12);
  EXPECT_EQ(pop.designated[0], 7);
}

TEST(FirmStep, AdoptionDrawsAreUniformsAgainstOneMinusExpMinusDeltaH) {
  // Each firm adopts when its 32-bit uniform (the low then high half of the
  // stream's 64-bit words, 8 firms per block) is below (1 - exp(-Δ h)) 2^32.
  // The count and share are recomputed from the stream exactly.
  firms::Population pop = population();
  const double a0[3] = {0.0, 0.0, 0.0};
  double share0[3], count = 0.0;
  const std::uint64_t member_id = 11;
  firms::initialise_member(pop, 1, member_id, kStream, kShape, a0, share0);
  const double hazard = 2.4;  // 1/yr: p = 1 - exp(-0.2) = 0.181
  const int t = 5;
  const double share = firms::step(pop, 1, 2, member_id, t, kStream, 0, hazard, &count);
  const double p = 1.0 - std::exp(-kMonthYears * hazard);
  const auto threshold = static_cast<std::uint64_t>(std::ldexp(p, 32));
  double expected_share = 0.0;
  std::int64_t expected_count = 0;
  for (std::int64_t k = 0; k < count_of(pop, 2); ++k) {
    const auto words = kStream.words(member_id, t, StreamPurpose::firms, stream_index(2, k / 8));
    const std::uint64_t word = words[(k % 8) / 2];
    const auto draw = static_cast<std::uint32_t>(k % 2 == 0 ? word : word >> 32);
    const bool adopts = draw < threshold;
    EXPECT_EQ(adopted(pop, 1, 2)[k], adopts ? 1 : 0) << k;
    expected_share += adopts * sizes(pop, 1, 2)[k];
    expected_count += adopts;
  }
  EXPECT_EQ(count, static_cast<double>(expected_count));
  EXPECT_EQ(share, expected_share);
  // The fraction adopting is p within 5 binomial standard errors.
  EXPECT_NEAR(count / 1000.0, p, 5.0 * std::sqrt(p * (1 - p) / 1000.0));
}

TEST(FirmStep, ZeroNanAndHugeHazards) {
  firms::Population pop = population();
  const double a0[3] = {0.0, 0.0, 0.0};
  double share0[3], count = -1.0;
  firms::initialise_member(pop, 0, 5, kStream, kShape, a0, share0);
  // h = 0: p = 0, nobody adopts.
  EXPECT_EQ(firms::step(pop, 0, 2, 5, 0, kStream, 0, 0.0, &count), 0.0);
  EXPECT_EQ(count, 0.0);
  // h NaN (a member a guard has stopped): nobody adopts, no undefined conversion.
  EXPECT_EQ(firms::step(pop, 0, 2, 5, 1, kStream, 0, std::numeric_limits<double>::quiet_NaN(), &count), 0.0);
  EXPECT_EQ(count, 0.0);
  // h huge: p = 1, every firm adopts; adoption is never undone.
  EXPECT_NEAR(firms::step(pop, 0, 2, 5, 2, kStream, 0, 1e6, &count), 1.0, 1e-12);
  EXPECT_EQ(count, 1000.0);
  EXPECT_NEAR(firms::step(pop, 0, 2, 5, 3, kStream, 0, 0.0, &count), 1.0, 1e-12);
  EXPECT_EQ(count, 1000.0);
}

TEST(FirmStep, MembersAreIndependent) {
  // Member 1's numbers do not depend on member 0 existing or stepping: the
  // same member id in a one-member population gives the same numbers.
  firms::Population two = population(2), one = population(1);
  const double a0[3] = {0.2, 0.5, 0.3};
  double share_two[3], share_one[3], count_two = 0.0, count_one = 0.0;
  firms::initialise_member(two, 0, 99, kStream, kShape, a0, share_two);
  firms::initialise_member(two, 1, 17, kStream, kShape, a0, share_two);
  firms::initialise_member(one, 0, 17, kStream, kShape, a0, share_one);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(share_two[i], share_one[i]);
  for (int t = 0; t < 6; ++t)
    for (int i = 0; i < 3; ++i) {
      firms::step(two, 0, i, 99, t, kStream, 1, 3.0, &count_two);
      const double a = firms::step(two, 1, i, 17, t, kStream, 1, 0.7 + t, &count_two);
      const double b = firms::step(one, 0, i, 17, t, kStream, 1, 0.7 + t, &count_one);
      EXPECT_EQ(a, b) << t << " " << i;
      EXPECT_EQ(count_two, count_one) << t << " " << i;
    }
}

}  // namespace
}  // namespace mfgsim
