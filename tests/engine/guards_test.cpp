// Numerical guards (sim/engine/guards.h): valid scenarios that drive a member's
// state out of the model's domain are stopped at the right month with a
// message naming what drove them, left out of every summary, and the result
// does not depend on threads or block size. The guard itself on a
// hand-made block, and runs that do not fail are untouched (the golden
// cases in tests/golden/ are unchanged by the guards).
//
// The scenarios are valid (mfgsim validate accepts them):
//  - a recycling saving of 8 (range [0, 10]) with a recycling target of 1:
//    the price cut μ (r - r0) exceeds 1 and metallurgy's price turns
//    negative, which (P/P0)^-ε cannot take;
//  - coal mining with depreciation 12 a year (range [0, 12]), no internal
//    investment (iota 0), no loans (its loan_weight is 0) and no retrofit
//    spending: its capital is gone after month 0, and with it its capacity.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <stdexcept>
#include <vector>

#include "tests/engine/reference_model.h"
#include "sim/ensemble/ensemble.h"
#include "sim/engine/guards.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/series_store.h"
#include "sim/core/statistics.h"

namespace mfgsim {
namespace {

const std::string kScenarioDir = std::string(MFGSIM_SOURCE_DIR) + "/scenarios";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

#define LOAD_OR_FAIL(var, yaml)                                                                 \
  ScenarioLoad var##_load = load_scenario_text((yaml), "guards.yaml", kScenarioDir);            \
  ASSERT_TRUE(var##_load.scenario.has_value()) << var##_load.diagnostics.format();              \
  const Scenario& var = *var##_load.scenario

const char* kNegativePrice =
    "name: negative_price\nextends: baseline.yaml\nlow_carbon: {recycling_target: 1.0}\n"
    "sector_overrides:\n  metallurgy: {recycling_saving: 8}\n";
const char* kNoCapital =
    "name: no_capital\nextends: baseline.yaml\nlow_carbon: {retrofit_capex: 0}\n"
    "sector_overrides:\n  coal_mining: {delta: 12, iota: 0}\n";
// Half the members draw a saving large enough to push the price below 0.
const char* kUncertainSaving =
    "name: uncertain_saving\nextends: baseline.yaml\nlow_carbon: {recycling_target: 1.0}\n"
    "uncertain:\n  sector_overrides.metallurgy.recycling_saving: {dist: uniform, low: 0, high: 8}\n";

EnsembleResult run(const Scenario& sc, std::int64_t members, bool stochastic, int threads = 1, int block = 32,
                   bool keep = true, std::uint64_t exact_bytes = 1ull << 30) {
  const int S = sc.params.sectors.size(), T = sc.calendar.months;
  std::vector<std::int64_t> manufacturing_va_cells;
  for (int t = 0; t < T; ++t)
    manufacturing_va_cells.push_back(aggregate_cell_id(static_cast<int>(AggregateSeries::manufacturing_va), t, S, T));
  return run_ensemble(sc, {.members = members,
                           .stochastic = stochastic,
                           .threads = threads,
                           .block_size = block,
                           .keep_members = keep,
                           .summarise = true,
                           .outputs = {},
                           .exact_summary_bytes = exact_bytes,
                           .keep_cells = manufacturing_va_cells,
                           .on_progress = {}});
}

int sector_of(const Scenario& sc, const std::string& name) { return sc.params.sectors.index_of(name); }

// The first month in which `series` of `sector` is not finite or not above `floor`, by the reference model.
int first_bad_month(const std::vector<double>& series, double floor) {
  for (std::size_t t = 0; t < series.size(); ++t)
    if (!(series[t] > floor) || !std::isfinite(series[t])) return static_cast<int>(t);
  return -1;
}

TEST(Guards, NegativePriceStopsTheDeterministicMember) {
  LOAD_OR_FAIL(sc, kNegativePrice);
  const EnsembleResult r = run(sc, 1, false);
  ASSERT_EQ(r.failures.size(), 1u);
  const MemberFailure& f = r.failures[0];
  EXPECT_EQ(f.member, 0);
  EXPECT_EQ(f.variable, "price");
  EXPECT_EQ(f.sector, "metallurgy");

  // The month and value agree with the independent reference model: the
  // first month its metallurgy price is not positive.
  const reference::Result ref = reference::run(sc.params, sc.calendar);
  const std::vector<double>& price = ref.sector[sector_of(sc, "metallurgy")].price;
  const int t = first_bad_month(price, 0.0);
  ASSERT_GT(t, 0);
  EXPECT_EQ(f.month, t);
  EXPECT_NEAR(f.value, price[t], 1e-9);
  EXPECT_LT(f.value, 0.0);

  const std::string month = format_year_month(sc.calendar.at(t));
  const std::string head = "member 0: price of metallurgy is " + fmt::format("{:.6g}", f.value) + " in " + month +
                           ", must be finite and > 0 (P = 1 + π τ EF e 1e-4 - μ (r - r0) with pass_through = 0.7, "
                           "carbon_price = ";
  EXPECT_EQ(f.message.rfind(head, 0), 0u) << f.message;
  for (const char* part : {", EF = 2.5, ", ", recycling_saving = 8, ", ", recycling_start = 0.7); levers in ",
                           ", low_carbon.recycling_target = 1"})
    EXPECT_NE(f.message.find(part), std::string::npos) << part << "\n" << f.message;
  EXPECT_EQ(f.message.find("drawn:"), std::string::npos) << "a deterministic member draws nothing";

  // Its months before the failure are kept, later ones are NaN; with no
  // member left every summary is undefined and the kept values are NaN.
  const SeriesStore& store = *r.store;
  EXPECT_DOUBLE_EQ(store.cell(SectorSeries::price, sector_of(sc, "metallurgy"), t - 1)[0], price[t - 1]);
  EXPECT_TRUE(std::isnan(store.cell(SectorSeries::price, sector_of(sc, "metallurgy"), t)[0]));
  EXPECT_TRUE(std::isnan(store.cell(AggregateSeries::manufacturing_va, sc.calendar.months - 1)[0]));
  const int T = sc.calendar.months;
  EXPECT_FALSE(r.summary->aggregate[static_cast<std::size_t>(AggregateSeries::manufacturing_va) * T].defined);
  for (double x : r.kept) EXPECT_TRUE(std::isnan(x));
}

// Capital decays to nothing: (1 - Δδ) is 0 up to rounding (5.6e-17 with
// fused multiply-add, exactly 0 without: MFGSIM_NATIVE decides). Capacity
// follows it towards 0, demand pressure (demand over capacity) overflows,
// and investment iota V (pressure/u0)^φ = 0 x inf is NaN, and so is
// capital: in month 20 with the rounding, month 1 without.
TEST(Guards, CapitalDecayingToNothingStopsTheMember) {
  // K <- fl(1 - Δ δ) K with δ = 12: K falls by 2^-54 a month (the product
  // and difference contracted to one fma; 0 at once without contraction,
  // month 1). Once K/K0 is below the smallest subnormal, log(K/K0) is -inf
  // and the capacity exactly 0 (exp(-inf) = 0, as std::exp; Eigen's exp
  // stopped at 1e-308, and the member then failed a month later with a NaN
  // capital): the capacity guard stops the member.
  LOAD_OR_FAIL(sc, kNoCapital);
  const EnsembleResult r = run(sc, 1, false);
  ASSERT_EQ(r.failures.size(), 1u);
  const MemberFailure& f = r.failures[0];
  EXPECT_EQ(f.variable, "capacity");
  EXPECT_EQ(f.sector, "coal_mining");
  EXPECT_TRUE(f.month == 19 || f.month == 1) << f.month;
  EXPECT_EQ(f.value, 0.0);
  const std::string month = format_year_month(sc.calendar.at(f.month));
  EXPECT_EQ(f.message.rfind("member 0: capacity of coal_mining is 0 in " + month + ", must be finite and > 0 "
                                "(Vcap = Vcap0 exp(lnA) (K/K0)^α with capital = ",
                            0),
            0u)
      << f.message;
  // Until then the capital is 0 within MODEL.md's tolerance, as in the
  // reference model.
  const int coal = sector_of(sc, "coal_mining");
  const reference::Result ref = reference::run(sc.params, sc.calendar);
  const double K0 = sc.params.sectors.K0[coal];
  for (int t = 0; t < f.month; ++t) {
    const double capital = r.store->cell(SectorSeries::capital, coal, t)[0];
    EXPECT_GE(capital, 0.0) << t;
    EXPECT_LT(capital, 1e-9 * K0) << t;
    EXPECT_LT(std::abs(ref.sector[coal].capital[t]), 1e-9 * K0) << t;
  }
}

TEST(Guards, FailedMembersAreLeftOutOfTheSummaries) {
  LOAD_OR_FAIL(sc, kUncertainSaving);
  constexpr std::int64_t kMembers = 40;
  const EnsembleResult r = run(sc, kMembers, true);
  // Some members fail, not all; each failure names its own draw.
  ASSERT_GT(r.failures.size(), 5u);
  ASSERT_LT(r.failures.size(), 35u);
  std::vector<char> failed(kMembers, 0);
  for (std::size_t k = 0; k < r.failures.size(); ++k) {
    const MemberFailure& f = r.failures[k];
    if (k > 0) {
      EXPECT_LT(r.failures[k - 1].member, f.member) << "sorted by member";
    }
    failed[f.member] = 1;
    EXPECT_EQ(f.variable, "price");
    EXPECT_EQ(f.sector, "metallurgy");
    EXPECT_NE(f.message.find("; drawn: intelligent_manufacturing.imitation_q = "), std::string::npos) << f.message;
    EXPECT_NE(f.message.find(", sector_overrides.metallurgy.recycling_saving = "), std::string::npos) << f.message;
    EXPECT_EQ(f.message.rfind("member " + std::to_string(f.member) + ": price of metallurgy is -", 0), 0u)
        << f.message;
  }
  // Summaries are those of the surviving members alone.
  const int T = sc.calendar.months, S = sc.params.sectors.size();
  const SeriesStore& store = *r.store;
  SelectionScratch scratch;
  for (int t : {0, 30, T - 1}) {
    const int i = sector_of(sc, "metallurgy");
    std::vector<double> survivors;
    for (std::int64_t m = 0; m < kMembers; ++m)
      if (!failed[m]) survivors.push_back(store.cell(SectorSeries::va, i, t)[m]);
    CellSummary expected;
    std::int64_t nans = 0;
    ASSERT_TRUE(summarise(survivors.data(), static_cast<std::int64_t>(survivors.size()), scratch, &expected, &nans));
    const CellSummary& got = r.summary->sector[(static_cast<std::size_t>(SectorSeries::va) * S + i) * T + t];
    ASSERT_TRUE(got.defined);
    EXPECT_EQ(got.mean, expected.mean) << t;
    for (int q = 0; q < 5; ++q) EXPECT_EQ(got.quantiles[q], expected.quantiles[q]) << t << " " << q;
  }
  // Kept values: NaN for every month of a failed member, numbers otherwise.
  for (std::int64_t m = 0; m < kMembers; ++m)
    for (int t = 0; t < T; ++t)
      EXPECT_EQ(std::isnan(r.kept[static_cast<std::size_t>(t) * kMembers + m]), failed[m] != 0) << m << " " << t;
}

// Failures and summaries are bitwise the same whatever the threads and block
// size, on the exact path and on the sketch path.
TEST(Guards, FailuresDoNotDependOnThreadsOrBlocks) {
  LOAD_OR_FAIL(sc, kUncertainSaving);
  constexpr std::int64_t kMembers = 37;
  auto same = [](const EnsembleResult& a, const EnsembleResult& b) {
    ASSERT_EQ(a.failures.size(), b.failures.size());
    for (std::size_t k = 0; k < a.failures.size(); ++k) {
      EXPECT_EQ(a.failures[k].member, b.failures[k].member);
      EXPECT_EQ(a.failures[k].month, b.failures[k].month);
      EXPECT_EQ(a.failures[k].message, b.failures[k].message);
    }
    const auto& x = a.summary->sector;
    const auto& y = b.summary->sector;
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t c = 0; c < x.size(); ++c) {
      ASSERT_EQ(x[c].defined, y[c].defined) << c;
      ASSERT_EQ(std::memcmp(&x[c].mean, &y[c].mean, sizeof(double)), 0) << c;
      ASSERT_EQ(std::memcmp(x[c].quantiles.data(), y[c].quantiles.data(), sizeof(double) * 5), 0) << c;
    }
    ASSERT_EQ(a.kept.size(), b.kept.size());
    EXPECT_EQ(std::memcmp(a.kept.data(), b.kept.data(), sizeof(double) * a.kept.size()), 0);
  };
  const EnsembleResult exact1 = run(sc, kMembers, true, 1, 32, false);
  ASSERT_FALSE(exact1.failures.empty());
  for (auto [threads, block] : {std::pair{2, 32}, std::pair{3, 7}, std::pair{1, 1}}) {
    SCOPED_TRACE("exact, threads " + std::to_string(threads) + ", block " + std::to_string(block));
    same(exact1, run(sc, kMembers, true, threads, block, false));
  }
  const EnsembleResult sketch1 = run(sc, kMembers, true, 1, 8, false, 0);
  ASSERT_FALSE(sketch1.summary->exact);
  SCOPED_TRACE("sketch, 3 threads");
  same(sketch1, run(sc, kMembers, true, 3, 8, false, 0));
  // The sketch path leaves the failed members out as the exact path does:
  // the same means to rounding, quantiles within the sketch's bound.
  const auto& e = exact1.summary->sector;
  const auto& s = sketch1.summary->sector;
  int checked = 0;
  for (std::size_t c = 0; c < e.size(); ++c) {
    if (!e[c].defined) continue;
    ASSERT_TRUE(s[c].defined) << c;
    EXPECT_NEAR(s[c].mean, e[c].mean, 1e-12 * std::fabs(e[c].mean)) << c;
    double scale = 0.0;
    for (double x : e[c].quantiles) scale = std::max(scale, std::fabs(x));
    for (int q = 0; q < 5; ++q) EXPECT_NEAR(s[c].quantiles[q], e[c].quantiles[q], 1e-3 * scale + 1e-12) << c << " " << q;
    ++checked;
  }
  EXPECT_GT(checked, 1000);
}

TEST(Guards, BaselineMembersDoNotFail) {
  const ScenarioLoad load = load_scenario(kScenarioDir + "/baseline.yaml");
  ASSERT_TRUE(load.scenario) << load.diagnostics.format();
  EXPECT_TRUE(run(*load.scenario, 1, false).failures.empty());
  EXPECT_TRUE(run(*load.scenario, 64, true, 2).failures.empty());
}

// ---- the check itself, on a hand-made block ------------------------------

struct Block {
  BlockParams params;
  BlockState state;
  std::vector<int> failed_month;
  std::vector<GuardHit> hits;
  static constexpr int kSectors = 2, kMembers = 8, kMonths = 7;  // check(t) reads the levers of month t < kMonths
  Block() {
    params.allocate(kSectors, kMembers, kMonths);
    state.allocate(kSectors, kMembers);
    for (Column* c : {&state.long_term_loans, &state.short_term_loans, &state.capital, &state.price, &state.capacity,
                      &state.pressure, &state.va})
      c->assign(c->size(), 1.0);
    state.adoption.assign(state.adoption.size(), 0.5);
    state.upgrade.assign(state.upgrade.size(), 0.5);
    failed_month.assign(kMembers, -1);
    hits.reserve(kMembers);
  }
  double& at(Column& c, int sector, int member) { return c[static_cast<std::size_t>(sector) * kMembers + member]; }
  int check(int t) { return check_month(t, params, state, failed_month, hits); }
};

// A guard hit at a month past the block's levers would read outside them
// (found by AddressSanitizer: this file's block once had 3 months and was
// checked at month 4): refused.
TEST(GuardCheck, AMonthOutsideTheBlocksLeversIsRefused) {
  Block b;
  b.at(b.state.price, 0, 0) = 0.0;
  EXPECT_THROW(b.check(Block::kMonths), std::invalid_argument);
  EXPECT_EQ(b.check(Block::kMonths - 1), 1);
}

TEST(GuardCheck, BoundsAreTheModelsDomain) {
  Block b;
  // On the bounds: fine.
  b.at(b.state.adoption, 0, 1) = 1.0;
  b.at(b.state.upgrade, 1, 2) = 0.0;
  b.at(b.state.capital, 1, 3) = 0.0;
  b.at(b.state.va, 0, 4) = 0.0;
  b.at(b.state.long_term_loans, 0, 5) = 0.0;
  EXPECT_EQ(b.check(0), 0);
  EXPECT_TRUE(b.hits.empty());
  // Past them: each kind of bad value.
  b.at(b.state.price, 1, 0) = 0.0;                                        // not > 0
  b.at(b.state.capacity, 0, 2) = std::numeric_limits<double>::infinity();  // not finite
  b.at(b.state.adoption, 1, 3) = 1.0 + 1e-15;                             // above 1
  b.at(b.state.va, 1, 3) = kNaN;                                          // later in the order
  b.at(b.state.short_term_loans, 1, 6) = -1e-300;                         // negative
  b.at(b.state.pressure, 0, 7) = kNaN;
  EXPECT_EQ(b.check(4), 5);
  ASSERT_EQ(b.hits.size(), 5u);
  // In the order of the step: loans, shares, capital, price, capacity, pressure, output.
  EXPECT_EQ(b.hits[0].variable, GuardedVariable::short_term_loans);
  EXPECT_EQ(b.hits[0].column, 6);
  EXPECT_EQ(b.hits[0].sector, 1);
  EXPECT_EQ(b.hits[1].variable, GuardedVariable::adoption);
  EXPECT_EQ(b.hits[1].column, 3);
  EXPECT_EQ(b.hits[1].value, 1.0 + 1e-15);
  EXPECT_EQ(b.hits[2].variable, GuardedVariable::price);
  EXPECT_EQ(b.hits[2].column, 0);
  EXPECT_EQ(b.hits[3].variable, GuardedVariable::capacity);
  EXPECT_EQ(b.hits[3].column, 2);
  EXPECT_EQ(b.hits[4].variable, GuardedVariable::demand_pressure);
  EXPECT_EQ(b.hits[4].column, 7);
  EXPECT_TRUE(std::isnan(b.hits[4].value));
  for (const GuardHit& hit : b.hits) {
    EXPECT_EQ(hit.month, 4);
    EXPECT_EQ(b.failed_month[hit.column], 4);
  }
  EXPECT_EQ(b.failed_month[1], -1);
  // A failed member is reported once; a new failure of another member is found.
  b.at(b.state.capital, 0, 1) = kNaN;
  EXPECT_EQ(b.check(5), 1);
  ASSERT_EQ(b.hits.size(), 6u);
  EXPECT_EQ(b.hits[5].column, 1);
  EXPECT_EQ(b.hits[5].month, 5);
  EXPECT_EQ(b.check(6), 0);
  EXPECT_EQ(b.hits.capacity(), static_cast<std::size_t>(Block::kMembers)) << "no allocation in the month loop";
}

TEST(GuardCheck, InputsNameTheEquation) {
  Block b;
  b.params.pass_through.assign(b.params.pass_through.size(), 0.5);
  b.params.recycling_saving.assign(b.params.recycling_saving.size(), 6.0);
  b.params.carbon_price.assign(b.params.carbon_price.size(), 100.0);
  b.at(b.state.price, 1, 2) = -0.25;
  ASSERT_EQ(b.check(1), 1);
  const GuardHit& hit = b.hits[0];
  const auto names = guard_inputs(hit.variable);
  ASSERT_EQ(names.size(), 7u);
  EXPECT_STREQ(names[0], "pass_through");
  EXPECT_EQ(hit.inputs[0], 0.5);
  EXPECT_STREQ(names[1], "carbon_price");
  EXPECT_EQ(hit.inputs[1], 100.0);
  EXPECT_STREQ(names[4], "recycling_saving");
  EXPECT_EQ(hit.inputs[4], 6.0);
  EXPECT_EQ(guard_variable_name(hit.variable), "price");
  EXPECT_EQ(guard_requirement(hit.variable), "finite and > 0");
}

}  // namespace
}  // namespace mfgsim
