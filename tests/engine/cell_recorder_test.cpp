// sim/engine/cell_recorder.h: a block recorded cell by cell, straight from
// the block state, equals the same block recorded whole by SeriesStore and
// derived afterwards, bit for bit, for every cell (recorded, aggregate and
// derived series) in any order.
#include "sim/engine/cell_recorder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
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

TEST(CellRecorder, EveryCellBitIdenticalToTheWholeStore) {
  ScenarioLoad load = load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
  ASSERT_TRUE(load.scenario) << load.diagnostics.format();
  Scenario scenario = *load.scenario;
  scenario.calendar.months = 27;  // two ytd-yoy years, starting in January
  EngineOptions options;
  options.stochastic = true;
  options.block_size = 16;
  const CompileResult compiled = compile(run_spec(scenario), options);
  ASSERT_TRUE(compiled.run);
  const int S = scenario.params.sectors.size(), T = scenario.calendar.months, count = 13;  // a short block
  const std::int64_t cells = cell_count(S, T);

  SeriesStore store(scenario.calendar, scenario.params.sectors, count);
  Workspace ws = compiled.run->make_workspace();
  AtZero whole(store);
  ASSERT_FALSE(compiled.run->run_block(40, count, ws, whole));
  store.derive();

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
