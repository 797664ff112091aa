// mfgsim compare: each scenario of a batch, or of two or more `mfgsim run`
// folders, against a baseline scenario, by member-by-member (paired)
// differences of the headline series, read from results.nc (`<series>_members`
// variables; a run keeps them with --keep-members). Member k of every
// scenario with the same seed drew the same random numbers (shocks and
// `uncertain` draws), wherever it ran, so the paired difference removes the
// noise they share; for deterministic single-member runs it is the exact
// difference.
#pragma once

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.h"

namespace mfgsim {

struct PairedDifference {
  std::int64_t pairs = 0;  // members compared (0: the series is undefined at that month)
  // Quantiles (Hyndman-Fan type 7) and mean of scenario - baseline over the pairs.
  double median = std::numeric_limits<double>::quiet_NaN();
  double p05 = std::numeric_limits<double>::quiet_NaN();
  double p95 = std::numeric_limits<double>::quiet_NaN();
  double mean = std::numeric_limits<double>::quiet_NaN();
  // P(the scenario beats the baseline): the share of pairs where it does,
  // ties counting one half (so identical scenarios give 0.5). Differences
  // within 1e-12 of the values' magnitude (rounding of sums taken in
  // another order) are ties.
  double p_better = std::numeric_limits<double>::quiet_NaN();
};

// Paired differences of n members; a pair with a NaN on either side is
// skipped (growth rates are undefined in the first year: all NaN).
PairedDifference paired_difference(const double* scenario, const double* baseline, std::int64_t n,
                                   bool higher_is_better);

// Whether a higher value of the series is better: true except for
// emissions and energy use (co2, energy), where lower is better.
bool higher_is_better(std::string_view series);

struct CompareRequest {
  // One `mfgsim batch` output folder, or two or more `mfgsim run` folders
  // (run with --keep-members, the same seed, member count, months and
  // stochastic setting, so that their members pair up). Each holds results.nc.
  std::vector<std::string> results_dirs;
  // "": for a batch, the scenario named `baseline`, else the first; for run
  // folders, the first folder's scenario.
  std::string baseline;
  std::vector<std::string> months;      // YYYY-MM; empty: June of the run's third year and the last month
  std::vector<std::string> series;      // empty: every series with member values but the levers
  std::vector<std::string> scenarios;   // empty: all
  // A month of `months` in the run's first year with a growth series (no
  // value there) is an error; false for callers comparing every month
  // (plot --difference, report), whose undefined months are left out.
  bool refuse_undefined_months = false;
};

struct ComparisonRow {
  std::string series, month, scenario, sweep;
  std::string unit;
  bool higher_better = true;
  PairedDifference difference;
  double baseline_median = std::numeric_limits<double>::quiet_NaN();
  double scenario_median = std::numeric_limits<double>::quiet_NaN();
  int rank = 0;  // 1 = best for this series and month; 0 when undefined
  std::vector<double> parameters;  // the scenario's swept parameter values (Comparison::parameters)
};

// A lever (kLeverSeries) whose schedule differs between a scenario and the
// baseline: its mean over members at each compared month.
struct LeverChange {
  std::string scenario, sweep, series, unit;  // unit: UDUNITS-2, as in results.nc
  std::string first_month;             // the first month it differs
  std::vector<double> baseline, changed;  // at Comparison::months
};

struct Comparison {
  std::string baseline;
  std::vector<LeverChange> levers;  // by scenario (compared order), then lever
  std::vector<std::string> months, series;
  std::vector<std::string> parameters;  // the batch's swept parameter paths
  std::vector<ComparisonRow> rows;  // by series, then month, then scenario in batch order
  std::vector<std::string> notes;   // caveats (members not paired, ...)
};

// Checks the request against each DIR/results.nc before any work: the files
// are there and hold member values; one batch folder, or two or more run
// folders that pair (same seed unless deterministic, member count, months
// and stochastic setting; distinct scenario names); the baseline, the
// scenarios, the months and the series it names are in them. One
// diagnostic per problem, printed as "mfgsim: error: --at: ...". Throws
// std::runtime_error only if a file exists but cannot be read.
Diagnostics validate_compare_request(const CompareRequest& request);

// Reads the results.nc files and compares. The request must be valid
// (validate_compare_request); one that is not throws std::invalid_argument,
// a programmer error. Throws std::runtime_error if the file cannot be read.
Comparison compare_batch(const CompareRequest& request);

// The months compared by default, from the run's first and last month
// labels (YYYY-MM): June of the third calendar year if the run covers it,
// and the last month.
std::vector<std::string> default_compare_months(const std::vector<std::string>& month_labels);

// compare.csv: series,month,scenario,sweep,baseline,unit,better,pairs,median,p05,p95,mean,
// p_better,rank,baseline_median,scenario_median (differences in the series' units).
void write_comparison_csv(std::ostream& out, const Comparison& comparison);
// A readable table per series and month: the `top` best ranks and every
// scenario that is not a sweep sample; ratios shown in percentage points.
// Before it, the levers each scenario file changes (sweep samples show their
// swept values instead).
std::string comparison_table(const Comparison& comparison, int top);

}  // namespace mfgsim
