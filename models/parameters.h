// Every model parameter with its unit, default and valid range, grouped by the
// sub-model that uses it. The scenario schema, `mfgsim schema`, range
// validation and parameter paths (uncertain, calibration) are all derived from
// these tables, so a parameter is documented in exactly one place.
#pragma once

#include <limits>
#include <span>

#include "models/model_params.h"
#include "sim/core/range.h"

namespace mfgsim {

struct GlobalParamInfo {
  const char* path;    // scenario key, "section.key"
  double GlobalParams::*field;
  const char* model;   // sub-model in models/
  const char* symbol;  // MODEL.md symbol
  const char* unit;
  double default_value;
  ParamRange range;
  const char* doc;
};

struct LeverInfo {
  const char* path;
  Schedule Levers::*field;
  const char* model;
  const char* symbol;
  const char* unit;
  double default_value;  // a constant schedule
  ParamRange range;      // every value the schedule takes
  const char* doc;
};

struct SectorFieldInfo {
  const char* column;  // column of data/sectors.csv and key under sector_overrides.<sector>
  std::vector<double> SectorTable::*field;
  const char* model;
  const char* symbol;
  const char* unit;
  ParamRange range;
  bool integer;  // must be a whole number
  const char* doc;
};

std::span<const GlobalParamInfo> global_params();
std::span<const LeverInfo> levers();
std::span<const SectorFieldInfo> sector_fields();

const GlobalParamInfo* find_global_param(std::string_view path);
const LeverInfo* find_lever(std::string_view path);
const SectorFieldInfo* find_sector_field(std::string_view column);

}  // namespace mfgsim

namespace mfgsim {
// Global parameters and levers at their documented defaults; no sectors.
ModelParams default_model_params();
}  // namespace mfgsim
