#include "sim/batch/embed.h"

#include <chrono>

#include "sim/batch/batch.h"
#include "sim/batch/batch_job.h"
#include "sim/io/csv.h"
#include "sim/ensemble/ensemble.h"
#include "sim/output/netcdf_output.h"
#include "sim/output/run_outputs.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/yaml_tree.h"

namespace mfgsim {

void initialize_embedding() { netcdf_initialize(); }

EmbeddedRun run_to_memory(const ScenarioSource& source, const RunOptions& options, const std::string& option_prefix) {
  EmbeddedRun out;
  ScenarioLoad load = source.path.empty() ? load_scenario_text(source.text, source.name, source.base_dir)
                                          : load_scenario(source.path);
  out.diagnostics = load.diagnostics;
  if (!load.scenario) return out;
  Scenario& scenario = *load.scenario;
  const std::optional<PreparedRun> run = prepare_run(scenario, options, option_prefix, &out.option_error);
  if (!run) return out;
  const EnsembleResult result = run_ensemble(scenario, run->request);
  out.warning = check_failed_members(scenario.name, run->request.members, result.failures,
                                     "mfgsim run writes them to failures.csv");
  out.results = std::make_unique<ResultsMemory>(run_results_layout(scenario, run->request, run->selection));
  put_run_results(*out.results, scenario, run->request, result);
  return out;
}

EmbeddedBatch run_batch_to_folder(const std::string& path, const EmbeddedBatchOptions& options,
                                  const std::string& option_prefix) {
  EmbeddedBatch out;
  if (std::string problem = ensemble_option_problem(options.members, options.threads, options.summary_memory_mib);
      !problem.empty()) {
    out.option_error = option_prefix + problem;
    return out;
  }
  BatchJobOptions job;
  job.batch_path = path;
  job.out = options.out;
  job.members = options.members;
  job.seed = options.seed;
  job.resume = options.resume;
  job.on_progress = options.on_progress;
  job.run.threads = options.threads;
  job.run.keep_members = options.keep_members;
  job.run.summary_bytes = options.summary_memory_mib << 20;
  job.run.notice = options.notice;
  BatchLoad load = load_batch(path);
  out.diagnostics = load.diagnostics;
  if (!load.batch) return out;
  apply_overrides(*load.batch, job.members, job.seed);
  out.diagnostics.append(validate_batch_output(*load.batch, job));
  if (!out.diagnostics.ok()) return out;
  run_batch_job(*load.batch, job);
  out.ran = true;
  return out;
}

bool is_batch_file(const std::string& path) {
  std::string text;
  if (!read_text_file(path, &text)) return false;
  Diagnostics ignored;
  const std::optional<YamlNode> root = parse_yaml(text, path, ignored);
  return root && root->is_map() && (root->find("scenarios") || root->find("sweeps"));
}

Diagnostics validate_scenario_file(const std::string& path) {
  return is_batch_file(path) ? load_batch(path).diagnostics : load_scenario(path).diagnostics;
}

std::string scenario_schema_markdown() { return schema_markdown(); }

}  // namespace mfgsim
