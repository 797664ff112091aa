// Rolling-origin backtests of `mfgsim forecast` (`mfgsim backtest SCENARIO
// --origins LIST`): at each origin the particle filter
// (sim/ensemble/particle_filter.h) is run with only the figures available
// then (the vintage rule, available_at), and every figure whose period ends
// after the origin and at most `horizon` months after it is scored:
//   CRPS (exact over the members, crps_ensemble), the median's miss, and
//   whether the central 50% [p25, p75] and 90% [p05, p95] bands hold it.
// What is scored is the forecast of the published figure, not of the model's
// value: each member's value plus one draw of the measurement error the
// filter's likelihood states (measurement_error: rounding, revisions and
// model error; Student-t for sector figures when sector_dof > 0), from the
// stream keyed by (seed, member, origin, the figure's identity).
// The filter says a figure is its member's value plus such an error; a band
// of the value alone would be too narrow by that error (Hamill 2001 on
// verifying ensembles against observations with error).
// Two naive point forecasters are scored on the same figures, with the same
// vintage (a figure published after the origin is never used):
//   last     : the latest figure (by period) of the same series, sector and
//              measure available at the origin, carried forward;
//   year-ago : the figure of the same series, sector and measure for the
//              period 12 months earlier, when available at the origin.
// A point forecast's CRPS is its absolute error. Skill against a naive
// forecaster = 1 - CRPS_model / CRPS_naive, both averaged over the figures
// that forecaster has a value for; the others are left out of that
// comparison and counted (Gneiting and Raftery 2007 for CRPS and skill).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/calendar.h"
#include "sim/ensemble/particle_filter.h"
#include "sim/scenario/observations.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {

// Origins: comma-separated YYYY-MM ("2022-03,2022-06"), or one range
// FROM:TO:STEP (months; "2022-03:2023-03:3" = 2022-03, 2022-06, ..., 2023-03;
// TO reached only when STEP divides the distance), STEP 1..120. Origins must
// be strictly increasing. nullopt with `*error` saying what was expected.
std::optional<std::vector<YearMonth>> parse_origins(std::string_view text, std::string* error);

// CRPS of a point forecast: |forecast - observed| (the CRPS of a one-point distribution).
double crps_point(double forecast, double observed);
// 1 - crps_model / crps_naive (mean CRPS of each over the same figures); NaN when crps_naive is 0.
double skill_score(double crps_model, double crps_naive);

// The naive forecasts of `target` from `known` (the figures available at the
// origin, available_at): nullopt when the forecaster has no value. Same
// series means the same `variable` (series and measure) and `sector`. last:
// the known figure with the latest period before the target's (ties: the
// later in `known`); year-ago: the known figure of the period 12 months
// before the target's.
std::optional<double> naive_last(const std::vector<Observation>& known, const Observation& target);
std::optional<double> naive_year_ago(const std::vector<Observation>& known, const Observation& target);

// The group of a figure: "all industry" (industry_va*), "manufacturing" (manufacturing_va*) or "other".
std::string figure_group(const Observation& o);

// How many of `figures` a backtest from `origin` scores: periods ending 1 to
// `horizon` months after it and inside the calendar (before any is checked
// for a value in the run).
std::size_t figures_to_score(const Calendar& calendar, const std::vector<Observation>& figures, YearMonth origin,
                             int horizon);

// Why `origin` cannot be backtested, or empty: outside the scenario's
// calendar (it must leave a month to project) or no figure of `figures`
// usable by the filter by then.
std::string origin_problem(const Scenario& scenario, const std::vector<Observation>& figures, YearMonth origin);

// A stable 64-bit key of a figure's identity (series, sector, period;
// scenario_stream_key of "variable/sector/period"): its measurement errors'
// stream does not depend on where the figure sits in the input files.
std::uint64_t figure_stream_key(const Observation& o);

// The forecasts of a published figure from the members' values `values`
// (figure_members: members 0 .. members - 1 but `excluded`, ascending; one
// value each): each plus measurement_error(filter, figure, u), u
// from the stream keyed by (seed, member, filter.origin, `figure_key`:
// figure_stream_key). Ratios, in member order. Throws std::invalid_argument
// unless values.size() + excluded.size() == members.
std::vector<double> figure_forecasts(std::vector<double> values, const std::vector<std::int64_t>& excluded,
                                     std::int64_t members, const ParticleFilterOptions& filter, std::uint64_t seed,
                                     const Observation& figure, std::uint64_t figure_key);

