#include "sim/output/headline.h"

#include <algorithm>

#include "sim/core/diagnostics.h"
#include "sim/scenario/observations.h"

namespace mfgsim {

std::vector<int> headline_months(const Calendar& calendar, const std::string& latest_target) {
  const std::optional<YearMonth> published = parse_year_month(latest_target);
  std::vector<int> months;
  for (int t = 12; t < calendar.months; ++t) {
    const YearMonth ym = calendar.at(t);
    if (ym.month == 12 || t == calendar.months - 1 || (published && ym == *published)) months.push_back(t);
  }
  if (months.size() > 6) months.erase(months.begin() + 3, months.end() - 3);
  return months;
}

std::vector<int> headline_months(const Scenario& scenario) {
  std::string latest;
  if (scenario.calibration && !scenario.calibration->targets.empty()) {
    Diagnostics ignored;  // an unreadable targets file only drops its month from the table
    if (const auto targets = read_observations(scenario.calibration->targets, ignored))
      for (const Observation& target : *targets)
        if (parse_year_month(target.month) && (latest.empty() || target.month > latest)) latest = target.month;
  }
  return headline_months(scenario.calendar, latest);
}

std::vector<std::string> headline_sectors(const ModelParams& params) {
  const SectorTable& table = params.sectors;
  std::vector<std::string> sectors;
  auto add = [&](int s) {
    if (s >= 0 && std::find(sectors.begin(), sectors.end(), table.names[s]) == sectors.end())
      sectors.push_back(table.names[s]);
  };
  add(params.equipment_sector);
  for (int s = 0; s < table.size(); ++s)
    if (table.industry[s] != 0.0 && table.manufacturing[s] == 0.0) add(s);
  const auto largest = std::max_element(table.capital_goods_share.begin(), table.capital_goods_share.end());
  if (largest != table.capital_goods_share.end() && *largest > 0.0)
    add(static_cast<int>(largest - table.capital_goods_share.begin()));
  return sectors;
}

}  // namespace mfgsim
