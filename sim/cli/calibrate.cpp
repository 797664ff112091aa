// mfgsim calibrate SCENARIO: the `calibration:` parameters fitted to
// published targets, written as a scenario that extends SCENARIO.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "sim/analysis/calibration.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/core/text.h"
#include "sim/io/output_dir.h"
#include "sim/scenario/observations.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/schema.h"

namespace mfgsim::cli {

namespace fs = std::filesystem;

static void declare_options(CommandOptions& options) {
  options.argument("scenario", "scenario file with a `calibration:` block",
                   "calibrate needs a scenario file (mfgsim calibrate SCENARIO)")
      .option<std::string>("targets,t", "targets CSV (default: the block's `targets`)")
      .out("calibrated scenario to write (default: SCENARIO's folder, <name>_calibrated.yaml)")
      .option<std::string>("method", "NLopt algorithm (default: the block's `method`, LN_BOBYQA)")
      .integer<int>("max-evals", kMaxEvaluationsRange, "model runs at most (default: the block's `max_evaluations`)")
      .number("tolerance", kToleranceRange, "stop when a step changes the objective (points^2) by less");
}

static int execute(const po::variables_map& vm) {
  const std::string path = vm["scenario"].as<std::string>();
  ScenarioLoad load = load_scenario(path);
  if (!report(load.diagnostics)) return kExitUsage;
  const Scenario& scenario = *load.scenario;
  if (!scenario.calibration)
    throw UsageError(path + " has no `calibration:` block naming the parameters to fit (see mfgsim schema)");
  CalibrationOptions options = CalibrationOptions::from(*scenario.calibration);
  assign_if_given(vm, "method", options.method);
  assign_if_given(vm, "max-evals", options.max_evaluations);
  assign_if_given(vm, "tolerance", options.tolerance);
  const auto& methods = calibration_methods();
  if (std::find(methods.begin(), methods.end(), options.method) == methods.end()) {
    std::string list;
    for (const std::string& m : methods) list += (list.empty() ? "" : ", ") + m;
    throw UsageError("--method must be one of " + list + " (got '" + options.method + "')" +
                     did_you_mean(options.method, methods));
  }
  const std::string targets_path = vm.count("targets") ? vm["targets"].as<std::string>() : scenario.calibration->targets;
  if (targets_path.empty())
    throw UsageError("calibrate needs targets: --targets CSV, or `targets:` in the calibration block");
  Diagnostics diagnostics;
  const auto observations = read_observations(targets_path, diagnostics);
  std::optional<std::vector<CalibrationTarget>> targets;
  if (observations) targets = match_targets(scenario, *observations, scenario.calibration->weights, diagnostics);
  if (!report(diagnostics)) return kExitUsage;
  if (targets->empty()) throw UsageError(targets_path + " holds no targets");
  const fs::path out = out_option(vm, fs::path(path).parent_path() / (fs::path(path).stem().string() + "_calibrated.yaml"));
  std::vector<fs::path> inputs = scenario_inputs(scenario);
  inputs.emplace_back(targets_path);
  if (!report(validate_output_target({out, OutputTarget::Kind::file}, inputs))) return kExitUsage;

  spdlog::info("{}: fitting {} parameter(s) to {} target(s) with {} (at most {} runs)", scenario.name,
               scenario.calibration->parameters.size(), targets->size(), options.method, options.max_evaluations);
  const CalibrationResult result = calibrate(scenario, *targets, options);
  std::cout << calibration_table(scenario, result);
  if (!result.optimiser_ok) {
    std::cerr << "mfgsim: calibration failed: the optimiser stopped with " << result.status << "; nothing written\n";
    return kExitRunFailed;
  }
  if (!result.all_within()) {
    std::cerr << "mfgsim: calibration failed: some targets are outside their tolerance (MISSED above); nothing "
                 "written (widen the bounds, free more parameters or raise --max-evals)\n";
    return kExitRunFailed;
  }
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  write_file_atomically(out, calibrated_yaml(scenario, result, out.string()), [&](const fs::path& written) {
    check_calibrated_scenario(written.string(), scenario, result);
  });
  spdlog::info("{}: calibrated scenario in {}", scenario.name, out.string());
  return kExitOk;
}

const Command calibrate_command{
    "calibrate", "calibrate SCENARIO", "fit the scenario's `calibration:` parameters to published targets",
    "mfgsim calibrate SCENARIO [options]", declare_options,
    "\nFits the parameters of the scenario's `calibration:` block to the targets (ytd-yoy growth,\n"
    "yoy of stocks, levels) on deterministic runs, minimising the weighted sum of squared misses\n"
    "in percentage points with NLopt. Prints the targets (published, model, miss), the fitted\n"
    "values and the optimiser's report, and writes a scenario that `extends` SCENARIO and sets\n"
    "only the fitted values. Exit 0 when every target is within its tolerance (growth 0.3\n"
    "points, levels 0.5), 1 when the fit failed (nothing written then), 2 on bad input.\n",
    execute};

}  // namespace mfgsim::cli
