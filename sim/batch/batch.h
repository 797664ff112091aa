// Batches: many scenarios run together and written into one results folder.
// A batch file (YAML, see "Batch files" below; its keys, types and ranges
// are data, batch_schema() in sim/scenario/schema.h, documented in the
// "Batch files" section of scenarios/SCHEMA.md) lists scenario files and
// sweeps; a sweep derives one named scenario per sample of its parameters
// from a base scenario. Every scenario is read, validated and compiled
// before the first run (load_batch); run_batch then spreads the scenarios
// over the cores and hands each one's result to a callback in batch order.
//
// Batch files:
//
//   name: levers                      # required
//   description: free text
//   scenarios: [../baseline.yaml]     # scenario files, relative to the batch file
//   sweeps:
//     - name: levers                  # samples are named levers_000, levers_001, ...
//       base: ../baseline.yaml        # the scenario every sample starts from
//       method: sobol                 # grid | lhs | sobol
//       samples: 256                  # lhs, sobol: number of samples
//       parameters:                   # parameter path -> range (paths as in `uncertain:`)
//         low_carbon.retrofit_push.end: {low: 0.05, high: 0.45}
//         lending.long_term_growth: {low: 0.0, high: 0.15}   # grid: also `points: n`
//   members: 50                       # optional: override every scenario's ensemble.members,
//   seed: 1                           #   ensemble.seed, ensemble.stochastic and outputs
//   stochastic: true
//   outputs: [manufacturing_va_ytd_yoy, co2]
//
// Samples, in the unit cube then mapped linearly onto [low, high] (lhs and
// sobol map a whole-number parameter by ParamAddress::uniform_value):
//   - grid: every combination of each parameter's `points` equally spaced
//     values (ends included); the first parameter varies slowest;
//   - lhs: Latin hypercube, one point in each of `samples` equal strata of
//     every parameter, strata paired by permutations drawn from a Philox
//     stream keyed by (batch seed, sweep name): the same file gives the same
//     samples;
//   - sobol: points 0 .. samples-1 of the Sobol sequence with a random
//     digital shift keyed by (batch seed, sweep name), so no sample sits on
//     the corner of all lows (sim/core/designs.h).
//
// Random streams are keyed by the seed alone (sim/core/random_stream.h): member
// k of every scenario with the same seed faces the same shocks and the same
// `uncertain` draws, so member-by-member differences between scenarios
// (mfgsim compare) isolate the scenarios' differences.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/diagnostics.h"
#include "sim/core/progress.h"
#include "sim/ensemble/ensemble.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {

enum class SweepMethod { grid, lhs, sobol };

struct SweepParameter {
  std::string path;       // parameter path as written
  double low = 0.0, high = 1.0;  // low < high, both inside the parameter's valid range
  int points = 0;         // grid only: values per parameter (>= 2)
  SourceLocation where;   // the key, for messages
};

struct Sweep {
  std::string name;
  std::string base;  // base scenario file, resolved against the batch file's folder
  SweepMethod method = SweepMethod::sobol;
  int samples = 0;   // scenarios generated (for a grid: the product of the points)
  std::vector<SweepParameter> parameters;
  SourceLocation where;  // the sweep's entry
};

// One scenario of a batch, compiled and ready to run.
struct BatchEntry {
  Scenario scenario;   // name unique in the batch; ensemble and outputs as the batch sets them
  std::string source;  // the scenario file as written in the batch, or the sweep's base file
  std::string sweep;   // the sweep that generated it; "" for a scenario file
  int sample = -1;     // index of the sample within its sweep; -1 for a scenario file
  // One value per Batch::parameters column: the value this scenario runs
  // with (sampled, or read from a scenario file's parameters); NaN where the
  // path does not address a single value in this scenario.
  std::vector<double> values;
};

