// Cross-parameter checks of the compiled model (each sub-model's validate).
// Ranges of single values are checked by the scenario reader from
// models/parameters.h; these are the checks that need several values.
#pragma once

#include <string>
#include <vector>

#include "sim/core/calendar.h"
#include "models/model_params.h"

namespace mfgsim {

struct ModelIssue {
  std::string message;
  int sector = -1;          // sector concerned, -1 if none
  std::string column;       // sector column concerned (sector_overrides key), if any
  std::string global_path;  // scenario path of the global parameter concerned, if any
  bool io_column = false;   // about column `sector` of the input-output table (A's column sum)
};

std::vector<ModelIssue> validate_model(const ModelParams& params, const Calendar& calendar);

}  // namespace mfgsim
