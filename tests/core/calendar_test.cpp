// sim/core/calendar.h: parsing, formatting and month arithmetic, by hand.
#include "sim/core/calendar.h"

#include <gtest/gtest.h>

namespace mfgsim {
namespace {

TEST(Calendar, ParsesAndFormatsYearMonth) {
  EXPECT_EQ(parse_year_month("2023-06"), (YearMonth{2023, 6}));
  EXPECT_EQ(parse_year_month("1000-01"), (YearMonth{1000, 1}));
  EXPECT_EQ(parse_year_month("9999-12"), (YearMonth{9999, 12}));
  for (const char* bad : {"2023-13", "2023-00", "0999-12", "2023-6", "2023/06", "23-06", "2023-06-01", "2O23-06", ""})
    EXPECT_FALSE(parse_year_month(bad).has_value()) << bad;
  EXPECT_EQ(format_year_month({2023, 6}), "2023-06");
  EXPECT_EQ(format_year_month({987, 1}), "0987-01");
}

TEST(Calendar, Dates) {
  EXPECT_TRUE(valid_date("2023-07-31"));
  EXPECT_TRUE(valid_date("2024-02-29"));   // leap year
  EXPECT_FALSE(valid_date("2023-02-29"));
  EXPECT_FALSE(valid_date("1900-02-29"));  // not a leap year (divisible by 100)
  EXPECT_TRUE(valid_date("2000-02-29"));   // divisible by 400
  EXPECT_FALSE(valid_date("2023-06-31"));
  EXPECT_FALSE(valid_date("2023-06-00"));
  EXPECT_FALSE(valid_date("2023-6-30"));
  EXPECT_FALSE(valid_date("2023-06-3x"));
  EXPECT_EQ(days_in_month({2023, 12}), 31);
}

TEST(Calendar, MonthArithmetic) {
  EXPECT_EQ(add_months({2022, 1}, 0), (YearMonth{2022, 1}));
  EXPECT_EQ(add_months({2022, 1}, 11), (YearMonth{2022, 12}));
  EXPECT_EQ(add_months({2022, 1}, 12), (YearMonth{2023, 1}));
  EXPECT_EQ(add_months({2022, 11}, 3), (YearMonth{2023, 2}));
  EXPECT_EQ(add_months({2022, 1}, -1), (YearMonth{2021, 12}));
  EXPECT_EQ(add_months({2022, 3}, -27), (YearMonth{2019, 12}));
  EXPECT_EQ(add_months({2021, 1}, 119), (YearMonth{2030, 12}));
  EXPECT_EQ(months_between({2021, 1}, {2030, 12}), 119);
  EXPECT_EQ(months_between({2023, 6}, {2022, 12}), -6);
  // add_months and months_between are inverse over four years either way.
  for (int k = -48; k <= 48; ++k) EXPECT_EQ(months_between({2022, 5}, add_months({2022, 5}, k)), k) << k;
}

TEST(Calendar, IndexAndMonthOfTheRun) {
  const Calendar calendar{{2021, 7}, 30};
  EXPECT_EQ(calendar.at(0), (YearMonth{2021, 7}));
  EXPECT_EQ(calendar.at(6), (YearMonth{2022, 1}));
  EXPECT_EQ(calendar.at(29), (YearMonth{2023, 12}));
  EXPECT_EQ(calendar.index_of({2023, 6}), 23);
  EXPECT_EQ(calendar.index_of({2021, 1}), -6);
  const Calendar defaults;
  EXPECT_EQ(defaults.start, (YearMonth{2022, 1}));
  EXPECT_EQ(defaults.months, 120);
}

}  // namespace
}  // namespace mfgsim
