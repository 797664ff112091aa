// mfgsim calibrate SCENARIO: the `calibration:` parameters fitted to
// published targets, written as a scenario that extends SCENARIO.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "sim/analysis/calibration.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/core/calendar.h"
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
      .number("tolerance", kToleranceRange, "stop when a step changes the objective (points^2) by less")
      .flag("accept-misses", "write the least-squares compromise even when targets miss their tolerance")
      .number("recency-half-life", kRecencyHalfLifeRange,
              "months: a target this much older than the latest weighs half (default: the block's, else none)")
      .option<std::string>("origin", "month YYYY-MM: fit only figures a forecaster then had (periods ending by it, "
                                     "published by the end of the next month)")
      .option<std::string>("from", "month YYYY-MM: fit only figures for periods ending in or after it");
}

// --origin and --from: the figures to fit, and a note of those left out.
static std::vector<Observation> select_figures(const std::vector<Observation>& figures, const po::variables_map& vm) {
  auto month = [&](const char* name) {
    const std::string text = vm[name].as<std::string>();
    if (!parse_year_month(text)) throw UsageError(std::string("--") + name + ": expected a month YYYY-MM, got '" + text + "'");
    return text;
  };
  std::vector<Observation> kept = figures;
  if (vm.count("origin")) {
    std::vector<Observation> later;
    kept = available_at(kept, month("origin"), &later);
    if (!later.empty())
      spdlog::info("--origin {}: {} figure(s) left out (later periods, or published after the following month)",
                   vm["origin"].as<std::string>(), later.size());
  }
  if (vm.count("from")) {
    const std::string from = month("from");
    const auto before = std::stable_partition(kept.begin(), kept.end(), [&](const Observation& o) { return o.month >= from; });
    if (before != kept.end())
      spdlog::info("--from {}: {} figure(s) for earlier periods left out", from, kept.end() - before);
    kept.erase(before, kept.end());
  }
  return kept;
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
  const bool accept_misses = vm["accept-misses"].as<bool>() || scenario.calibration->accept_misses;
  double half_life = scenario.calibration->recency_half_life;
  assign_if_given(vm, "recency-half-life", half_life);
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
  if (observations)
    targets = match_targets(scenario, select_figures(*observations, vm), scenario.calibration->weights, diagnostics);
  if (!report(diagnostics)) return kExitUsage;
  if (targets->empty()) throw UsageError(targets_path + " holds no targets to fit");
  if (half_life > 0) apply_recency_weights(*targets, half_life);
  const fs::path out = out_option(vm, fs::path(path).parent_path() / (fs::path(path).stem().string() + "_calibrated.yaml"));
  std::vector<fs::path> inputs = scenario_inputs(scenario);
  inputs.emplace_back(targets_path);
  if (!report(validate_output_target({out, OutputTarget::Kind::file, kCalibrateMarker, "calibrate"}, inputs))) return kExitUsage;

  spdlog::info("{}: fitting {} parameter(s) to {} target(s) with {} (at most {} runs)", scenario.name,
               scenario.calibration->parameters.size(), targets->size(), options.method, options.max_evaluations);
  const CalibrationResult result = calibrate(scenario, *targets, options);
  std::cout << calibration_table(scenario, result);
  if (!result.optimiser_ok) {
    std::cerr << "mfgsim: calibration failed: the optimiser stopped with " << result.status << "; nothing written\n";
    return kExitRunFailed;
  }
  if (!result.all_within() && !accept_misses) {
    std::cerr << "mfgsim: calibration failed: some targets are outside their tolerance (MISSED above); nothing "
                 "written (widen the bounds, free more parameters, raise --max-evals, or --accept-misses to write "
                 "the least-squares compromise)\n";
    return kExitRunFailed;
  }
  if (!result.all_within())
    spdlog::warn("{}: targets outside their tolerance (MISSED above) accepted: the least-squares compromise is "
                 "written, its misses listed at the top of the file",
                 scenario.name);
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
    "points, levels 0.5) or --accept-misses is given, 1 when the fit failed (nothing written then),\n"
    "2 on bad input. Standard errors of the fitted values: Gauss-Newton at the optimum.\n"
    "Figures of industries that are not one model sector (va_industry, mining_va) are not fitted\n"
    "(a warning says how many).\n",
    execute};

}  // namespace mfgsim::cli
