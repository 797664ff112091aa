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
    {"industry_va_ytd_yoy", "1", "1"},
    {"manufacturing_va_ytd_yoy", "1", "1"},
    {"long_term_loans_yoy", "1", "1"},
}};

// Kept apart from the table above so that adding a series shows here as a
// missing name (tests/engine/series_test.cpp checks none is empty).
constexpr std::array<std::string_view, kSectorSeriesCount> kSectorLongName = {{
    "Value added",
    "Gross output",
    "Capacity output",
    "Capacity utilisation",
    "Capital stock",
    "Investment",
    "Low-carbon retrofit spending",
    "New loans",
    "Relative price",
    "Demand pressure",
    "Long-term loans outstanding",
    "Short-term loans outstanding",
    "Intelligent-manufacturing adoption",
    "Low-carbon upgraded share of capacity",
    "Log total factor productivity",
    "Energy intensity",
    "Energy use",
    "CO2 emissions",
    "Firms adopting intelligent manufacturing",
    "Demonstration firms",
    "Value added, year-to-date growth",
}};

constexpr std::array<std::string_view, kAggregateSeriesCount> kAggregateLongName = {{
    "Industrial value added",
    "Manufacturing value added",
    "CO2 emissions",
    "Energy use",
    "Intelligent-manufacturing adoption (manufacturing)",
    "Long-term loans to manufacturing",
    "Long-term share of manufacturing loans",
    "New loans to manufacturing",
    "Recycling ratio",
    "Industrial value added, year-to-date growth",
    "Manufacturing value added, year-to-date growth",
    "Long-term loans to manufacturing, growth year on year",
}};

}  // namespace

std::string_view series_long_name(SectorSeries s) { return kSectorLongName[static_cast<int>(s)]; }
std::string_view series_long_name(AggregateSeries s) { return kAggregateLongName[static_cast<int>(s)]; }
std::string_view series_long_name(std::string_view name) {
  for (int a = 0; a < kAggregateSeriesCount; ++a)
    if (kAggregateText[a].name == name) return kAggregateLongName[a];
  for (int s = 0; s < kSectorSeriesCount; ++s)
    if (kSectorText[s].name == name) return kSectorLongName[s];
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

}  // namespace mfgsim
