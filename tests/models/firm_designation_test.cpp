// Firm mode's designation rules (models/firms.h, MODEL.md "Designations in
// firm mode") and its size-weighted share, which stays in [0, 1] however the
// sum of normalised sizes rounds.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "models/firms.h"
#include "sim/core/random_stream.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {
namespace {

const RandomStream kStream(20230901, 4242);
constexpr double kShape = 1.16;

// One sector of `firms` firms; member 0 initialised with no firm adopted
// (tests set adopted firms by hand).
struct Sector {
  firms::Population pop;
  std::int64_t count;
  explicit Sector(double firms, int members = 1, std::uint64_t member_id = 1) {
    pop.allocate({firms}, members);
    count = pop.offset[1];
    const double a0 = 0.0;
    double share0 = 0.0;
    firms::initialise_member(pop, 0, member_id, kStream, kShape, &a0, &share0);
  }
  std::uint8_t* adopted(int m = 0) { return pop.adopted.data() + static_cast<std::size_t>(m) * pop.firms; }
  const std::uint8_t* named(int m = 0) const { return pop.is_designated.data() + static_cast<std::size_t>(m) * pop.firms; }
  const double* size(int m = 0) const { return pop.size.data() + static_cast<std::size_t>(m) * pop.firms; }
  // Member 0's size-weighted adopted share, summed as the step sums it.
  double share() const {
    double s = 0.0;
    for (std::int64_t k = 0; k < count; ++k) s += pop.adopted[k] * pop.size[k];
    return s;
  }
};

TEST(FirmDesignation, RecognitionNamesTheLargestAdoptedFirmsAndChangesNoAdoption) {
  Sector s(50);
  double count = 0.0;
  for (std::int64_t k : {1, 4, 5, 9, 20, 30}) s.adopted()[k] = 1;  // adopted, not the largest
  const double before = s.share();
  // No hazard: three designations name firms 1, 4 and 5; nobody adopts.
  const double share = firms::step(s.pop, 0, 0, 1, 0, kStream, 3, 0.0, &count, DesignationRule::recognition);
  EXPECT_EQ(share, before);
  EXPECT_EQ(count, 6.0);
  EXPECT_EQ(s.pop.designated[0], 3);
  for (std::int64_t k = 0; k < s.count; ++k) EXPECT_EQ(s.named()[k], k == 1 || k == 4 || k == 5 ? 1 : 0) << k;
  // Two more: firms 9 and 20 (the next largest adopted ones).
  firms::step(s.pop, 0, 0, 1, 1, kStream, 2, 0.0, &count, DesignationRule::recognition);
  EXPECT_EQ(s.named()[9], 1);
  EXPECT_EQ(s.named()[20], 1);
  EXPECT_EQ(s.named()[30], 0);
  EXPECT_EQ(count, 6.0);
}

TEST(FirmDesignation, RecognitionBeyondTheAdoptedFirmsNamesTheLargestOthersWhichAdopt) {
  // Two adopted firms (3 and 7), four designations: 3 and 7, then the
  // largest firms not yet designated (0 and 1), which adopt.
  Sector s(40, 1, 2);
  double count = 0.0;
  s.adopted()[3] = s.adopted()[7] = 1;
  const double share = firms::step(s.pop, 0, 0, 2, 0, kStream, 4, 0.0, &count, DesignationRule::recognition);
  EXPECT_EQ(count, 4.0);
  for (std::int64_t k = 0; k < s.count; ++k) {
    const bool expected = k == 0 || k == 1 || k == 3 || k == 7;
    EXPECT_EQ(s.named()[k], expected ? 1 : 0) << k;
    EXPECT_EQ(s.adopted()[k], expected ? 1 : 0) << k;
  }
  EXPECT_EQ(share, s.share());
  // More designations than firms: capped at the sector's 40.
  firms::step(s.pop, 0, 0, 2, 1, kStream, 100, 0.0, &count, DesignationRule::recognition);
  EXPECT_EQ(s.pop.designated[0], 40);
  EXPECT_EQ(count, 40.0);
}

TEST(FirmDesignation, AdoptionRuleNamesTheLargestFirmsWhichAdopt) {
  // The rule before issue 18: the largest firms, adopted or not.
  Sector s(40, 1, 3);
  double count = 0.0;
  s.adopted()[10] = 1;
  firms::step(s.pop, 0, 0, 3, 0, kStream, 3, 0.0, &count, DesignationRule::adoption);
  EXPECT_EQ(count, 4.0);
  for (std::int64_t k = 0; k < s.count; ++k) {
    EXPECT_EQ(s.named()[k], k < 3 ? 1 : 0) << k;
    EXPECT_EQ(s.adopted()[k], k < 3 || k == 10 ? 1 : 0) << k;
  }
}

TEST(FirmDesignation, InitialisationClearsDesignations) {
  Sector s(20);
  const double a0 = 0.5;
  double share0 = 0.0, count = 0.0;
  firms::initialise_member(s.pop, 0, 4, kStream, kShape, &a0, &share0);
  firms::step(s.pop, 0, 0, 4, 0, kStream, 5, 0.0, &count);
  firms::initialise_member(s.pop, 0, 4, kStream, kShape, &a0, &share0);
  EXPECT_EQ(s.pop.designated[0], 0);
  for (std::int64_t k = 0; k < s.count; ++k) EXPECT_EQ(s.named()[k], 0) << k;
}

TEST(FirmShare, StaysWithinZeroAndOneWhenEveryFirmHasAdopted) {
  // Sums of normalised Pareto sizes round to either side of 1; the share of
  // a sector whose every firm adopted is clamped to 1, never above. The
  // unclamped sum exceeds 1 for some of these members (checked), so the
  // clamp is what keeps the share in [0, 1]; it moves it by at most 2 M u.
  constexpr int kMembers = 64;
  for (double firms : {7.0, 250.0, 1550.0}) {
    Sector s(firms, kMembers);
    const double all = 1.0;
    int above = 0;
    for (int m = 0; m < kMembers; ++m) {
      double share0 = 0.0, count = 0.0;
      firms::initialise_member(s.pop, m, 100 + m, kStream, kShape, &all, &share0);
      double sum = 0.0;
      for (std::int64_t k = 0; k < s.count; ++k) sum += s.size(m)[k];
      above += sum > 1.0;
      const double bound = 2.0 * static_cast<double>(s.count) * 0x1p-53;
      EXPECT_LE(share0, 1.0) << firms << " " << m;
      EXPECT_GE(share0, 1.0 - bound) << firms << " " << m;
      const double share = firms::step(s.pop, m, 0, 100 + m, 0, kStream, 0, 1.0, &count);
      EXPECT_LE(share, 1.0) << firms << " " << m;
      EXPECT_GE(share, 1.0 - bound) << firms << " " << m;
      EXPECT_EQ(count, firms);
    }
    if (firms > 100) {
      EXPECT_GT(above, 0) << firms << ": no member's sum rounds above 1; the test shows nothing";
    }
  }
}

TEST(FirmDesignationKey, ScenarioChoosesTheRuleAndRejectsOthers) {
  auto load = [](const std::string& rule) {
    return load_scenario_text("name: d\nextends: baseline.yaml\nintelligent_manufacturing: {mode: firms" +
                                  (rule.empty() ? std::string() : ", designation: " + rule) + "}\n",
                              "d.yaml", MFGSIM_SOURCE_DIR "/scenarios");
  };
  ScenarioLoad l = load("");
  ASSERT_TRUE(l.scenario) << l.diagnostics.format();
  EXPECT_EQ(l.scenario->params.designation, DesignationRule::recognition);
  l = load("adoption");
  ASSERT_TRUE(l.scenario) << l.diagnostics.format();
  EXPECT_EQ(l.scenario->params.designation, DesignationRule::adoption);
  l = load("adopt");
  EXPECT_FALSE(l.scenario);
  EXPECT_NE(l.diagnostics.format().find("d.yaml:3:"), std::string::npos) << l.diagnostics.format();
}

}  // namespace
}  // namespace mfgsim
