// The engine against an independent reference implementation of MODEL.md
// (tests/reference_model.*), unit tests per equation against closed forms,
// invariance of results to block size, member index and thread count. The
// golden regression digests (formerly here) are case folders run through the
// CLI: tests/golden/ (baseline_deterministic, baseline_ensemble_small, ...).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "models/demand.h"
#include "tests/engine/reference_model.h"
#include "sim/ensemble/ensemble.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/series.h"
#include "sim/core/text.h"
#include "sim/engine/series_store.h"
#include "tests/support/baseline_sectors.h"


namespace mfgsim {
namespace {

constexpr double kRelTol = 1e-9;   // MODEL.md's contract for deterministic runs
constexpr double kAbsTol = 1e-12;  // near zero
constexpr double kDelta = 1.0 / 12.0;

const std::string kSourceDir = MFGSIM_SOURCE_DIR;
const std::string kScenarioDir = kSourceDir + "/scenarios";

// Largest relative deviation seen over all engine-vs-reference comparisons of
// this process (printed by each comparing test).
double g_max_rel = 0.0;
std::string g_max_where;

#define LOAD_OR_FAIL(var, expr)                                                              \
  ScenarioLoad var##_load = (expr);                                                          \
  ASSERT_TRUE(var##_load.scenario.has_value()) << var##_load.diagnostics.format();           \
  const Scenario& var = *var##_load.scenario

ScenarioLoad load_baseline() { return load_scenario(kScenarioDir + "/baseline.yaml"); }
ScenarioLoad load_inline(const std::string& yaml) {
  return load_scenario_text(yaml, "inline.yaml", kScenarioDir);
}
// The baseline, named `name`, with the top-level keys of `yaml` on top.
ScenarioLoad load_baseline_with(const std::string& name, const std::string& yaml) {
  return load_inline("name: " + name + "\nextends: baseline.yaml\n" + yaml);
}

EnsembleResult run(const Scenario& sc, std::int64_t members = 1, bool stochastic = false, int threads = 1,
                   int block_size = 32) {
  EnsembleRequest req;
  req.members = members;
  req.stochastic = stochastic;
  req.threads = threads;
  req.block_size = block_size;
  return run_ensemble(sc, req);
}

std::string month_label(const Scenario& sc, int t) {
  return format_year_month(sc.calendar.at(t)) + " (t=" + std::to_string(t) + ")";
}

std::string fmt(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

// True when engine value e matches reference value r: both NaN, or within
// kRelTol relative, or within kAbsTol absolute. *rel gets |e - r| / max(|e|, |r|).
bool matches(double e, double r, double* rel) {
  *rel = 0.0;
  if (std::isnan(e) || std::isnan(r)) return std::isnan(e) && std::isnan(r);
  const double diff = std::abs(e - r);
  const double scale = std::max(std::abs(e), std::abs(r));
  if (scale > 0.0) *rel = diff / scale;
  return diff <= kAbsTol || diff <= kRelTol * scale;
}

struct Comparison {
  std::int64_t cells = 0, mismatches = 0;
  std::string first_mismatch;
  double max_rel = 0.0;  // over every series
  std::string max_where;
  double max_rel_levels = 0.0;  // over the series that are not growth rates (*yoy)
  std::string max_where_levels;
  double max_abs_growth = 0.0;  // largest |engine - reference| of a growth rate (*yoy)
};

// Every series, sector and month of member `m` of the store against the reference.
Comparison compare(const Scenario& sc, const SeriesStore& store, const reference::Result& ref, std::int64_t m) {
  Comparison c;
  const int S = store.sectors(), T = store.months();
  auto check = [&](double e, double r, const std::string& where) {
    ++c.cells;
    double rel = 0.0;
    const bool ok = matches(e, r, &rel);
    if (rel > c.max_rel && std::max(std::abs(e), std::abs(r)) > 1e-300) {
      c.max_rel = rel;
      c.max_where = where;
    }
    if (where.find("yoy") == std::string::npos) {
      if (rel > c.max_rel_levels) {
        c.max_rel_levels = rel;
        c.max_where_levels = where;
      }
    } else if (!std::isnan(e) && !std::isnan(r)) {
      c.max_abs_growth = std::max(c.max_abs_growth, std::abs(e - r));
    }
    if (!ok) {
      if (c.mismatches == 0)
        c.first_mismatch = where + ": engine " + fmt(e) + ", reference " + fmt(r) + " (relative " + fmt(rel) + ")";
      ++c.mismatches;
    }
  };
  for (int s = 0; s < kSectorSeriesCount; ++s) {
    const auto series = static_cast<SectorSeries>(s);
    const std::string name(series_name(series));
    for (int i = 0; i < S; ++i) {
      const std::vector<double>* r = ref.sector_series(name, i);
      if (r == nullptr) {
        ADD_FAILURE() << "reference has no sector series " << name;
        return c;
      }
      for (int t = 0; t < T; ++t)
        check(store.cell(series, i, t)[m], (*r)[t],
              "series " + name + ", sector " + sc.params.sectors.names[i] + ", month " + month_label(sc, t) +
                  ", member " + std::to_string(m));
    }
  }
  for (int a = 0; a < kAggregateSeriesCount; ++a) {
    const auto series = static_cast<AggregateSeries>(a);
    const std::string name(series_name(series));
    const std::vector<double>* r = ref.aggregate_series(name);
    if (r == nullptr) {
      ADD_FAILURE() << "reference has no aggregate series " << name;
      return c;
    }
    for (int t = 0; t < T; ++t)
      check(store.cell(series, t)[m], (*r)[t],
            "aggregate " + name + ", month " + month_label(sc, t) + ", member " + std::to_string(m));
  }
  if (c.max_rel > g_max_rel) {
    g_max_rel = c.max_rel;
    g_max_where = c.max_where;
  }
  return c;
}

// Runs the reference and the engine (deterministic, `members` members) and
// compares every member with the reference.
void expect_matches_reference(const Scenario& sc, std::int64_t members = 1) {
  const reference::Result ref = reference::run(sc.params, sc.calendar);
  const EnsembleResult res = run(sc, members);
  ASSERT_EQ(res.store->months(), sc.calendar.months);
  ASSERT_EQ(res.store->sectors(), sc.params.sectors.size());
  for (std::int64_t m = 0; m < members; ++m) {
    const Comparison c = compare(sc, *res.store, ref, m);
    EXPECT_EQ(c.mismatches, 0) << "scenario " << sc.name << ": " << c.mismatches << " of " << c.cells
                               << " cells differ; first: " << c.first_mismatch;
    std::cout << "[ reference ] " << sc.name << " member " << m << ": " << c.cells
              << " cells, max relative deviation " << fmt(c.max_rel) << " at " << c.max_where
              << "; levels (not growth rates) " << fmt(c.max_rel_levels) << " at " << c.max_where_levels
              << "; growth rates max absolute " << fmt(c.max_abs_growth) << "\n";
  }
  std::cout << "[ reference ] max relative deviation so far in this process: " << fmt(g_max_rel) << " at "
            << g_max_where << "\n";
}

// First cell where member ma of store a and member mb of store b differ in
// their bits (empty when identical).
std::string first_bitwise_difference(const SeriesStore& a, std::int64_t ma, const SeriesStore& b, std::int64_t mb) {
  if (a.sectors() != b.sectors() || a.months() != b.months()) return "shapes differ";
  for (int s = 0; s < kSectorSeriesCount; ++s)
    for (int i = 0; i < a.sectors(); ++i)
      for (int t = 0; t < a.months(); ++t) {
        const auto series = static_cast<SectorSeries>(s);
        const double x = a.cell(series, i, t)[ma], y = b.cell(series, i, t)[mb];
        if (std::bit_cast<std::uint64_t>(x) != std::bit_cast<std::uint64_t>(y))
          return std::string(series_name(series)) + " sector " + std::to_string(i) + " t " + std::to_string(t) +
                 ": " + fmt(x) + " vs " + fmt(y);
      }
  for (int s = 0; s < kAggregateSeriesCount; ++s)
    for (int t = 0; t < a.months(); ++t) {
      const auto series = static_cast<AggregateSeries>(s);
      const double x = a.cell(series, t)[ma], y = b.cell(series, t)[mb];
      if (std::bit_cast<std::uint64_t>(x) != std::bit_cast<std::uint64_t>(y))
        return "aggregate " + std::string(series_name(series)) + " t " + std::to_string(t) + ": " + fmt(x) +
               " vs " + fmt(y);
    }
  return "";
}

// A standalone copy of the baseline without `uncertain:` and with every
// shock's standard deviation zero (so that a stochastic run is the
// deterministic run), plus `extra` appended at the top level.
std::string standalone_no_shocks_yaml(const std::string& name) {
  std::string y = "name: " + name +
                  "\n"
                  "calendar: {start: 2021-01, months: 72}\n"
                  "data: {sectors: ../data/sectors.csv, io: ../data/io_coefficients.csv}\n"
                  "lending: {new_loans_base: 40.0, long_term_growth: 0.03, short_term_growth: -0.03,\n"
                  "          maturity: 5.0, investment_pass: 0.5, green_tilt: 0.5}\n"
                  "intelligent_manufacturing:\n"
                  "  innovation_p: 0.01\n"
                  "  imitation_q: 0.25\n"
                  "  demonstration_effect: 1.0\n"
                  "  credit_elasticity: 0.5\n"
                  "  demonstrations:\n"
                  "    - {month: 2022-12, sector: equipment, national: 5, provincial: 56}\n"
                  "    - {month: 2023-07, sector: metallurgy, provincial: 7}\n"
                  "low_carbon:\n"
                  "  carbon_price: [{from: 2021-07, value: 48}, {from: 2024-01, value: 96}]\n"
                  "  retrofit_push: {from: 2021-01, to: 2025-12, start: 0.02, end: 0.08}\n"
                  "  recycling_target: 0.8\n"
                  "shocks: {common_rho: 0.6, common_sigma: 0.0}\n"
                  "ensemble: {members: 4, seed: 7, stochastic: true}\n";
  return y + test_support::overrides_for_every_sector("{shock_sigma: 0.0}");
}

// ---------------------------------------------------------------------------
// The reference's own building blocks.

TEST(ReferenceModel, ScheduleEvaluationAgreesWithScheduleAt) {
  LOAD_OR_FAIL(sc, load_scenario(kScenarioDir + "/low_carbon_push.yaml"));
  const Levers& L = sc.params.levers;
  for (const Schedule* s :
       {&L.long_term_growth, &L.innovation_p, &L.carbon_price, &L.retrofit_push, &L.recycling_target})
    for (int t = -30; t < sc.calendar.months + 30; ++t) {
      const double mine = reference::schedule_at(*s, t), theirs = s->at(t);
      EXPECT_NEAR(mine, theirs, 1e-14 * std::max(1.0, std::abs(mine))) << "t = " << t;
    }
  // A ramp by hand: flat at `start` up to `from`, linear, flat at `end` from `to`.
  Schedule ramp;
  ramp.kind = Schedule::Kind::ramp;
  ramp.from = 2;
  ramp.to = 6;
  ramp.start = 1.0;
  ramp.end = 3.0;
  EXPECT_EQ(reference::schedule_at(ramp, 0), 1.0);
  EXPECT_EQ(reference::schedule_at(ramp, 2), 1.0);
  EXPECT_EQ(reference::schedule_at(ramp, 4), 2.0);
  EXPECT_EQ(reference::schedule_at(ramp, 6), 3.0);
  EXPECT_EQ(reference::schedule_at(ramp, 60), 3.0);
  // Steps: before the first entry, the first value.
  Schedule steps;
  steps.kind = Schedule::Kind::steps;
  steps.steps = {{3, 5.0}, {7, 9.0}};
  EXPECT_EQ(reference::schedule_at(steps, -4), 5.0);
  EXPECT_EQ(reference::schedule_at(steps, 3), 5.0);
  EXPECT_EQ(reference::schedule_at(steps, 6), 5.0);
  EXPECT_EQ(reference::schedule_at(steps, 7), 9.0);
}

TEST(ReferenceModel, YtdYoyByHand) {
  // Two years of 1.0 then a year of 2.0 per month, January start.
  std::vector<double> y(36, 1.0);
  for (int t = 24; t < 36; ++t) y[t] = 2.0;
  y[12] = 1.5;  // January of year 2
  const auto g = reference::ytd_yoy(y, YearMonth{2021, 1});
  for (int t = 0; t < 12; ++t) EXPECT_TRUE(std::isnan(g[t])) << t;
  EXPECT_DOUBLE_EQ(g[12], 0.5);              // Jan: 1.5 / 1
  EXPECT_DOUBLE_EQ(g[13], 2.5 / 2.0 - 1.0);  // Jan-Feb
  EXPECT_DOUBLE_EQ(g[23], 12.5 / 12.0 - 1.0);
  EXPECT_DOUBLE_EQ(g[24], 2.0 / 1.5 - 1.0);
  EXPECT_DOUBLE_EQ(g[25], 4.0 / 2.5 - 1.0);
  // A July start: last year's January lies before the run until 2023-01 (t = 18).
  const auto h = reference::ytd_yoy(y, YearMonth{2021, 7});
  for (int t = 0; t < 18; ++t) EXPECT_TRUE(std::isnan(h[t])) << t;
  for (int t = 18; t < 36; ++t) EXPECT_FALSE(std::isnan(h[t])) << t;
  // 2023-01 is t = 18: y[18] / y[6].
  EXPECT_DOUBLE_EQ(h[18], y[18] / y[6] - 1.0);
}

// ---------------------------------------------------------------------------
// Engine against reference, every series, sector and month.

TEST(ReferenceVsEngine, Baseline) {
  LOAD_OR_FAIL(sc, load_baseline());
  expect_matches_reference(sc);
}

TEST(ReferenceVsEngine, ShippedScenarios) {
  for (const char* file : {"credit_expansion.yaml", "low_carbon_push.yaml", "smart_manufacturing_push.yaml"}) {
    SCOPED_TRACE(file);
    LOAD_OR_FAIL(sc, load_scenario(kScenarioDir + "/" + file));
    expect_matches_reference(sc);
  }
}

TEST(ReferenceVsEngine, GreenTiltRampsAndSteps) {
  LOAD_OR_FAIL(sc, load_baseline_with("ref_levers", R"(
lending:
  green_tilt: 3.0
  short_term_growth: 0.04
  maturity: 3.0
  long_term_growth:
    - {from: 2021-04, value: 0.02}
    - {from: 2022-07, value: 0.10}
    - {from: 2024-03, value: -0.05}
intelligent_manufacturing:
  innovation_p: {from: 2021-06, to: 2024-06, start: 0.005, end: 0.05}
low_carbon:
  retrofit_push:
    - {from: 2022-01, value: 0.03}
    - {from: 2023-05, value: 0.12}
  recycling_target: {from: 2022-01, to: 2026-12, start: 0.72, end: 0.9}
  peer_effect: 0.3
uncertain:
  lending.green_tilt: null
)"));
  // Dated schedules of an extending file keep the baseline's values before
  // their first month (the reference evaluates them by itself).
  ASSERT_TRUE(sc.params.levers.long_term_growth.inherited);
  ASSERT_TRUE(sc.params.levers.recycling_target.inherited);
  ASSERT_EQ(sc.params.global.green_tilt, 3.0);
  ASSERT_EQ(sc.params.levers.long_term_growth.kind, Schedule::Kind::steps);
  ASSERT_EQ(sc.params.levers.innovation_p.kind, Schedule::Kind::ramp);
  ASSERT_EQ(sc.params.levers.retrofit_push.kind, Schedule::Kind::steps);
  ASSERT_EQ(sc.params.levers.recycling_target.kind, Schedule::Kind::ramp);
  expect_matches_reference(sc);
}

TEST(ReferenceVsEngine, Demonstrations) {
  // Entries before the start, in the first month, repeated for one sector,
  // for a sector that does not borrow (coal_mining: credit factor 1), and
  // after the end of the run.
  LOAD_OR_FAIL(sc, load_baseline_with("ref_demos", R"(
calendar: {start: 2021-01, months: 60}
intelligent_manufacturing:
  demonstration_effect: 5.0
  national_weight: 8.0
  provincial_weight: 1.5
  credit_elasticity: 1.2
  demonstrations:
    - {month: 2019-06, sector: metallurgy, national: 2, provincial: 10}
    - {month: 2021-01, sector: equipment, national: 1}
    - {month: 2021-03, sector: equipment, provincial: 40}
    - {month: 2022-11, sector: coal_mining, national: 3, provincial: 20}
    - {month: 2024-02, sector: equipment, national: 2, provincial: 5}
    - {month: 2030-01, sector: chemicals, provincial: 9}
)"));
  ASSERT_EQ(sc.params.demonstrations.size(), 6u);
  expect_matches_reference(sc);
}

TEST(ReferenceVsEngine, CarbonPriceFromMonthZero) {
  LOAD_OR_FAIL(sc, load_baseline_with("ref_carbon0", R"(
low_carbon:
  carbon_price: {from: 2021-01, to: 2030-12, start: 150, end: 400}
  carbon_response: 3.0
)"));
  ASSERT_GT(sc.params.levers.carbon_price.at(0), 0.0);
  expect_matches_reference(sc);
  // P0 != 1 and the price starts from it: month 0's price reflects τ(0) with e after one step.
  const reference::Result ref = reference::run(sc.params, sc.calendar);
  EXPECT_GT(ref.sector[0].price[0], 1.0);
}

// The demand-shock lever (models/MODEL.md, "Demand shocks"): a 2020-style
// slump and recovery in steps, and a month-0 shock.
TEST(ReferenceVsEngine, DemandShockSteps) {
  LOAD_OR_FAIL(sc, load_baseline_with("ref_demand_shock", R"(
shocks:
  final_demand:
    - {from: 2021-01, value: -0.3}
    - {from: 2021-03, value: -0.05}
    - {from: 2021-07, value: 0.04}
    - {from: 2022-01, value: 0}
)"));
  ASSERT_EQ(sc.params.levers.demand_shock.at(0), -0.3);
  expect_matches_reference(sc);
  // The slump lowers value added in its months and is gone by 2022.
  const reference::Result with = reference::run(sc.params, sc.calendar);
  LOAD_OR_FAIL(plain, load_baseline_with("ref_no_demand_shock", ""));
  const reference::Result without = reference::run(plain.params, plain.calendar);
  EXPECT_LT(with.aggregate.industry_va[1], 0.95 * without.aggregate.industry_va[1]);
}

TEST(ReferenceVsEngine, CapacityBinding) {
  LOAD_OR_FAIL(sc, load_baseline_with("ref_capacity", R"(
calendar: {start: 2021-01, months: 60}
sector_overrides:
  transport_nev: {demand_trend: 0.6, u0: 0.97, tfp_trend: 0.0}
  equipment: {demand_trend: 0.35, u0: 0.99, tfp_trend: 0.0}
  coal_mining: {u0: 0.97}
)"));
  expect_matches_reference(sc);
  const EnsembleResult res = run(sc);
  const reference::Result ref = reference::run(sc.params, sc.calendar);
  int bound_engine = 0, bound_ref = 0, slack = 0;
  for (int i = 0; i < sc.params.sectors.size(); ++i)
    for (int t = 0; t < sc.calendar.months; ++t) {
      const double u = res.store->cell(SectorSeries::utilisation, i, t)[0];
      const double pr = res.store->cell(SectorSeries::demand_pressure, i, t)[0];
      if (u == 1.0 && pr > 1.0) ++bound_engine;
      if (u < 1.0) ++slack;
      if (ref.sector[i].utilisation[t] == 1.0 && ref.sector[i].demand_pressure[t] > 1.0) ++bound_ref;
    }
  EXPECT_GT(bound_engine, 0) << "the capacity constraint never binds in the engine";
  EXPECT_GT(bound_ref, 0) << "the capacity constraint never binds in the reference";
  EXPECT_GT(slack, 0);
  std::cout << "[ reference ] capacity binds in " << bound_engine << " sector-months (reference " << bound_ref
            << ")\n";
}

TEST(ReferenceVsEngine, NonJanuaryStart) {
  for (const auto& [start, first_defined] : std::vector<std::pair<std::string, int>>{{"2021-07", 18}, {"2021-12", 13}}) {
    SCOPED_TRACE(start);
    LOAD_OR_FAIL(sc, load_inline("name: ref_start\nextends: baseline.yaml\ncalendar: {start: " + start +
                                 ", months: 40}\n"));
    expect_matches_reference(sc);
    const EnsembleResult res = run(sc);
    // ytd-yoy needs last year's January inside the run: from January two
    // years after a non-January start; the loans' point yoy from t = 12.
    for (int t = 0; t < sc.calendar.months; ++t) {
      const double g = res.store->cell(AggregateSeries::manufacturing_va_ytd_yoy, t)[0];
      const double gi = res.store->cell(AggregateSeries::industry_va_ytd_yoy, t)[0];
      const double gs = res.store->cell(SectorSeries::va_ytd_yoy, 4, t)[0];
      const double l = res.store->cell(AggregateSeries::long_term_loans_yoy, t)[0];
      EXPECT_EQ(std::isnan(g), t < first_defined) << month_label(sc, t);
      EXPECT_EQ(std::isnan(gi), t < first_defined) << month_label(sc, t);
      EXPECT_EQ(std::isnan(gs), t < first_defined) << month_label(sc, t);
      EXPECT_EQ(std::isnan(l), t < 12) << month_label(sc, t);
    }
    EXPECT_EQ(sc.calendar.at(first_defined).month, 1);
  }
}

TEST(ReferenceVsEngine, DeterministicEquivalentSettings) {
  // (a) What `mfgsim run --deterministic` requests: one member, shocks off,
  // on a scenario that asks for a stochastic ensemble.
  {
    LOAD_OR_FAIL(sc, load_baseline());
    ASSERT_TRUE(sc.ensemble.stochastic);
    EnsembleRequest req;
    req.members = 1;
    req.stochastic = false;
    req.threads = 1;
    const EnsembleResult res = run_ensemble(sc, req);
    const Comparison c = compare(sc, *res.store, reference::run(sc.params, sc.calendar), 0);
    EXPECT_EQ(c.mismatches, 0) << c.first_mismatch;
  }
  // (b) A scenario that itself says `stochastic: false`, run as the CLI runs it
  // (members and stochastic from the scenario): every member is the reference.
  {
    LOAD_OR_FAIL(sc, load_inline("name: ref_det\nextends: baseline.yaml\nensemble: {members: 3, stochastic: false}\n"));
    ASSERT_FALSE(sc.ensemble.stochastic);
    expect_matches_reference(sc, sc.ensemble.members);
  }
  // (c) A stochastic run whose shocks all have zero standard deviation and
  // that draws no parameters is the deterministic run.
  {
    LOAD_OR_FAIL(sc, load_inline(standalone_no_shocks_yaml("ref_zero_sigma")));
    ASSERT_TRUE(sc.uncertain.empty());
    const reference::Result ref = reference::run(sc.params, sc.calendar);
    const EnsembleResult res = run(sc, 4, /*stochastic=*/true, 2, 3);
    for (std::int64_t m = 0; m < 4; ++m) {
      const Comparison c = compare(sc, *res.store, ref, m);
      EXPECT_EQ(c.mismatches, 0) << "member " << m << ": " << c.first_mismatch;
    }
  }
}

TEST(ReferenceVsEngine, BlockSizeAndMemberInvariance) {
  LOAD_OR_FAIL(sc, load_baseline());
  const EnsembleResult one = run(sc, 1);
  for (int block : {1, 7, 32}) {
    for (int threads : {1, 2}) {
      SCOPED_TRACE("block " + std::to_string(block) + ", threads " + std::to_string(threads));
      const EnsembleResult res = run(sc, 5, /*stochastic=*/false, threads, block);
      for (std::int64_t m = 0; m < 5; ++m)
        EXPECT_EQ(first_bitwise_difference(*one.store, 0, *res.store, m), "") << "member " << m;
    }
  }
}

// The same for stochastic members (shocks, `uncertain` draws, the persistent
// trend): a member's bits do not depend on the block it runs in, whether its
// lanes fall in the vectorised body of a loop or in its remainder (blocks of
// 1, 3, 6 and 8 members), since its draws are keyed by its index.
TEST(ReferenceVsEngine, StochasticBlockSizeInvariance) {
  LOAD_OR_FAIL(sc, load_baseline_with("stochastic_blocks", "trend_shocks: {}\n"));
  const EnsembleResult whole = run(sc, 8, /*stochastic=*/true, 1, 8);
  for (int block : {1, 3, 6}) {
    SCOPED_TRACE("block " + std::to_string(block));
    const EnsembleResult res = run(sc, 8, /*stochastic=*/true, 1, block);
    for (std::int64_t m = 0; m < 8; ++m)
      EXPECT_EQ(first_bitwise_difference(*whole.store, m, *res.store, m), "") << "member " << m;
  }
}

// ---------------------------------------------------------------------------
// Unit tests per equation, on the engine's output.

// Bass without demonstrations or credit (κ = 0, χ = 0): the engine's
// adoption of every sector and month against `next(a_t, t)`, worked by hand.
template <class Next>
void expect_bass_path(const std::string& name, int months, double p, double q, Next next) {
  SCOPED_TRACE(name);
  LOAD_OR_FAIL(sc, load_inline("name: " + name + "\nextends: baseline.yaml\ncalendar: {start: 2021-01, months: " +
                               std::to_string(months) + "}\nintelligent_manufacturing: {innovation_p: " +
                               format_number(p) + ", imitation_q: " + format_number(q) +
                               ", demonstration_effect: 0.0, credit_elasticity: 0.0}\n"
                               "uncertain: {intelligent_manufacturing.imitation_q: null}\n"));
  const EnsembleResult res = run(sc);
  for (int i = 0; i < sc.params.sectors.size(); ++i) {
    double a = sc.params.sectors.a0[i];
    for (int t = 0; t < sc.calendar.months; ++t) {
      a = next(a, t, sc.params.sectors.a0[i]);
      const double got = res.store->cell(SectorSeries::adoption, i, t)[0];
      EXPECT_NEAR(got, a, 1e-12 * a) << sc.params.sectors.names[i] << " t " << t;
    }
  }
}

// q = 0: a constant hazard p, so a_t = 1 - (1 - a0) exp(-Δ p (t + 1)) after
// month t's step (closed form).
TEST(Equations, AdoptionInnovationOnly) {
  expect_bass_path("bass_p", 60, 0.2, 0.0,
                   [](double, int t, double a0) { return 1.0 - (1.0 - a0) * std::exp(-kDelta * 0.2 * (t + 1)); });
}

// p = 0: a_{t+1} = 1 - (1 - a_t) exp(-Δ q a_t), iterated.
TEST(Equations, AdoptionImitationOnly) {
  expect_bass_path("bass_q", 120, 0.0, 0.9,
                   [](double a, int, double) { return 1.0 - (1.0 - a) * std::exp(-kDelta * 0.9 * a); });
}

// (I - A) X = f with the engine's Leontief solver.
TEST(Equations, LeontiefSolveShippedA) {
  LOAD_OR_FAIL(sc, load_baseline());
  const Eigen::MatrixXd& A = sc.params.A;
  const int S = static_cast<int>(A.rows());
  ASSERT_EQ(S, sc.params.sectors.size());
  const demand::LeontiefSolver solver(A);
  const Eigen::MatrixXd M = Eigen::MatrixXd::Identity(S, S) - A;
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> U(0.0, 1000.0);
  std::vector<Eigen::VectorXd> fs;
  fs.push_back(Eigen::Map<const Eigen::VectorXd>(reference::run(sc.params, sc.calendar, 1).fbar.data(), S));
  for (int k = 0; k < 20; ++k) {
    Eigen::VectorXd f(S);
    for (int i = 0; i < S; ++i) f[i] = U(rng);
    fs.push_back(f);
  }
  for (const Eigen::VectorXd& f : fs) {
    const Eigen::VectorXd X = solver.solve(f);
    const double residual = (M * X - f).cwiseAbs().maxCoeff();
    EXPECT_LE(residual, 1e-12 * f.cwiseAbs().maxCoeff());
    const Eigen::VectorXd Xlu = M.partialPivLu().solve(f);
    EXPECT_LE((X - Xlu).cwiseAbs().maxCoeff(), 1e-12 * Xlu.cwiseAbs().maxCoeff());
  }
}

TEST(Equations, LeontiefSolveRandomDiagonallyDominant) {
  std::mt19937_64 rng(987654321);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  for (int n : {1, 2, 3, 5, 10, 17, 40, 64}) {
    for (int rep = 0; rep < 5; ++rep) {
      // Non-negative A with column sums in [0.05, 0.95]: I - A is strictly
      // diagonally dominant by columns.
      Eigen::MatrixXd A(n, n);
      for (int j = 0; j < n; ++j) {
        double sum = 0.0;
        for (int i = 0; i < n; ++i) sum += (A(i, j) = U(rng));
        const double target = 0.05 + 0.9 * U(rng);
        A.col(j) *= target / sum;
      }
      const demand::LeontiefSolver solver(A);
      ASSERT_EQ(solver.size(), n);
      const Eigen::MatrixXd M = Eigen::MatrixXd::Identity(n, n) - A;
      Eigen::VectorXd f(n);
      for (int i = 0; i < n; ++i) f[i] = 100.0 * U(rng);
      const Eigen::VectorXd X = solver.solve(f);
      EXPECT_LE((M * X - f).cwiseAbs().maxCoeff(), 1e-12 * f.cwiseAbs().maxCoeff()) << "n " << n;
      // Block solve agrees with the vector solve for every member of a block.
      const int nb = 3;
      std::vector<double> fb(n * nb), xb(n * nb);
      for (int i = 0; i < n; ++i)
        for (int m = 0; m < nb; ++m) fb[i * nb + m] = f[i] * (m + 1);
      solver.solve_block(fb.data(), xb.data(), nb);
      for (int i = 0; i < n; ++i)
        for (int m = 0; m < nb; ++m)
          EXPECT_NEAR(xb[i * nb + m], X[i] * (m + 1), 1e-12 * std::abs(X[i]) * (m + 1) + 1e-300);
    }
  }
}

// K_{t} = (1 - Δ δ) K_{t-1} + Icore_t + G_t, K_{-1} = K0.
TEST(Equations, CapitalAccumulation) {
  LOAD_OR_FAIL(sc, load_baseline());
  const EnsembleResult res = run(sc);
  const SectorTable& s = sc.params.sectors;
  double max_rel = 0.0;
  for (int i = 0; i < s.size(); ++i) {
    double K = s.K0[i];
    for (int t = 0; t < sc.calendar.months; ++t) {
      const double I = res.store->cell(SectorSeries::investment, i, t)[0];
      const double G = res.store->cell(SectorSeries::retrofit_spending, i, t)[0];
      const double Kt = res.store->cell(SectorSeries::capital, i, t)[0];
      const double expected = (1.0 - kDelta * s.delta[i]) * K + I + G;
      EXPECT_NEAR(Kt, expected, 1e-12 * std::abs(expected)) << s.names[i] << " t " << t;
      max_rel = std::max(max_rel, std::abs(Kt - expected) / std::abs(expected));
      EXPECT_GE(G, 0.0);
      K = Kt;
    }
  }
  std::cout << "[ reference ] capital accumulation max relative residual " << fmt(max_rel) << "\n";
}

// V = min(v Xd, Vcap): u <= 1; u = pressure when demand is below capacity,
// u = 1 and V = Vcap when it is above; X = V / v.
void check_output_identity(const Scenario& sc) {
  const EnsembleResult res = run(sc);
  const SeriesStore& st = *res.store;
  const SectorTable& s = sc.params.sectors;
  int binding = 0;
  for (int i = 0; i < s.size(); ++i)
    for (int t = 0; t < sc.calendar.months; ++t) {
      const double V = st.cell(SectorSeries::va, i, t)[0];
      const double X = st.cell(SectorSeries::gross_output, i, t)[0];
      const double cap = st.cell(SectorSeries::capacity, i, t)[0];
      const double u = st.cell(SectorSeries::utilisation, i, t)[0];
      const double pr = st.cell(SectorSeries::demand_pressure, i, t)[0];
      const std::string where = s.names[i] + " " + month_label(sc, t);
      EXPECT_LE(u, 1.0) << where;
      EXPECT_LE(V, cap) << where;
      EXPECT_NEAR(X, V / s.v[i], 1e-12 * X) << where;
      EXPECT_NEAR(V, std::min(pr * cap, cap), 1e-12 * V) << where;
      if (pr >= 1.0) {
        ++binding;
        EXPECT_EQ(u, 1.0) << where;
        EXPECT_EQ(V, cap) << where;
      } else {
        EXPECT_NEAR(u, pr, 1e-12 * pr) << where;
      }
    }
  std::cout << "[ reference ] " << sc.name << ": capacity binds in " << binding << " sector-months\n";
}

TEST(Equations, OutputIsMinOfDemandAndCapacity) {
  {
    LOAD_OR_FAIL(sc, load_baseline());
    check_output_identity(sc);
  }
  {
    LOAD_OR_FAIL(sc, load_baseline_with("ref_capacity", R"(
sector_overrides:
  transport_nev: {demand_trend: 0.6, u0: 0.97, tfp_trend: 0.0}
  equipment: {demand_trend: 0.35, u0: 0.99, tfp_trend: 0.0}
)"));
    check_output_identity(sc);
  }
}

// Aggregates are sums (or weighted means) of the sector series.
TEST(Equations, AccountingIdentities) {
  LOAD_OR_FAIL(sc, load_baseline());
  const EnsembleResult res = run(sc);
  const SeriesStore& st = *res.store;
  const SectorTable& s = sc.params.sectors;
  auto near = [](double got, double want, const std::string& what) {
    EXPECT_NEAR(got, want, 1e-12 * std::abs(want)) << what;
  };
  for (int t = 0; t < sc.calendar.months; ++t) {
    double ind = 0, mfg = 0, co2 = 0, energy = 0, va_a = 0, lm = 0, ls = 0, n = 0;
    for (int i = 0; i < s.size(); ++i) {
      const double V = st.cell(SectorSeries::va, i, t)[0];
      if (s.industry[i] != 0.0) ind += V;
      if (s.manufacturing[i] != 0.0) {
        mfg += V;
        va_a += V * st.cell(SectorSeries::adoption, i, t)[0];
        lm += st.cell(SectorSeries::long_term_loans, i, t)[0];
        ls += st.cell(SectorSeries::short_term_loans, i, t)[0];
      }
      co2 += st.cell(SectorSeries::co2, i, t)[0];
      energy += st.cell(SectorSeries::energy, i, t)[0];
      n += st.cell(SectorSeries::new_loans, i, t)[0];
      // CO2 = EF E, E = e V 1e4.
      near(st.cell(SectorSeries::energy, i, t)[0], st.cell(SectorSeries::energy_intensity, i, t)[0] * V * 1e4,
           "energy " + s.names[i]);
      near(st.cell(SectorSeries::co2, i, t)[0], s.EF[i] * st.cell(SectorSeries::energy, i, t)[0],
           "co2 " + s.names[i]);
    }
    const std::string where = month_label(sc, t);
    near(st.cell(AggregateSeries::industry_va, t)[0], ind, "industry_va " + where);
    near(st.cell(AggregateSeries::manufacturing_va, t)[0], mfg, "manufacturing_va " + where);
    near(st.cell(AggregateSeries::co2, t)[0], co2, "co2 " + where);
    near(st.cell(AggregateSeries::energy, t)[0], energy, "energy " + where);
    near(st.cell(AggregateSeries::adoption, t)[0], va_a / mfg, "adoption " + where);
    near(st.cell(AggregateSeries::long_term_loans, t)[0], lm, "long_term_loans " + where);
    near(st.cell(AggregateSeries::long_term_share, t)[0], lm / (lm + ls), "long_term_share " + where);
    near(st.cell(AggregateSeries::new_loans, t)[0], n, "new_loans " + where);  // Σ_i w_i = 1
  }
}

TEST(Invariance, ThreadCountStochastic) {
  LOAD_OR_FAIL(sc, load_baseline());
  const EnsembleResult r1 = run(sc, 37, /*stochastic=*/true, 1);
  for (int threads : {2, 3}) {
    for (int block : {32, 7}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", block " + std::to_string(block));
      const EnsembleResult rn = run(sc, 37, /*stochastic=*/true, threads, block);
      for (std::int64_t m = 0; m < 37; ++m) {
        const std::string d = first_bitwise_difference(*r1.store, m, *rn.store, m);
        ASSERT_EQ(d, "") << "member " << m;
      }
    }
  }
  // Members differ from each other (the shocks are on).
  EXPECT_NE(first_bitwise_difference(*r1.store, 0, *r1.store, 1), "");
}

// lower_block rewrites only the fields the draws move (make_workspace fills
// every column with the spec's parameters once): every array of every
// column equals a whole lowering of that member's drawn parameters, bit for
// bit, for draws of a global, a sector field (which moves the month-0
// references), a ramp's end, the loan growth lever and the carbon price
// (which moves the month-0 price), over two blocks, the second short.
TEST(Engine, LowerBlockEqualsAWholeLoweringOfEachMember) {
  LOAD_OR_FAIL(sc, load_baseline_with("draws",
                                      "lending: {long_term_growth: 0.03}\n"
                                      "low_carbon: {carbon_price: 100}\n"
                                      "uncertain:\n"
                                      "  lending.long_term_growth: {dist: uniform, low: 0.0, high: 0.1}\n"
                                      "  low_carbon.carbon_price: {dist: uniform, low: 50, high: 150}\n"
                                      "  low_carbon.retrofit_push.end: {dist: uniform, low: 0.1, high: 0.4}\n"
                                      "  sector_overrides.metallurgy.V0: {dist: uniform, low: 80, high: 120}\n"));
  EngineOptions options;
  options.stochastic = true;
  options.block_size = 8;
  const CompileResult compiled = compile(run_spec(sc), options);
  ASSERT_TRUE(compiled.run) << compiled.issues.front().message;
  const CompiledRun& engine = *compiled.run;
  Workspace ws = engine.make_workspace();
  BlockParams whole;
  whole.allocate(engine.sectors(), 1, engine.months());
  for (const auto& [first, count] : {std::pair<std::int64_t, int>{16, 8}, {40, 5}}) {
    ASSERT_FALSE(engine.lower_block(first, count, ws));
    const BlockParams& p = ws.params;
    for (int m = 0; m < p.members; ++m) {
      ASSERT_FALSE(engine.lower_member(first + (m < count ? m : 0), whole, 0));  // padding repeats the first
      int arrays = 0;
      for (BlockParams::Array a : BlockParams::sector_arrays())
        for (int i = 0; i < p.sectors; ++i, ++arrays)
          ASSERT_EQ((p.*a)[i * p.members + m], (whole.*a)[i]) << "member " << first + m << " sector array " << arrays;
      for (BlockParams::Array a : BlockParams::member_arrays())
        ASSERT_EQ((p.*a)[m], (whole.*a)[0]) << "member " << first + m;
      for (BlockParams::Array a : BlockParams::lever_arrays())
        for (int t = 0; t < p.months; ++t)
          ASSERT_EQ((p.*a)[t * p.members + m], (whole.*a)[t]) << "member " << first + m << " month " << t;
    }
  }
  // The draws did move what they draw: members differ.
  EXPECT_NE(ws.params.price_ref[0], ws.params.price_ref[1]);
  EXPECT_NE(ws.params.loan_growth_factor[0], ws.params.loan_growth_factor[1]);
}

}  // namespace
}  // namespace mfgsim
