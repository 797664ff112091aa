// sim/ensemble/ensemble.h: the standard error of each mean (the Monte Carlo
// error) equals s / sqrt(n) computed by hand from the members' values, on the
// exact path and on the sketch path, for any thread count; the lever series
// recorded on the sketch path are each member's drawn lever.
#include "sim/ensemble/ensemble.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace mfgsim {
namespace {

Scenario short_baseline() {
  ScenarioLoad load = load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
  EXPECT_TRUE(load.scenario) << load.diagnostics.format();
  Scenario scenario = *load.scenario;
  scenario.calendar.months = 30;
  return scenario;
}

// s / sqrt(n) of a cell's members, in long double, by the textbook formula.
double hand_standard_error(const double* values, std::int64_t n) {
  long double sum = 0;
  for (std::int64_t m = 0; m < n; ++m) sum += values[m];
  const long double mean = sum / n;
  long double squares = 0;
  for (std::int64_t m = 0; m < n; ++m) squares += (values[m] - mean) * (values[m] - mean);
  return static_cast<double>(std::sqrt(squares / (n - 1) / n));
}

// 250 stochastic members of `outputs`, one thread: every member kept
// (exact summaries), then the request for sketches (means and squared
// deviations pooled per block), returned for more runs.
struct KeptAndSketched {
  EnsembleResult kept;
  EnsembleRequest request;
};
KeptAndSketched kept_then_sketched(const Scenario& scenario, std::vector<std::string> outputs) {
  KeptAndSketched out;
  EnsembleRequest& request = out.request;
  request.members = 250;  // 7 full blocks of 32 and one of 26
  request.stochastic = true;
  request.summarise = true;
  request.outputs.names = std::move(outputs);
  request.threads = 1;
  request.keep_members = true;
  out.kept = run_ensemble(scenario, request);
  request.keep_members = false;
  request.exact_summary_bytes = 1;
  return out;
}

TEST(EnsembleMeanError, IsSOverRootNOfTheMembersOnBothPathsForAnyThreads) {
  const Scenario scenario = short_baseline();
  auto [kept, request] = kept_then_sketched(scenario, {"manufacturing_va_ytd_yoy", "co2"});
  const EnsembleResult sketch1 = run_ensemble(scenario, request);
  request.threads = 3;
  const EnsembleResult sketch3 = run_ensemble(scenario, request);
  ASSERT_FALSE(sketch1.summary->exact);
  const int T = scenario.calendar.months;
  int checked = 0;
  for (const AggregateSeries series : {AggregateSeries::manufacturing_va_ytd_yoy, AggregateSeries::co2})
    for (int t = 0; t < T; ++t) {
      const std::size_t k = static_cast<std::size_t>(series) * T + t;
      const CellSummary& exact = kept.summary->aggregate[k];
      if (!exact.defined) continue;
      const double hand = hand_standard_error(kept.store->cell(series, t), request.members);
      ASSERT_GT(hand, 0.0);
      EXPECT_NEAR(exact.mean_se, hand, 1e-12 * hand) << series_name(series) << " " << t;
      EXPECT_NEAR(sketch1.summary->aggregate[k].mean_se, hand, 1e-10 * hand) << series_name(series) << " " << t;
      EXPECT_EQ(sketch1.summary->aggregate[k].mean_se, sketch3.summary->aggregate[k].mean_se);
      ++checked;
    }
  EXPECT_EQ(checked, 30 + 18);  // co2 every month, growth from the 13th
}

// A drawn carbon price (a constant lever, drawn uniform on [50, 150]): on the
// sketch path the cells are recorded straight from the block state
// (sim/engine/cell_recorder.h), and the carbon_price series there is each
// member's draw (draws.csv's value), with mean and s / sqrt(n) of the draws.
TEST(EnsembleMeanError, DrawnLeverSeriesOnTheSketchPathAreTheMembersDraws) {
  ScenarioLoad load = load_scenario_text(
      "name: drawn_carbon\nextends: baseline.yaml\nlow_carbon: {carbon_price: 100}\n"
      "uncertain:\n  low_carbon.carbon_price: {dist: uniform, low: 50, high: 150}\n",
      "inline.yaml", MFGSIM_SOURCE_DIR "/scenarios");
  ASSERT_TRUE(load.scenario) << load.diagnostics.format();
  Scenario scenario = *load.scenario;
  scenario.calendar.months = 30;
  const int S = scenario.params.sectors.size(), T = scenario.calendar.months;
  const int lever = static_cast<int>(AggregateSeries::carbon_price);
  EnsembleRequest request;
  request.members = 250;
  request.stochastic = true;
  request.summarise = true;
  request.outputs.names = {"carbon_price"};
  request.keep_members = false;
  request.exact_summary_bytes = 1;
  request.keep_cells = {aggregate_cell_id(lever, 0, S, T), aggregate_cell_id(lever, T - 1, S, T)};
  request.threads = 1;
  const EnsembleResult one = run_ensemble(scenario, request);
  request.threads = 3;
  const EnsembleResult three = run_ensemble(scenario, request);
  ASSERT_FALSE(one.summary->exact);
  const MemberDraws draws = member_draws(scenario, request.members, true);
  // The baseline's own uncertain entries come first or after: find the price's.
  const auto path = std::find(draws.paths.begin(), draws.paths.end(), "low_carbon.carbon_price");
  ASSERT_NE(path, draws.paths.end());
  const std::size_t column = static_cast<std::size_t>(path - draws.paths.begin()), width = draws.paths.size();
  std::vector<double> price(static_cast<std::size_t>(request.members));
  for (std::int64_t m = 0; m < request.members; ++m) price[m] = draws.values[m * width + column];
  for (std::size_t k = 0; k < 2; ++k)
    for (std::int64_t m = 0; m < request.members; ++m) {
      ASSERT_EQ(one.kept[k * request.members + m], price[m]) << "cell " << k << " member " << m;
      ASSERT_EQ(three.kept[k * request.members + m], price[m]) << "cell " << k << " member " << m;
    }
  const auto [low, high] = std::minmax_element(price.begin(), price.end());
  EXPECT_GE(*low, 50.0);
  EXPECT_LE(*high, 150.0);
  EXPECT_GT(*high - *low, 50.0);  // drawn, not one value
  long double sum = 0;
  for (double v : price) sum += v;
  const double hand = hand_standard_error(price.data(), request.members);
  for (int t : {0, T - 1}) {
    const CellSummary& cell = one.summary->aggregate[static_cast<std::size_t>(lever) * T + t];
    ASSERT_TRUE(cell.defined);
    EXPECT_NEAR(cell.mean, static_cast<double>(sum / 250), 1e-12 * 100);
    EXPECT_NEAR(cell.mean_se, hand, 1e-10 * hand);
    const CellSummary& other = three.summary->aggregate[static_cast<std::size_t>(lever) * T + t];
    EXPECT_EQ(cell.mean, other.mean);
    EXPECT_EQ(cell.mean_se, other.mean_se);
  }
}

// Sketch quantiles lie within the members' range (min and max kept exactly
// beside the sketch): every quantile of every cell is inside [min, max] of
// the kept members, and a cell whose members all agree gets their value
// exactly, as the exact path gives it (the recycling ratio here: no drawn
// parameter or shock moves it). Without the clamp a bin's representative
// can differ from every member by up to the sketch's bound.
TEST(EnsembleSketch, QuantilesStayWithinTheMembersRange) {
  const Scenario scenario = short_baseline();
  const auto [kept, request] = kept_then_sketched(scenario, {"recycling_ratio", "co2"});
  const EnsembleResult sketch = run_ensemble(scenario, request);
  ASSERT_FALSE(sketch.summary->exact);
  ASSERT_TRUE(kept.failures.empty());  // the store's cells are then every member's values
  const int T = scenario.calendar.months;
  int equal_cells = 0;
  for (const AggregateSeries series : {AggregateSeries::recycling_ratio, AggregateSeries::co2})
    for (int t = 0; t < T; ++t) {
      const std::size_t k = static_cast<std::size_t>(series) * T + t;
      const CellSummary& cell = sketch.summary->aggregate[k];
      ASSERT_TRUE(cell.defined);
      const double* values = kept.store->cell(series, t);
      const auto [lo, hi] = std::minmax_element(values, values + request.members);
      for (std::size_t q = 0; q < cell.quantiles.size(); ++q) {
        EXPECT_GE(cell.quantiles[q], *lo) << series_name(series) << " " << t;
        EXPECT_LE(cell.quantiles[q], *hi) << series_name(series) << " " << t;
      }
      if (*lo == *hi) {
        ++equal_cells;
        for (std::size_t q = 0; q < cell.quantiles.size(); ++q) EXPECT_EQ(cell.quantiles[q], *lo);
        EXPECT_EQ(cell.quantiles, kept.summary->aggregate[k].quantiles);
      }
    }
  EXPECT_GT(equal_cells, 0);
}

// The sketch path stages 32-bit keys: an accuracy finer than they hold is
// refused with a message, not run at a coarser one.
TEST(EnsembleSketchAccuracy, FinerThanTheKeysHoldIsAnError) {
  EnsembleRequest request;
  request.members = 40;
  request.stochastic = true;
  request.summarise = true;
  request.keep_members = false;
  request.outputs.names = {"co2"};
  request.exact_summary_bytes = 1;
  for (double accuracy : {1e-7, 1.0 / (std::ldexp(1.0, 20) + 1.0)}) {  // 20 bits, and the bound itself
    request.sketch_accuracy = accuracy;
    try {
      run_ensemble(short_baseline(), request);
      FAIL() << "expected std::invalid_argument at " << accuracy;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("must be above 9.54e-7"), std::string::npos) << e.what();
    }
  }
  request.sketch_accuracy = 1e-6;  // 19 bits: accepted
  const EnsembleResult result = run_ensemble(short_baseline(), request);
  EXPECT_TRUE(result.summary->aggregate[static_cast<std::size_t>(AggregateSeries::co2) * 30].defined);
}

