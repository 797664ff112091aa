// Parameter paths: the dotted path at which a value is written in a scenario
// file (e.g. `lending.green_tilt`, `sector_overrides.equipment.tfp_gain`,
// `low_carbon.retrofit_push.end`). `uncertain:` and `calibration:` name the
// parameters they vary this way; the engine sets drawn or fitted values
// through set_param on a copy of the compiled parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "models/parameters.h"

namespace mfgsim {

struct ParamAddress {
  enum class Kind {
    global,        // a GlobalParams scalar
    sector,        // one sector's column
    lever_value,   // a constant schedule's value (path: `section.lever`)
    lever_start,   // a ramp's start value (`section.lever.start`)
    lever_end,     // a ramp's end value (`section.lever.end`)
  };
  Kind kind = Kind::global;
  const GlobalParamInfo* global = nullptr;
  const SectorFieldInfo* field = nullptr;
  int sector = -1;
  const LeverInfo* lever = nullptr;
  std::string path;  // as written

  ParamRange range() const;  // valid range of the addressed value
  // A whole-number parameter: a sector's `firms`, or its `industry` and
  // `manufacturing` flags (0 or 1). Sweeps, `uncertain:` draws and
  // calibration treat these apart (see uniform_value).
  bool whole() const { return kind == Kind::sector && field->integer; }
  // The value at rank u in [0, 1] of a uniform choice over [low, high]:
  // low + u (high - low) for a continuous parameter. For a whole-number one
  // (low and high whole) each whole value of [low, high] has probability
  // 1 / (high - low + 1): low + min(floor(u (high - low + 1)), high - low),
  // so a flag swept over [0, 1] is 0 for u < 1/2 and 1 from there on.
  double uniform_value(double u, double low, double high) const;
};

// Resolves `path` against compiled parameters (sector names and the form of
// each schedule are needed). On failure returns nullopt and sets *error to a
// sentence saying what is expected.
std::optional<ParamAddress> resolve_param_path(std::string_view path, const ModelParams& params,
                                               std::string* error);
double get_param(const ModelParams& params, const ParamAddress& address);
void set_param(ModelParams& params, const ParamAddress& address, double value);

}  // namespace mfgsim
