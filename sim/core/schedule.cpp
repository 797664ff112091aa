#include "sim/core/schedule.h"

#include <algorithm>

namespace mfgsim {

double Schedule::at(int t) const {
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

double Schedule::min_value() const {
  switch (kind) {
    case Kind::constant: return value;
    case Kind::ramp: return std::min(start, end);
    case Kind::steps: {
      double x = steps.front().value;
      for (const Step& s : steps) x = std::min(x, s.value);
      return x;
    }
  }
  return value;
}

double Schedule::max_value() const {
  switch (kind) {
    case Kind::constant: return value;
    case Kind::ramp: return std::max(start, end);
    case Kind::steps: {
      double x = steps.front().value;
      for (const Step& s : steps) x = std::max(x, s.value);
      return x;
    }
  }
  return value;
}

}  // namespace mfgsim
