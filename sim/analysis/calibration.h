// Calibration: fits a scenario's free parameters (its `calibration:` block)
// to published figures (a targets CSV, sim/scenario/observations.h) with NLopt, on
// deterministic runs (shocks off, no draws), and writes the calibrated
// scenario as a YAML file that `extends` the input, carries its own name and
// sets only the fitted values.
//
// Objective: sum over targets of w (100 (model - published))^2, the weighted
// sum of squared misses in percentage points, minimised inside the bounds of
// the block. A run stops at the last target month (later months do not
// change earlier ones).
//
// Tolerances of a fit (what `mfgsim calibrate` calls a success):
// growth targets (measure ytd_yoy or yoy) within 0.3 percentage points,
// levels and shares within 0.5 points. With `accept_misses` the
// least-squares compromise is written whatever the misses, and reported.
//
// Parameter uncertainty (Gauss-Newton, at the optimum; Seber & Wild,
// "Nonlinear Regression", 1989, section 2.1): with J the Jacobian of the
// weighted misses sqrt(w_i) (model_i - published_i) (points) in the
// parameters (central differences), Cov = s^2 (J'J)^-1, where
// s^2 = max(S / (n - p), r^2): S the objective, n targets, p parameters, and
// r = 0.1 / sqrt(12) points the rounding error of a figure published to 0.1
// point (a fit cannot be surer than its data's rounding; with n <= p,
// s^2 = r^2). A parameter whose direction J'J does not determine (its
// eigenvalue below 1e-10 of the largest) has no standard error.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.h"
#include "sim/scenario/observations.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/series_store.h"

