// A bootstrap particle filter (sequential importance resampling; Gordon,
// Salmond and Smith 1993) that conditions a stochastic ensemble on published
// figures up to a forecast origin, then projects it to the end of the
// scenario's calendar (`mfgsim forecast`).
//
// Every member (particle) runs month by month from the scenario's start. At
// each month t <= origin with usable figures, member m's weight is multiplied
// by the likelihood of every figure that month,
//   y ~ Normal(x_m, sd²),  sd² = rounding² + revision²,
// x_m the member's value of the figure's summary.csv variable (figures of one
// month independent), rounding = 0.1 point / sqrt(12) (figures are rounded to
// 0.1 point: the uniform rounding error's sd) and `revision_sd` the stated
// sd of revisions and model error; sector figures optionally Student-t
// (ParticleFilterOptions::sector_dof), and a year-to-date figure's variance
// widened by its short window (ParticleFilterOptions::ytd_month_sd). The effective sample size
// ESS = 1 / sum w² (normalised weights) is computed after each such month;
// when ESS < threshold x N, and always at the last month with figures (so
// that the projection's members weigh the same), the members are resampled systematically
// (Kitagawa 1996) with ONE uniform from the counter-based stream keyed by
// (seed, purpose `resample`, month): identical for any thread count.
// A resampled member's whole state (block state, parameters, guard status)
// is copied to its new slot, and its recorded history follows it: the last
// 24 months of the series the figures read at once, every other value once
// at the end through the composed ancestor indices of the resamplings it
// missed (ancestor tracing of the particles' genealogy, as in path storage:
// Jacob, Murray and Rubenthaler 2015), which costs one pass over the history
// instead of one per resampling. Guard against
// degeneracy: duplicates diverge through fresh shocks keyed by their new
// member index (the bootstrap filter), and the trend states (drift d_i and
// level μ_i of models/trend.h) are moved by the Liu and West (2001)
// shrinkage kernel: x <- a x + (1 - a) xbar + sqrt(1 - a²) s ζ, with xbar
// and s² the weighted mean and variance before resampling,
// a = (3δ - 1) / (2δ) and ζ standard normal from the stream keyed by
// (seed, member, month, purpose `jitter`), which keeps the mean and the
// variance of the cloud.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/progress.h"
#include "sim/engine/series_store.h"
#include "sim/ensemble/ensemble.h"
#include "sim/scenario/observations.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {

// 0.1 point / sqrt(12), as a ratio: the sd of a figure's rounding error.
inline constexpr double kRoundingSd = 0.001 / 3.4641016151377544;

struct ParticleFilterOptions {
  // Called after each month of the run (done/total in "months"; the last
  // call has `finished`), from the calling thread; empty: none.
  ProgressCallback on_progress;
  std::int64_t members = 500;     // particles, 1 .. 10,000,000
  int threads = 0;                // 0: all cores; results do not depend on it
  int block_size = 32;            // members per block; results do not depend on it
  int origin = 0;                 // month index of the forecast origin, 0 .. months - 1
  double revision_sd = 0.03;      // ratio (0.03 = 3 points): sd of revisions and model error, > 0
  double resample_threshold = 0.5;  // resample when ESS < threshold x members, in (0, 1]
  double jitter_discount = 0.99;  // Liu-West δ in (0, 1]; 1: no jitter
  // Sector figures (those with a sector) by a heavier-tailed error: Student-t
  // with `sector_dof` degrees of freedom (0: Normal, as the aggregates) and
  // scale sqrt(rounding² + s²), s = `sector_sd` (0: revision_sd). Sector
  // figures are revised more and the model holds industries less well than
  // the aggregates; with heavy tails one figure far from every member no
  // longer decides the weights alone (robust t errors: Lange, Little and
  // Taylor 1989). sector_sd in [0, 1] (ratio), sector_dof 0 or in [1, 1000].
  double sector_sd = 0.0;
  double sector_dof = 0.0;
  // The short window's error of a year-to-date figure: the model misses
  // month-to-month swings (the New Year's timing, weather, maintenance)
  // that average out over the year, so a ytd growth over k months
  // (k = the period's month, 2 for the January-February figure) adds
  // ytd_month_sd² / k to its error variance: the sd of the mean of k
  // independent monthly errors of sd `ytd_month_sd`. A Q1 figure is then
  // held up to twice as loosely as a full-year one (twice when the window
  // term dominates). Ratio in [0, 1]; 0: off.
  double ytd_month_sd = 0.0;
  // Resample-move (Gilks and Berzuini 2001) after the last resampling, the
  // guard against path degeneracy that the Liu-West jitter is not: each
  // member's last `move_lag` months (to the last month with figures) are
  // proposed afresh from the model, from the member's own state at the
  // anchor month (last month with figures - move_lag; the start when that
  // is before it), and accepted with probability
  //   min(1, prod_u p(y_u | proposed) / prod_u p(y_u | current)),
  // u the months after the anchor: a Metropolis-Hastings step whose
  // proposal is the model's own transition, so it leaves the posterior of
  // the paths invariant (exactly when jitter_discount = 1; the jitter
  // moves the current path off the model's, and the move then also draws
  // it back). Members keep their `uncertain` draws and their history up to
  // the anchor; an accepted member takes the proposal's state and its
  // recorded months after the anchor. `move_steps` steps, each from the
  // anchor with fresh shocks: the stream of member N (1 + k) + j for slot j
  // at step k (N = members), its acceptance uniform from purpose `resample`
  // with member j and index 1 + k (the resampling's own index is 0).
  // move_steps 0 .. 100 (0: off); move_lag 1 .. 600 months. Costs
  // move_steps x move_lag member-months and a second store of every series.
  int move_steps = 0;
  int move_lag = 12;
  // The revision sd the sector figures use: sector_sd, or revision_sd when 0.
  double sector_revision_sd() const { return sector_sd > 0.0 ? sector_sd : revision_sd; }
  bool IsValid(std::string* error) const;
};

