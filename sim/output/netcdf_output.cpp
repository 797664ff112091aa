#include "sim/output/netcdf_output.h"

#include <netcdf.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "sim/engine/series_store.h"
#include "sim/core/statistics.h"

namespace mfgsim {

std::int64_t days_since_epoch(YearMonth ym) {
  // Howard Hinnant's days_from_civil.
  const std::int64_t y = ym.year - (ym.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (ym.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5;  // day 1 of the month
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::atomic<bool> g_left_open{false};

std::string long_name(std::string_view name, bool by_sector) {
  static const std::map<std::string_view, std::string_view> text = {
      {"va", "value added"},
      {"gross_output", "gross output"},
      {"capacity", "productive capacity"},
      {"utilisation", "capacity utilisation"},
      {"capital", "capital stock"},
      {"investment", "investment"},
      {"retrofit_spending", "low-carbon retrofit spending"},
      {"new_loans", "new medium/long-term loans"},
      {"price", "output price relative to month 0"},
      {"demand_pressure", "demand pressure"},
      {"long_term_loans", "medium/long-term loan stock"},
      {"short_term_loans", "short-term loan stock"},
      {"adoption", "intelligent-manufacturing adoption share"},
      {"upgrade_share", "low-carbon upgrade share"},
      {"log_tfp", "log total factor productivity relative to month 0"},
      {"energy_intensity", "energy per unit of value added"},
      {"energy", "energy use"},
      {"co2", "CO2 emissions"},
      {"va_ytd_yoy", "value added, year-to-date growth year on year"},
      {"industry_va", "value added of all industry"},
      {"manufacturing_va", "value added of manufacturing"},
      {"long_term_share", "long-term share of manufacturing loans"},
      {"recycling_ratio", "recycling ratio of industrial solid waste"},
      {"industry_va_ytd_yoy", "value added of all industry, year-to-date growth year on year"},
      {"manufacturing_va_ytd_yoy", "value added of manufacturing, year-to-date growth year on year"},
      {"long_term_loans_yoy", "medium/long-term loans to manufacturing, growth year on year"},
  };
  const auto it = text.find(name);
  std::string out = it == text.end() ? std::string(name) : std::string(it->second);
  return out + (by_sector ? ", by sector" : "");
}

}  // namespace

// ---- writer ----------------------------------------------------------------

bool netcdf_file_left_open() { return g_left_open; }

struct NetcdfBatchWriter::Impl {
  std::string path;
  int ncid = -1;
  NetcdfBatchLayout layout;
  std::size_t T = 0, S = 0, M = 0;
  // Variable ids per series.
  std::map<int, std::pair<int, int>> aggregate_vars;  // series -> (quantiles, mean)
  std::map<int, std::pair<int, int>> sector_vars;
  std::map<int, int> aggregate_member_vars, sector_member_vars;
  int source_var = -1, sweep_var = -1, count_var = -1, seed_var = -1, stochastic_var = -1, value_var = -1;

  // Also when the constructor throws (a write error while defining).
  ~Impl() {
    if (ncid >= 0 && nc_close(ncid) != NC_NOERR) g_left_open = true;
  }

  void check(int status, const std::string& what) const {
    if (status != NC_NOERR) throw std::runtime_error(path + ": NetCDF error (" + what + "): " + nc_strerror(status));
  }
  void text(int var, const char* name, const std::string& value) const {
    check(nc_put_att_text(ncid, var, name, value.size(), value.c_str()), std::string("attribute ") + name);
  }
  int define(const std::string& name, nc_type type, const std::vector<int>& dims, const std::vector<std::size_t>& chunks,
             bool compress, bool fill = false) const {
    int var = -1;
    check(nc_def_var(ncid, name.c_str(), type, static_cast<int>(dims.size()), dims.data(), &var), "define " + name);
    if (!chunks.empty()) check(nc_def_var_chunking(ncid, var, NC_CHUNKED, chunks.data()), "chunking " + name);
    if (compress) check(nc_def_var_deflate(ncid, var, 1, 1, 1), "deflate " + name);
    if (!chunks.empty()) {
      // Chunks are written once, a scenario at a time: a cache of two chunks
      // (fully written chunks evicted first) keeps memory independent of
      // the number of scenarios.
      std::size_t bytes = 0;
      check(nc_inq_type(ncid, type, nullptr, &bytes), "type size " + name);
      for (std::size_t c : chunks) bytes *= c;
      check(nc_set_var_chunk_cache(ncid, var, 2 * bytes, 7, 1.0f), "chunk cache " + name);
    }
    // Data variables mark undefined values with NaN; coordinates have none
    // (CF: no missing values in coordinate variables).
    if (type == NC_DOUBLE && fill) check(nc_def_var_fill(ncid, var, 0, &kNaN), "fill value " + name);
    return var;
  }
  int series_var(const std::string& name, std::string_view series, std::string_view unit, bool by_sector,
                 const std::vector<int>& dims, const std::vector<std::size_t>& chunks, const std::string& what) const {
    const int var = define(name, NC_DOUBLE, dims, chunks, true, true);
    text(var, "long_name", long_name(series, by_sector) + what);
    text(var, "units", std::string(unit));
    text(var, "coordinates", "month_label");
    return var;
  }
  void put_strings(int var, const std::vector<std::string>& values, const std::string& what) const {
    std::vector<const char*> pointers;
    for (const std::string& s : values) pointers.push_back(s.c_str());
    if (pointers.empty()) return;
    const std::size_t start = 0, count = pointers.size();
    check(nc_put_vara_string(ncid, var, &start, &count, pointers.data()), "write " + what);
  }
};

NetcdfBatchWriter::NetcdfBatchWriter(const std::string& path, const NetcdfBatchLayout& layout)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.path = path;
  d.layout = layout;
  d.T = static_cast<std::size_t>(layout.calendar.months);
  d.S = layout.sectors.size();
  d.M = static_cast<std::size_t>(layout.members);
  const std::size_t N = layout.scenarios.size(), Q = kQuantileLevels.size();
  d.check(nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &d.ncid), "create");

  d.text(NC_GLOBAL, "title", layout.title);
  d.text(NC_GLOBAL, "source", std::string("mfgsim ") + MFGSIM_VERSION);
  d.text(NC_GLOBAL, "Conventions", "CF-1.8");
  d.text(NC_GLOBAL, "history", layout.history);
  d.text(NC_GLOBAL, "comment",
         "Ensemble summaries (mean and quantiles across members) of each scenario's monthly series; "
         "growth rates are fractions (0.05 = 5%); see the mfgsim README.");

  int scenario_dim, month_dim, sector_dim, quantile_dim, nv_dim, member_dim = -1, parameter_dim = -1;
  d.check(nc_def_dim(d.ncid, "scenario", N, &scenario_dim), "dimension scenario");
  d.check(nc_def_dim(d.ncid, "month", d.T, &month_dim), "dimension month");
  d.check(nc_def_dim(d.ncid, "sector", d.S, &sector_dim), "dimension sector");
  d.check(nc_def_dim(d.ncid, "quantile", Q, &quantile_dim), "dimension quantile");
  d.check(nc_def_dim(d.ncid, "nv", 2, &nv_dim), "dimension nv");
  if (d.M > 0) d.check(nc_def_dim(d.ncid, "member", d.M, &member_dim), "dimension member");
  if (!layout.parameters.empty())
    d.check(nc_def_dim(d.ncid, "parameter", layout.parameters.size(), &parameter_dim), "dimension parameter");

  const int scenario_var = d.define("scenario", NC_STRING, {scenario_dim}, {}, false);
  d.text(scenario_var, "long_name", "scenario name");
  d.text(scenario_var, "cf_role", "timeseries_id");
  const int month_var = d.define("month", NC_DOUBLE, {month_dim}, {}, false);
  d.text(month_var, "standard_name", "time");
  d.text(month_var, "long_name", "first day of the month");
  d.text(month_var, "units", "days since 1970-01-01");
  d.text(month_var, "calendar", "standard");
  d.text(month_var, "bounds", "month_bnds");
  d.text(month_var, "axis", "T");
  const int bounds_var = d.define("month_bnds", NC_DOUBLE, {month_dim, nv_dim}, {}, false);
  const int label_var = d.define("month_label", NC_STRING, {month_dim}, {}, false);
  d.text(label_var, "long_name", "calendar month (YYYY-MM)");
  const int sector_var = d.define("sector", NC_STRING, {sector_dim}, {}, false);
  d.text(sector_var, "long_name", "sector name");
  const int quantile_var = d.define("quantile", NC_DOUBLE, {quantile_dim}, {}, false);
  d.text(quantile_var, "long_name", "quantile level across ensemble members (linear interpolation, Hyndman-Fan type 7)");
  d.text(quantile_var, "units", "1");
  int member_var = -1, parameter_var = -1;
  if (d.M > 0) {
    member_var = d.define("member", NC_INT, {member_dim}, {}, false);
    d.text(member_var, "long_name", "ensemble member index (member k of every scenario draws the same random numbers)");
  }
  if (parameter_dim >= 0) {
    parameter_var = d.define("parameter", NC_STRING, {parameter_dim}, {}, false);
    d.text(parameter_var, "long_name", "swept parameter path");
  }
  d.source_var = d.define("source", NC_STRING, {scenario_dim}, {}, false);
  d.text(d.source_var, "long_name", "scenario file (or the sweep's base file)");
  d.sweep_var = d.define("sweep", NC_STRING, {scenario_dim}, {}, false);
  d.text(d.sweep_var, "long_name", "sweep that generated the scenario (empty for a scenario file)");
  d.count_var = d.define("member_count", NC_INT, {scenario_dim}, {}, false);
  d.text(d.count_var, "long_name", "ensemble members of the scenario");
  d.seed_var = d.define("seed", NC_UINT64, {scenario_dim}, {}, false);
  d.text(d.seed_var, "long_name", "random seed");
  d.stochastic_var = d.define("stochastic", NC_BYTE, {scenario_dim}, {}, false);
  d.text(d.stochastic_var, "long_name", "shocks and uncertain draws on (1) or off (0)");
  if (parameter_dim >= 0) {
    d.value_var = d.define("parameter_value", NC_DOUBLE, {scenario_dim, parameter_dim}, {}, false, true);
    d.text(d.value_var, "long_name", "value of each swept parameter in the scenario (NaN: not a single value there)");
  }

  for (int s = 0; s < kSectorSeriesCount; ++s) {
    const auto series = static_cast<SectorSeries>(s);
    const std::string name(series_name(series));
    if (!layout.selection.includes(name)) continue;
    const std::string var = name + "_by_sector";
    d.sector_vars[s] = {
        d.series_var(var, name, series_unit(series), true, {scenario_dim, month_dim, sector_dim, quantile_dim},
                     {1, d.T, d.S, Q}, ": quantiles across members"),
        d.series_var(var + "_mean", name, series_unit(series), true, {scenario_dim, month_dim, sector_dim},
                     {1, d.T, d.S}, ": mean across members")};
  }
  for (int a = 0; a < kAggregateSeriesCount; ++a) {
    const auto series = static_cast<AggregateSeries>(a);
    const std::string name(series_name(series));
    if (!layout.selection.includes(name)) continue;
    d.aggregate_vars[a] = {d.series_var(name, name, series_unit(series), false, {scenario_dim, month_dim, quantile_dim},
                                        {1, d.T, Q}, ": quantiles across members"),
                           d.series_var(name + "_mean", name, series_unit(series), false, {scenario_dim, month_dim},
                                        {1, d.T}, ": mean across members")};
  }
  if (d.M > 0) {
    for (AggregateSeries series : layout.member_aggregates) {
      const std::string name(series_name(series));
      d.aggregate_member_vars[static_cast<int>(series)] =
          d.series_var(name + "_members", name, series_unit(series), false, {scenario_dim, month_dim, member_dim},
                       {1, d.T, d.M}, ": every member's value");
    }
    for (SectorSeries series : layout.member_sector_series) {
      const std::string name(series_name(series));
      d.sector_member_vars[static_cast<int>(series)] =
          d.series_var(name + "_by_sector_members", name, series_unit(series), true,
                       {scenario_dim, month_dim, sector_dim, member_dim}, {1, d.T, d.S, d.M}, ": every member's value");
    }
  }
  d.check(nc_enddef(d.ncid), "end of definitions");

  d.put_strings(scenario_var, layout.scenarios, "scenario");
  std::vector<double> days(d.T), bounds(2 * d.T);
  std::vector<std::string> labels(d.T);
  for (std::size_t t = 0; t < d.T; ++t) {
    const YearMonth ym = layout.calendar.at(static_cast<int>(t));
    days[t] = static_cast<double>(days_since_epoch(ym));
    bounds[2 * t] = days[t];
    bounds[2 * t + 1] = static_cast<double>(days_since_epoch(add_months(ym, 1)));
    labels[t] = format_year_month(ym);
  }
  d.check(nc_put_var_double(d.ncid, month_var, days.data()), "write month");
  d.check(nc_put_var_double(d.ncid, bounds_var, bounds.data()), "write month_bnds");
  d.put_strings(label_var, labels, "month_label");
  d.put_strings(sector_var, layout.sectors, "sector");
  d.check(nc_put_var_double(d.ncid, quantile_var, kQuantileLevels.data()), "write quantile");
  if (member_var >= 0) {
    std::vector<int> index(d.M);
    for (std::size_t m = 0; m < d.M; ++m) index[m] = static_cast<int>(m);
    d.check(nc_put_var_int(d.ncid, member_var, index.data()), "write member");
  }
  if (parameter_var >= 0) d.put_strings(parameter_var, layout.parameters, "parameter");
}

NetcdfBatchWriter::~NetcdfBatchWriter() = default;

void NetcdfBatchWriter::close() {
  if (impl_->ncid < 0) return;
  const int status = nc_close(impl_->ncid);
  impl_->ncid = -1;
  if (status != NC_NOERR) g_left_open = true;
  impl_->check(status, "close");
}

void NetcdfBatchWriter::write_info(std::size_t scenario, const NetcdfScenarioInfo& info) {
  Impl& d = *impl_;
  const std::size_t one = 1;
  const char* source = info.source.c_str();
  const char* sweep = info.sweep.c_str();
  d.check(nc_put_vara_string(d.ncid, d.source_var, &scenario, &one, &source), "write source");
  d.check(nc_put_vara_string(d.ncid, d.sweep_var, &scenario, &one, &sweep), "write sweep");
  const int count = static_cast<int>(info.members);
  d.check(nc_put_var1_int(d.ncid, d.count_var, &scenario, &count), "write member_count");
  const unsigned long long seed = info.seed;
  d.check(nc_put_var1_ulonglong(d.ncid, d.seed_var, &scenario, &seed), "write seed");
  const signed char stochastic = info.stochastic ? 1 : 0;
  d.check(nc_put_var1_schar(d.ncid, d.stochastic_var, &scenario, &stochastic), "write stochastic");
  if (d.value_var >= 0) {
    const std::size_t start[2] = {scenario, 0}, counts[2] = {1, info.parameter_values.size()};
    d.check(nc_put_vara_double(d.ncid, d.value_var, start, counts, info.parameter_values.data()), "write parameter_value");
  }
}

void NetcdfBatchWriter::write_summary(std::size_t scenario, const SummaryTable& table) {
  Impl& d = *impl_;
  const std::size_t Q = kQuantileLevels.size(), T = d.T, S = d.S;
  std::vector<double> quantiles, means;
  for (const auto& [s, vars] : d.sector_vars) {
    // Table: [(series * S + sector) * T + t]; file: [t][sector][q].
    quantiles.assign(T * S * Q, kNaN);
    means.assign(T * S, kNaN);
    for (std::size_t i = 0; i < S; ++i)
      for (std::size_t t = 0; t < T; ++t) {
        const CellSummary& cell = table.sector[(static_cast<std::size_t>(s) * S + i) * T + t];
        if (!cell.defined) continue;
        means[t * S + i] = cell.mean;
        for (std::size_t q = 0; q < Q; ++q) quantiles[(t * S + i) * Q + q] = cell.quantiles[q];
      }
    const std::size_t start[4] = {scenario, 0, 0, 0}, count[4] = {1, T, S, Q};
    d.check(nc_put_vara_double(d.ncid, vars.first, start, count, quantiles.data()), "write summaries");
    d.check(nc_put_vara_double(d.ncid, vars.second, start, count, means.data()), "write means");
  }
  for (const auto& [a, vars] : d.aggregate_vars) {
    quantiles.assign(T * Q, kNaN);
    means.assign(T, kNaN);
    for (std::size_t t = 0; t < T; ++t) {
      const CellSummary& cell = table.aggregate[static_cast<std::size_t>(a) * T + t];
      if (!cell.defined) continue;
      means[t] = cell.mean;
      for (std::size_t q = 0; q < Q; ++q) quantiles[t * Q + q] = cell.quantiles[q];
    }
    const std::size_t start[3] = {scenario, 0, 0}, count[3] = {1, T, Q};
    d.check(nc_put_vara_double(d.ncid, vars.first, start, count, quantiles.data()), "write summaries");
    d.check(nc_put_vara_double(d.ncid, vars.second, start, count, means.data()), "write means");
  }
}

void NetcdfBatchWriter::write_members(std::size_t scenario, AggregateSeries series, const double* values,
                                      std::int64_t members) {
  Impl& d = *impl_;
  const auto it = d.aggregate_member_vars.find(static_cast<int>(series));
  if (it == d.aggregate_member_vars.end() || members <= 0) return;
  if (static_cast<std::size_t>(members) > d.M)
    throw std::runtime_error(d.path + ": " + std::to_string(members) + " members exceed the member dimension");
  const std::size_t start[3] = {scenario, 0, 0}, count[3] = {1, d.T, static_cast<std::size_t>(members)};
  d.check(nc_put_vara_double(d.ncid, it->second, start, count, values), "write members");
}

void NetcdfBatchWriter::write_sector_members(std::size_t scenario, const SeriesStore& store) {
  Impl& d = *impl_;
  const std::size_t M = static_cast<std::size_t>(store.members()), T = d.T, S = d.S;
  std::vector<double> buffer(T * S * M);
  for (const auto& [s, var] : d.sector_member_vars) {
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t i = 0; i < S; ++i) {
        const double* cell = store.cell(static_cast<SectorSeries>(s), static_cast<int>(i), static_cast<int>(t));
        std::copy(cell, cell + M, buffer.begin() + static_cast<std::ptrdiff_t>((t * S + i) * M));
      }
    const std::size_t start[4] = {scenario, 0, 0, 0}, count[4] = {1, T, S, M};
    d.check(nc_put_vara_double(d.ncid, var, start, count, buffer.data()), "write members");
  }
}

