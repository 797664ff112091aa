#include "sim/core/calendar.h"

#include <cstdio>

namespace mfgsim {

std::optional<YearMonth> parse_year_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int year = 0, month = 0;
  for (int k = 0; k < 4; ++k) {
    if (text[k] < '0' || text[k] > '9') return std::nullopt;
    year = year * 10 + (text[k] - '0');
  }
  for (int k = 5; k < 7; ++k) {
    if (text[k] < '0' || text[k] > '9') return std::nullopt;
    month = month * 10 + (text[k] - '0');
  }
  if (year < 1000 || month < 1 || month > 12) return std::nullopt;
  return YearMonth{year, month};
}

int days_in_month(YearMonth ym) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (ym.year % 4 == 0 && ym.year % 100 != 0) || ym.year % 400 == 0;
  return ym.month == 2 && leap ? 29 : kDays[ym.month - 1];
}

bool valid_date(std::string_view text) {
  if (text.size() != 10 || text[7] != '-') return false;
  const std::optional<YearMonth> ym = parse_year_month(text.substr(0, 7));
  if (!ym || text[8] < '0' || text[8] > '9' || text[9] < '0' || text[9] > '9') return false;
  const int day = (text[8] - '0') * 10 + (text[9] - '0');
  return day >= 1 && day <= days_in_month(*ym);
}

std::string format_year_month(YearMonth ym) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", ym.year, ym.month);
  return buffer;
}

int months_between(YearMonth a, YearMonth b) {
  return (b.year - a.year) * 12 + (b.month - a.month);
}

YearMonth add_months(YearMonth ym, int months) {
  int index = ym.year * 12 + (ym.month - 1) + months;
  int year = index >= 0 ? index / 12 : -((-index + 11) / 12);
  return YearMonth{year, index - year * 12 + 1};
}

}  // namespace mfgsim
