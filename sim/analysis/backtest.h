// Backtests: how well a run's forecasts match published figures
// (data/observed.csv). For each observed figure inside the run: the
// ensemble's median and 5-95% band (summary.csv), the miss, and over all
// figures of a scenario:
//   MAE  = mean |median - observed|                     (percentage points)
//   RMSE = sqrt(mean (median - observed)^2)             (percentage points)
//   coverage = share of figures with p05 <= observed <= p95
//   CRPS = mean over figures of E|X - y| - 1/2 E|X - X'| (percentage points),
//          X, X' independent draws from the members (exact over the members
//          of members.csv, i.e. `mfgsim run --keep-members`); a
//          one-member (deterministic) run gives CRPS = MAE.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "sim/core/diagnostics.h"
#include "sim/scenario/observations.h"
#include "sim/output/summary_file.h"

namespace mfgsim {

// Members' values of some cells: (scenario, variable, sector, month) -> values.
using CellKey = std::tuple<std::string, std::string, std::string, std::string>;
using MemberValues = std::map<CellKey, std::vector<double>>;

// Reads the values of the cells in `wanted` from a members.csv written by
// `mfgsim run --keep-members` (other cells are skipped while reading, so the
// file may be large). Empty values (undefined months) are left out.
std::optional<MemberValues> read_member_values(const std::string& path, const std::vector<CellKey>& wanted,
                                               Diagnostics& diagnostics);

// CRPS of the empirical distribution of `members` at y, exact:
// (1/n) sum |x_i - y| - (1/(2 n^2)) sum_i sum_j |x_i - x_j|.
double crps_ensemble(std::vector<double> members, double y);

struct BacktestRow {
  std::string scenario;
  Observation observation;
  double median = 0.0, p05 = 0.0, p95 = 0.0;  // ratios, as in summary.csv
  double miss_points = 0.0;                   // 100 (median - observed)
  bool covered = false;                       // p05 <= observed <= p95
  std::optional<double> crps_points;          // with members
  int members = 0;                            // members behind crps_points
};

struct BacktestScores {
  std::string scenario;
  int figures = 0;
  double mae_points = 0.0, rmse_points = 0.0, coverage = 0.0;
  std::optional<double> crps_points;  // only when every figure has members
};

struct BacktestSkip {
  std::string scenario;
  Observation observation;
  std::string reason;  // "outside the run (...)", "undefined in the run", "not in the results"
};

struct BacktestReport {
  std::vector<BacktestRow> rows;
  std::vector<BacktestScores> scores;  // one per scenario of the results, in their order
  std::vector<BacktestSkip> skipped;   // observed figures not scored, with the reason
  bool have_members = false;           // members were given
};

// Scores `observed` against the summaries (and members when given) of every
// scenario in `summary`.
BacktestReport backtest(const std::vector<SummaryRecord>& summary, const std::vector<Observation>& observed,
                        const MemberValues* members);

// The cells (scenario, variable, sector, month) whose members backtest uses.
std::vector<CellKey> backtest_cells(const std::vector<SummaryRecord>& summary, const std::vector<Observation>& observed);

// backtest.csv: one row per scored figure.
std::string backtest_csv(const BacktestReport& report);
// backtest_scores.csv: one row per scenario.
std::string backtest_scores_csv(const BacktestReport& report);
// The printed tables.
std::string backtest_table(const BacktestReport& report);

}  // namespace mfgsim
