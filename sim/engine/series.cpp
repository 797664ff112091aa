#include "sim/engine/series.h"

#include <algorithm>
#include <array>

namespace mfgsim {
namespace {

// `unit`: for people (plots, tables); `udunits`: the same unit as UDUNITS-2
// parses it (results.nc `units`, summary.csv `unit`). UDUNITS has no
// currency: yuan are counted (100 million yuan = 1e8); a tonne of coal
// equivalent is 29.3076 GJ (GB/T 2589).
struct SeriesText {
  std::string_view name, unit, udunits;
};

constexpr std::array<SeriesText, kSectorSeriesCount> kSectorText = {{
    {"va", "100 million yuan/month (2020 prices)", "1e8 month-1"},
    {"gross_output", "100 million yuan/month (2020 prices)", "1e8 month-1"},
    {"capacity", "100 million yuan/month (2020 prices)", "1e8 month-1"},
    {"utilisation", "1", "1"},
    {"capital", "100 million yuan (2020 prices)", "1e8"},
    {"investment", "100 million yuan/month (2020 prices)", "1e8 month-1"},
    {"retrofit_spending", "100 million yuan/month (2020 prices)", "1e8 month-1"},
    {"new_loans", "100 million yuan/month", "1e8 month-1"},
    {"price", "1", "1"},
    {"demand_pressure", "1", "1"},
    {"long_term_loans", "100 million yuan", "1e8"},
    {"short_term_loans", "100 million yuan", "1e8"},
    {"adoption", "1", "1"},
    {"upgrade_share", "1", "1"},
    {"log_tfp", "1", "1"},
    {"energy_intensity", "tce/10k yuan", "2.93076e-3 GJ"},
    {"energy", "tce/month", "29.3076 GJ month-1"},
    {"co2", "tCO2/month", "t month-1"},
    {"adopted_firms", "enterprises", "1"},
    {"demonstration_firms", "enterprises", "1"},
    {"va_ytd_yoy", "1", "1"},
}};

constexpr std::array<SeriesText, kAggregateSeriesCount> kAggregateText = {{
    {"industry_va", "100 million yuan/month (2020 prices)", "1e8 month-1"},
    {"manufacturing_va", "100 million yuan/month (2020 prices)", "1e8 month-1"},
    {"co2", "tCO2/month", "t month-1"},
    {"energy", "tce/month", "29.3076 GJ month-1"},
    {"adoption", "1", "1"},
    {"long_term_loans", "100 million yuan", "1e8"},
    {"long_term_share", "1", "1"},
    {"new_loans", "100 million yuan/month", "1e8 month-1"},
    {"recycling_ratio", "1", "1"},
    // Levers: yuan are counted, so yuan per tonne of CO2 is "t-1".
    {"carbon_price", "yuan/tCO2", "t-1"},
    {"retrofit_push", "1/yr", "year-1"},
    {"long_term_growth", "1/yr", "year-1"},
    {"innovation_p", "1/yr", "year-1"},
    {"recycling_target", "1", "1"},
    {"industry_va_ytd_yoy", "1", "1"},
    {"manufacturing_va_ytd_yoy", "1", "1"},
    {"long_term_loans_yoy", "1", "1"},
}};

// Names for people, keyed by series name so that no order can mix them up;
// tests/engine/series_test.cpp checks that every series has one.
struct LongName {
  std::string_view name, long_name;
};

constexpr std::array<LongName, kSectorSeriesCount> kSectorLongName = {{
    {"va", "Value added"},
    {"gross_output", "Gross output"},
    {"capacity", "Capacity output"},
    {"utilisation", "Capacity utilisation"},
    {"capital", "Capital stock"},
    {"investment", "Investment"},
    {"retrofit_spending", "Low-carbon retrofit spending"},
    {"new_loans", "New loans"},
    {"price", "Relative price"},
    {"demand_pressure", "Demand pressure"},
    {"long_term_loans", "Long-term loans outstanding"},
    {"short_term_loans", "Short-term loans outstanding"},
    {"adoption", "Intelligent-manufacturing adoption"},
    {"upgrade_share", "Low-carbon upgraded share of capacity"},
    {"log_tfp", "Log total factor productivity"},
    {"energy_intensity", "Energy intensity"},
    {"energy", "Energy use"},
    {"co2", "CO2 emissions"},
    {"adopted_firms", "Firms adopting intelligent manufacturing"},
    {"demonstration_firms", "Demonstration firms"},
    {"va_ytd_yoy", "Value added, year-to-date growth"},
}};

constexpr std::array<LongName, kAggregateSeriesCount> kAggregateLongName = {{
    {"industry_va", "Industrial value added"},
    {"manufacturing_va", "Manufacturing value added"},
    {"co2", "CO2 emissions"},
    {"energy", "Energy use"},
    {"adoption", "Intelligent-manufacturing adoption (manufacturing)"},
    {"long_term_loans", "Long-term loans to manufacturing"},
    {"long_term_share", "Long-term share of manufacturing loans"},
    {"new_loans", "New loans to manufacturing"},
    {"recycling_ratio", "Recycling ratio"},
    {"carbon_price", "Carbon price (lever)"},
    {"retrofit_push", "Low-carbon retrofit push (lever)"},
    {"long_term_growth", "Long-term lending growth (lever)"},
    {"innovation_p", "Intelligent-manufacturing innovation rate (lever)"},
    {"recycling_target", "Recycling target (lever)"},
    {"industry_va_ytd_yoy", "Industrial value added, year-to-date growth"},
    {"manufacturing_va_ytd_yoy", "Manufacturing value added, year-to-date growth"},
    {"long_term_loans_yoy", "Long-term loans to manufacturing, growth year on year"},
}};

template <std::size_t N>
std::string_view long_name_of(const std::array<LongName, N>& table, std::string_view name) {
  for (const LongName& entry : table)
    if (entry.name == name) return entry.long_name;
  return {};
}

}  // namespace

std::string_view series_long_name(SectorSeries s) { return long_name_of(kSectorLongName, series_name(s)); }
std::string_view series_long_name(AggregateSeries s) { return long_name_of(kAggregateLongName, series_name(s)); }
std::string_view series_long_name(std::string_view name) {
  if (const std::string_view aggregate = long_name_of(kAggregateLongName, name); !aggregate.empty()) return aggregate;
  if (const std::string_view sector = long_name_of(kSectorLongName, name); !sector.empty()) return sector;
  return name;
}

std::string_view series_name(SectorSeries s) { return kSectorText[static_cast<int>(s)].name; }
std::string_view series_name(AggregateSeries s) { return kAggregateText[static_cast<int>(s)].name; }
std::string_view series_unit(SectorSeries s) { return kSectorText[static_cast<int>(s)].unit; }
std::string_view series_unit(AggregateSeries s) { return kAggregateText[static_cast<int>(s)].unit; }
std::string_view series_udunits(SectorSeries s) { return kSectorText[static_cast<int>(s)].udunits; }
std::string_view series_udunits(AggregateSeries s) { return kAggregateText[static_cast<int>(s)].udunits; }

std::vector<std::string> all_series_names() {
  std::vector<std::string> names;
  for (const auto& t : kSectorText) names.emplace_back(t.name);
  for (const auto& t : kAggregateText)
    if (std::find(names.begin(), names.end(), t.name) == names.end()) names.emplace_back(t.name);
  return names;
}

bool OutputSelection::includes(std::string_view name) const {
  return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<std::int64_t> selected_cells(const OutputSelection& selection, int sectors, int months) {
  std::vector<std::int64_t> ids;
  for (int s = 0; s < kSectorSeriesCount; ++s)
    if (selection.includes(series_name(static_cast<SectorSeries>(s))))
      for (int i = 0; i < sectors; ++i)
        for (int t = 0; t < months; ++t) ids.push_back(sector_cell_id(s, i, t, sectors, months));
  for (int a = 0; a < kAggregateSeriesCount; ++a)
    if (selection.includes(series_name(static_cast<AggregateSeries>(a))))
      for (int t = 0; t < months; ++t) ids.push_back(aggregate_cell_id(a, t, sectors, months));
  return ids;
}

bool is_known_series(std::string_view name) {
  for (const auto& t : kSectorText)
    if (t.name == name) return true;
  for (const auto& t : kAggregateText)
    if (t.name == name) return true;
  return false;
}

std::optional<SectorSeries> sector_series_named(std::string_view name) {
  for (int s = 0; s < kSectorSeriesCount; ++s)
    if (series_name(static_cast<SectorSeries>(s)) == name) return static_cast<SectorSeries>(s);
  return std::nullopt;
}

std::optional<AggregateSeries> aggregate_series_named(std::string_view name) {
  for (int a = 0; a < kAggregateSeriesCount; ++a)
    if (series_name(static_cast<AggregateSeries>(a)) == name) return static_cast<AggregateSeries>(a);
  return std::nullopt;
}

}  // namespace mfgsim
