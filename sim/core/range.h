// A closed, open or half-open interval of valid values, and how messages
// state it.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

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

// Whole numbers lo .. hi (both ends included, both >= 0): the range of a
// count or a seed. One constant per setting below, shared by the command
// line options and the scenario and batch keys that mirror them, so that a
// value has one range on every path (issue 12, item 3).
struct IntegerRange {
  std::uint64_t lo = 0, hi = std::numeric_limits<std::uint64_t>::max();
  constexpr bool contains(std::uint64_t x) const { return x >= lo && x <= hi; }
  // As a ParamRange, for the scenario schema (hi rounds to the nearest double).
  ParamRange as_param_range() const { return {static_cast<double>(lo), static_cast<double>(hi)}; }
};

// Seeds: every 64-bit unsigned value (`ensemble.seed`, a batch's `seed`, --seed).
inline constexpr IntegerRange kSeedRange{0, std::numeric_limits<std::uint64_t>::max()};
// Ensemble members (`ensemble.members`, a batch's `members`, --members).
inline constexpr IntegerRange kMembersRange{1, 10'000'000};
// Worker threads, 0 meaning all cores (--threads). 1024 is far above any
// machine's useful count and far below the system's limit on threads, so a
// valid value never fails to start.
inline constexpr IntegerRange kThreadsRange{0, 1024};
// MiB of member values held for exact quantiles (--summary-memory): 16 TiB at most.
inline constexpr IntegerRange kSummaryMemoryMiBRange{1, std::uint64_t{1} << 24};
// Model runs of a calibration (`calibration.max_evaluations`, --max-evals).
inline constexpr IntegerRange kMaxEvaluationsRange{1, 10'000'000};
// A calibration's stopping tolerance in points² (`calibration.tolerance`, --tolerance).
inline constexpr ParamRange kToleranceRange{0, kInf, false, true};
// Recency half-life of calibration weights, months
// (`calibration.recency_half_life`, --recency-half-life).
inline constexpr ParamRange kRecencyHalfLifeRange{0, 1200, true, false};

// `text` as a whole number: decimal digits, with at most a leading '+';
// nothing for a '-', any other character, an empty text, or a value above
// 2^64 - 1.
std::optional<std::uint64_t> parse_unsigned(std::string_view text);
// `text` as a whole number in `range`; otherwise nothing, and `problem` says
// what was expected: "must be a whole number in [0, 1024] (got '-1')".
std::optional<std::uint64_t> parse_in_range(std::string_view text, const IntegerRange& range, std::string* problem);
// "[0, 1024]".
std::string format_range(const IntegerRange& range);

}  // namespace mfgsim
