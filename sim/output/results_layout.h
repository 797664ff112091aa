// The content of results.nc as data: dimensions, variables with their
// attributes, coordinate values, and where each scenario's summaries and
// member values go. Two sinks fill it: the NetCDF writer (results.nc,
// sim/output/netcdf_output.h) and ResultsMemory (in memory, for the Python
// module), so both hold the same variables, attributes and numbers.
//
// Dimensions: scenario, time, sector, quantile_level, member (when member
// values are kept), parameter (when a batch sweeps), nv (time bounds).
// Coordinates and labels:
//   scenario(scenario)             string: scenario names, in batch order
//   time(time)                     double: days since 1970-01-01 of the month's
//                                  first day (CF time; xarray decodes it), with
//                                  time_bnds(time, nv) = [first day, next first day)
//   month_label(time)              string: "YYYY-MM"
//   sector(sector)                 string: sector names
//   quantile_level(quantile_level) double: 0.05 0.25 0.5 0.75 0.95. Not named
//                                  `quantile`: xarray's Dataset.quantile() adds a
//                                  dimension of that name and would collide
//   member(member)                 int: member index
//   parameter(parameter)           string: swept parameter paths
// Per scenario: source, sweep (strings), member_count, seed, stochastic,
// parameter_value(scenario, parameter) (NaN where a scenario does not set
// it). Members of scenarios with the same seed are paired (streams are keyed
// by the seed alone).
// Series (only those selected), with attributes long_name, units (UDUNITS-2,
// "1" for ratios: series_udunits), unit_label (the unit for people) and
// _FillValue = NaN (undefined values: growth rates in the first year):
//   <name>(scenario, time, quantile_level), <name>_mean(scenario, time)           aggregates
//   <name>_mean_se(scenario, time): the standard error of the mean (NaN with one member)
//   <name>_by_sector(scenario, time, sector, quantile_level), <name>_by_sector_mean,
//   <name>_by_sector_mean_se                                                       per-sector
//   <name>_members(scenario, time, member)                                        member values
//   <name>_by_sector_members(scenario, time, sector, member)
// Each drawn `uncertain:` parameter, with a member dimension:
//   draw_<path, dots as "__">(scenario, member)   e.g. draw_lending__green_tilt,
// the value each member drew (attribute parameter_path: the path; NaN where a
// scenario does not draw it).
// Scenarios with fewer members than the member dimension hold NaN beyond
// their member_count.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/calendar.h"
#include "sim/engine/series.h"

