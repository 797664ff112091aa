#include "sim/output/results_layout.h"

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>

#include "sim/core/statistics.h"
#include "sim/ensemble/ensemble.h"
#include "sim/engine/series_store.h"

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
      {"carbon_price", "carbon price (lever)"},
      {"retrofit_push", "policy push: autonomous low-carbon upgrade hazard (lever)"},
      {"long_term_growth", "annual growth of new medium/long-term loans (lever)"},
      {"innovation_p", "Bass innovation rate of intelligent-manufacturing adoption (lever)"},
      {"recycling_target", "recycling ratio the province aims at (lever)"},
      {"industry_va_ytd_yoy", "value added of all industry, year-to-date growth year on year"},
      {"manufacturing_va_ytd_yoy", "value added of manufacturing, year-to-date growth year on year"},
      {"long_term_loans_yoy", "medium/long-term loans to manufacturing, growth year on year"},
  };
  const auto it = text.find(name);
  std::string out = it == text.end() ? std::string(name) : std::string(it->second);
  return out + (by_sector ? ", by sector" : "");
}

ResultsVariable fixed(std::string name, ResultsType type, std::vector<std::string> dims,
                      std::vector<std::pair<std::string, std::string>> attributes) {
  ResultsVariable v;
  v.name = std::move(name);
  v.type = type;
  v.dims = std::move(dims);
  v.attributes = std::move(attributes);
  return v;
}

ResultsVariable info(std::string name, ResultsType type, ResultsRole role, std::string long_name) {
  ResultsVariable v = fixed(std::move(name), type, {"scenario"}, {{"long_name", std::move(long_name)}});
  v.role = role;
  return v;
}

template <class Series>
ResultsVariable series_variable(Series series, bool by_sector, ResultsRole role) {
  const std::string name(series_name(series));
  ResultsVariable v;
  v.name = name + (by_sector ? "_by_sector" : "");
  v.dims = {"scenario", "time"};
  if (by_sector) v.dims.push_back("sector");
  const char* what = "";
  switch (role) {
    case ResultsRole::quantiles:
      v.dims.push_back("quantile_level");
      what = ": quantiles across members";
      break;
    case ResultsRole::mean:
      v.name += "_mean";
      what = ": mean across members";
      break;
    case ResultsRole::mean_se:
      v.name += "_mean_se";
      what = ": standard error of the mean across members (Monte Carlo error, s / sqrt(n))";
      break;
    default:
      v.dims.push_back("member");
      v.name += "_members";
      what = ": every member's value";
  }
  v.attributes = {{"long_name", long_name(name, by_sector) + what},
                  {"units", std::string(series_udunits(series))},
                  {"unit_label", std::string(series_unit(series))},
                  {"coordinates", "month_label"}};
  v.fill_nan = true;
  v.series = true;
  v.role = role;
  v.series_index = static_cast<int>(series);
  v.by_sector = by_sector;
  return v;
}

}  // namespace

std::size_t ResultsSpec::dimension(const std::string& name) const {
  for (const auto& [dim, length] : dimensions)
    if (dim == name) return length;
  return 0;
}

std::size_t ResultsSpec::slab_size(const ResultsVariable& variable) const {
  std::size_t n = 1;
  for (std::size_t k = 1; k < variable.dims.size(); ++k) n *= dimension(variable.dims[k]);
  return n;
}

