// libFuzzer target: the scenario reader (sim/scenario/scenario.h) on arbitrary text.
// The input is a scenario file named fuzz.yaml in the source tree's
// scenarios/ folder, so `extends: baseline.yaml` and `../data/sectors.csv`
// resolve as they do for the shipped scenarios. The reader must return a
// scenario or diagnostics: never crash, throw, hang or grow without bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/scenario/scenario.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const mfgsim::ScenarioLoad load = mfgsim::load_scenario_text(text, "fuzz.yaml", MFGSIM_SOURCE_DIR "/scenarios");
  // Exactly one of a scenario and diagnostics, each diagnostic with a message.
  mfgsim::fuzz::check_value_or_diagnostics(load.scenario.has_value(), load.diagnostics);
  return 0;
}
