// Published figures: calibration targets (data/targets.csv) and observed
// figures for backtests and plots (data/observed.csv). Both name a series of
// MODEL.md, an optional sector, a measure and a month:
//   measure ytd_yoy -> `<series>_ytd_yoy` (sector series: `va_ytd_yoy`),
//   measure yoy     -> `<series>_yoy`, measure level -> the series itself,
// i.e. the summary.csv variable the figure is compared with.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.h"

namespace mfgsim {

struct Observation {
  std::string id;        // targets.csv `id` (empty in observed.csv)
  std::string variable;  // summary.csv variable
  std::string sector;    // empty for aggregates
  std::string month;     // YYYY-MM (`month` or `period_end` column)
  double value = 0.0;    // ratio (0.083 = 8.3%)
  std::string source;
  std::string published;  // YYYY-MM-DD from a `published` column (the figure's vintage); empty without one
  SourceLocation where;  // the row, for messages
};

// Reads targets.csv or observed.csv (columns by header name; `id` optional;
// `month` or `period_end`; `published`, YYYY-MM-DD, optional). Unknown
// series or measures are errors.
std::optional<std::vector<Observation>> read_observations(const std::string& path, Diagnostics& diagnostics);
// The same from text; `file` names it in messages.
std::optional<std::vector<Observation>> parse_observations(std::string_view text, const std::string& file,
                                                           Diagnostics& diagnostics);

}  // namespace mfgsim