// ---- reader ----------------------------------------------------------------

NetcdfReader::NetcdfReader(const std::string& path) : path_(path) {
  const int status = nc_open(path.c_str(), NC_NOWRITE, &ncid_);
  if (status != NC_NOERR) {
    ncid_ = -1;
    throw std::runtime_error("cannot open " + path + ": " + nc_strerror(status));
  }
}

NetcdfReader::~NetcdfReader() {
  if (ncid_ >= 0) nc_close(ncid_);
}

bool NetcdfReader::has_dimension(const std::string& name) const {
  int dim = -1;
  return nc_inq_dimid(ncid_, name.c_str(), &dim) == NC_NOERR;
}

std::size_t NetcdfReader::dimension(const std::string& name) const {
  int dim = -1;
  std::size_t length = 0;
  if (nc_inq_dimid(ncid_, name.c_str(), &dim) != NC_NOERR || nc_inq_dimlen(ncid_, dim, &length) != NC_NOERR)
    throw std::runtime_error(path_ + ": no dimension `" + name + "`");
  return length;
}

bool NetcdfReader::has_variable(const std::string& name) const {
  int var = -1;
  return nc_inq_varid(ncid_, name.c_str(), &var) == NC_NOERR;
}

int NetcdfReader::variable_id(const std::string& name) const {
  int var = -1;
  if (nc_inq_varid(ncid_, name.c_str(), &var) != NC_NOERR)
    throw std::runtime_error(path_ + ": no variable `" + name + "` (was the file written by mfgsim batch?)");
  return var;
}

