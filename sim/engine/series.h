// The reported series of MODEL.md ("Reported series") and how a run's values
// are laid out for summaries: one cell per (series, sector, month), each cell
// holding one value per member, contiguous over members.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mfgsim {

// Per-sector series, in the order the engine records them.
enum class SectorSeries : int {
  va, gross_output, capacity, utilisation, capital, investment, retrofit_spending, new_loans,
  price, demand_pressure, long_term_loans, short_term_loans, adoption, upgrade_share, log_tfp,
  energy_intensity, energy, co2, adopted_firms, demonstration_firms,
  va_ytd_yoy,  // derived from va after the run
  count
};

// Aggregate series (sector left empty in result files). The levers
// (MODEL.md's schedules, models/fields.h MFGSIM_LEVERS) are reported under
// their scenario keys: each member's value that month, as the model used it
// (a drawn `uncertain:` ramp end moves it per member). Demonstrations so
// far are the per-sector series demonstration_firms.
enum class AggregateSeries : int {
  industry_va, manufacturing_va, co2, energy, adoption, long_term_loans, long_term_share,
  new_loans, recycling_ratio,
  carbon_price, retrofit_push, long_term_growth, innovation_p, recycling_target,  // levers
  industry_va_ytd_yoy, manufacturing_va_ytd_yoy, long_term_loans_yoy,  // derived
  count
};

// The levers among the aggregates.
inline constexpr std::array<AggregateSeries, 5> kLeverSeries = {
    AggregateSeries::carbon_price, AggregateSeries::retrofit_push, AggregateSeries::long_term_growth,
    AggregateSeries::innovation_p, AggregateSeries::recycling_target};

inline constexpr int kSectorSeriesCount = static_cast<int>(SectorSeries::count);
inline constexpr int kAggregateSeriesCount = static_cast<int>(AggregateSeries::count);
inline constexpr int kRecordedSectorSeries = static_cast<int>(SectorSeries::va_ytd_yoy);
inline constexpr int kRecordedAggregateSeries = static_cast<int>(AggregateSeries::industry_va_ytd_yoy);

std::string_view series_name(SectorSeries s);
std::string_view series_name(AggregateSeries s);
// The unit for people ("100 million yuan/month (2020 prices)", "tCO2/month";
// "1" for ratios), as plots and tables show it.
std::string_view series_unit(SectorSeries s);
std::string_view series_unit(AggregateSeries s);
// The same unit as a UDUNITS-2 string ("1e8 month-1", "t month-1"), as
// results.nc's `units` and summary.csv's `unit` hold it: UDUNITS has no
// currency, so yuan are counted (1e8 = 100 million yuan), and a tonne of
// coal equivalent is 29.3076 GJ (GB/T 2589-2020).
std::string_view series_udunits(SectorSeries s);
std::string_view series_udunits(AggregateSeries s);
// The series' name for people, as plot titles and reports show it
// ("Manufacturing value added, year-to-date growth").
std::string_view series_long_name(SectorSeries s);
std::string_view series_long_name(AggregateSeries s);
// The long name of any name all_series_names() lists (the aggregate's when
// the name is both); the name itself when it is not a series.
std::string_view series_long_name(std::string_view name);

// Every name a scenario's `outputs:` (or --outputs) may list: a name that is
// a sector series, an aggregate series, or both (`co2`, `energy`, `adoption`,
// `long_term_loans`, `new_loans` name both).
std::vector<std::string> all_series_names();
bool is_known_series(std::string_view name);
// The sector (aggregate) series of that name; nothing when there is none.
std::optional<SectorSeries> sector_series_named(std::string_view name);
std::optional<AggregateSeries> aggregate_series_named(std::string_view name);

// Which series are summarised and written (`outputs:` / --outputs): empty
// `names` means all.
struct OutputSelection {
  std::vector<std::string> names;
  bool includes(std::string_view name) const;
};

// Cells: every (series, sector, month) of the per-sector series, then every
// (series, month) of the aggregates. The ids of the cells whose series the
// selection includes, ascending.
inline std::int64_t sector_cell_id(int series, int sector, int t, int sectors, int months) {
  return (static_cast<std::int64_t>(series) * sectors + sector) * months + t;
}
inline std::int64_t aggregate_cell_id(int series, int t, int sectors, int months) {
  return static_cast<std::int64_t>(kSectorSeriesCount) * sectors * months + static_cast<std::int64_t>(series) * months + t;
}
inline std::int64_t cell_count(int sectors, int months) {
  return (static_cast<std::int64_t>(kSectorSeriesCount) * sectors + kAggregateSeriesCount) * months;
}
std::vector<std::int64_t> selected_cells(const OutputSelection& selection, int sectors, int months);

}  // namespace mfgsim
