// What a run of one scenario is asked, over the scenario's own settings: the
// options of `mfgsim run` and the arguments of the Python module's
// mfgsim.run, checked and turned into a request the same way for both
// (prepare_run, sim/output/run_outputs.h). A header of its own, light, so
// that embedders need not include the model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/progress.h"

namespace mfgsim {

struct RunOptions {
  std::optional<std::int64_t> members;              // default: ensemble.members; 1 .. 10,000,000
  std::optional<std::uint64_t> seed;                // default: ensemble.seed
  std::optional<std::vector<std::string>> outputs;  // series names (empty: all); default: the scenario's outputs
  bool deterministic = false;                       // shocks and draws off, one member
  int threads = 0;                                  // >= 0; 0: all cores
  bool keep_members = false;                        // every member's every selected series
  std::uint64_t summary_memory_mib = 1024;          // MiB; exact quantiles while the values fit
  ProgressCallback on_progress;                     // members done, from a worker thread
};

}  // namespace mfgsim
