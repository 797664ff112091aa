// sim/output/results_layout.h: the variables of a layout by hand (two
// scenarios, 3 months, 2 sectors, 4 members, one swept parameter), and what
// ResultsMemory holds after each write: slabs in [t][sector][q or m] order,
// NaN where nothing was written (members beyond a scenario's count).
#include "sim/output/results_layout.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/ensemble/ensemble.h"

namespace mfgsim {
namespace {

NetcdfBatchLayout small_layout() {
  NetcdfBatchLayout layout;
  layout.title = "t";
  layout.history = "h";
  layout.scenarios = {"a", "b"};
  layout.calendar = Calendar{{2023, 11}, 3};
  layout.sectors = {"steel", "coal"};
  layout.selection = OutputSelection{{"va", "co2"}};
  layout.members = 4;
  layout.member_aggregates = {AggregateSeries::co2};
  layout.parameters = {"lending.green_tilt"};
  return layout;
}

const ResultsVariable* find(const ResultsSpec& spec, const std::string& name) {
  for (const ResultsVariable& v : spec.variables)
    if (v.name == name) return &v;
  return nullptr;
}

TEST(ResultsLayout, VariablesDimensionsAndAttributes) {
  const ResultsSpec spec = results_spec(small_layout());
  std::vector<std::string> names;
  for (const ResultsVariable& v : spec.variables) names.push_back(v.name);
  // Coordinates, per-scenario facts, per-sector series, aggregates, member values; co2 names both kinds.
  EXPECT_EQ(names, (std::vector<std::string>{
                       "scenario", "time", "time_bnds", "month_label", "sector", "quantile_level", "member",
                       "parameter", "source", "sweep", "member_count", "seed", "stochastic",
                       "parameter_value", "va_by_sector", "va_by_sector_mean", "va_by_sector_mean_se",
                       "co2_by_sector", "co2_by_sector_mean", "co2_by_sector_mean_se", "co2", "co2_mean",
                       "co2_mean_se", "co2_members"}));
  EXPECT_EQ(spec.dimension("time"), 3u);
  EXPECT_EQ(spec.dimension("quantile_level"), 5u);
  EXPECT_EQ(spec.dimension("quantile"), 0u);  // not a dimension: xarray's .quantile() adds its own
  const ResultsVariable& time = *find(spec, "time");
  EXPECT_EQ(time.numbers, (std::vector<double>{19662, 19692, 19723}));  // 2023-11-01, 2023-12-01, 2024-01-01
  EXPECT_EQ(find(spec, "time_bnds")->numbers.back(), 19754.0);         // 2024-02-01
  EXPECT_EQ(find(spec, "month_label")->strings, (std::vector<std::string>{"2023-11", "2023-12", "2024-01"}));
  const ResultsVariable& va = *find(spec, "va_by_sector");
  EXPECT_EQ(va.dims, (std::vector<std::string>{"scenario", "time", "sector", "quantile_level"}));
  EXPECT_EQ(spec.slab_size(va), 3u * 2 * 5);
  EXPECT_TRUE(va.fill_nan && va.series);
  const std::vector<std::pair<std::string, std::string>> attributes = {
      {"long_name", "value added, by sector: quantiles across members"},
      {"units", "1e8 month-1"},
      {"unit_label", "100 million yuan/month (2020 prices)"},
      {"coordinates", "month_label"}};
  EXPECT_EQ(va.attributes, attributes);
  EXPECT_EQ(find(spec, "co2_members")->dims, (std::vector<std::string>{"scenario", "time", "member"}));
  EXPECT_FALSE(find(spec, "time")->fill_nan);  // CF: coordinates have no missing values
}

TEST(ResultsLayout, MemoryHoldsEachWriteInTheVariablesOrder) {
  const NetcdfBatchLayout layout = small_layout();
  ResultsMemory memory(layout);
  const ResultsSpec& spec = memory.spec();
  auto variable = [&](const std::string& name) -> const ResultsVariable& {
    for (std::size_t v = 0; v < memory.variable_count(); ++v)
      if (memory.variable(v).name == name) return memory.variable(v);
    throw std::logic_error("no variable " + name);
  };
  memory.write_info(1, {"b.yaml", "g", 2, 7, true, {0.5}});
  EXPECT_EQ(variable("source").strings, (std::vector<std::string>{"", "b.yaml"}));
  EXPECT_EQ(variable("member_count").counts, (std::vector<std::uint64_t>{0, 2}));
  EXPECT_EQ(variable("seed").counts[1], 7u);
  EXPECT_EQ(variable("stochastic").counts[1], 1u);
  EXPECT_EQ(variable("parameter_value").numbers[1], 0.5);
  EXPECT_TRUE(std::isnan(variable("parameter_value").numbers[0]));

  // Summaries: sector cell (va, coal, month 2) and aggregate cell (co2, month 1).
  const std::size_t T = 3, S = 2;
  SummaryTable table;
  table.sector.resize(kSectorSeriesCount * S * T);
  table.aggregate.resize(kAggregateSeriesCount * T);
  table.sector[(static_cast<std::size_t>(SectorSeries::va) * S + 1) * T + 2] = {true, 9.0, {1, 2, 3, 4, 5}};
  table.aggregate[static_cast<std::size_t>(AggregateSeries::co2) * T + 1] = {true, 8.0, {6, 7, 8, 9, 10}, 0.25};
  memory.write_summary(0, table);
  const std::vector<double>& va = variable("va_by_sector").numbers;
  ASSERT_EQ(va.size(), 2 * spec.slab_size(*find(spec, "va_by_sector")));
  EXPECT_EQ(va[(2 * S + 1) * 5 + 0], 1.0);  // scenario 0, [t = 2][coal][q = 0.05]
  EXPECT_EQ(va[(2 * S + 1) * 5 + 4], 5.0);
  EXPECT_TRUE(std::isnan(va[0]));           // undefined cells stay NaN
  EXPECT_EQ(variable("va_by_sector_mean").numbers[2 * S + 1], 9.0);
  EXPECT_EQ(variable("co2").numbers[1 * 5 + 2], 8.0);
  EXPECT_EQ(variable("co2_mean").numbers[1], 8.0);
  EXPECT_EQ(variable("co2_mean_se").numbers[1], 0.25);
  EXPECT_TRUE(std::isnan(variable("va_by_sector_mean_se").numbers[2 * S + 1]));  // one member: NaN

  // Two members of four: the rest stay NaN.
  const double values[6] = {1, 2, 3, 4, 5, 6};  // [t][m]
  memory.write_members(1, AggregateSeries::co2, values, 2);
  const std::vector<double>& members = variable("co2_members").numbers;
  const std::size_t base = 3 * 4;  // scenario 1
  EXPECT_EQ(members[base + 0], 1.0);
  EXPECT_EQ(members[base + 1], 2.0);
  EXPECT_TRUE(std::isnan(members[base + 2]));
  EXPECT_EQ(members[base + 4], 3.0);  // t = 1, m = 0
  EXPECT_EQ(members[base + 2 * 4 + 1], 6.0);
  EXPECT_THROW(memory.write_members(1, AggregateSeries::co2, values, 5), std::runtime_error);
}

// Drawn parameters: one variable per path over (scenario, member), each
// member's value where written, NaN for members beyond the count and for a
// scenario that does not draw the path.
TEST(ResultsLayout, DrawsPerParameterOverMembers) {
  NetcdfBatchLayout layout = small_layout();
  layout.draw_parameters = {"lending.green_tilt", "sector_overrides.equipment.tfp_gain"};
  ResultsMemory memory(layout);
  const ResultsVariable* tilt = find(memory.spec(), "draw_lending__green_tilt");
  ASSERT_NE(tilt, nullptr);
  EXPECT_EQ(tilt->dims, (std::vector<std::string>{"scenario", "member"}));
  EXPECT_EQ(tilt->attributes.at(1), (std::pair<std::string, std::string>{"parameter_path", "lending.green_tilt"}));
  ASSERT_NE(find(memory.spec(), "draw_sector_overrides__equipment__tfp_gain"), nullptr);
  MemberDraws draws;
  draws.paths = {"lending.green_tilt"};
  draws.values = {0.25, 0.5, 0.75};  // three members of four
  memory.write_draws(1, draws);
  const ResultsVariable* held = nullptr;
  for (std::size_t v = 0; v < memory.variable_count(); ++v)
    if (memory.variable(v).name == "draw_lending__green_tilt") held = &memory.variable(v);
  ASSERT_NE(held, nullptr);
  ASSERT_EQ(held->numbers.size(), 8u);
  for (int m = 0; m < 4; ++m) EXPECT_TRUE(std::isnan(held->numbers[m])) << "scenario a wrote nothing";
  EXPECT_EQ(held->numbers[4], 0.25);
  EXPECT_EQ(held->numbers[6], 0.75);
  EXPECT_TRUE(std::isnan(held->numbers[7]));
  draws.paths = {"lending.unknown"};
  EXPECT_THROW(memory.write_draws(0, draws), std::logic_error);
}

}  // namespace
}  // namespace mfgsim
