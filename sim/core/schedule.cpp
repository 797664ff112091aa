#include "sim/core/schedule.h"

#include <algorithm>

namespace mfgsim {

int Schedule::first_month() const {
  switch (kind) {
    case Kind::constant: return 0;
    case Kind::steps: return steps.front().from;
    case Kind::ramp: return from;
  }
  return 0;
}

double Schedule::at(int t) const {
  if (inherited && t < first_month()) return inherited->at(t);
  switch (kind) {
    case Kind::constant:
      return value;
    case Kind::steps: {
      double x = steps.front().value;
      for (const Step& step : steps) {
        if (step.from > t) break;
        x = step.value;
      }
      return x;
    }
    case Kind::ramp:
      if (t <= from) return start;
      if (t >= to) return end;
      return start + (end - start) * static_cast<double>(t - from) / static_cast<double>(to - from);
  }
  return value;
}

namespace {
// The schedule's values (the constant, the ramp's two ends, every step's
// value) folded with `pick`: std::min or std::max of two doubles.
template <class Pick>
double fold_values(const Schedule& schedule, Pick pick) {
  switch (schedule.kind) {
    case Schedule::Kind::constant: return schedule.value;
    case Schedule::Kind::ramp: return pick(schedule.start, schedule.end);
    case Schedule::Kind::steps: {
      double x = schedule.steps.front().value;
      for (const Schedule::Step& s : schedule.steps) x = pick(x, s.value);
      return x;
    }
  }
  return schedule.value;
}
}  // namespace

double Schedule::min_value() const {
  const double x = fold_values(*this, [](double a, double b) { return std::min(a, b); });
  return inherited ? std::min(x, inherited->min_value()) : x;
}

double Schedule::max_value() const {
  const double x = fold_values(*this, [](double a, double b) { return std::max(a, b); });
  return inherited ? std::max(x, inherited->max_value()) : x;
}

}  // namespace mfgsim
