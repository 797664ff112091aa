// Schedules: the time-varying levers marked (t) in MODEL.md.
#pragma once

#include <memory>
#include <vector>

namespace mfgsim {

// A lever's value by month index t (relative to the run's start; entries may
// lie before it). Three forms, as in MODEL.md:
//   constant: `x`
//   steps:    `[{from: YYYY-MM, value: x}, ...]`, each holding from its month on;
//   ramp:     `{from: YYYY-MM, to: YYYY-MM, start: x, end: y}`, linear between.
// Before its first entry a schedule takes its first value, unless it keeps
// `inherited` values there: a dated schedule of a scenario that extends
// another replaces the inherited schedule from its first month on only.
struct Schedule {
  enum class Kind { constant, steps, ramp };
  struct Step {
    int from = 0;  // month index
    double value = 0.0;
  };
  Kind kind = Kind::constant;
  double value = 0.0;       // constant
  std::vector<Step> steps;  // steps, sorted by `from`, strictly increasing
  int from = 0, to = 1;     // ramp months (to > from)
  double start = 0.0, end = 0.0;
  // Steps or ramp: the schedule in force before first_month() (null: the
  // first value holds there).
  std::shared_ptr<const Schedule> inherited;

  static Schedule constant_value(double x) {
    Schedule s;
    s.value = x;
    return s;
  }
  double at(int t) const;
  // The month of the first entry (steps, ramp); 0 for a constant.
  int first_month() const;
  // Smallest and largest value the schedule takes, inherited values
  // included (for range checks).
  double min_value() const;
  double max_value() const;
};

}  // namespace mfgsim
