// A closed, open or half-open interval of valid values, and how messages
// state it.
#pragma once

#include <limits>
#include <string>

namespace mfgsim {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// Valid range [lo, hi]; an open end excludes the bound itself.
struct ParamRange {
  double lo = -kInf, hi = kInf;
  bool lo_open = false, hi_open = false;
  bool contains(double x) const {
    return (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
  }
};

// "in [0, 1]", "> 0", ">= -1", "in (-1, 1)": what a value in `range` must be.
std::string range_requirement(const ParamRange& range);
// "[0, 1]", "(0, inf)".
std::string format_range(const ParamRange& range);

}  // namespace mfgsim