// Members that fail a guard (tests/golden/failing_members: a negative price
// for large draws of metallurgy's recycling saving) on the sketch path: a
// block's rows are counted straight into the sketches once their bins exist
// (QuantileSketch::covered), before the block's failures are known, and the
// failed members' values are taken back when the block is run again. 20,000
// members, so that the stage (8,192 members at most) is flushed and later
// blocks are counted directly. The survivors' summaries: the means as the
// exact path's within 1e-12, the quantiles within the sketch's bound, and
// the same bits for block sizes 32, 96 and 128 (the means summed in
// 32-member chunks) and for 1 and 2 threads. run_ensemble itself checks
// that every sketch holds one value per survivor.
TEST(EnsembleSketch, FailedMembersAreLeftOutForAnyBlockSize) {
  ScenarioLoad load = load_scenario(MFGSIM_SOURCE_DIR "/tests/golden/failing_members/scenario.yaml");
  ASSERT_TRUE(load.scenario) << load.diagnostics.format();
  Scenario scenario = *load.scenario;
  scenario.calendar.months = 24;
  EnsembleRequest request;
  request.members = 20000;
  request.stochastic = true;
  request.summarise = true;
  request.keep_members = false;
  request.outputs.names = {"va", "manufacturing_va_ytd_yoy"};
  request.threads = 1;
  const EnsembleResult exact = run_ensemble(scenario, request);
  ASSERT_TRUE(exact.summary->exact);
  ASSERT_GT(exact.failures.size(), 100u);
  ASSERT_LT(exact.failures.size(), 19000u);
  ASSERT_GT(exact.failures.back().member, 8192);  // failures after the first flush
  request.exact_summary_bytes = 1;
  std::vector<EnsembleResult> sketched;
  for (const auto& [block, threads] : {std::pair{32, 1}, {96, 1}, {128, 1}, {128, 2}}) {
    request.block_size = block;
    request.threads = threads;
    sketched.push_back(run_ensemble(scenario, request));
    ASSERT_FALSE(sketched.back().summary->exact);
    ASSERT_EQ(sketched.back().failures.size(), exact.failures.size());
  }
  // Sector cells (va: ten sectors, every month) and aggregate ones (growth from the 13th month).
  int checked = 0;
  for (const bool sector : {true, false}) {
    const auto table = [sector](const EnsembleResult& r) -> const std::vector<CellSummary>& {
      return sector ? r.summary->sector : r.summary->aggregate;
    };
    const std::vector<CellSummary>& e = table(exact);
    for (std::size_t k = 0; k < e.size(); ++k) {
      const CellSummary& s = table(sketched[0])[k];
      ASSERT_EQ(s.defined, e[k].defined) << k;
      if (!e[k].defined) continue;
      EXPECT_NEAR(s.mean, e[k].mean, 1e-12 * std::fabs(e[k].mean)) << k;
      double scale = 0.0;
      for (double x : e[k].quantiles) scale = std::max(scale, std::fabs(x));
      for (std::size_t q = 0; q < s.quantiles.size(); ++q)
        EXPECT_NEAR(s.quantiles[q], e[k].quantiles[q], 1e-3 * scale + 1e-12) << k << " " << q;
      for (std::size_t other = 1; other < sketched.size(); ++other) {
        const CellSummary& o = table(sketched[other])[k];
        EXPECT_EQ(o.mean, s.mean) << k << " run " << other;
        EXPECT_EQ(o.mean_se, s.mean_se) << k << " run " << other;
        EXPECT_EQ(o.quantiles, s.quantiles) << k << " run " << other;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 10 * 24 + 12);
}

// A deterministic run has one member: no standard error.
TEST(EnsembleMeanError, IsUndefinedWithOneMember) {
  EnsembleRequest request;
  request.members = 1;
  request.summarise = true;
  request.outputs.names = {"co2"};
  const EnsembleResult result = run_ensemble(short_baseline(), request);
  const CellSummary& cell = result.summary->aggregate[static_cast<std::size_t>(AggregateSeries::co2) * 30];
  ASSERT_TRUE(cell.defined);
  EXPECT_TRUE(std::isnan(cell.mean_se));
}

}  // namespace
}  // namespace mfgsim
