// sim/core/schedule.h: values of constant, step and ramp levers by month,
// worked by hand, and their ranges.
#include "sim/core/schedule.h"

#include <gtest/gtest.h>

namespace mfgsim {
namespace {

TEST(Schedule, Constant) {
  const Schedule s = Schedule::constant_value(0.25);
  EXPECT_EQ(s.kind, Schedule::Kind::constant);
  for (int t : {-5, 0, 7, 1199}) EXPECT_EQ(s.at(t), 0.25);
  EXPECT_EQ(s.min_value(), 0.25);
  EXPECT_EQ(s.max_value(), 0.25);
}

TEST(Schedule, StepsHoldFromTheirMonthOnAndTakeTheFirstValueBefore) {
  Schedule s;
  s.kind = Schedule::Kind::steps;
  s.steps = {{-3, 2.0}, {4, -1.0}, {10, 5.0}};
  const std::pair<int, double> expected[] = {{-10, 2.0}, {-3, 2.0}, {0, 2.0}, {3, 2.0},
                                             {4, -1.0}, {9, -1.0}, {10, 5.0}, {500, 5.0}};
  for (auto [t, value] : expected) EXPECT_EQ(s.at(t), value) << "t " << t;
  EXPECT_EQ(s.min_value(), -1.0);
  EXPECT_EQ(s.max_value(), 5.0);
}

TEST(Schedule, RampIsLinearBetweenItsMonths) {
  Schedule s{.kind = Schedule::Kind::ramp, .value = 0.0, .steps = {}, .from = 2, .to = 6, .start = 1.0, .end = 3.0,
             .inherited = nullptr};
  // 1 + 2 (t - 2) / 4 between months 2 and 6; flat outside.
  const std::pair<int, double> expected[] = {{-1, 1.0}, {2, 1.0}, {3, 1.5}, {4, 2.0}, {5, 2.5}, {6, 3.0}, {40, 3.0}};
  for (auto [t, value] : expected) EXPECT_DOUBLE_EQ(s.at(t), value) << "t " << t;
  EXPECT_EQ(s.min_value(), 1.0);
  EXPECT_EQ(s.max_value(), 3.0);
  s.start = 0.4;  // a falling ramp: 0.4 -> 0.0 over 4 months
  s.end = 0.0;
  EXPECT_NEAR(s.at(5), 0.1, 1e-15);
  EXPECT_EQ(s.min_value(), 0.0);
  EXPECT_EQ(s.max_value(), 0.4);
}

TEST(Schedule, InheritedValuesHoldBeforeTheFirstMonth) {
  // An extending file's steps from month 5 over an inherited ramp 0 -> 10
  // over months 0..10: the ramp's values (t) before month 5, the steps after.
  Schedule s;
  s.kind = Schedule::Kind::steps;
  s.steps = {{5, 20.0}, {8, 30.0}};
  Schedule base{.kind = Schedule::Kind::ramp, .value = 0.0, .steps = {}, .from = 0, .to = 10, .start = 0.0,
                .end = 10.0, .inherited = nullptr};
  s.inherited = std::make_shared<const Schedule>(base);
  EXPECT_EQ(s.first_month(), 5);
  const std::pair<int, double> expected[] = {{-2, 0.0}, {0, 0.0}, {3, 3.0}, {4, 4.0}, {5, 20.0}, {7, 20.0}, {8, 30.0}};
  for (auto [t, value] : expected) EXPECT_DOUBLE_EQ(s.at(t), value) << "t " << t;
  // Ranges include the inherited values (a valid base keeps them in range).
  EXPECT_EQ(s.min_value(), 0.0);
  EXPECT_EQ(s.max_value(), 30.0);
}

}  // namespace
}  // namespace mfgsim
