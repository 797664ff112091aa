#include "sim/core/range.h"

#include <cmath>

#include "sim/core/text.h"

namespace mfgsim {

std::string format_range(const ParamRange& r) {
  return std::string(r.lo_open || std::isinf(r.lo) ? "(" : "[") + format_number(r.lo) + ", " +
         format_number(r.hi) + (r.hi_open || std::isinf(r.hi) ? ")" : "]");
}

std::string range_requirement(const ParamRange& r) {
  bool has_lo = !std::isinf(r.lo), has_hi = !std::isinf(r.hi);
  if (has_lo && has_hi) return "in " + format_range(r);
  if (has_lo) return std::string(r.lo_open ? "> " : ">= ") + format_number(r.lo);
  if (has_hi) return std::string(r.hi_open ? "< " : "<= ") + format_number(r.hi);
  return "finite";
}

}  // namespace mfgsim
