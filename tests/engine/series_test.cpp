// sim/engine/series.h: names and units, the cell layout by hand (2 sectors,
// 16 months), and the selection of cells.
#include "sim/engine/series.h"

#include <gtest/gtest.h>

namespace mfgsim {
namespace {

constexpr int kS = 2, kT = 16;

TEST(Series, CountsNamesAndUnits) {
  EXPECT_EQ(kSectorSeriesCount, 21);
  EXPECT_EQ(kAggregateSeriesCount, 17);
  EXPECT_EQ(kRecordedSectorSeries, 20);
  EXPECT_EQ(kRecordedAggregateSeries, 14);  // 9 sums and ratios, then the 5 levers
  EXPECT_EQ(series_name(SectorSeries::va_ytd_yoy), "va_ytd_yoy");
  EXPECT_EQ(series_name(SectorSeries::demonstration_firms), "demonstration_firms");
  EXPECT_EQ(series_name(AggregateSeries::long_term_loans_yoy), "long_term_loans_yoy");
  EXPECT_EQ(series_unit(SectorSeries::energy), "tce/month");
  EXPECT_EQ(series_unit(AggregateSeries::co2), "tCO2/month");
  EXPECT_EQ(series_unit(SectorSeries::capital), "100 million yuan (2020 prices)");
  EXPECT_EQ(series_name(AggregateSeries::carbon_price), "carbon_price");
  EXPECT_EQ(series_udunits(AggregateSeries::carbon_price), "t-1");  // yuan counted: yuan per tonne
  EXPECT_EQ(series_udunits(AggregateSeries::retrofit_push), "year-1");
  // 21 + 17 names, five of them (co2, energy, adoption, long_term_loans,
  // new_loans) both kinds.
  EXPECT_EQ(all_series_names().size(), 33u);
  EXPECT_TRUE(is_known_series("industry_va_ytd_yoy"));
  EXPECT_FALSE(is_known_series("va_yoy"));
  EXPECT_FALSE(is_known_series(""));
}

// Every series has a name for people: a series added to the enums without
// one would leave an empty string_view in the array.
TEST(Series, EverySeriesHasALongName) {
  for (int s = 0; s < kSectorSeriesCount; ++s)
    EXPECT_FALSE(series_long_name(static_cast<SectorSeries>(s)).empty()) << series_name(static_cast<SectorSeries>(s));
  for (int a = 0; a < kAggregateSeriesCount; ++a)
    EXPECT_FALSE(series_long_name(static_cast<AggregateSeries>(a)).empty())
        << series_name(static_cast<AggregateSeries>(a));
  // A name of both kinds reads as the aggregate.
  EXPECT_EQ(series_long_name("co2"), "CO2 emissions");
  EXPECT_EQ(series_long_name("long_term_loans"), "Long-term loans to manufacturing");
  EXPECT_EQ(series_long_name("va_ytd_yoy"), "Value added, year-to-date growth");
  EXPECT_EQ(series_long_name("not_a_series"), "not_a_series");
  // Keyed by name: a series inserted among the others keeps every name in place.
  EXPECT_EQ(series_long_name(AggregateSeries::manufacturing_va_ytd_yoy), "Manufacturing value added, year-to-date growth");
  EXPECT_EQ(series_long_name(AggregateSeries::carbon_price), "Carbon price (lever)");
}

TEST(Series, CellIdsByHand) {
  EXPECT_EQ(sector_cell_id(0, 0, 0, kS, kT), 0);
  EXPECT_EQ(sector_cell_id(3, 1, 5, kS, kT), (3 * 2 + 1) * 16 + 5);  // 117
  EXPECT_EQ(aggregate_cell_id(0, 0, kS, kT), 21 * 2 * 16);           // 672, after every sector cell
  EXPECT_EQ(aggregate_cell_id(2, 4, kS, kT), 672 + 2 * 16 + 4);
  EXPECT_EQ(cell_count(kS, kT), (21 * 2 + 17) * 16);  // 944
  EXPECT_EQ(aggregate_cell_id(16, kT - 1, kS, kT), cell_count(kS, kT) - 1);
}

TEST(Series, SelectedCellsAscendingPerSelection) {
  const std::vector<std::int64_t> all = selected_cells({}, kS, kT);
  ASSERT_EQ(all.size(), 944u);
  for (std::size_t k = 0; k < all.size(); ++k) ASSERT_EQ(all[k], static_cast<std::int64_t>(k));
  const OutputSelection co2{{"co2"}};
  EXPECT_TRUE(co2.includes("co2"));
  EXPECT_FALSE(co2.includes("va"));
  const std::vector<std::int64_t> ids = selected_cells(co2, kS, kT);
  ASSERT_EQ(ids.size(), 3u * kT);  // sector co2 for two sectors, then the aggregate
  EXPECT_EQ(ids.front(), 17 * 2 * 16);
  EXPECT_EQ(ids[2 * kT - 1], 18 * 2 * 16 - 1);
  EXPECT_EQ(ids[2 * kT], 672 + 2 * 16);
  EXPECT_EQ(ids.back(), 672 + 3 * 16 - 1);
  EXPECT_TRUE(selected_cells({{"industry_va_ytd_yoy", "utilisation"}}, kS, kT).size() == 3u * kT);
}

}  // namespace
}  // namespace mfgsim