namespace mfgsim {

class SeriesStore;
struct SummaryTable;
struct MemberDraws;

struct NetcdfBatchLayout {
  std::string title;    // global `title`
  std::string history;  // global `history`
  std::vector<std::string> scenarios;
  Calendar calendar;
  std::vector<std::string> sectors;
  OutputSelection selection;                        // series summarised
  std::int64_t members = 0;                         // member dimension (0: none)
  std::vector<AggregateSeries> member_aggregates;   // aggregates with member values
  std::vector<SectorSeries> member_sector_series;   // per-sector series with member values
  std::vector<std::string> parameters;              // swept parameter paths
  std::vector<std::string> draw_parameters;         // drawn `uncertain:` paths (needs members > 0)
};

struct NetcdfScenarioInfo {
  std::string source, sweep;
  std::int64_t members = 0;
  std::uint64_t seed = 0;
  bool stochastic = false;
  std::vector<double> parameter_values;  // one per layout parameter
};

// A variable's storage type: NetCDF double, int, uint64, byte, string.
enum class ResultsType { f64, i32, u64, i8, string };

// What fills a variable: fixed values (coordinates), a scenario's facts, or
// its series.
enum class ResultsRole {
  fixed,
  source, sweep, member_count, seed, stochastic, parameter_value,
  quantiles, mean, mean_se, members,
  drawn,  // a drawn parameter's values per member (series_index: its draw_parameters index)
};

struct ResultsVariable {
  std::string name;
  ResultsType type = ResultsType::f64;
  std::vector<std::string> dims;
  std::vector<std::pair<std::string, std::string>> attributes;  // text attributes, in this order
  bool fill_nan = false;  // _FillValue = NaN (data variables; CF: coordinates have none)
  bool series = false;    // a series: one chunk per scenario, deflated in the file
  ResultsRole role = ResultsRole::fixed;
  int series_index = -1;  // SectorSeries or AggregateSeries value
  bool by_sector = false;
  // Values of a fixed variable, in row-major order.
  std::vector<double> numbers;        // f64
  std::vector<std::uint64_t> counts;  // i32, u64, i8 (every one is >= 0)
  std::vector<std::string> strings;   // string
};

struct ResultsSpec {
  std::vector<std::pair<std::string, std::string>> attributes;  // global, in order
  std::vector<std::pair<std::string, std::size_t>> dimensions;  // name, length, in order
  std::vector<ResultsVariable> variables;                       // in definition order
  std::size_t dimension(const std::string& name) const;         // 0 when absent
  // Values per scenario of a variable whose first dimension is `scenario`
  // (the product of the other dimensions).
  std::size_t slab_size(const ResultsVariable& variable) const;
};

// Everything a layout defines, with the fixed variables' values.
ResultsSpec results_spec(const NetcdfBatchLayout& layout);

// Receives one scenario's values at a time and writes them somewhere. The
// public methods turn summaries and member values into each variable's
// layout; a sink only stores slabs.
class ResultsSink {
 public:
  explicit ResultsSink(const NetcdfBatchLayout& layout);
  virtual ~ResultsSink() = default;
  ResultsSink(const ResultsSink&) = delete;
  ResultsSink& operator=(const ResultsSink&) = delete;

  const ResultsSpec& spec() const { return spec_; }

  void write_info(std::size_t scenario, const NetcdfScenarioInfo& info);
  void write_summary(std::size_t scenario, const SummaryTable& table);
  // values[t * members + m] for one aggregate of member_aggregates.
  void write_members(std::size_t scenario, AggregateSeries series, const double* values, std::int64_t members);
  // Every member variable (aggregate and per sector) from a kept store.
  void write_store_members(std::size_t scenario, const SeriesStore& store);
  // Only the per-sector member variables from a kept store.
  void write_sector_members(std::size_t scenario, const SeriesStore& store);
  // The scenario's drawn values (member_draws); paths the layout lacks are an error.
  void write_draws(std::size_t scenario, const MemberDraws& draws);

 protected:
  // Variable `v` (index into spec().variables) of one scenario: the scenario's
  // whole slab, except that the last dimension holds only `last` values
  // (members beyond a scenario's count stay NaN).
  virtual void put_numbers(std::size_t v, std::size_t scenario, const double* values, std::size_t last) = 0;
  virtual void put_count(std::size_t v, std::size_t scenario, std::uint64_t value) = 0;
  virtual void put_string(std::size_t v, std::size_t scenario, const std::string& value) = 0;

 private:
  ResultsSpec spec_;
  std::size_t T_ = 0, S_ = 0, M_ = 0;
};

// The results held in memory: every variable's values for every scenario
// (NaN where nothing was written), for the Python module. Memory: the whole
// dataset; with member values, members x months x (sectors or 1) doubles per
// member variable.
class ResultsMemory : public ResultsSink {
 public:
  explicit ResultsMemory(const NetcdfBatchLayout& layout);
  // Values of variable v in row-major order; numbers for f64, counts for the
  // integer types, strings for strings.
  const ResultsVariable& variable(std::size_t v) const { return variables_[v]; }
  std::size_t variable_count() const { return variables_.size(); }

 protected:
  void put_numbers(std::size_t v, std::size_t scenario, const double* values, std::size_t last) override;
  void put_count(std::size_t v, std::size_t scenario, std::uint64_t value) override;
  void put_string(std::size_t v, std::size_t scenario, const std::string& value) override;

 private:
  std::vector<ResultsVariable> variables_;  // spec's variables with all values
};

// Days from 1970-01-01 to the first day of `ym` (proleptic Gregorian).
std::int64_t days_since_epoch(YearMonth ym);

}  // namespace mfgsim
