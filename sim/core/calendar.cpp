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
