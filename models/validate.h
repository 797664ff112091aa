// Cross-parameter checks of the compiled model (each sub-model's validate).
// Ranges of single values are checked by the scenario reader from
// models/parameters.h; these are the checks that need several values.
#pragma once

#include <Eigen/Core>
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

// MODEL.md's month-0 reference final demand fbar (step 13), per sector,
// ¥100m/month of gross output, into *fbar (resized to S); and the issues
// that make the month-0 state infeasible: no sector borrows, or some
// sector's fbar is negative. With fbar null, only whether a sector borrows.
// validate_model and the engine's lowering of each member's parameters
// (drawn values included) both use it.
std::vector<ModelIssue> reference_final_demand(const ModelParams& params, Eigen::VectorXd* fbar);

}  // namespace mfgsim
