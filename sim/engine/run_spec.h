// What the engine runs, free of any reader: no YAML, JSON or file paths.
// The scenario reader (sim/scenario/scenario.h: run_spec) builds one from a
// scenario file; tests and benchmarks may build one directly. compile()
// (sim/engine/engine.h) checks it and turns it into an immutable CompiledRun.
#pragma once

#include <cstdint>
#include <vector>

#include "models/model_params.h"
#include "sim/core/calendar.h"
#include "sim/engine/uncertain.h"

namespace mfgsim {

struct RunSpec {
  Calendar calendar;                      // months of the run (>= 1)
  ModelParams params;                     // the compiled model parameters (MODEL.md)
  std::vector<UncertainParam> uncertain;  // drawn once per stochastic member
  // The random streams' seed: their only key (with kModelStreamKey), so any
  // two runs with the same seed draw common random numbers (member k faces
  // the same shocks and uniforms in each), whatever their names or batches.
  std::uint64_t seed = 1;
};

}  // namespace mfgsim
