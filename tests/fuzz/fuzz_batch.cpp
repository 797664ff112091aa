// libFuzzer target: the batch reader (sim/batch/batch.h) on arbitrary text. The
// input is a batch file named fuzz.yaml in the source tree's
// scenarios/batches/ folder, so `../baseline.yaml` and the other shipped
// scenarios resolve as they do for the shipped batches. The reader must
// return a batch or diagnostics: never crash, throw, hang or grow without
// bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/batch/batch.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const mfgsim::BatchLoad load = mfgsim::load_batch_text(text, "fuzz.yaml", MFGSIM_SOURCE_DIR "/scenarios/batches");
  mfgsim::fuzz::check_value_or_diagnostics(load.batch.has_value(), load.diagnostics);
  return 0;
}
