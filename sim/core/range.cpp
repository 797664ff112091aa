#include "sim/core/range.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "sim/core/text.h"

namespace mfgsim {

namespace {
// A bound as the user would type it: whole numbers in full (10000000, not
// %g's 1e+07, so a key's range reads as its option's), others as %g.
std::string format_bound(double x) {
  if (std::isfinite(x) && std::floor(x) == x && std::fabs(x) < 1e15) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", x);
    return buffer;
  }
  return format_number(x);
}
}  // namespace

// Strings are appended piece by piece: GCC 12 warns falsely (-Wrestrict)
// on chains of operator+ here.
std::string format_range(const ParamRange& r) {
  std::string text = r.lo_open || std::isinf(r.lo) ? "(" : "[";
  text += format_bound(r.lo);
  text += ", ";
  text += format_bound(r.hi);
  text += r.hi_open || std::isinf(r.hi) ? ")" : "]";
  return text;
}

std::string range_requirement(const ParamRange& r) {
  bool has_lo = !std::isinf(r.lo), has_hi = !std::isinf(r.hi);
  if (has_lo && has_hi) return "in " + format_range(r);
  if (has_lo) return std::string(r.lo_open ? "> " : ">= ") + format_bound(r.lo);
  if (has_hi) return std::string(r.hi_open ? "< " : "<= ") + format_bound(r.hi);
  return "finite";
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::uint64_t x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;  // above 2^64 - 1
  return x;
}

std::optional<std::uint64_t> parse_in_range(std::string_view text, const IntegerRange& range, std::string* problem) {
  const std::optional<std::uint64_t> x = parse_unsigned(text);
  if (x && range.contains(*x)) return x;
  *problem = "must be a whole number in ";
  *problem += format_range(range);
  *problem += " (got '";
  *problem += text;
  *problem += "')";
  return std::nullopt;
}

std::string format_range(const IntegerRange& range) {
  std::string text = "[";
  text += std::to_string(range.lo);
  text += ", ";
  text += std::to_string(range.hi);
  text += ']';
  return text;
}

}  // namespace mfgsim