struct Batch {
  std::string name, description;
  std::string path;                 // the batch file
  std::vector<std::string> files;   // every file read: the batch file, then scenario files (each once)
  std::vector<std::string> data_files;  // the data tables the scenarios read (each once, in first use)
  // Overrides of every scenario's settings (unset: each scenario's own).
  std::optional<std::int64_t> members;
  std::optional<std::uint64_t> seed;
  std::optional<bool> stochastic;
  std::optional<std::vector<std::string>> outputs;  // empty vector: all
  std::vector<Sweep> sweeps;
  std::vector<std::string> parameters;  // swept paths, in order of first appearance
  std::vector<BatchEntry> entries;      // scenario files first (in file order), then each sweep's samples
  nlohmann::json document;              // the batch file as JSON, for the manifest
};

struct BatchLoad {
  std::optional<Batch> batch;  // set only when diagnostics is empty
  Diagnostics diagnostics;
  std::vector<Notice> notices;  // warnings, e.g. a Sobol sweep whose samples are not a power of two
};

// Reads and validates a batch file, loads every scenario and compiles every
// sweep sample. Every problem is reported (file:line:col), none thrown.
BatchLoad load_batch(const std::string& path);
// The same from text: `name` is the file name in messages and relative paths
// resolve against `base_dir` (tests).
BatchLoad load_batch_text(const std::string& text, const std::string& name, const std::string& base_dir);

// ---- running ---------------------------------------------------------------

// The aggregate series whose every member's value a batch keeps at every
// month (for paired comparisons): memory and file size are 8 x months x
// members doubles per scenario.
const std::vector<AggregateSeries>& headline_member_series();

struct BatchRunOptions {
  int threads = 0;             // 0: all cores
  bool keep_members = false;   // keep every member's every series (EnsembleResult::store)
  // Bytes of member values each scenario may hold for exact quantiles;
  // beyond it, sketches. Per scenario, not shared, so that whether a
  // scenario's quantiles are exact does not depend on how many run at once
  // (threads, MPI ranks): peak memory is about this times the scenarios
  // running at once.
  std::uint64_t summary_bytes = 256ull << 20;
  int block_size = 32;
  // The scenarios to run (indices into Batch::entries, ascending); empty:
  // all. A resumed batch or a shard runs the others elsewhere.
  std::vector<std::size_t> indices;
  // Each scenario's EnsembleRequest::on_progress (a long ensemble's sign of
  // life) and the run's notices (sim/core/progress.h); empty: none. Neither
  // changes a result.
  ProgressCallback member_progress;
  NoticeCallback notice;
};

struct BatchRunInfo {
  int threads = 1;               // threads in all
  int concurrent = 1;            // scenarios run at the same time
  int threads_per_scenario = 1;  // threads of each scenario's ensemble
  bool exact = true;             // every scenario's quantiles exact
  double seconds = 0.0;
};

// The request run_batch makes for one scenario (exposed for tests: a batch
// equals its scenarios run one at a time with these requests).
EnsembleRequest batch_request(const BatchEntry& entry, const BatchRunOptions& options, int threads_per_scenario);

// Runs every entry of options.indices (all if empty). Scenarios run
// concurrently (min(threads, scenarios)), each over threads / concurrent
// threads; each scenario's numbers depend only on itself, so the results do
// not depend on the thread count. on_result is called once per scenario, in
// batch order and never concurrently, with the ensemble result (summary;
// headline members in `kept`, in the order of headline_member_series(),
// [series][month][member]; the store with keep_members); it may move from
// the result. on_done (optional) is called as each scenario finishes, from
// worker threads, concurrently (checkpoints, progress). Throws RunError
// naming the scenario when one fails; results of later scenarios are not
// delivered then. Members a numerical guard stops are no failure: they are
// in each result's `failures`. After SIGINT/SIGTERM (sim/core/interrupt.h) no
// scenario starts and Interrupted is thrown.
using BatchDoneCallback = std::function<void(std::size_t index, const EnsembleResult& result)>;
BatchRunInfo run_batch(const Batch& batch, const BatchRunOptions& options,
                       const std::function<void(std::size_t index, EnsembleResult& result)>& on_result,
                       const BatchDoneCallback& on_done = {});

// Threads and concurrency run_batch uses for `scenarios` scenarios.
BatchRunInfo batch_layout(std::size_t scenarios, int threads);

}  // namespace mfgsim