// A figure the filter used, or skipped and why.
struct FilterFigure {
  Observation observation;
  int month = -1;       // month index in the run
  std::string skipped;  // empty: used; else why not (before the run, undefined in the run)
  // A figure no run of the scenario can hold (a sector it lacks, a series the
  // filter cannot compare): an error at `invalid_at`, its sector or series field.
  bool invalid = false;
  SourceLocation invalid_at;
};

// One month with usable figures.
struct FilterMonth {
  int month = 0;                         // month index
  int figures = 0;                       // figures used
  double ess = 0.0;                      // 1 / sum w² after the month's update, in [1, members]
  bool resampled = false;
  double log_likelihood_increment = 0.0;  // log sum_m W_m(t-1) p(y_t | member m): the evidence of the month
  // Lineages: how many of the month-0 members have a descendant among the
  // members after this month (members until the first resampling; never
  // grows). Path degeneracy (Jacob, Murray and Rubenthaler 2015): every
  // state the jitter does not move (capital, prices, `uncertain` draws, the
  // shocks' history) has at most this many distinct histories, so the
  // forecast's Monte Carlo error is that of about this many paths, however
  // high the ESS. In [1, members].
  std::int64_t lineages = 0;
};

// One resample-move step (ParticleFilterOptions::move_steps).
struct MoveStep {
  int anchor = -1;              // month index the proposals start after (-1: the start)
  int last_month = 0;           // the last month with figures, where the moves are made
  std::int64_t proposed = 0;    // members proposed (not failed)
  std::int64_t accepted = 0;    // of them accepted
  // Members whose months after the anchor are a proposal's, by this step
  // or an earlier one: duplicates of one ancestor at the last resampling
  // that no longer share those months. In [0, members].
  std::int64_t moved = 0;
};

struct ParticleFilterResult {
  // Every member's series over the whole run, each member's history that of
  // its ancestors (derived series computed). Failed members: `failures`.
  std::unique_ptr<SeriesStore> store;
  std::vector<FilterMonth> months;
  std::vector<MoveStep> moves;           // one per move step, in order
  std::vector<FilterFigure> figures;     // in the input's order
  std::vector<MemberFailure> failures;   // members stopped by a guard after the last resampling
  std::vector<std::int64_t> excluded() const;  // their indices, ascending
  int threads = 1;
};

// Each figure with its month index and whether the filter uses it: skipped
// when before the run, after `origin` (a month index), undefined in the run
// (a year-to-date growth whose sums reach before the first month), or not a
// series it can compare (an unknown sector).
std::vector<FilterFigure> filter_figures(const Scenario& scenario, const std::vector<Observation>& observed,
                                         int origin);

// Runs the filter (scenario stochastic: shocks, `uncertain` draws, and the
// trend when the scenario has `trend_shocks:`). Memory: every series of
// every member, SeriesStore::bytes_needed (about 100 MiB for the baseline's
// 500 members over 120 months), at most 16 GiB. Throws RunError (no member
// left: every member failed a guard or has zero likelihood; firm mode; too
// much memory) and Interrupted (checked between months).
ParticleFilterResult run_particle_filter(const Scenario& scenario, const std::vector<Observation>& figures,
                                         const ParticleFilterOptions& options);

// The members' values of figure `o` (its period at month index t of the
// store's calendar), in member order, members in `excluded` (ascending)
// left out: what the filter compares the figure with. Empty when the figure
// is not a series the filter can compare, is outside the run or undefined at t.
std::vector<double> figure_members(const SeriesStore& store, const std::vector<std::string>& sectors,
                                   const Observation& o, const std::vector<std::int64_t>& excluded);

// The scale of figure `o`'s measurement error as the filter's likelihood
// states it, a ratio: sqrt(rounding² + r² + w), r = revision_sd for an
// aggregate, sector_revision_sd() for a sector figure (one with a sector),
// w = ytd_month_sd² / k for a year-to-date figure of period month k
// (variable ..._ytd_yoy), else 0. Throws std::invalid_argument for a
// year-to-date figure whose month is not YYYY-MM.
double figure_error_scale(const ParticleFilterOptions& options, const Observation& o);
// The u-quantile (u in (0, 1)) of figure `o`'s measurement error, a ratio:
// Normal(0, figure_error_scale²) for an aggregate; for a sector figure
// Student-t with sector_dof degrees of freedom (Normal when 0) and that
// scale. A forecast of the published figure is a member's value plus such
// an error (the posterior predictive of the observation). Throws
// std::invalid_argument for u outside (0, 1).
double measurement_error(const ParticleFilterOptions& options, const Observation& o, double u);
// Effective sample size 1 / sum w² of normalised weights (Kong, Liu and Wong 1994).
double effective_sample_size(const std::vector<double>& weights);
// Systematic resampling (Kitagawa 1996): ancestor of slot j is the k with
// C_{k-1} <= (j + u) / N < C_k, C the cumulative normalised weights;
// u in [0, 1). Each k is chosen floor(N w_k) or ceil(N w_k) times.
std::vector<std::int64_t> systematic_resample(const std::vector<double>& weights, double u);
// log Normal(y; x, sd²).
double gaussian_log_likelihood(double observed, double model, double sd);
// log of Student's t density with `dof` > 0 degrees of freedom, location x
// and scale `scale` > 0, at y.
double student_t_log_likelihood(double observed, double model, double scale, double dof);

}  // namespace mfgsim
