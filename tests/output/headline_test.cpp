// sim/output/headline.h: headline months from the calendar and the latest
// target month, and headline sectors from the sector table, by hand.
#include "sim/output/headline.h"

#include <gtest/gtest.h>

namespace mfgsim {
namespace {

// 2021-01, 120 months: Decembers t = 23, 35, ..., 119 (2021-12, t = 11, is
// before the second year), 2023-06 is t = 29; ten months, so the first
// three and the last three.
TEST(Headline, MonthsOfTheShippedCalendar) {
  const Calendar calendar{{2021, 1}, 120};
  EXPECT_EQ(headline_months(calendar, "2023-06"), (std::vector<int>{23, 29, 35, 95, 107, 119}));
  EXPECT_EQ(headline_months(calendar, ""), (std::vector<int>{23, 35, 47, 95, 107, 119}));
  const ScenarioLoad baseline = load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
  ASSERT_TRUE(baseline.scenario.has_value()) << baseline.diagnostics.format();
  EXPECT_EQ(headline_months(*baseline.scenario), (std::vector<int>{23, 29, 35, 95, 107, 119}));
}

TEST(Headline, MonthsOfShortAndOddCalendars) {
  // 2022-03, 20 months: no December from t = 12 on (2023-12 is t = 21), the last month t = 19.
  EXPECT_EQ(headline_months({{2022, 3}, 20}, ""), (std::vector<int>{19}));
  // A target before the second year or after the run adds nothing; one inside does.
  EXPECT_EQ(headline_months({{2022, 3}, 20}, "2022-06"), (std::vector<int>{19}));
  EXPECT_EQ(headline_months({{2022, 3}, 20}, "2023-04"), (std::vector<int>{13, 19}));
  EXPECT_EQ(headline_months({{2022, 3}, 20}, "not a month"), (std::vector<int>{19}));
  EXPECT_TRUE(headline_months({{2022, 3}, 12}, "").empty());
}

TEST(Headline, SectorsEquipmentThenNonManufacturingIndustryThenCapitalGoods) {
  ModelParams params;
  SectorTable& s = params.sectors;
  s.names = {"coal", "power", "equipment", "textiles", "services"};
  s.industry = {1, 1, 1, 1, 0};
  s.manufacturing = {0, 0, 1, 1, 0};
  s.capital_goods_share = {0.0, 0.1, 0.6, 0.3, 0.0};
  params.equipment_sector = 3;
  EXPECT_EQ(headline_sectors(params), (std::vector<std::string>{"textiles", "coal", "power", "equipment"}));
  params.equipment_sector = 2;  // the equipment supplier is also the capital goods supplier: once
  EXPECT_EQ(headline_sectors(params), (std::vector<std::string>{"equipment", "coal", "power"}));
  params.equipment_sector = -1;
  s.capital_goods_share.assign(5, 0.0);
  EXPECT_EQ(headline_sectors(params), (std::vector<std::string>{"coal", "power"}));
}

}  // namespace
}  // namespace mfgsim