struct RollingOptions {
  std::vector<YearMonth> origins;
  int horizon = 12;               // months after the origin scored, >= 1
  ParticleFilterOptions filter;   // `origin` is set for each origin
};

struct RollingRow {
  std::string origin;                 // YYYY-MM
  Observation observation;
  int horizon = 0;                    // months from the origin to the figure's period, 1 .. horizon
  std::array<double, 5> quantiles{};  // p05, p25, p50, p75, p95 of the members' forecasts of the figure (type 7), ratios
  double crps = 0.0;                  // ratio, of the same forecasts
  std::optional<double> last, year_ago;  // naive forecasts, ratios
  int members = 0;
};

struct RollingScores {
  std::string group;  // "all industry", "manufacturing", "other" or "overall"
  int figures = 0;
  double mae = 0.0, rmse = 0.0, crps = 0.0;   // ratios (the median's misses; mean CRPS)
  double coverage50 = 0.0, coverage90 = 0.0;  // shares of figures inside the bands
  // Where the figures fall among the five quantiles, counts: below p05,
  // [p05, p25), [p25, p50), [p50, p75], (p75, p95], above p95 (a figure on
  // a band's edge is inside it, as the coverages count it). A calibrated
  // forecaster puts 5, 20, 25, 25, 20 and 5% of figures there: a
  // discretised PIT histogram (Gneiting, Balabdaoui and Raftery 2007), which
  // tells bands too wide (empty outer bins) from bands off-centre (one side
  // full) where the coverages alone do not.
  std::array<int, 6> band_counts{};
  struct Versus {
    int figures = 0;       // figures the naive forecaster has a value for
    int left_out = 0;      // figures it has none for
    double crps_model = 0.0, crps_naive = 0.0;  // means over `figures`
    double skill = 0.0;    // skill_score; NaN when figures = 0
  } last, year_ago;
};

struct RollingOrigin {
  std::string origin;
  int figures_known = 0;  // figures the filter used
  int figures_scored = 0;
  double last_ess = 0.0;  // ESS at the last month with figures
  std::int64_t lineages = 0;  // FilterMonth::lineages at that month: distinct paths behind the forecast
  // Resample-move (ParticleFilterOptions::move_steps): members moved by
  // any step and the share of proposals accepted over all steps; -1 and
  // NaN without moves.
  std::int64_t moved = -1;
  double move_acceptance = std::numeric_limits<double>::quiet_NaN();
};

struct RollingSkip {
  std::string origin;
  Observation observation;
  std::string reason;  // "after the run", "undefined in the run", "not a series the model holds"
};

struct RollingReport {
  std::vector<RollingRow> rows;          // origin by origin, figures in the input's order
  std::vector<RollingScores> scores;     // all industry, manufacturing, other, overall (groups with no figure left out)
  std::vector<RollingOrigin> origins;
  std::vector<RollingSkip> skipped;
};

// Scores of `rows` (by group, then overall).
std::vector<RollingScores> rolling_scores(const std::vector<RollingRow>& rows);

// Runs the filter at each origin and scores the figures after it. `figures`:
// model series only (modelled_only). Every origin must pass origin_problem
// (RunError otherwise). `progress` (optional) is called before each origin.
// Deterministic for any thread count (the filter is). Throws RunError and
// Interrupted as run_particle_filter.
RollingReport rolling_backtest(const Scenario& scenario, const std::vector<Observation>& figures,
                               const RollingOptions& options,
                               const std::function<void(const std::string&)>& progress = {});

// backtest_figures.csv: origin,figure,sector,period,horizon_months,observed,
// median,p05,p25,p75,p95,crps,naive_last,naive_year_ago (ratios; empty naive:
// no value).
std::string rolling_figures_csv(const RollingReport& report);
// backtest_scores.csv: group,figures,mae_points,rmse_points,crps_points,
// coverage50,coverage90, then per naive forecaster: figures, left out, the
// model's and its CRPS over them (points) and the skill, then band_counts
// (below_p05,p05_p25,p25_p50,p50_p75,p75_p95,above_p95).
std::string rolling_scores_csv(const RollingReport& report);
// The printed table.
std::string rolling_table(const RollingReport& report);
// crps_by_origin.dat for the plot: origin index, origin, mean CRPS (points)
// of the model, last and year-ago over the figures each scores.
std::string rolling_plot_data(const RollingReport& report);
// The gnuplot script drawing crps_by_origin.dat to <stem>.png/.svg.
std::string rolling_plot_script(const std::string& stem);

}  // namespace mfgsim
