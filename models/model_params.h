// The compiled model's parameters (immutable during a run; see MODEL.md for
// the equations). Built from a scenario by sim/scenario/scenario.h; a member with
// `uncertain` draws gets its own copy with the drawn values set through
// sim/param_address.h.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <string>
#include <vector>

#include "models/fields.h"
#include "sim/core/calendar.h"
#include "sim/core/schedule.h"

namespace mfgsim {

// Per-sector parameters, one vector per column of data/sectors.csv, each of
// length S (number of sectors). Fields, units and ranges: models/fields.h.
struct SectorTable {
  std::vector<std::string> names;
#define MFGSIM_X(name, model, symbol, unit, range, integer, doc) std::vector<double> name;
  MFGSIM_SECTOR_FLAGS(MFGSIM_X)   // 0 or 1
  MFGSIM_SECTOR_FIELDS(MFGSIM_X)  // see models/fields.h
#undef MFGSIM_X
  int size() const { return static_cast<int>(names.size()); }
  int index_of(const std::string& name) const;  // -1 when absent
};

// Scalar global parameters, at their defaults after default_model_params()
// (models/parameters.h). Fields, units and ranges: models/fields.h.
struct GlobalParams {
#define MFGSIM_X(name, path, model, symbol, unit, default_value, range, doc) double name = 0.0;
  MFGSIM_GLOBAL_PARAMS(MFGSIM_X)
#undef MFGSIM_X
};

// The levers marked (t) in MODEL.md (models/fields.h).
struct Levers {
#define MFGSIM_X(name, path, model, symbol, unit, default_value, range, doc) Schedule name;
  MFGSIM_LEVERS(MFGSIM_X)
#undef MFGSIM_X
};

// One demonstration designation: counts of enterprises named in a month.
struct Demonstration {
  int month = 0;   // month index (may be before the run's start)
  int sector = 0;  // sector index
  double national = 0.0, provincial = 0.0;  // enterprises
};

enum class AdoptionMode { aggregate, firms };

// Firm mode: what a demonstration designation does to the firms
// (`intelligent_manufacturing.designation`, MODEL.md "Designations in firm
// mode"). recognition: it names the largest adopted firms not yet
// designated and changes no firm's adoption (the default); adoption: it
// names the largest firms not yet designated, which adopt at designation.
enum class DesignationRule { recognition, adoption };

struct ModelParams {
  SectorTable sectors;
  Eigen::MatrixXd A;  // S x S input-output coefficients, A(i, j): input from i per unit of j's output
  GlobalParams global;
  Levers levers;
  std::vector<Demonstration> demonstrations;
  int equipment_sector = -1;  // index of low_carbon.equipment_sector
  AdoptionMode mode = AdoptionMode::aggregate;
  DesignationRule designation = DesignationRule::recognition;  // firm mode only
  // The persistent stochastic trend (models/trend.h): on when the scenario has a
  // `trend_shocks:` block; used only in stochastic runs.
  bool trend_shocks = false;
};

}  // namespace mfgsim
