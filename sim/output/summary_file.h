// Reading summary.csv back (plots, comparisons, backtests).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.h"

namespace mfgsim {

struct SummaryRecord {
  std::string scenario, month, sector, variable;  // month YYYY-MM; sector empty for aggregates
  std::string unit;                               // UDUNITS-2 ("1" for ratios)
  bool defined = false;                           // false: empty fields (undefined month)
  double mean = 0.0;
  double mean_se = 0.0;  // NaN when the file leaves it empty (one member)
  std::array<double, 5> quantiles{};  // p05, p25, p50, p75, p95
};

// Reads a summary.csv written by mfgsim (header checked); nullopt with
// file:line:col diagnostics otherwise.
std::optional<std::vector<SummaryRecord>> read_summary_csv(const std::string& path, Diagnostics& diagnostics);
// The same from text; `file` names it in messages.
std::optional<std::vector<SummaryRecord>> parse_summary_csv(std::string_view text, const std::string& file,
                                                            Diagnostics& diagnostics);

}  // namespace mfgsim
