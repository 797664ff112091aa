// An independent reference implementation of /work/shared/MODEL.md (aggregate
// adoption mode, deterministic: z = F = 0), used as a test oracle for the
// engine. It is a plain scalar transcription of the text, one sector at a
// time, with no blocks, no SIMD layout and no shared code with the engine's
// kernels (models/*.h): only the parameter structs (models/model_params.h) and
// Eigen are used. Schedules are evaluated here from their fields
// (reference::schedule_at), not through Schedule::at.
//
// Every value is reported after month t's step (the step order of MODEL.md,
// "One step, month t"), for t = 0 .. T-1.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/calendar.h"
#include "models/model_params.h"

namespace mfgsim::reference {

// A schedule's value at month index t, as MODEL.md states it: a constant; a
// list of steps each holding from its month on; a linear ramp from
// (from, start) to (to, end), flat outside; before the first entry the first
// value, or the inherited schedule's when an extending file dated it
// (Schedule::inherited; scenarios/SCHEMA.md, "Schedules").
double schedule_at(const Schedule& s, int t);

// One sector's reported series (MODEL.md "Reported series"), each of length T.
struct SectorPath {
  std::vector<double> va, gross_output, capacity, utilisation, capital, investment,
      retrofit_spending, new_loans, price, demand_pressure, long_term_loans, short_term_loans,
      adoption, upgrade_share, log_tfp, energy_intensity, energy, co2;
  // Aggregate mode's firm counts: expected adopters a M, and designations so
  // far (national + provincial, unweighted).
  std::vector<double> adopted_firms, demonstration_firms;
  std::vector<double> va_ytd_yoy;  // NaN where undefined
};

// Aggregates per month, each of length T.
struct AggregatePath {
  std::vector<double> industry_va, manufacturing_va, co2, energy, adoption, long_term_loans,
      long_term_share, new_loans, recycling_ratio;
  // The levers as MODEL.md's schedules give them each month (τ, p_g, ℓ, p, r*).
  std::vector<double> carbon_price, retrofit_push, long_term_growth, innovation_p, recycling_target;
  std::vector<double> industry_va_ytd_yoy, manufacturing_va_ytd_yoy, long_term_loans_yoy;  // NaN where undefined
};

struct Result {
  int sectors = 0;
  int months = 0;
  std::vector<SectorPath> sector;  // [i]
  AggregatePath aggregate;
  // Intermediate quantities of the initial state, for tests.
  std::vector<double> fbar, Iref_share;  // fbar_i; wbar_i
  double Iref = 0.0;

  // Series by their result-file name (MODEL.md); nullptr when unknown.
  const std::vector<double>* sector_series(std::string_view name, int i) const;
  const std::vector<double>* aggregate_series(std::string_view name) const;
};

// Cumulative year-to-date, year-on-year growth of y (indexed by month t from
// the calendar's start): sum of the calendar year's months 1..m up to t over
// the same months a year earlier, minus 1; NaN unless every month summed lies
// in [0, y.size()).
std::vector<double> ytd_yoy(const std::vector<double>& y, YearMonth start);

// Runs the deterministic aggregate-mode model for `months` months.
// Throws std::invalid_argument on a negative reference final demand.
Result run(const ModelParams& params, const Calendar& calendar, int months);
inline Result run(const ModelParams& params, const Calendar& calendar) {
  return run(params, calendar, calendar.months);
}

}  // namespace mfgsim::reference
