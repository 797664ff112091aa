// libFuzzer target: the CSV readers. The first byte (mod 5) picks the
// reader, the rest is the file's text:
//   0  split_csv and parse_double on every field (sim/io/csv.h)
//   1  the sector table (parse_sector_table, sim/scenario/data_tables.h)
//   2  the input-output table (parse_io_table) for the sectors of the
//      shipped data/sectors.csv
//   3  targets / observed figures (parse_observations, sim/scenario/observations.h),
//      then, as `mfgsim calibrate` does, matched to the shipped baseline
//      scenario (match_targets, sim/analysis/calibration.h)
//   4  summary.csv (parse_summary_csv, sim/output/summary_file.h)
// scripts/fuzz.sh seeds the corpus with every data/*.csv under each
// selector. Readers must return a value or diagnostics: never crash, throw,
// hang or grow without bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sim/analysis/calibration.h"
#include "sim/io/csv.h"
#include "sim/scenario/data_tables.h"
#include "sim/scenario/observations.h"
#include "sim/scenario/scenario.h"
#include "sim/output/summary_file.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace mfgsim;

const Scenario& baseline() {
  static const Scenario scenario = [] {
    ScenarioLoad load = load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
    if (!load.scenario) std::abort();
    return std::move(*load.scenario);
  }();
  return scenario;
}

// A reader's result: a value exactly when there are no diagnostics.
void check(bool has_value, const Diagnostics& diagnostics) { fuzz::check_value_or_diagnostics(has_value, diagnostics); }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  baseline();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  Diagnostics diagnostics;
  switch (data[0] % 5) {
    case 0: {
      for (const CsvRow& row : split_csv(text, "fuzz.csv", diagnostics)) {
        if (row.fields.empty()) std::abort();
        for (const CsvField& field : row.fields) {
          double x = 0.0;
          parse_double(field.text, &x);
        }
      }
      break;
    }
    case 1: {
      const auto table = parse_sector_table(text, "sectors.csv", diagnostics);
      check(table.has_value(), diagnostics);
      break;
    }
    case 2: {
      const auto matrix = parse_io_table(text, "io.csv", baseline().params.sectors.names, diagnostics);
      check(matrix.has_value(), diagnostics);
      break;
    }
    case 3: {
      const auto observations = parse_observations(text, "targets.csv", diagnostics);
      check(observations.has_value(), diagnostics);
      if (observations) {
        Diagnostics match_diagnostics;
        const auto targets = match_targets(baseline(), *observations, {}, match_diagnostics);
        check(targets.has_value(), match_diagnostics);
      }
      break;
    }
    case 4: {
      const auto records = parse_summary_csv(text, "summary.csv", diagnostics);
      check(records.has_value(), diagnostics);
      break;
    }
  }
  return 0;
}
