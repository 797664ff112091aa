// Global sensitivity analysis of one model output (a series at a month) to
// a scenario's uncertain parameters (`uncertain:`, each mapped from the unit
// interval by its distribution's quantile function) or its calibration
// parameters (`calibration.parameters`, uniform on [low, high]).
//
// Two methods:
//   - Morris elementary effects: r trajectories on a p-level grid of the
//     unit cube, each moving one factor at a time by Delta = p / (2 (p - 1));
//     per factor mu (mean effect), mu* (mean absolute effect: importance)
//     and sigma (standard deviation: interactions and non-linearity).
//     Effects are per unit of the factor's quantile rank, so factors with
//     different units compare. Levels l in {0, 1/(p-1), ..., 1} are mapped
//     to the ranks u = (l (p - 1) + 1/2) / p, the centres of p equiprobable
//     strata, so unbounded distributions never reach their infinite tails.
//   - Sobol indices: first-order S1 (share of the output variance due to
//     the factor alone) and total ST (including all its interactions), by
//     Saltelli's sampling scheme (matrices A and B of N rows from a
//     2k-dimensional Sobol sequence, and A_B^i = A with column i from B:
//     N (k + 2) model runs). Total indices by Jansen's estimator, first-order
//     ones by Saltelli et al. (2010)'s (their recommended pair):
//       ST_i = 1/(2N) sum (f(A) - f(A_B^i))^2 / V                  (Jansen 1999)
//       S1_i = 1/N sum (f(B) - f0) (f(A_B^i) - f(A)) / V           (Saltelli 2010)
//     with f0 and V the mean and variance of f over the rows of A and B.
//     Jansen's first-order form, (V - 1/(2N) sum (f(B) - f(A_B^i))^2) / V,
//     subtracts two numbers of the size of V: on this model's near-zero
//     indices it gave intervals of +-0.09 at N = 512 where this one gives
//     +-0.004.
//     A and B are points 0 .. N-1 of the 2k-dimensional Sobol sequence with a
//     random digital shift keyed by the request's seed (sim/core/designs.h):
//     every stratum of every axis holds its share of points when N is a
//     power of two (other N run, with a warning), and no row is the corner
//     of all lows.
// Confidence intervals: percentile bootstrap (rows of the design, or Morris
// trajectories, resampled with replacement) from a Philox stream with a
// fixed seed, so the same inputs give the same intervals. At least 1000
// resamples: the 2.5% and 97.5% points of fewer are too few replicates in
// the tails (Efron and Tibshirani 1993, "An Introduction to the Bootstrap",
// section 19.3, ask for B of about 1000 for percentile intervals, against
// 25-200 for a standard error).
//
// Model runs are deterministic (shocks off, one member), each with the
// sample's parameter values set through set_param, and run in parallel;
// the results do not depend on the thread count.
#pragma once

#include <chrono>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/core/progress.h"
#include "sim/core/range.h"
#include "sim/scenario/scenario.h"

#include "sim/io/output_dir.h"

