// The check every reader fuzz target makes of a reader's result: a value
// exactly when there are no diagnostics, and each diagnostic with a message.
// A broken promise aborts, which libFuzzer reports with the input.
#pragma once

#include <cstdlib>

#include "sim/core/diagnostics.h"

namespace mfgsim::fuzz {

inline void check_value_or_diagnostics(bool has_value, const Diagnostics& diagnostics) {
  if (has_value == !diagnostics.ok()) std::abort();
  for (const Diagnostic& d : diagnostics.items())
    if (d.message.empty()) std::abort();
}

}  // namespace mfgsim::fuzz
