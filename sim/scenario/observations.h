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
  std::string variable;  // summary.csv variable; empty for a figure no model series holds (see `industry`)
  std::string sector;    // empty for aggregates
  std::string month;     // YYYY-MM (`month` or `period_end` column)
  double value = 0.0;    // ratio (0.083 = 8.3%)
  std::string published; // YYYY-MM-DD when the file has a `published` column, else empty
  std::string source;
  // A figure of an industry that is not one model sector (series `va_industry`
  // with the industry's name, or `mining_va`, all mining): kept with its
  // vintage for the record, "va_industry/food" or "mining_va"; the model is
  // not compared with it (consumers say so, never silently).
  std::string industry;
  SourceLocation where;  // the row, for messages
  SourceLocation series_where, sector_where;  // its series and sector fields, for messages about them
  bool modelled() const { return industry.empty(); }
  // For messages: "va_ytd_yoy equipment", "industry_va_ytd_yoy", or the
  // industry of a figure no model series holds ("va_industry/food").
  std::string label() const { return modelled() ? variable + (sector.empty() ? "" : " " + sector) : industry; }
};

// Reads targets.csv, observed.csv or industry_figures.csv (columns by header
// name; `id`, `published`, `source` and `note` optional; `month` or
// `period_end`; any other column, and a row with more or fewer fields than
// the header, is an error at its place). Unknown series or measures are errors; `published` must be
// a date YYYY-MM-DD after the period's end (a figure cannot be published
// before its period has ended).
std::optional<std::vector<Observation>> read_observations(const std::string& path, Diagnostics& diagnostics);
// The same from text; `file` names it in messages.
std::optional<std::vector<Observation>> parse_observations(std::string_view text, const std::string& file,
                                                           Diagnostics& diagnostics);

// The figures of model series (Observation::modelled); when others are left
// out, one warning at the first of them: "N figure(s) of industries that are
// not one model sector (...; lines ...) are not <use>" (use: "fitted", "drawn").
std::vector<Observation> modelled_only(const std::vector<Observation>& figures, const std::string& use,
                                       Diagnostics& diagnostics);

// The figures a forecaster at `origin` (YYYY-MM) could use: periods ending by
// the origin and, when a figure has its publication date, published by the
// end of the month after the origin (the vintage rule of data/README.md:
// origin 2023-06 -> published by 2023-07-31). `left_out` (optional) receives
// the others, for the caller to report.
std::vector<Observation> available_at(const std::vector<Observation>& figures, const std::string& origin,
                                      std::vector<Observation>* left_out = nullptr);

// The figures of several files as one list: a figure given again (same
// variable, sector, industry and period) is kept once, as first given (so
// list the file with `published` dates first); given again with another
// value, an error at the second naming the first ("<variable> [<sector> |
// <industry> ]<period> is <value> here but <value> at <file>:<line>").
std::vector<Observation> merge_figures(const std::vector<std::vector<Observation>>& files, Diagnostics& diagnostics);

}  // namespace mfgsim
