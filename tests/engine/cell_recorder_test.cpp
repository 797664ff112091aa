// sim/engine/cell_recorder.h: a block recorded cell by cell, straight from
// the block state, equals the same block recorded whole by SeriesStore and
// derived afterwards, bit for bit, for every cell (recorded, aggregate and
// derived series) in any order.
#include "sim/engine/cell_recorder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "sim/engine/series_store.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {
namespace {

// Records into a block-sized store at member 0, as the ensemble's block buffer does.
class AtZero : public MonthObserver {
 public:
  explicit AtZero(SeriesStore& store) : store_(store) {}
  void record(int t, const BlockParams& params, const BlockState& state, std::int64_t, int count) override {
    store_.record(t, params, state, 0, count);
  }

 private:
  SeriesStore& store_;
};

// The baseline over 27 months (two ytd-yoy years, starting in January),
// stochastic, blocks of 16; `count` members from `first` recorded whole.
struct Recorded {
  Scenario scenario;
  EngineOptions options;
  CompileResult compiled;
  std::unique_ptr<SeriesStore> store;
  Recorded(std::int64_t first, int count) {
    ScenarioLoad load = load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
    if (!load.scenario) throw std::runtime_error(load.diagnostics.format());
    scenario = *load.scenario;
    scenario.calendar.months = 27;
    options.stochastic = true;
    options.block_size = 16;
    compiled = compile(run_spec(scenario), options);
    if (!compiled.run) throw std::runtime_error("the baseline does not compile");
    store = std::make_unique<SeriesStore>(scenario.calendar, scenario.params.sectors, count);
    Workspace ws = compiled.run->make_workspace();
    AtZero whole(*store);
    if (compiled.run->run_block(first, count, ws, whole)) throw std::runtime_error("a member failed");
    store->derive();
  }
};

TEST(CellRecorder, EveryCellBitIdenticalToTheWholeStore) {
  const int count = 13;  // a short block
  const Recorded recorded(40, count);
  const Scenario& scenario = recorded.scenario;
  const EngineOptions& options = recorded.options;
  const CompileResult& compiled = recorded.compiled;
  const SeriesStore& store = *recorded.store;
  const int S = scenario.params.sectors.size(), T = scenario.calendar.months;
  const std::int64_t cells = cell_count(S, T);
  Workspace ws;

  // Every cell, in reverse order, so row k is not cell k.
  std::vector<std::int64_t> ids(static_cast<std::size_t>(cells));
  for (std::int64_t id = 0; id < cells; ++id) ids[id] = cells - 1 - id;
  CellRecorder recorder(scenario.calendar, scenario.params.sectors, ids, options.block_size);
  const std::int64_t stride = 20;  // rows wider than the block
  std::vector<double> out(ids.size() * stride, -1.0);
  recorder.target(out.data(), stride);
  ws = compiled.run->make_workspace();
  ASSERT_FALSE(compiled.run->run_block(40, count, ws, recorder));
  int defined = 0;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const double* expected = store.cell_at(ids[k]);
    const double* got = out.data() + k * stride;
    ASSERT_EQ(std::memcmp(expected, got, sizeof(double) * count), 0) << "cell " << ids[k];
    EXPECT_EQ(got[count], -1.0) << "wrote past the block, cell " << ids[k];
    defined += !std::isnan(got[0]);
  }
  // Every derived series has defined months here (t >= 12): compared, not only NaN.
  EXPECT_GT(defined, static_cast<int>(cells) * 9 / 10);
  EXPECT_FALSE(std::isnan(out[(cells - 1 - aggregate_cell_id(static_cast<int>(AggregateSeries::manufacturing_va_ytd_yoy), 20, S, T)) * stride]));
}

// Rows by month (target_month): after each month, that month's cells in the
// order given, in a buffer of one month's rows; copied out here to row k.
class MonthByMonth : public MonthObserver {
 public:
  MonthByMonth(CellRecorder& recorder, const std::vector<std::int64_t>& ids, int T, int block, double* out, int stride)
      : recorder_(recorder), ids_(ids), T_(T), block_(block), out_(out), stride_(stride),
        month_(ids.size() * block, -1.0) {
    recorder_.target_month(month_.data(), block_);
  }
  void record(int t, const BlockParams& params, const BlockState& state, std::int64_t first, int count) override {
    recorder_.record(t, params, state, first, count);
    int j = 0;
    for (std::size_t k = 0; k < ids_.size(); ++k)
      if (ids_[k] % T_ == t) std::memcpy(out_ + k * stride_, month_.data() + j++ * block_, sizeof(double) * count);
  }

 private:
  CellRecorder& recorder_;
  const std::vector<std::int64_t>& ids_;
  int T_, block_;
  double* out_;
  int stride_;
  std::vector<double> month_;
};

// A few cells by month (an aggregate alone, a derived aggregate whose
// sources are not selected, a ratio, a lever, a sector's growth) equal the
// whole store's, bit for bit: only the aggregates these need are computed.
TEST(CellRecorder, MonthRowsOfAFewCellsBitIdenticalToTheWholeStore) {
  const int count = 11;
  const Recorded r(7, count);
  const int S = r.scenario.params.sectors.size(), T = r.scenario.calendar.months;

  using A = AggregateSeries;
  std::vector<std::int64_t> ids;
  for (int t = T - 1; t >= 0; --t)
    for (const A a : {A::co2, A::manufacturing_va_ytd_yoy, A::long_term_share, A::adoption, A::carbon_price})
      ids.push_back(aggregate_cell_id(static_cast<int>(a), t, S, T));
  for (int t = 0; t < T; ++t) ids.push_back(sector_cell_id(static_cast<int>(SectorSeries::va_ytd_yoy), 2, t, S, T));
  CellRecorder recorder(r.scenario.calendar, r.scenario.params.sectors, ids, r.options.block_size);
  std::vector<double> out(ids.size() * count, -1.0);
  MonthByMonth by_month(recorder, ids, T, r.options.block_size, out.data(), count);
  Workspace ws = r.compiled.run->make_workspace();
  ASSERT_FALSE(r.compiled.run->run_block(7, count, ws, by_month));
  int defined = 0;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    ASSERT_EQ(std::memcmp(r.store->cell_at(ids[k]), out.data() + k * count, sizeof(double) * count), 0) << "cell " << ids[k];
    defined += !std::isnan(out[k * count]);
  }
  EXPECT_GT(defined, static_cast<int>(ids.size()) * 3 / 4);
}

TEST(CellRecorder, RefusesCellsOutsideTheRun) {
  ScenarioLoad load = load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
  ASSERT_TRUE(load.scenario);
  const Scenario& scenario = *load.scenario;
  const std::int64_t cells = cell_count(scenario.params.sectors.size(), scenario.calendar.months);
  EXPECT_THROW(CellRecorder(scenario.calendar, scenario.params.sectors, {cells}, 8), std::out_of_range);
  EXPECT_THROW(CellRecorder(scenario.calendar, scenario.params.sectors, {-1}, 8), std::out_of_range);
}

}  // namespace
}  // namespace mfgsim
