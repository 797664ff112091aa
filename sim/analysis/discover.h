// mfgsim discover: scenario discovery on a batch's sweep. Which ranges of the
// swept parameters give an outcome (a headline series at one month meeting a
// condition, e.g. manufacturing growth >= 7% in 2030-12) with high
// probability? Points are every (sweep sample, member) of the batch's
// results.nc; x is the sample's swept parameter values, y = 1 when the
// member's value meets the condition. Two methods:
//
// - PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999,
//   "Bump hunting in high-dimensional data", Statistics and Computing 9):
//   peeling, the peeling trajectory, pasting, and for each restricted limit
//   of the chosen box the quasi-p value of Bryant and Lempert 2010
//   ("Thinking inside the box", Technological Forecasting and Social Change
//   77) as EMA Workbench computes it (analysis/prim.py, _calculate_quasip):
//   a one-sided binomial test.
// - Feature scores by regional sensitivity analysis (Spear and Hornberger
//   1980; Saltelli et al. 2008, "Global Sensitivity Analysis: The Primer",
//   5.2): the two-sample Kolmogorov-Smirnov distance between a parameter's
//   values among the y = 1 points and among the y = 0 points.
//
// Everything is deterministic: no random numbers; ties are broken by fixed
// rules (below).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.h"
#include "sim/core/range.h"

