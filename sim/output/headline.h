// Which months and sectors the headline views show (the table `mfgsim run`
// prints, the default sectors of `mfgsim plot`). Taken from the data, not
// from code: a scenario on another region, calendar or target set gets its
// own.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace mfgsim {

// Month indices of the headline table, from the second year on (t >= 12,
// when year-to-date growth is defined), ascending:
//   - every December (whole years),
//   - the last month of the run,
//   - the latest month with a published target: the last `month` of the
//     scenario's calibration targets (calibration.targets), the figure the
//     model was fitted to. A scenario without targets, or whose targets file
//     cannot be read, has no such month.
// More than six: the first three and the last three. For the shipped
// scenarios (2021-01, 120 months; targets of H1 2023): 2022-12, 2023-06,
// 2023-12, 2028-12, 2029-12, 2030-12.
std::vector<int> headline_months(const Scenario& scenario);
// The same rule given the published month (empty: none).
std::vector<int> headline_months(const Calendar& calendar, const std::string& latest_target);

// The sectors the headline story turns on, from the sector table and the
// levers (at most one of each, in this order):
//   - the sector that supplies retrofit equipment (low_carbon.equipment_sector),
//   - the industry sectors outside manufacturing (industry = 1,
//     manufacturing = 0: the energy producers the low-carbon lever squeezes),
//   - the main supplier of capital goods (the largest capital_goods_share).
// For data/sectors.csv: env_protection_equipment, coal_mining, utilities,
// equipment.
std::vector<std::string> headline_sectors(const ModelParams& params);

}  // namespace mfgsim
