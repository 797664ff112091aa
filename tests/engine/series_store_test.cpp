// sim/engine/series_store.h: the layout of a store (2 sectors, 16 months
// from 2022-11, 3 members), the derived ytd-yoy and yoy series by hand, and
// assembling a store from parts.
#include "sim/engine/series_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/ensemble/ensemble.h"

namespace mfgsim {
namespace {

SectorTable two_sectors() {
  SectorTable sectors;
  sectors.names = {"mining", "steel"};
  sectors.industry = {1.0, 1.0};
  sectors.manufacturing = {0.0, 1.0};
  return sectors;
}

const Calendar kCalendar{{2022, 11}, 16};  // t = 2 is 2023-01, t = 14 is 2024-01

TEST(SeriesStore, LayoutMembersContiguousInCellOrder) {
  SeriesStore store(kCalendar, two_sectors(), 3);
  EXPECT_EQ(SeriesStore::bytes_needed(2, 16, 3), 944u * 3u * 8u);  // (21 * 2 + 17) * 16 cells
  EXPECT_EQ(store.size(), 944u * 3u);
  EXPECT_TRUE(std::isnan(store.data()[0]));  // NaN until recorded
  EXPECT_EQ(store.cell(SectorSeries::price, 1, 5), store.data() + sector_cell_id(8, 1, 5, 2, 16) * 3);
  EXPECT_EQ(store.cell(AggregateSeries::energy, 7), store.cell_at(aggregate_cell_id(3, 7, 2, 16)));
}

// va = 100 + t + 10 m (member m). Only 2024-01 and 2024-02 have a whole
// previous year to date in the run: ytd-yoy (va14) / (va2) - 1 and
// (va14 + va15) / (va2 + va3) - 1. Loans 50 + t: yoy (50 + t) / (38 + t) - 1 from t = 12.
TEST(SeriesStore, DeriveYtdYoyAndYoyByHand) {
  SeriesStore store(kCalendar, two_sectors(), 3);
  for (int t = 0; t < 16; ++t)
    for (int m = 0; m < 3; ++m) {
      store.cell(SectorSeries::va, 1, t)[m] = 100.0 + t + 10 * m;
      store.cell(SectorSeries::va, 0, t)[m] = 1.0;
      store.cell(AggregateSeries::industry_va, t)[m] = 100.0 + t + 10 * m;
      store.cell(AggregateSeries::manufacturing_va, t)[m] = 2.0 * (t + 1);
      store.cell(AggregateSeries::long_term_loans, t)[m] = 50.0 + t;
    }
  store.derive();
  for (int t = 0; t < 14; ++t) {
    EXPECT_TRUE(std::isnan(store.cell(SectorSeries::va_ytd_yoy, 1, t)[0])) << t;
    EXPECT_TRUE(std::isnan(store.cell(AggregateSeries::manufacturing_va_ytd_yoy, t)[2])) << t;
  }
  EXPECT_NEAR(store.cell(SectorSeries::va_ytd_yoy, 1, 14)[0], 12.0 / 102.0, 1e-15);
  EXPECT_NEAR(store.cell(SectorSeries::va_ytd_yoy, 1, 15)[0], 24.0 / 205.0, 1e-15);
  EXPECT_NEAR(store.cell(SectorSeries::va_ytd_yoy, 1, 15)[2], 24.0 / 245.0, 1e-15);  // member 2: +20
  EXPECT_EQ(store.cell(SectorSeries::va_ytd_yoy, 0, 15)[1], 0.0);
  EXPECT_NEAR(store.cell(AggregateSeries::industry_va_ytd_yoy, 14)[1], 12.0 / 112.0, 1e-15);
  EXPECT_NEAR(store.cell(AggregateSeries::manufacturing_va_ytd_yoy, 15)[0], (30.0 + 32.0) / (6.0 + 8.0) - 1.0, 1e-15);
  EXPECT_TRUE(std::isnan(store.cell(AggregateSeries::long_term_loans_yoy, 11)[0]));
  EXPECT_NEAR(store.cell(AggregateSeries::long_term_loans_yoy, 12)[0], 0.24, 1e-15);
  EXPECT_NEAR(store.cell(AggregateSeries::long_term_loans_yoy, 15)[1], 12.0 / 53.0, 1e-15);
}

// A January start: the first January of the second year is its own yoy.
TEST(SeriesStore, JanuaryStartDefinesYtdYoyFromMonthTwelve) {
  SeriesStore store({{2022, 1}, 14}, two_sectors(), 1);
  for (int t = 0; t < 14; ++t) store.cell(SectorSeries::va, 0, t)[0] = 10.0 + t;
  store.derive();
  EXPECT_TRUE(std::isnan(store.cell(SectorSeries::va_ytd_yoy, 0, 11)[0]));
  EXPECT_NEAR(store.cell(SectorSeries::va_ytd_yoy, 0, 12)[0], 22.0 / 10.0 - 1.0, 1e-15);
  EXPECT_NEAR(store.cell(SectorSeries::va_ytd_yoy, 0, 13)[0], (22.0 + 23.0) / (10.0 + 11.0) - 1.0, 1e-15);
}

TEST(SeriesStore, CopyMembersPlacesAPart) {
  SeriesStore whole(kCalendar, two_sectors(), 3), part(kCalendar, two_sectors(), 2);
  for (std::size_t k = 0; k < part.size(); ++k) part.data()[k] = static_cast<double>(k);
  whole.copy_members(part, 1);
  const std::int64_t id = sector_cell_id(4, 1, 9, 2, 16);
  EXPECT_TRUE(std::isnan(whole.cell_at(id)[0]));
  EXPECT_EQ(whole.cell_at(id)[1], 2.0 * id);
  EXPECT_EQ(whole.cell_at(id)[2], 2.0 * id + 1);
  EXPECT_THROW(whole.copy_members(part, 2), std::logic_error);
  EXPECT_THROW(whole.copy_members(SeriesStore({{2022, 11}, 15}, two_sectors(), 1), 0), std::logic_error);
}

// ytd-yoy by hand from the store's va cells of an engine run (30 months
// from January; moved here from tests/engine/engine_test.cpp).
TEST(SeriesStore, YtdYoyOfAnEngineRun) {
  const ScenarioLoad load = load_scenario_text(
      "name: ytd30\nextends: baseline.yaml\ncalendar: {start: 2022-01, months: 30}\n", "inline.yaml",
      MFGSIM_SOURCE_DIR "/scenarios");
  ASSERT_TRUE(load.scenario.has_value()) << load.diagnostics.format();
  const EnsembleResult res = run_ensemble(*load.scenario, EnsembleRequest{});
  const SeriesStore& st = *res.store;
  auto by_hand = [](auto value, int t) {
    const int m = t % 12 + 1;  // January start
    double cur = 0.0, prev = 0.0;
    for (int k = t - m + 1; k <= t; ++k) {
      cur += value(k);
      prev += value(k - 12);
    }
    return cur / prev - 1.0;
  };
  auto expect_close = [](double got, double want, const std::string& what) {
    EXPECT_NEAR(got, want, 1e-13 * std::max(1.0, std::abs(want))) << what;
  };
  for (int t = 0; t < 30; ++t) {
    const std::string where = "t " + std::to_string(t);
    if (t < 12) {
      EXPECT_TRUE(std::isnan(st.cell(AggregateSeries::industry_va_ytd_yoy, t)[0])) << where;
      EXPECT_TRUE(std::isnan(st.cell(AggregateSeries::manufacturing_va_ytd_yoy, t)[0])) << where;
      EXPECT_TRUE(std::isnan(st.cell(AggregateSeries::long_term_loans_yoy, t)[0])) << where;
      for (int i = 0; i < st.sectors(); ++i) EXPECT_TRUE(std::isnan(st.cell(SectorSeries::va_ytd_yoy, i, t)[0]));
      continue;
    }
    for (int i = 0; i < st.sectors(); ++i)
      expect_close(st.cell(SectorSeries::va_ytd_yoy, i, t)[0],
                   by_hand([&](int k) { return st.cell(SectorSeries::va, i, k)[0]; }, t),
                   "va_ytd_yoy sector " + std::to_string(i) + " " + where);
    expect_close(st.cell(AggregateSeries::industry_va_ytd_yoy, t)[0],
                 by_hand([&](int k) { return st.cell(AggregateSeries::industry_va, k)[0]; }, t),
                 "industry " + where);
    expect_close(st.cell(AggregateSeries::manufacturing_va_ytd_yoy, t)[0],
                 by_hand([&](int k) { return st.cell(AggregateSeries::manufacturing_va, k)[0]; }, t),
                 "manufacturing " + where);
    expect_close(st.cell(AggregateSeries::long_term_loans_yoy, t)[0],
                 st.cell(AggregateSeries::long_term_loans, t)[0] / st.cell(AggregateSeries::long_term_loans, t - 12)[0] - 1.0,
                 "loans " + where);
  }
  // In January the ytd-yoy is the month's own yoy.
  EXPECT_DOUBLE_EQ(st.cell(AggregateSeries::manufacturing_va_ytd_yoy, 12)[0],
                   st.cell(AggregateSeries::manufacturing_va, 12)[0] / st.cell(AggregateSeries::manufacturing_va, 0)[0] - 1.0);
}

}  // namespace
}  // namespace mfgsim
