// The persistent trend (models/trend.h) in the shipped baseline's ensemble:
// with zero variances it changes no number (its own stream purpose); with its
// defaults it widens the spread of year-apart changes of manufacturing ytd
// growth, and the H1 2023 slowdown (+13.3% in Q1, +8.3% in H1) stays inside
// the ensemble.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "sim/ensemble/ensemble.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {
namespace {

constexpr int kMonths = 30;           // 2021-01 .. 2023-06
constexpr int kMarch = 26, kJune = 29;  // 2023-03, 2023-06
constexpr int kMembers = 400;

Scenario baseline() {
  ScenarioLoad load = load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
  EXPECT_TRUE(load.scenario) << load.diagnostics.format();
  Scenario scenario = *load.scenario;
  scenario.calendar.months = kMonths;
  return scenario;
}

EnsembleResult run(const Scenario& scenario) {
  EnsembleRequest request;
  request.members = kMembers;
  request.stochastic = true;
  request.threads = 2;
  return run_ensemble(scenario, request);
}

// Each member's change of manufacturing ytd growth from month `from` to `to`, in points.
std::vector<double> changes(const EnsembleResult& result, int from, int to) {
  const double* before = result.store->cell(AggregateSeries::manufacturing_va_ytd_yoy, from);
  const double* after = result.store->cell(AggregateSeries::manufacturing_va_ytd_yoy, to);
  std::vector<double> out(kMembers);
  for (int m = 0; m < kMembers; ++m) out[m] = 100.0 * (after[m] - before[m]);
  return out;
}

double standard_deviation(const std::vector<double>& x) {
  double mean = 0.0;
  for (double v : x) mean += v / x.size();
  double squares = 0.0;
  for (double v : x) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / (x.size() - 1));
}

TEST(TrendEnsemble, ZeroVariancesChangeNoNumber) {
  const Scenario off = baseline();
  Scenario zero = off;
  zero.params.trend_shocks = true;
  zero.params.global.trend_drift_sigma = 0.0;
  zero.params.global.trend_level_sigma = 0.0;
  const EnsembleResult a = run(off), b = run(zero);
  ASSERT_EQ(a.store->size(), b.store->size());
  EXPECT_EQ(std::memcmp(a.store->data(), b.store->data(), a.store->size() * sizeof(double)), 0);
}

// A deterministic run has no trend (μ = 0): the block changes no number.
TEST(TrendEnsemble, DeterministicRunIsUnchanged) {
  const Scenario off = baseline();
  Scenario on = off;
  on.params.trend_shocks = true;
  EnsembleRequest request;
  request.members = 1;
  const EnsembleResult a = run_ensemble(off, request), b = run_ensemble(on, request);
  EXPECT_EQ(std::memcmp(a.store->data(), b.store->data(), a.store->size() * sizeof(double)), 0);
}

// Year-apart changes (H1 2022 -> H1 2023) are what a persistent trend
// widens. Measured (400 members, the baseline's seed, common random
// numbers): sd 7.16 points without the trend, 8.79 with its defaults
// (history, data/observed.csv and data/industry_figures.csv outside
// 2020-2021: RMS 5.4 points over five pairs; the model's other shocks
// are already wider). The quarter change 2023-03 -> 2023-06 is not widened:
// sd 2.57 without, 2.41 with (capacity caps the members the trend pushes
// up), so it is not asserted; the H1 2023 slowdown (-5.0 points) stays
// inside the ensemble (13 of 400 members fall as far, 12 without).
TEST(TrendEnsemble, WidensYearApartChangesAndKeepsTheH12023SlowdownInside) {
  const Scenario off = baseline();
  Scenario on = off;
  on.params.trend_shocks = true;  // the defaults of models/fields.h
  const EnsembleResult without = run(off), with = run(on);
  const double sd_without = standard_deviation(changes(without, kJune - 12, kJune));
  const double sd_with = standard_deviation(changes(with, kJune - 12, kJune));
  RecordProperty("sd_without", std::to_string(sd_without));
  RecordProperty("sd_with", std::to_string(sd_with));
  EXPECT_GT(sd_with, sd_without + 1.0) << sd_with << " vs " << sd_without;
  const std::vector<double> quarter = changes(with, kMarch, kJune);
  const auto as_far = std::count_if(quarter.begin(), quarter.end(), [](double v) { return v <= -5.0; });
  RecordProperty("as_far", std::to_string(as_far));
  EXPECT_GE(as_far, kMembers / 100);
}

}  // namespace
}  // namespace mfgsim