std::vector<std::string> NetcdfReader::variable_dimensions(const std::string& variable) const {
  const int var = variable_id(variable);
  int ndims = 0;
  nc_inq_varndims(ncid_, var, &ndims);
  std::vector<int> dims(static_cast<std::size_t>(ndims));
  nc_inq_vardimid(ncid_, var, dims.data());
  std::vector<std::string> names;
  for (int dim : dims) {
    char name[NC_MAX_NAME + 1] = {};
    nc_inq_dimname(ncid_, dim, name);
    names.emplace_back(name);
  }
  return names;
}

std::vector<std::string> NetcdfReader::strings(const std::string& variable) const {
  const int var = variable_id(variable);
  const std::vector<std::string> dims = variable_dimensions(variable);
  nc_type type = 0;
  nc_inq_vartype(ncid_, var, &type);
  if (dims.size() != 1 || type != NC_STRING) throw std::runtime_error(path_ + ": `" + variable + "` is not a 1-d string variable");
  const std::size_t n = dimension(dims[0]);
  std::vector<char*> pointers(n, nullptr);
  if (n == 0) return {};
  const int status = nc_get_var_string(ncid_, var, pointers.data());
  if (status != NC_NOERR) throw std::runtime_error(path_ + ": cannot read `" + variable + "`: " + nc_strerror(status));
  std::vector<std::string> out;
  for (char* p : pointers) out.emplace_back(p ? p : "");
  nc_free_string(n, pointers.data());
  return out;
}

