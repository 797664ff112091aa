// A published figure (sim/scenario/observations.h) built in one call, for
// tests that hand figures to the particle filter and the backtests.
#pragma once

#include <string>

#include "sim/scenario/observations.h"

namespace mfgsim::test_support {

// `value` a ratio (0.083 = 8.3%); `sector` empty for an aggregate;
// `published` empty: no publication date.
inline Observation figure(const std::string& variable, const std::string& sector, const std::string& month,
                          double value, const std::string& published = "") {
  Observation o;
  o.variable = variable;
  o.sector = sector;
  o.month = month;
  o.value = value;
  o.published = published;
  return o;
}

}  // namespace mfgsim::test_support
