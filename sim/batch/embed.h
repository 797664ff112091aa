// The library's entry points for programs that embed it (the Python module,
// python/mfgsim_module.cpp): a run into memory, a batch into a folder,
// validation and the schema. The same library calls as `mfgsim run`,
// `mfgsim batch` and `mfgsim validate` (prepare_run, run_ensemble,
// put_run_results; load_batch, run_batch_job), behind a header that pulls in
// neither the model (Eigen) nor the readers (yaml-cpp), so that an embedding
// translation unit compiles fast.
//
// Errors, as everywhere in the library: bad input comes back as values
// (diagnostics, an option's message) before any work; a failed run throws
// RunError (sim/ensemble/ensemble.h, a std::runtime_error), Ctrl-C or
// request_interrupt() throws Interrupted (sim/core/interrupt.h), a file that
// cannot be read or written std::runtime_error.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/diagnostics.h"
#include "sim/core/progress.h"
#include "sim/output/results_layout.h"
#include "sim/output/run_options.h"

namespace mfgsim {

// Call once, on the thread that will read result files, before the other
// functions (which may run on other threads): NetCDF initialised there
// (sim/output/netcdf_output.h, netcdf_initialize).
void initialize_embedding();

// A scenario: a file (`path`), or the text of one (YAML or JSON, which is
// YAML) named `name` in messages, whose `extends` and data paths resolve
// against `base_dir`.
struct ScenarioSource {
  std::string path;
  std::string text, name, base_dir;
};

struct EmbeddedRun {
  Diagnostics diagnostics;                 // the scenario's problems (file:line:col)
  std::string option_error;                // a bad option, named with the caller's prefix
  std::unique_ptr<ResultsMemory> results;  // set when both are empty: what results.nc would hold
  std::string warning;                     // members a numerical guard stopped (empty: none)
};

// Loads the scenario, applies `options` (prepare_run; messages name options
// as `option_prefix` + name) and runs its ensemble into memory: the
// variables, attributes and numbers `mfgsim run` writes to results.nc for
// the same inputs. Throws RunError when every member failed.
EmbeddedRun run_to_memory(const ScenarioSource& source, const RunOptions& options, const std::string& option_prefix);

// `mfgsim batch`'s options, as the embedder passes them.
struct EmbeddedBatchOptions {
  std::string out;                      // the result folder (checked like --out)
  std::optional<std::int64_t> members;  // every scenario's members and seed
  std::optional<std::uint64_t> seed;
  int threads = 0;                      // >= 0; 0: all cores
  bool keep_members = false;
  std::uint64_t summary_memory_mib = 256;
  bool resume = false;
  ProgressCallback on_progress;         // scenarios done
  NoticeCallback notice;                // resumed checkpoints, failed members
};

// Loads and checks the batch and the output folder (diagnostics; `option_error`
// for a bad option) and, when there is no problem, runs it into `out` the way
// `mfgsim batch` does (summary.csv, results.nc, scenarios.csv, manifest.json).
struct EmbeddedBatch {
  Diagnostics diagnostics;
  std::string option_error;
  bool ran = false;
};
EmbeddedBatch run_batch_to_folder(const std::string& path, const EmbeddedBatchOptions& options,
                                  const std::string& option_prefix);

// True when `path` is a batch file: a YAML map with `scenarios` or `sweeps`
// (keys a scenario never has); anything else is read as a scenario, whose
// reader reports what is wrong.
bool is_batch_file(const std::string& path);

// A scenario or batch file's problems (none: valid), as `mfgsim validate`
// reports them.
Diagnostics validate_scenario_file(const std::string& path);

// scenarios/SCHEMA.md's text (`mfgsim schema`).
std::string scenario_schema_markdown();

}  // namespace mfgsim
