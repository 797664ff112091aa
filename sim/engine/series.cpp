#include "sim/engine/series.h"

#include <algorithm>
#include <array>

namespace mfgsim {
namespace {

struct SeriesText {
  std::string_view name, unit;
};

constexpr std::array<SeriesText, kSectorSeriesCount> kSectorText = {{
    {"va", "100 million yuan/month (2020 prices)"},
    {"gross_output", "100 million yuan/month (2020 prices)"},
    {"capacity", "100 million yuan/month (2020 prices)"},
    {"utilisation", "1"},
    {"capital", "100 million yuan (2020 prices)"},
    {"investment", "100 million yuan/month (2020 prices)"},
    {"retrofit_spending", "100 million yuan/month (2020 prices)"},
    {"new_loans", "100 million yuan/month"},
    {"price", "1"},
    {"demand_pressure", "1"},
    {"long_term_loans", "100 million yuan"},
    {"short_term_loans", "100 million yuan"},
    {"adoption", "1"},
    {"upgrade_share", "1"},
    {"log_tfp", "1"},
    {"energy_intensity", "tce/10k yuan"},
    {"energy", "tce/month"},
    {"co2", "tCO2/month"},
    {"adopted_firms", "enterprises"},
    {"demonstration_firms", "enterprises"},
    {"va_ytd_yoy", "1"},
}};

constexpr std::array<SeriesText, kAggregateSeriesCount> kAggregateText = {{
    {"industry_va", "100 million yuan/month (2020 prices)"},
    {"manufacturing_va", "100 million yuan/month (2020 prices)"},
    {"co2", "tCO2/month"},
    {"energy", "tce/month"},
    {"adoption", "1"},
    {"long_term_loans", "100 million yuan"},
    {"long_term_share", "1"},
    {"new_loans", "100 million yuan/month"},
    {"recycling_ratio", "1"},
    {"industry_va_ytd_yoy", "1"},
    {"manufacturing_va_ytd_yoy", "1"},
    {"long_term_loans_yoy", "1"},
}};

}  // namespace

std::string_view series_name(SectorSeries s) { return kSectorText[static_cast<int>(s)].name; }
std::string_view series_name(AggregateSeries s) { return kAggregateText[static_cast<int>(s)].name; }
std::string_view series_unit(SectorSeries s) { return kSectorText[static_cast<int>(s)].unit; }
std::string_view series_unit(AggregateSeries s) { return kAggregateText[static_cast<int>(s)].unit; }

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