ResultsSpec results_spec(const NetcdfBatchLayout& layout) {
  ResultsSpec spec;
  const std::size_t T = static_cast<std::size_t>(layout.calendar.months);
  spec.attributes = {{"title", layout.title},
                     {"source", std::string("mfgsim ") + MFGSIM_VERSION},
                     {"Conventions", "CF-1.8"},
                     {"history", layout.history},
                     {"comment",
                      "Ensemble summaries (mean and quantiles across members) of each scenario's monthly series; "
                      "growth rates are fractions (0.05 = 5%); see the mfgsim README."}};
  spec.dimensions = {{"scenario", layout.scenarios.size()},
                     {"time", T},
                     {"sector", layout.sectors.size()},
                     {"quantile_level", kQuantileLevels.size()},
                     {"nv", 2}};
  if (layout.members > 0) spec.dimensions.emplace_back("member", static_cast<std::size_t>(layout.members));
  if (!layout.parameters.empty()) spec.dimensions.emplace_back("parameter", layout.parameters.size());

  auto& vars = spec.variables;
  vars.push_back(fixed("scenario", ResultsType::string, {"scenario"},
                       {{"long_name", "scenario name"}, {"cf_role", "timeseries_id"}}));
  vars.back().strings = layout.scenarios;
  ResultsVariable time = fixed("time", ResultsType::f64, {"time"},
                               {{"standard_name", "time"},
                                {"long_name", "first day of the month"},
                                {"units", "days since 1970-01-01"},
                                {"calendar", "standard"},
                                {"bounds", "time_bnds"},
                                {"axis", "T"}});
  ResultsVariable bounds = fixed("time_bnds", ResultsType::f64, {"time", "nv"}, {});
  ResultsVariable labels =
      fixed("month_label", ResultsType::string, {"time"}, {{"long_name", "calendar month (YYYY-MM)"}});
  for (std::size_t t = 0; t < T; ++t) {
    const YearMonth ym = layout.calendar.at(static_cast<int>(t));
    time.numbers.push_back(static_cast<double>(days_since_epoch(ym)));
    bounds.numbers.push_back(time.numbers.back());
    bounds.numbers.push_back(static_cast<double>(days_since_epoch(add_months(ym, 1))));
    labels.strings.push_back(format_year_month(ym));
  }
  vars.push_back(std::move(time));
  vars.push_back(std::move(bounds));
  vars.push_back(std::move(labels));
  vars.push_back(fixed("sector", ResultsType::string, {"sector"}, {{"long_name", "sector name"}}));
  vars.back().strings = layout.sectors;
  vars.push_back(fixed(
      "quantile_level", ResultsType::f64, {"quantile_level"},
      {{"long_name", "quantile level across ensemble members (linear interpolation, Hyndman-Fan type 7)"},
       {"units", "1"}}));
  vars.back().numbers.assign(kQuantileLevels.begin(), kQuantileLevels.end());
  if (layout.members > 0) {
    vars.push_back(fixed("member", ResultsType::i32, {"member"},
                         {{"long_name",
                           "ensemble member index (member k of every scenario draws the same random numbers)"}}));
    for (std::int64_t m = 0; m < layout.members; ++m) vars.back().counts.push_back(static_cast<std::uint64_t>(m));
  }
  if (!layout.parameters.empty()) {
    vars.push_back(fixed("parameter", ResultsType::string, {"parameter"}, {{"long_name", "swept parameter path"}}));
    vars.back().strings = layout.parameters;
  }
  vars.push_back(info("source", ResultsType::string, ResultsRole::source, "scenario file (or the sweep's base file)"));
  vars.push_back(info("sweep", ResultsType::string, ResultsRole::sweep,
                      "sweep that generated the scenario (empty for a scenario file)"));
  vars.push_back(info("member_count", ResultsType::i32, ResultsRole::member_count, "ensemble members of the scenario"));
  vars.push_back(info("seed", ResultsType::u64, ResultsRole::seed, "random seed"));
  vars.push_back(info("stochastic", ResultsType::i8, ResultsRole::stochastic,
                      "shocks and uncertain draws on (1) or off (0)"));
  if (!layout.parameters.empty()) {
    vars.push_back(info("parameter_value", ResultsType::f64, ResultsRole::parameter_value,
                        "value of each swept parameter in the scenario (NaN: not a single value there)"));
    vars.back().dims.push_back("parameter");
    vars.back().fill_nan = true;
  }

  for (int s = 0; s < kSectorSeriesCount; ++s) {
    const auto series = static_cast<SectorSeries>(s);
    if (!layout.selection.includes(series_name(series))) continue;
    vars.push_back(series_variable(series, true, ResultsRole::quantiles));
    vars.push_back(series_variable(series, true, ResultsRole::mean));
    vars.push_back(series_variable(series, true, ResultsRole::mean_se));
  }
  for (int a = 0; a < kAggregateSeriesCount; ++a) {
    const auto series = static_cast<AggregateSeries>(a);
    if (!layout.selection.includes(series_name(series))) continue;
    vars.push_back(series_variable(series, false, ResultsRole::quantiles));
    vars.push_back(series_variable(series, false, ResultsRole::mean));
    vars.push_back(series_variable(series, false, ResultsRole::mean_se));
  }
  if (layout.members > 0) {
    for (std::size_t k = 0; k < layout.draw_parameters.size(); ++k) {
      const std::string& path = layout.draw_parameters[k];
      std::string name = "draw_";
      for (char c : path) name += c == '.' ? std::string("__") : std::string(1, c);
      ResultsVariable v = fixed(name, ResultsType::f64, {"scenario", "member"},
                                {{"long_name", "value each member drew for uncertain: " + path},
                                 {"parameter_path", path}});
      v.fill_nan = true;
      v.role = ResultsRole::drawn;
      v.series_index = static_cast<int>(k);
      vars.push_back(std::move(v));
    }
    for (AggregateSeries series : layout.member_aggregates)
      vars.push_back(series_variable(series, false, ResultsRole::members));
    for (SectorSeries series : layout.member_sector_series)
      vars.push_back(series_variable(series, true, ResultsRole::members));
  }
  return spec;
}

