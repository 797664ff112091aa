// Step 4 of MODEL.md, intelligent-manufacturing adoption in aggregate mode
// (models/adoption.h), called on a hand-filled block:
//   credit_i = (N_i / (wbar_i N0))^χ              (1 when wbar_i N0 = 0)
//   h_i = (p(t) + q a_i + κ D_i(t) / M_i) credit_i
//   a_new_i = 1 - (1 - a_i) exp(-Δ h_i)
//   D_i(t) = w_nat national_i(t) + w_prov provincial_i(t)
// plus the expected adopted firm count a_new M and the designations so far.
// Tolerance 1e-12 relative: the step computes pow as exp(χ log x) and uses
// Eigen's vectorised exp/log, a few ulps from std::pow/std::exp.
#include <gtest/gtest.h>

#include <cmath>

#include "models/adoption.h"
#include "tests/models/model_block.h"

namespace mfgsim::model_test {
namespace {

constexpr int kSectors = 2, kMonths = 3;
// Sector 0 borrows; sector 1 does not (wbar = 0: credit factor 1).
Block filled() {
  Block b(kSectors, kMonths);
  for (int m = 0; m < b.nb(); ++m) {
    for (int t = 0; t < kMonths; ++t) b.at(&BlockParams::innovation_p, t, m) = 0.01 * (1 + m) + 0.005 * t;
    b.at(&BlockParams::imitation_q, m) = 0.1 + 0.05 * m;
    b.at(&BlockParams::demonstration_effect, m) = 0.5 + 0.25 * m;
    b.at(&BlockParams::national_weight, m) = 5.0 - 0.5 * m;
    b.at(&BlockParams::provincial_weight, m) = 1.0 + 0.1 * m;
    b.at(&BlockParams::credit_elasticity, m) = 0.2 * m;  // member 0: χ = 0
    b.at(&BlockParams::credit_ref, 0, m) = 10.0 + m;
    b.at(&BlockParams::credit_ref_zero, 0, m) = 0.0;
    b.at(&BlockState::new_loans, 0, m) = 8.0 + 0.7 * m;  // below, then above its reference
    b.at(&BlockState::adoption, 0, m) = 0.02 + 0.11 * m;
    b.at(&BlockParams::firms, 0, m) = 100.0 + 50.0 * m;
    b.at(&BlockParams::credit_ref, 1, m) = 0.0;
    b.at(&BlockParams::credit_ref_zero, 1, m) = 1.0;
    b.at(&BlockState::new_loans, 1, m) = 0.0;
    b.at(&BlockState::adoption, 1, m) = 0.3 + 0.05 * m;
    b.at(&BlockParams::firms, 1, m) = 40.0;
  }
  // Cumulative designations, month x sector.
  const double national[kMonths][kSectors] = {{0, 0}, {1, 0}, {3, 1}};
  const double provincial[kMonths][kSectors] = {{0, 2}, {10, 2}, {20, 4}};
  for (int t = 0; t < kMonths; ++t)
    for (int i = 0; i < kSectors; ++i) {
      b.p.demo_national[t * kSectors + i] = national[t][i];
      b.p.demo_provincial[t * kSectors + i] = provincial[t][i];
    }
  return b;
}

// The equations of the header, scalar, for member m.
double expected_adoption(Block& b, int t, int i, int m) {
  const double ref = b.at(&BlockParams::credit_ref, i, m);
  const double credit = ref > 0.0 ? std::pow(b.at(&BlockState::new_loans, i, m) / ref, b.at(&BlockParams::credit_elasticity, m))
                                  : 1.0;
  const double demonstrations = b.at(&BlockParams::national_weight, m) * b.p.demo_national[t * b.p.sectors + i] +
                                b.at(&BlockParams::provincial_weight, m) * b.p.demo_provincial[t * b.p.sectors + i];
  const double a = b.at(&BlockState::adoption, i, m);
  const double h = (b.at(&BlockParams::innovation_p, t, m) + b.at(&BlockParams::imitation_q, m) * a +
                    b.at(&BlockParams::demonstration_effect, m) * demonstrations / b.at(&BlockParams::firms, i, m)) *
                   credit;
  return 1.0 - (1.0 - a) * std::exp(-kDelta * h);
}

TEST(AdoptionStep, EveryMemberFollowsTheBassHazard) {
  for (int t = 0; t < kMonths; ++t)
    for (int i = 0; i < kSectors; ++i) {
      Block b = filled();
      adoption::step_row(b.p, b.s, t, i);
      for (int m = 0; m < b.nb(); ++m) {
        SCOPED_TRACE("month " + std::to_string(t) + ", sector " + std::to_string(i) + ", member " + std::to_string(m));
        const double a_new = expected_adoption(b, t, i, m);
        EXPECT_TRUE(near_rel(b.at(&BlockState::adoption_new, i, m), a_new));
        // Expected adopted firms a_new M; designations so far national + provincial.
        EXPECT_TRUE(near_rel(b.at(&BlockState::adopted_firms, i, m), a_new * b.at(&BlockParams::firms, i, m)));
        EXPECT_EQ(b.at(&BlockState::demonstration_firms, i, m),
                  b.p.demo_national[t * kSectors + i] + b.p.demo_provincial[t * kSectors + i]);
        // Adoption never falls (h >= 0) and stays a share.
        EXPECT_GE(b.at(&BlockState::adoption_new, i, m), b.at(&BlockState::adoption, i, m) * (1 - 1e-15));
        EXPECT_LE(b.at(&BlockState::adoption_new, i, m), 1.0);
      }
    }
}

TEST(AdoptionStep, RowTouchesOnlyItsSector) {
  Block b = filled();
  adoption::step_row(b.p, b.s, 2, 0);
  for (int m = 0; m < b.nb(); ++m) EXPECT_EQ(b.at(&BlockState::adoption_new, 1, m), 0.0);
}

TEST(AdoptionStep, CreditFactorIsOneWithoutBorrowingOrWithZeroElasticity) {
  // Sector 1 does not borrow: its hazard ignores χ. Member 0 has χ = 0:
  // its sector-0 hazard ignores the loans. Changing the loans or χ leaves
  // the result bitwise unchanged.
  Block b = filled(), c = filled();
  for (int m = 0; m < b.nb(); ++m) c.at(&BlockParams::credit_elasticity, m) *= 3.0;
  c.at(&BlockState::new_loans, 0, 0) *= 5.0;
  for (int i = 0; i < kSectors; ++i) {
    adoption::step_row(b.p, b.s, 2, i);
    adoption::step_row(c.p, c.s, 2, i);
  }
  for (int m = 0; m < b.nb(); ++m) EXPECT_EQ(b.at(&BlockState::adoption_new, 1, m), c.at(&BlockState::adoption_new, 1, m));
  EXPECT_EQ(b.at(&BlockState::adoption_new, 0, 0), c.at(&BlockState::adoption_new, 0, 0));
  // ... and a borrowing member with χ > 0 does respond to its loans.
  EXPECT_NE(b.at(&BlockState::adoption_new, 0, 3), c.at(&BlockState::adoption_new, 0, 3));
}

TEST(AdoptionStep, CreditAtItsReferenceGivesFactorOne) {
  // N_i = wbar_i N0: (N / ref)^χ = 1 for every χ.
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) b.at(&BlockState::new_loans, 0, m) = b.at(&BlockParams::credit_ref, 0, m);
  adoption::step_row(b.p, b.s, 1, 0);
  for (int m = 0; m < b.nb(); ++m) {
    const double a = b.at(&BlockState::adoption, 0, m);
    const double h = b.at(&BlockParams::innovation_p, 1, m) + b.at(&BlockParams::imitation_q, m) * a +
                     b.at(&BlockParams::demonstration_effect, m) *
                         (b.at(&BlockParams::national_weight, m) * 1.0 + b.at(&BlockParams::provincial_weight, m) * 10.0) /
                         b.at(&BlockParams::firms, 0, m);
    EXPECT_TRUE(near_rel(b.at(&BlockState::adoption_new, 0, m), 1.0 - (1.0 - a) * std::exp(-kDelta * h))) << m;
  }
}

TEST(AdoptionStep, FullAdoptionIsAbsorbing) {
  Block b = with_rows(filled(), {{&BlockState::adoption, 0, 1.0}});
  adoption::step_row(b.p, b.s, 2, 0);
  for_each_member(b, [&b](int m) {
    EXPECT_EQ(b.at(&BlockState::adoption_new, 0, m), 1.0);
    EXPECT_EQ(b.at(&BlockState::adopted_firms, 0, m), b.at(&BlockParams::firms, 0, m));
  });
}

TEST(AdoptionStep, ZeroHazardLeavesAdoptionUnchanged) {
  // p = q = κ = 0: h = 0, a_new = 1 - (1 - a) = a (to rounding of 1 - a).
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) {
    b.set_lever(&BlockParams::innovation_p, m, 0.0);
    b.at(&BlockParams::imitation_q, m) = 0.0;
    b.at(&BlockParams::demonstration_effect, m) = 0.0;
  }
  adoption::step_row(b.p, b.s, 2, 0);
  for (int m = 0; m < b.nb(); ++m)
    EXPECT_TRUE(near_rel(b.at(&BlockState::adoption_new, 0, m), b.at(&BlockState::adoption, 0, m), 1e-15, 1e-16)) << m;
}

