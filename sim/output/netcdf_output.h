// results.nc: a batch's summaries (and kept member values) as NetCDF-4,
// written with the NetCDF C library, CF-1.8 style.
//
// Dimensions: scenario, month, sector, quantile, member (when member values
// are kept), parameter (when the batch sweeps), nv (time bounds).
// Coordinates and labels:
//   scenario(scenario)        string: scenario names, in batch order
//   month(month)              double: days since 1970-01-01 of the month's
//                             first day (CF time; xarray decodes it), with
//                             month_bnds(month, nv) = [first day, next first day)
//   month_label(month)        string: "YYYY-MM"
//   sector(sector)            string: sector names
//   quantile(quantile)        double: 0.05 0.25 0.5 0.75 0.95
//   member(member)            int: member index
//   parameter(parameter)      string: swept parameter paths
// Per scenario: source, sweep (strings), member_count, seed, stochastic,
// parameter_value(scenario, parameter) (NaN where a scenario does not set it).
// Series (only those the batch's outputs select), with attributes units
// (MODEL.md units; "1" for ratios), long_name and _FillValue = NaN
// (undefined values: growth rates in the first year):
//   <name>(scenario, month, quantile), <name>_mean(scenario, month)           aggregates
//   <name>_by_sector(scenario, month, sector, quantile), <name>_by_sector_mean  per-sector
//   <name>_members(scenario, month, member)                                   kept member values
//   <name>_by_sector_members(scenario, month, sector, member)                 (--keep-members)
// Scenarios with fewer members than the member dimension hold NaN beyond
// their member_count. Variables are chunked one scenario per chunk and
// deflated (level 1, with shuffle).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/calendar.h"
#include "sim/ensemble/ensemble.h"
#include "sim/engine/series.h"

namespace mfgsim {

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
};

struct NetcdfScenarioInfo {
  std::string source, sweep;
  std::int64_t members = 0;
  std::uint64_t seed = 0;
  bool stochastic = false;
  std::vector<double> parameter_values;  // one per layout parameter
};

// Writes results.nc. The NetCDF library is not thread-safe: use one writer
// from one thread at a time. Throws std::runtime_error (path and NetCDF's
// message) on any library error.
class NetcdfBatchWriter {
 public:
  NetcdfBatchWriter(const std::string& path, const NetcdfBatchLayout& layout);
  ~NetcdfBatchWriter();
  NetcdfBatchWriter(const NetcdfBatchWriter&) = delete;
  NetcdfBatchWriter& operator=(const NetcdfBatchWriter&) = delete;

  void write_info(std::size_t scenario, const NetcdfScenarioInfo& info);
  void write_summary(std::size_t scenario, const SummaryTable& table);
  // values[t * members + m] for one aggregate of member_aggregates.
  void write_members(std::size_t scenario, AggregateSeries series, const double* values, std::int64_t members);
  // Every per-sector series of member_sector_series from a kept store.
  void write_sector_members(std::size_t scenario, const SeriesStore& store);
  void close();  // also done by the destructor (which does not throw)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reading a NetCDF file back (compare, tests): a thin read-only wrapper
// over the C API. Throws std::runtime_error naming the file and the
// variable on any error.
class NetcdfReader {
 public:
  explicit NetcdfReader(const std::string& path);
  ~NetcdfReader();
  NetcdfReader(const NetcdfReader&) = delete;
  NetcdfReader& operator=(const NetcdfReader&) = delete;

  bool has_dimension(const std::string& name) const;
  std::size_t dimension(const std::string& name) const;
  bool has_variable(const std::string& name) const;
  std::vector<std::string> variable_dimensions(const std::string& variable) const;
  std::vector<std::string> strings(const std::string& variable) const;  // a 1-d string variable
  // A hyperslab as doubles (any numeric type is converted).
  std::vector<double> doubles(const std::string& variable, const std::vector<std::size_t>& start,
                              const std::vector<std::size_t>& count) const;
  std::vector<double> doubles(const std::string& variable) const;  // the whole variable
  // A text attribute ("" when absent); variable "" for a global attribute.
  std::string text_attribute(const std::string& variable, const std::string& name) const;

 private:
  int variable_id(const std::string& name) const;
  std::string path_;
  int ncid_ = -1;
};

// True once a file failed to close (a write error, e.g. a full disk, while
// HDF5 flushed it). HDF5 keeps such a file half open, and its exit handler
// then crashes on it: the process should end with std::_Exit once its own
// cleanup (the staging folder) is done.
bool netcdf_file_left_open();

// Days from 1970-01-01 to the first day of `ym` (proleptic Gregorian).
std::int64_t days_since_epoch(YearMonth ym);

}  // namespace mfgsim