namespace mfgsim {

class OutputDir;

// --peel-alpha: the share of the box's points one peel removes, in (0, 0.5).
inline constexpr ParamRange kPeelAlphaRange{0.0, 0.5, true, true};
// --min-probability: the density the chosen box must reach, in (0, 1].
inline constexpr ParamRange kMinProbabilityRange{0.0, 1.0, true, false};

struct PrimOptions {
  // Peel fraction alpha (Friedman and Fisher's alpha; EMA Workbench's
  // peel_alpha): each peel removes the floor(alpha n) points (at least one,
  // and every point tied with the last) with the lowest or highest values of
  // one parameter among the n points of the box. Pasting adds chunks of the
  // same size. Small alpha: a patient, finer trajectory, more steps.
  double peel_alpha = 0.05;
  // Peeling stops before the box would hold fewer than this share of all
  // points (Friedman and Fisher's minimum support beta_0; EMA's mass_min).
  double min_mass = 0.05;
  // The chosen box is the box of the trajectory with the largest coverage
  // among those with density >= min_density (coverage never rises while
  // peeling, so it is the first such box; among boxes of equal coverage,
  // the last, the densest).
  double min_density = 0.8;
};

// A box: closed limits per parameter, and the points in it.
struct PrimBox {
  std::vector<double> low, high;  // per parameter, in the parameter's unit
  std::int64_t points = 0;        // points in the box
  std::int64_t of_interest = 0;   // of them with y = 1
  double coverage = 0.0;  // of_interest / all points with y = 1
  double density = 0.0;   // of_interest / points: P(y = 1 | x in the box)
  double mass = 0.0;      // points / all points (support)
  int restricted = 0;     // parameters whose low or high is inside the data's range
};

struct PrimResult {
  std::vector<double> range_low, range_high;  // the data's range per parameter (the first box)
  // The peeling trajectory: step 0 is the whole range. Peeling takes, at
  // each step, the peel (one parameter, its low or its high side) that
  // leaves the densest box (Friedman and Fisher's criterion); ties: the
  // larger box, then the lower parameter index, low side first. It stops
  // when the box's density is 1, when the best peel would leave less than
  // min_mass of the points, or when no parameter can be peeled; it does
  // not start when no point, or every point, has y = 1.
  std::vector<PrimBox> trajectory;
  int chosen = -1;  // index into `trajectory` (PrimOptions::min_density); -1: no box reaches it
  // The chosen box after pasting: repeatedly, of the pastes that extend one
  // limit outwards over the next floor(alpha n) points (at least one, with
  // ties) lying outside the box in that parameter only, the one giving the
  // densest box, while that density is not below the box's; when no chunk
  // qualifies, the same with one point (and its ties) at a time. Valid when
  // chosen >= 0.
  PrimBox box;
  // Quasi-p values of the pasted box's limits (NaN where not restricted):
  // P(X >= H) for X ~ Binomial(T, p'), with T, H the box's points and
  // points of interest and p' the density of the box with that one limit
  // set back to the data's range. Small: dropping the limit lowers the
  // density significantly.
  std::vector<double> low_p_value, high_p_value;
};

// PRIM on `y.size()` points of `dimensions` parameters; `x` holds them row
// by row (point i's parameter j at x[i * dimensions + j]); y is 0 or 1. Needs
// at least one point and no NaN in x (asserted).
PrimResult prim(const std::vector<double>& x, const std::vector<std::uint8_t>& y, std::size_t dimensions,
                const PrimOptions& options);

// P(X >= k) for X ~ Binomial(n, p), summed in log space (exact to rounding
// for n up to millions); 1 for k <= 0.
double binomial_upper_tail(std::int64_t k, std::int64_t n, double p);

// The two-sample Kolmogorov-Smirnov distance sup_v |F1(v) - F0(v)| between
// parameter j's values among the y = 1 points and among the y = 0 points,
// per parameter; NaN when either group is empty. In [0, 1].
std::vector<double> ks_distances(const std::vector<double>& x, const std::vector<std::uint8_t>& y,
                                 std::size_t dimensions);

// --where: ">= v", "> v", "<= v" or "< v" (blanks around the parts allowed;
// v a finite decimal number in the series' stored unit: growth 0.07 = 7%).
struct Condition {
  enum class Op { ge, gt, le, lt };
  Op op = Op::ge;
  double value = 0.0;
  bool holds(double x) const;  // false for NaN
  std::string text() const;    // ">= 0.07"
};
// The condition, or nothing and `problem`: what was expected.
std::optional<Condition> parse_condition(std::string_view text, std::string* problem);

struct DiscoverRequest {
  std::string results_dir;  // a `mfgsim batch` output folder (holds results.nc) with a sweep
  std::string series;       // a headline series with member values (`<series>_members`)
  std::string month;        // YYYY-MM within the run
  std::string where;        // the condition (parse_condition)
  double min_probability = 0.8;  // PrimOptions::min_density
  double peel_alpha = 0.05;      // PrimOptions::peel_alpha
};

struct FeatureScore {
  std::string parameter;
  double ks_distance = std::numeric_limits<double>::quiet_NaN();
};

struct Discovery {
  std::string series, month, unit;
  Condition condition;
  // The batch's swept parameter paths, then the paths its members drew
  // (`uncertain:`), the last `drawn_parameters` of them.
  std::vector<std::string> parameters;
  std::int64_t drawn_parameters = 0;
  // Points: every member of every sweep sample with a defined value.
  std::int64_t samples = 0, points = 0, of_interest = 0;
  std::int64_t undefined_points = 0;  // members whose value is NaN, left out
  std::int64_t scenario_files = 0;    // the batch's scenario files (not sweep samples), left out
  // Sweep samples with no value for some swept path (a batch of sweeps over
  // different paths), left out.
  std::int64_t incomplete_samples = 0;
  PrimOptions options;
  PrimResult prim;
  std::vector<FeatureScore> features;  // highest score first (ties: parameter order)
};

// Checks the request against DIR/results.nc before any work: the file is
// there with member values and sweep samples, the series and the month are
// in it, the condition parses, the series is defined at that month for at
// least one sample's member, and both options are in range. One
// "mfgsim: error: --<option>: ..." diagnostic per problem. Throws
// std::runtime_error only if the file exists but cannot be read.
Diagnostics validate_discover_request(const DiscoverRequest& request);

// Reads the points and runs PRIM and the feature scoring. The request must
// be valid (validate_discover_request); one that is not throws
// std::invalid_argument. Throws std::runtime_error if the file cannot be read.
Discovery discover(const DiscoverRequest& request);

// trajectory.csv: step,coverage,density,mass,restricted,points,of_interest,chosen,
// then <parameter>_low,<parameter>_high for each parameter.
void write_trajectory_csv(std::ostream& out, const Discovery& discovery);
// box.csv: parameter,low,high,restricted,p_value_low,p_value_high,range_low,range_high
// (the pasted box; range_*: the sweep samples' range). Header only when no box
// reaches the density.
void write_box_csv(std::ostream& out, const Discovery& discovery);
// features.csv: rank,parameter,ks_distance.
void write_features_csv(std::ostream& out, const Discovery& discovery);
// The printed summary: points, the chosen box with its limits and quasi-p
// values, the feature scores.
std::string discovery_table(const Discovery& discovery);

// Writes trajectory.csv, box.csv, features.csv, manifest.json (command
// discover, results.nc's SHA-256, the request) and, with `chart`,
// trajectory.png/.svg with its .gp and .dat (gnuplot: density against
// coverage at each peeling step, coloured by the number of restricted
// parameters, the chosen and the pasted box marked) into `dir`'s staging
// folder. Throws std::runtime_error if gnuplot is missing or fails.
void write_discovery_folder(const OutputDir& dir, const DiscoverRequest& request, const Discovery& discovery,
                            bool chart, std::chrono::steady_clock::time_point start);

}  // namespace mfgsim
