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

}  // namespace

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
