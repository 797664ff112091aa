// A scenario: one YAML file (plus the files it `extends`), read in three
// phases (syntax, schema, compile) into an immutable, validated description
// of a run. See scenarios/SCHEMA.md (printed by `mfgsim schema`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/calendar.h"
#include "sim/core/diagnostics.h"
#include "models/model_params.h"
#include "models/param_address.h"
#include "sim/engine/run_spec.h"
#include "sim/engine/uncertain.h"

namespace mfgsim {

struct EnsembleSettings {
  int members = 1;          // ensemble.members, 1 .. 10,000,000
  std::uint64_t seed = 1;   // ensemble.seed
  bool stochastic = false;  // ensemble.stochastic: shocks and uncertain draws on
};

// One free parameter of the `calibration:` block: a parameter path, or a
// name that ties several paths to one fitted value (`paths:`).
struct CalibrationParameter {
  std::string name;                    // the key as written (a path, or a name for `paths:`)
  std::vector<ParamAddress> addresses;  // every path the fitted value is written to (>= 1)
  double low = 0.0, high = 1.0;         // bounds of the fit, low < high, inside every path's range
  SourceLocation where;                 // the key, for messages
};

// The scenario's `calibration:` block (see scenarios/SCHEMA.md): what
// `mfgsim calibrate` fits and how.
struct CalibrationSettings {
  std::vector<CalibrationParameter> parameters;
  std::string targets;  // targets CSV, resolved against the file that names it; "" if not given
  struct Weight {
    std::string target_id;
    double weight = 1.0;  // >= 0, multiplies the target's squared miss
    SourceLocation where;
  };
  std::vector<Weight> weights;  // targets not listed weigh 1
  std::string method = "LN_BOBYQA";  // NLopt algorithm name (derivative-free, bounded)
  int max_evaluations = 2000;        // model runs at most
  double tolerance = 1e-10;          // stop when a step improves the objective (points^2) by less
  // Write the least-squares compromise even when targets miss their
  // tolerance (the misses are reported in the table and in the file).
  bool accept_misses = false;
  // Recency weights: a target `a` months before the latest target weighs
  // 0.5^(a / half-life) times its `weights` entry; 0 = no recency weighting.
  double recency_half_life = 0.0;    // months
  SourceLocation where;              // the `calibration` key, for messages
};

struct Scenario {
  std::string name;
  std::string description;
  std::string region;              // `region:`, for titles; empty when not given
  std::string path;                // the file the user named
  std::vector<std::string> files;  // every file read, in merge order (bases first, this file last)
  std::vector<std::string> data_files;  // the data tables read (data.sectors, data.io), as resolved
  Calendar calendar;
  ModelParams params;
  EnsembleSettings ensemble;
  std::vector<UncertainParam> uncertain;
  std::vector<std::string> outputs;  // series names to report; empty = all
  std::optional<CalibrationSettings> calibration;  // the `calibration:` block, if any
  nlohmann::json resolved;           // the merged document after `extends`, for the manifest
};

// The engine's reader-free view of a scenario: calendar, parameters,
// uncertain draws and seed (the streams' only key: RunSpec::seed).
RunSpec run_spec(const Scenario& scenario);


// The files a run of the scenario reads: its `extends` chain and its data
// tables (the inputs an output target must not replace: sim/io/output_dir.h).
std::vector<std::filesystem::path> scenario_inputs(const Scenario& scenario);

struct ScenarioLoad {
  std::optional<Scenario> scenario;  // set only when diagnostics holds no error
  // Errors, and warnings (valid input that likely does not mean what was
  // written: a lever an extending file changes inside the calibrated window).
  Diagnostics diagnostics;
};

// Reads, validates and compiles a scenario file. Never throws for bad input.
// `extends` follows scenarios/SCHEMA.md's merge rules: a lever's schedule,
// an `uncertain:` entry and the `calibration:` block are replaced whole; a
// dated schedule of an extending file keeps the inherited values before its
// first month; a value set for a parameter that an inherited `uncertain:`
// entry draws is an error at the value.
ScenarioLoad load_scenario(const std::string& path);
// The same from text (tests); `name` is used as the file name in messages
// and relative data paths resolve against `base_dir`.
ScenarioLoad load_scenario_text(const std::string& text, const std::string& name,
                                const std::string& base_dir);

// The documented schema, as Markdown (what `mfgsim schema` prints and
// scenarios/SCHEMA.md holds).
std::string schema_markdown();

}  // namespace mfgsim