namespace mfgsim {

inline constexpr double kGrowthTolerancePoints = 0.3;
inline constexpr double kLevelTolerancePoints = 0.5;

// The tolerance of a fit to a figure of series `variable`, in percentage
// points: kGrowthTolerancePoints for a growth rate (ytd_yoy or yoy; the name
// ends in "_yoy"), kLevelTolerancePoints for a level or share. The one rule
// calibrate, plot and report use.
inline double tolerance_points_of(std::string_view variable) {
  return variable.ends_with("_yoy") ? kGrowthTolerancePoints : kLevelTolerancePoints;
}
// Whether a miss (model - published, points) is within `tolerance` points;
// a non-finite miss never is. 1e-12 absorbs the rounding of the difference.
inline bool within_tolerance(double miss_points, double tolerance) {
  return std::isfinite(miss_points) && std::abs(miss_points) <= tolerance + 1e-12;
}

// A published figure matched to a cell of the run.
struct CalibrationTarget {
  Observation observation;
  int sector = -1;       // sector index; -1 for an aggregate
  int month = 0;         // month index in the run
  double weight = 1.0;   // of the squared miss
  double tolerance_points() const { return tolerance_points_of(observation.variable); }
};

// Matches targets to the run: a sector not in the scenario, a month outside
// the run or a growth rate the run cannot define there (it needs the months
// since January of the year before), a series that is per-sector without a
// sector (or aggregate with one), and duplicate ids are errors at the
// targets file's line. `weights` naming no target are errors at the weight.
// More free parameters (a `paths:` name counts once) than matched targets is
// a warning at the `calibration` key.
std::optional<std::vector<CalibrationTarget>> match_targets(const Scenario& scenario,
                                                            const std::vector<Observation>& observations,
                                                            const std::vector<CalibrationSettings::Weight>& weights,
                                                            Diagnostics& diagnostics);

struct CalibrationOptions {
  std::string method = "LN_BOBYQA";  // one of calibration_methods() (sim/scenario/schema.h)
  int max_evaluations = 2000;
  double tolerance = 1e-10;  // on the objective, points^2
  // From the scenario's block (the CLI overrides them).
  static CalibrationOptions from(const CalibrationSettings& settings);
};

// Multiplies each target's weight by 0.5^(age / half_life), age the months
// from the target to the latest target (half_life > 0, months).
void apply_recency_weights(std::vector<CalibrationTarget>& targets, double half_life);

// Rounding error of a figure published to 0.1 point, in points: 0.1 / sqrt(12).
inline constexpr double kRoundingSdPoints = 0.028867513459481287;

struct TargetFit {
  const CalibrationTarget* target = nullptr;
  double model = 0.0;        // the model's value (ratio); NaN if undefined
  double miss_points = 0.0;  // 100 (model - published)
  bool within = false;       // |miss| <= the target's tolerance
};

struct CalibrationResult {
  std::vector<double> start;   // per parameter of the block, where the fit started
  std::vector<double> values;  // the fitted values
  std::vector<TargetFit> fits; // at the fitted values
  double objective = 0.0;      // at the fitted values, points^2
  std::string method;          // NLopt algorithm used
  std::string status;          // NLopt's result (e.g. FTOL_REACHED, MAXEVAL_REACHED)
  bool optimiser_ok = false;   // NLopt stopped normally (a stopping criterion, not an error)
  int evaluations = 0;         // model runs (the Jacobian's included)
  int optimiser_evaluations = 0;  // of those, the optimiser's (at most max_evaluations)
  double seconds = 0.0;        // wall time of the fit
  // Gauss-Newton standard errors, per parameter, in its units; NaN where the
  // targets do not determine it (see the top of this file).
  std::vector<double> standard_errors;
  double residual_sd_points = 0.0;  // s
  int degrees_of_freedom = 0;       // n - p (may be <= 0)
  bool all_within() const;
  bool ok() const { return optimiser_ok && all_within(); }
};

// Fits the parameters of `scenario.calibration` (which must be set) to
// `targets`. Never throws for a model the optimiser drives into invalid
// parameters (that point gets a large objective); throws RunError only if
// the starting point itself cannot run.
CalibrationResult calibrate(const Scenario& scenario, const std::vector<CalibrationTarget>& targets,
                            const CalibrationOptions& options);

// The Gauss-Newton standard errors of `values` (see the top of this file):
// 2p deterministic runs; fills result.standard_errors, residual_sd_points
// and degrees_of_freedom, and adds the runs to result.evaluations.
// calibrate() calls it; exposed for tests.
void estimate_uncertainty(const Scenario& scenario, const std::vector<CalibrationTarget>& targets,
                          CalibrationResult& result);

// The targets' misses for the scenario's parameters as they are (one
// deterministic run). Throws RunError if the run fails.
std::vector<TargetFit> evaluate_targets(const Scenario& scenario, const std::vector<CalibrationTarget>& targets);

// The calibrated scenario: `extends` the input (by a path relative to the
// directory of `out_path`), is named `<name>_calibrated` (so its results do
// not replace the input's) and sets each fitted value at every path of its
// parameter, as nested maps; a ramp with a fitted start or end is written
// whole (with `before: start` when the input's ramp holds its start before
// `from`). Numbers in shortest round-trip form.
std::string calibrated_yaml(const Scenario& scenario, const CalibrationResult& result, const std::string& out_path);
// Checks a written calibrated scenario before it is put in place: it loads
// and sets every fitted parameter to its fitted value. Throws
// std::runtime_error saying what is wrong.
void check_calibrated_scenario(const std::string& path, const Scenario& scenario, const CalibrationResult& result);

// The table `mfgsim calibrate` prints: target, published value, model value,
// miss, tolerance; then the fitted parameters and the optimiser's report.
std::string calibration_table(const Scenario& scenario, const CalibrationResult& result);

// One value of a run: the summary variable `variable` (a name of
// sim/engine/series.h) of sector `sector` (-1 for aggregates) in month t, member m.
// The only place that reads the engine's store here. NaN if the variable
// does not exist for that kind of cell.
double model_value(const SeriesStore& store, const std::string& variable, int sector, int t, std::int64_t member);

}  // namespace mfgsim