TEST(AdoptionStep, PureInnovationFollowsTheClosedForm) {
  // q = κ = 0, credit factor 1, constant p: after n months
  //   a_n = 1 - (1 - a_0) exp(-p n Δ)
  // (the month's hazard is integrated exactly, so the product of monthly
  // survival factors is the continuous-time survival). 36 months.
  Block b = filled();
  for (int m = 0; m < b.nb(); ++m) {
    b.set_lever(&BlockParams::innovation_p, m, 0.05 + 0.1 * m);
    b.at(&BlockParams::imitation_q, m) = 0.0;
    b.at(&BlockParams::demonstration_effect, m) = 0.0;
  }
  Block start = b;
  for (int n = 1; n <= 36; ++n) {
    adoption::step_row(b.p, b.s, 1, 1);
    b.s.adoption = b.s.adoption_new;
    for (int m = 0; m < b.nb(); ++m) {
      const double a0 = start.at(&BlockState::adoption, 1, m), p = 0.05 + 0.1 * m;
      ASSERT_TRUE(near_rel(b.at(&BlockState::adoption, 1, m), 1.0 - (1.0 - a0) * std::exp(-p * n * kDelta)))
          << "month " << n << ", member " << m;
    }
  }
}

TEST(AdoptionStep, MembersAreIndependent) {
  expect_members_independent(filled(), [](Block& b) {
    for (int i = 0; i < kSectors; ++i) adoption::step_row(b.p, b.s, 2, i);
  });
}

}  // namespace
}  // namespace mfgsim::model_test
