// RunError means "the run failed" (the CLI exits 1): a member's drawn
// parameters invalid, NaN in a summary, every member failed. Never bad input:
// that is reported as Diagnostics (or IsValid false) before any work (exit 2).
// A header of its own so that embedders (sim/batch/embed.h) can catch it
// without including the model.
#pragma once

#include <stdexcept>

namespace mfgsim {

struct RunError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace mfgsim