// ---- sinks -------------------------------------------------------------------

ResultsSink::ResultsSink(const NetcdfBatchLayout& layout)
    : spec_(results_spec(layout)),
      T_(static_cast<std::size_t>(layout.calendar.months)),
      S_(layout.sectors.size()),
      M_(static_cast<std::size_t>(layout.members)) {}

void ResultsSink::write_info(std::size_t scenario, const NetcdfScenarioInfo& info) {
  for (std::size_t v = 0; v < spec_.variables.size(); ++v) {
    switch (spec_.variables[v].role) {
      case ResultsRole::source: put_string(v, scenario, info.source); break;
      case ResultsRole::sweep: put_string(v, scenario, info.sweep); break;
      case ResultsRole::member_count: put_count(v, scenario, static_cast<std::uint64_t>(info.members)); break;
      case ResultsRole::seed: put_count(v, scenario, info.seed); break;
      case ResultsRole::stochastic: put_count(v, scenario, info.stochastic ? 1 : 0); break;
      case ResultsRole::parameter_value:
        put_numbers(v, scenario, info.parameter_values.data(), info.parameter_values.size());
        break;
      default: break;
    }
  }
}

void ResultsSink::write_summary(std::size_t scenario, const SummaryTable& table) {
  const std::size_t Q = kQuantileLevels.size(), T = T_, S = S_;
  std::vector<double> values;
  for (std::size_t v = 0; v < spec_.variables.size(); ++v) {
    const ResultsVariable& var = spec_.variables[v];
    const bool quantiles = var.role == ResultsRole::quantiles;
    if (!quantiles && var.role != ResultsRole::mean && var.role != ResultsRole::mean_se) continue;
    const auto series = static_cast<std::size_t>(var.series_index);
    // Table: sector [(series * S + sector) * T + t], aggregate [series * T + t];
    // variable: [t][sector][q] (sector and q only where the variable has them).
    const std::size_t sectors = var.by_sector ? S : 1, per = quantiles ? Q : 1;
    values.assign(T * sectors * per, kNaN);
    for (std::size_t i = 0; i < sectors; ++i)
      for (std::size_t t = 0; t < T; ++t) {
        const CellSummary& cell =
            var.by_sector ? table.sector[(series * S + i) * T + t] : table.aggregate[series * T + t];
        if (!cell.defined) continue;
        double* out = values.data() + (t * sectors + i) * per;
        if (quantiles) std::copy(cell.quantiles.begin(), cell.quantiles.end(), out);
        else *out = var.role == ResultsRole::mean ? cell.mean : cell.mean_se;
      }
    put_numbers(v, scenario, values.data(), spec_.dimension(var.dims.back()));
  }
}

void ResultsSink::write_members(std::size_t scenario, AggregateSeries series, const double* values,
                                std::int64_t members) {
  if (members <= 0) return;
  if (static_cast<std::size_t>(members) > M_)
    throw std::runtime_error(std::to_string(members) + " members exceed the member dimension of the results");
  for (std::size_t v = 0; v < spec_.variables.size(); ++v) {
    const ResultsVariable& var = spec_.variables[v];
    if (var.role == ResultsRole::members && !var.by_sector && var.series_index == static_cast<int>(series))
      put_numbers(v, scenario, values, static_cast<std::size_t>(members));
  }
}

