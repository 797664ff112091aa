// sim/ensemble/ensemble.h: the standard error of each mean (the Monte Carlo
// error) equals s / sqrt(n) computed by hand from the members' values, on the
// exact path and on the sketch path, for any thread count.
#include "sim/ensemble/ensemble.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

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

TEST(EnsembleMeanError, IsSOverRootNOfTheMembersOnBothPathsForAnyThreads) {
  const Scenario scenario = short_baseline();
  EnsembleRequest request;
  request.members = 250;  // 7 full blocks of 32 and one of 26
  request.stochastic = true;
  request.summarise = true;
  request.outputs.names = {"manufacturing_va_ytd_yoy", "co2"};
  request.threads = 1;
  request.keep_members = true;
  const EnsembleResult kept = run_ensemble(scenario, request);
  request.keep_members = false;
  request.exact_summary_bytes = 1;  // sketches: means and squared deviations pooled per block
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