namespace mfgsim {

// ---- designs and estimators (pure functions) --------------------------------

struct MorrisDesign {
  int factors = 0, trajectories = 0, levels = 4;
  double delta = 0.0;         // step in level units, p / (2 (p - 1))
  std::vector<double> points;  // trajectories x (factors + 1) rows of `factors` levels in [0, 1], row-major
  std::vector<int> moved;      // per row: the factor changed from the previous row (-1 for a trajectory's first)
  std::vector<int> direction;  // per row: +1 or -1 (0 for a trajectory's first)
  std::size_t rows() const { return moved.size(); }
};
// `levels` must be even and >= 2; the design depends only on the arguments.
MorrisDesign morris_design(int factors, int trajectories, int levels, std::uint64_t seed);

struct MorrisIndex {
  double mu = 0.0, mu_star = 0.0, sigma = 0.0;
  double mu_star_low = 0.0, mu_star_high = 0.0;  // bootstrap confidence interval of mu*
};
// outputs[row] for each row of the design. bootstrap = 0: no interval.
std::vector<MorrisIndex> morris_indices(const MorrisDesign& design, std::span<const double> outputs, int bootstrap,
                                        double confidence, std::uint64_t seed);

struct SaltelliDesign {
  int factors = 0;
  std::int64_t n = 0;          // base samples N
  std::vector<double> points;  // (factors + 2) N rows of `factors` values in (0, 1): A, then B, then A_B^1 .. A_B^k
  std::size_t rows() const { return static_cast<std::size_t>((factors + 2) * n); }
};
// A and B are the first and last k coordinates of points 0 .. N-1 of the
// 2k-dimensional Sobol sequence, digitally shifted by a stream keyed by `seed`.
SaltelliDesign saltelli_design(int factors, std::int64_t n, std::uint64_t seed);

struct SobolIndex {
  double s1 = 0.0, s1_low = 0.0, s1_high = 0.0;
  double st = 0.0, st_low = 0.0, st_high = 0.0;
};
// outputs[row] for each row of the design (estimators above).
std::vector<SobolIndex> sobol_indices(const SaltelliDesign& design, std::span<const double> outputs, int bootstrap,
                                      double confidence, std::uint64_t seed);

// ---- analysis of a scenario ---------------------------------------------------

// One factor varied by the analysis.
struct SensitivityFactor {
  std::string name;                     // parameter path (or the calibration name)
  std::vector<ParamAddress> addresses;  // every path it is written to
  std::optional<UncertainParam> distribution;  // `uncertain`: its quantile function; else uniform [low, high]
  double low = 0.0, high = 1.0;
  double value(double u) const;         // the factor's value at quantile rank u in (0, 1)
  std::string describe() const;         // "triangular(0.15, 0.25, 0.4)", "uniform[0, 1]"
};

enum class SensitivityMethod { morris, sobol };

// The ranges of a request's sizes; the command line's options state the same.
inline constexpr IntegerRange kSobolSamplesRange{2, std::uint64_t{1} << 24};  // base samples N
inline constexpr IntegerRange kMorrisTrajectoriesRange{2, 1'000'000};       // trajectories r
inline constexpr IntegerRange kMorrisLevelsRange{2, 1000};                   // levels p, even
inline constexpr IntegerRange kBootstrapRange{1000, 100'000};                // resamples B
inline constexpr IntegerRange kSensitivityMembersRange{0, 100'000};          // members per row (0: deterministic)

struct SensitivityRequest {
  SensitivityMethod method = SensitivityMethod::sobol;
  std::string output = "manufacturing_va_ytd_yoy";  // a series name
  std::string sector;               // for a per-sector series (required then)
  std::string month;                // YYYY-MM; "" : the last month of the run
  std::string parameters;           // "uncertain", "calibration" or "" (uncertain if any, else calibration)
  std::int64_t samples = 0;         // sobol: N (default 512); morris: trajectories r (default 20)
  int levels = 4;                   // morris p
  int bootstrap = 1000;             // resamples for the confidence intervals, in kBootstrapRange
  double confidence = 0.95;
  std::uint64_t seed = 1;           // Morris trajectories, Sobol points' shift, bootstrap resampling
  // Members per design row, in kSensitivityMembersRange. 0: one run with
  // shocks off (the model's deterministic response). M >= 1: M stochastic
  // members from the scenario's ensemble.seed, the same seed for every row
  // (common random numbers, so rows differ by their factors only); the row's
  // output is the members' mean. The factors are not drawn; the scenario's
  // other `uncertain:` entries are, as part of the noise.
  std::int64_t members = 0;
  int threads = 0;                  // 0: all cores, at most kThreadsRange.hi
  NoticeCallback notice;            // warnings (a Sobol N that is not a power of two)
};

struct SensitivityResult {
  SensitivityMethod method = SensitivityMethod::sobol;
  std::string output, sector, month, unit;
  std::vector<SensitivityFactor> factors;
  std::vector<double> unit_points;   // the design's rows (model-run inputs in [0, 1], factors per row)
  std::vector<double> outputs;       // the output of each row
  std::vector<MorrisIndex> morris;   // per factor (method morris)
  std::vector<SobolIndex> sobol;     // per factor (method sobol)
  std::int64_t samples = 0;          // N or r
  int levels = 0;
  double output_mean = 0.0, output_variance = 0.0;  // over the design's rows
  std::int64_t members = 0;                         // per row (SensitivityRequest::members)
  // With members >= 2: the mean over rows of the variance of a row's output
  // (the members' variance / members), the Monte Carlo noise left in each
  // row's output. Indices are only as sharp as output_variance is large
  // against it. 0 for a deterministic design.
  double noise_variance = 0.0;
  int threads = 1;
  double seconds = 0.0;
};

// Checks the request against the scenario before any work: the output,
// sector and month name a cell of the run, there are factors to vary, the
// design's sizes are in range; then runs the scenario as written once, and
// its output must be defined at that month. One diagnostic per problem,
// printed as "mfgsim: error: --output: ...". Throws RunError if the
// scenario does not compile into a run.
Diagnostics validate_sensitivity_request(const Scenario& scenario, const SensitivityRequest& request);

// Runs the analysis. The request must be valid
// (validate_sensitivity_request); one that is not throws
// std::invalid_argument, a programmer error. Throws RunError if a model run
// fails (naming the sample and its parameter values). `progress` (optional) is called
// from worker threads as model runs finish.
SensitivityResult run_sensitivity(const Scenario& scenario, const SensitivityRequest& request,
                                  const std::function<void()>& progress = {});

// Number of model runs a request needs.
std::int64_t sensitivity_runs(const Scenario& scenario, const SensitivityRequest& request);

// sensitivity.csv: one row per factor.
void write_sensitivity_csv(std::ostream& out, const SensitivityResult& result);
// samples.csv: each model run's factor values and output.
void write_sensitivity_samples(std::ostream& out, const SensitivityResult& result);
// A readable table, factors by importance (mu* or ST).
std::string sensitivity_table(const SensitivityResult& result);
// sensitivity.png and .svg (with .gp and .dat) in `dir` with gnuplot: a
// tornado of mu* (Morris) or bars of S1 and ST with their intervals (Sobol).
// Throws std::runtime_error if gnuplot is missing or fails.
std::vector<std::string> write_sensitivity_chart(const std::string& dir, const SensitivityResult& result,
                                                 const std::string& title);

// The result folder of `mfgsim sensitivity`: sensitivity.csv, samples.csv,
// the chart (unless `chart` is false) and manifest.json (the scenario, the
// method, the output, the factors and the design; sim/output/manifest.h),
// written into `dir`'s staging folder. The caller commits `dir`.
void write_sensitivity_folder(const OutputDir& dir, const Scenario& scenario, const SensitivityRequest& request,
                              const SensitivityResult& result, bool chart,
                              std::chrono::steady_clock::time_point start);

}  // namespace mfgsim
