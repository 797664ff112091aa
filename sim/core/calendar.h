// Calendar months: the model's time axis (one step = one month).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mfgsim {

// A calendar month. month is 1..12.
struct YearMonth {
  int year = 2022;
  int month = 1;
  friend bool operator==(const YearMonth&, const YearMonth&) = default;
};

// Parses "YYYY-MM" (year 1000..9999, month 01..12); nullopt otherwise.
std::optional<YearMonth> parse_year_month(std::string_view text);
std::string format_year_month(YearMonth ym);
// Months from a to b (b - a), possibly negative.
int months_between(YearMonth a, YearMonth b);
YearMonth add_months(YearMonth ym, int months);
// Days in the month (Gregorian leap years).
int days_in_month(YearMonth ym);
// True for a calendar date "YYYY-MM-DD" (a month parse_year_month accepts, a
// day that month has). Dates in that form sort as text.
bool valid_date(std::string_view text);

// The run's time axis: month index t = 0 .. months-1, t = 0 is start.
struct Calendar {
  YearMonth start{2022, 1};  // calendar.start, default 2022-01 (MODEL.md)
  int months = 120;          // calendar.months, 1 .. 1200
  YearMonth at(int t) const { return add_months(start, t); }
  int index_of(YearMonth ym) const { return months_between(start, ym); }
};

}  // namespace mfgsim