namespace {
// Every member variable of one kind from a store, as [t][sector][m].
template <class Put>
void store_members(const ResultsSpec& spec, const SeriesStore& store, bool sectors_only, Put put) {
  const std::size_t M = static_cast<std::size_t>(store.members()), T = static_cast<std::size_t>(store.months());
  const std::size_t S = static_cast<std::size_t>(store.sectors());
  std::vector<double> buffer;
  for (std::size_t v = 0; v < spec.variables.size(); ++v) {
    const ResultsVariable& var = spec.variables[v];
    if (var.role != ResultsRole::members || (sectors_only && !var.by_sector)) continue;
    const std::size_t sectors = var.by_sector ? S : 1;
    buffer.resize(T * sectors * M);
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t i = 0; i < sectors; ++i) {
        const double* cell = var.by_sector ? store.cell(static_cast<SectorSeries>(var.series_index),
                                                        static_cast<int>(i), static_cast<int>(t))
                                           : store.cell(static_cast<AggregateSeries>(var.series_index),
                                                        static_cast<int>(t));
        std::copy(cell, cell + M, buffer.begin() + static_cast<std::ptrdiff_t>((t * sectors + i) * M));
      }
    put(v, buffer.data(), M);
  }
}
}  // namespace

void ResultsSink::write_store_members(std::size_t scenario, const SeriesStore& store) {
  if (static_cast<std::size_t>(store.members()) > M_)
    throw std::runtime_error(std::to_string(store.members()) + " members exceed the member dimension of the results");
  store_members(spec_, store, false,
                [&](std::size_t v, const double* values, std::size_t m) { put_numbers(v, scenario, values, m); });
}

void ResultsSink::write_sector_members(std::size_t scenario, const SeriesStore& store) {
  if (static_cast<std::size_t>(store.members()) > M_)
    throw std::runtime_error(std::to_string(store.members()) + " members exceed the member dimension of the results");
  store_members(spec_, store, true,
                [&](std::size_t v, const double* values, std::size_t m) { put_numbers(v, scenario, values, m); });
}

void ResultsSink::write_draws(std::size_t scenario, const MemberDraws& draws) {
  const auto members = static_cast<std::size_t>(draws.paths.empty() ? 0 : draws.values.size() / draws.paths.size());
  if (members > M_)
    throw std::runtime_error(std::to_string(members) + " members exceed the member dimension of the results");
  std::vector<double> column(members);
  for (std::size_t k = 0; k < draws.paths.size(); ++k) {
    std::size_t v = 0;
    while (v < spec_.variables.size() &&
           !(spec_.variables[v].role == ResultsRole::drawn &&
             spec_.variables[v].attributes[1].second == draws.paths[k]))
      ++v;
    if (v == spec_.variables.size()) throw std::logic_error("write_draws: no variable for " + draws.paths[k]);
    for (std::size_t m = 0; m < members; ++m) column[m] = draws.at(static_cast<std::int64_t>(m), k);
    put_numbers(v, scenario, column.data(), members);
  }
}

ResultsMemory::ResultsMemory(const NetcdfBatchLayout& layout) : ResultsSink(layout), variables_(spec().variables) {
  const std::size_t N = layout.scenarios.size();
  for (ResultsVariable& var : variables_) {
    if (var.role == ResultsRole::fixed) continue;
    const std::size_t n = N * spec().slab_size(var);
    if (var.type == ResultsType::f64) var.numbers.assign(n, kNaN);
    else if (var.type == ResultsType::string) var.strings.assign(n, "");
    else var.counts.assign(n, 0);
  }
}

void ResultsMemory::put_numbers(std::size_t v, std::size_t scenario, const double* values, std::size_t last) {
  ResultsVariable& var = variables_[v];
  const std::size_t slab = spec().slab_size(var), full = spec().dimension(var.dims.back());
  // Rows of the last dimension: `last` values given, the rest stay NaN.
  double* out = var.numbers.data() + scenario * slab;
  for (std::size_t row = 0; row < slab / full; ++row) std::copy(values + row * last, values + (row + 1) * last, out + row * full);
}

void ResultsMemory::put_count(std::size_t v, std::size_t scenario, std::uint64_t value) {
  variables_[v].counts[scenario] = value;
}

void ResultsMemory::put_string(std::size_t v, std::size_t scenario, const std::string& value) {
  variables_[v].strings[scenario] = value;
}

}  // namespace mfgsim