std::vector<double> NetcdfReader::doubles(const std::string& variable, const std::vector<std::size_t>& start,
                                          const std::vector<std::size_t>& count) const {
  const int var = variable_id(variable);
  std::size_t n = 1;
  for (std::size_t c : count) n *= c;
  std::vector<double> out(n);
  const int status = nc_get_vara_double(ncid_, var, start.data(), count.data(), out.data());
  if (status != NC_NOERR) throw std::runtime_error(path_ + ": cannot read `" + variable + "`: " + nc_strerror(status));
  return out;
}

std::vector<double> NetcdfReader::doubles(const std::string& variable) const {
  std::vector<std::size_t> count;
  for (const std::string& dim : variable_dimensions(variable)) count.push_back(dimension(dim));
  return doubles(variable, std::vector<std::size_t>(count.size(), 0), count);
}

std::string NetcdfReader::text_attribute(const std::string& variable, const std::string& name) const {
  const int var = variable.empty() ? NC_GLOBAL : variable_id(variable);
  std::size_t length = 0;
  nc_type type = 0;
  if (nc_inq_att(ncid_, var, name.c_str(), &type, &length) != NC_NOERR || type != NC_CHAR) return "";
  std::string out(length, '\0');
  if (nc_get_att_text(ncid_, var, name.c_str(), out.data()) != NC_NOERR) return "";
  return out;
}

}  // namespace mfgsim
