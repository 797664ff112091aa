// The shipped baseline, loaded once, for the benchmarks.
#pragma once

#include <stdexcept>

#include "sim/scenario/scenario.h"

namespace mfgsim_bench {

inline const mfgsim::Scenario& baseline() {
  static const mfgsim::Scenario scenario = [] {
    auto load = mfgsim::load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
    if (!load.scenario) throw std::runtime_error(load.diagnostics.format());
    return *load.scenario;
  }();
  return scenario;
}

}  // namespace mfgsim_bench
