// mfgsim sensitivity SCENARIO: Morris or Sobol sensitivity of an output.
#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>

#include "sim/analysis/sensitivity.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/core/interrupt.h"
#include "sim/core/text.h"
#include "sim/io/output_dir.h"
#include "sim/scenario/scenario.h"

namespace mfgsim::cli {

static void declare_options(CommandOptions& options) {
  options.argument("scenario", "scenario file (YAML)",
                   "sensitivity needs a scenario file (mfgsim sensitivity SCENARIO --method M)")
      .option<std::string>("method,m", "morris (elementary effects) or sobol (variance-based indices)")
      .required("sensitivity needs --method morris or --method sobol")
      .option<std::string>("output", "manufacturing_va_ytd_yoy", "series analysed")
      .option<std::string>("sector", "sector, for a per-sector series")
      .option<std::string>("at", "month YYYY-MM (default: the run's last month)")
      .integer<std::int64_t>("samples,N", kSobolSamplesRange,
                             "sobol: base samples N (default 512, at most 16777216; runs N (k+2); powers of two "
                             "balance best); morris: trajectories r (default 20, at most 1000000; runs r (k+1))")
      .integer<int>("levels", kMorrisLevelsRange, 4, "morris only: grid levels p (even)")
      .option<std::string>("parameters", "uncertain or calibration (default: uncertain if the scenario has any)")
      .integer<int>("bootstrap", kBootstrapRange, 1000, "bootstrap resamples for the 95% intervals")
      .integer<std::uint64_t>("seed,s", kSeedRange, 1,
                              "seed of the Morris trajectories, the Sobol points' scrambling and the bootstrap")
      .integer<std::int64_t>("members", kSensitivityMembersRange, 0,
                             "members per model run: 0 runs with shocks off; M >= 1 averages M stochastic members "
                             "with common random numbers (the scenario's seed)")
      .threads("worker threads (0: all cores)")
      .out("output folder (default out/<scenario name>_sensitivity_<method>)")
      .flag("no-plot", "do not draw the chart (no gnuplot needed)")
      .progress("auto, bar, log, off");
}

static int execute(const po::variables_map& vm) {
  const std::string method = vm["method"].as<std::string>();
  if (method != "morris" && method != "sobol")
    throw UsageError("--method must be morris or sobol (got '" + method + "')" + did_you_mean(method, {"morris", "sobol"}));
  const ProgressBar::Mode mode = progress_option(vm);
  reject_ignored(vm, "levels", method == "morris", "--method morris");
  ScenarioLoad load = load_scenario(vm["scenario"].as<std::string>());
  if (!report(load.diagnostics)) return kExitUsage;
  const Scenario& scenario = *load.scenario;
  SensitivityRequest request;
  request.method = method == "morris" ? SensitivityMethod::morris : SensitivityMethod::sobol;
  request.output = vm["output"].as<std::string>();
  assign_if_given(vm, "sector", request.sector);
  assign_if_given(vm, "at", request.month);
  assign_if_given(vm, "samples", request.samples);
  assign_if_given(vm, "parameters", request.parameters);
  request.levels = vm["levels"].as<int>();
  request.bootstrap = vm["bootstrap"].as<int>();
  request.seed = vm["seed"].as<std::uint64_t>();
  request.threads = vm["threads"].as<int>();
  request.members = vm["members"].as<std::int64_t>();
  request.notice = print_notice;
  if (!report(validate_sensitivity_request(scenario, request))) return kExitUsage;
  const std::filesystem::path out =
      out_option(vm, std::filesystem::path("out") / (scenario.name + "_sensitivity_" + method));
  if (!report(validate_output_target({out, OutputTarget::Kind::folder, "manifest.json", "sensitivity"},
                                     scenario_inputs(scenario))))
    return kExitUsage;
  const std::int64_t runs = sensitivity_runs(scenario, request);
  spdlog::info("{}: {} sensitivity of {}, {} model runs", scenario.name, method, request.output, runs);
  const auto wall_start = std::chrono::steady_clock::now();
  OutputDir output(out);
  SensitivityResult result;
  {
    ProgressBar bar(mode);
    ProgressCounter progress(bar.callback(), scenario.name + " " + method, runs, "runs");
    result = run_sensitivity(scenario, request, [&] { progress.advance(); });
  }
  write_sensitivity_folder(output, scenario, request, result, !vm["no-plot"].as<bool>(), wall_start);
  throw_if_interrupted();
  output.commit();
  std::cout << sensitivity_table(result);
  spdlog::info("{}: sensitivity results in {} ({:.2f} s)", scenario.name, output.target().string(),
               seconds_since(wall_start));
  return kExitOk;
}

const Command sensitivity_command{
    "sensitivity", "sensitivity SCENARIO", "Morris or Sobol sensitivity of an output to uncertain parameters",
    "mfgsim sensitivity SCENARIO --method morris|sobol [options]", declare_options,
    "\nVaries the scenario's `uncertain:` parameters (through their quantile functions) or its\n"
    "`calibration:` parameters (uniform on [low, high]) and runs the model deterministically\n"
    "(shocks off, one member) for each sample. Morris: mu, mu* and sigma of the elementary\n"
    "effects (per unit of quantile rank). Sobol: first-order S1 and total ST indices (Saltelli\n"
    "sampling; Jansen's ST, Saltelli's S1). Intervals: bootstrap percentiles. Writes sensitivity.csv,\n"
    "samples.csv, manifest.json and sensitivity.png/.svg (tornado of mu*, bars of S1 and ST).\n",
    execute};

}  // namespace mfgsim::cli
