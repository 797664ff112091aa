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

namespace mfgsim::cli {

int sensitivity_command(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim sensitivity SCENARIO --method morris|sobol [options]");
  opts.add_options()("scenario", po::value<std::string>(), "scenario file (YAML)")(
      "method,m", po::value<std::string>(), "morris (elementary effects) or sobol (variance-based indices)")(
      "output", po::value<std::string>()->default_value("manufacturing_va_ytd_yoy"), "series analysed")(
      "sector", po::value<std::string>(), "sector, for a per-sector series")(
      "at", po::value<std::string>(), "month YYYY-MM (default: the run's last month)")(
      "samples,N", po::value<std::int64_t>(), "sobol: base samples N (default 512; runs N (k+2)); morris: trajectories (default 20; runs r (k+1))")(
      "levels", po::value<int>()->default_value(4), "morris: grid levels p (even)")(
      "parameters", po::value<std::string>(), "uncertain or calibration (default: uncertain if the scenario has any)")(
      "bootstrap", po::value<int>()->default_value(1000), "bootstrap resamples for the 95% intervals (0: none)")(
      "seed,s", po::value<std::uint64_t>()->default_value(1), "seed of Morris trajectories and bootstrap resampling")(
      "threads,j", po::value<int>()->default_value(0), "worker threads (0: all cores)")(
      "out,o", po::value<std::string>(), "output folder (default out/<scenario name>_sensitivity_<method>)")(
      "no-plot", po::bool_switch(), "do not draw the chart (no gnuplot needed)")(
      "progress", po::value<std::string>()->default_value("auto"), "auto, bar, log, off");
  const auto vm = parse_command(
      args, opts, positional("scenario"),
      "\nVaries the scenario's `uncertain:` parameters (through their quantile functions) or its\n"
      "`calibration:` parameters (uniform on [low, high]) and runs the model deterministically\n"
      "(shocks off, one member) for each sample. Morris: mu, mu* and sigma of the elementary\n"
      "effects (per unit of quantile rank). Sobol: first-order S1 and total ST indices (Saltelli\n"
      "sampling; Jansen's ST, Saltelli's S1). Intervals: bootstrap percentiles. Writes sensitivity.csv,\n"
      "samples.csv, manifest.json and sensitivity.png/.svg (tornado of mu*, bars of S1 and ST).\n");
  if (!vm) return kExitOk;
  if (!vm->count("scenario")) throw UsageError("sensitivity needs a scenario file (mfgsim sensitivity SCENARIO --method M)");
  if (!vm->count("method")) throw UsageError("sensitivity needs --method morris or --method sobol");
  const std::string method = (*vm)["method"].as<std::string>();
  if (method != "morris" && method != "sobol")
    throw UsageError("--method must be morris or sobol (got '" + method + "')" + did_you_mean(method, {"morris", "sobol"}));
  const ProgressBar::Mode mode = progress_option(*vm);
  ScenarioLoad load = load_scenario((*vm)["scenario"].as<std::string>());
  if (!report(load.diagnostics)) return kExitUsage;
  const Scenario& scenario = *load.scenario;
  SensitivityRequest request;
  request.method = method == "morris" ? SensitivityMethod::morris : SensitivityMethod::sobol;
  request.output = (*vm)["output"].as<std::string>();
  if (vm->count("sector")) request.sector = (*vm)["sector"].as<std::string>();
  if (vm->count("at")) request.month = (*vm)["at"].as<std::string>();
  if (vm->count("samples")) request.samples = (*vm)["samples"].as<std::int64_t>();
  if (vm->count("parameters")) request.parameters = (*vm)["parameters"].as<std::string>();
  request.levels = (*vm)["levels"].as<int>();
  request.bootstrap = (*vm)["bootstrap"].as<int>();
  request.seed = (*vm)["seed"].as<std::uint64_t>();
  request.threads = threads_option(*vm);
  const std::vector<std::string> problems = check_sensitivity_request(scenario, request);
  if (!problems.empty()) {
    for (const std::string& problem : problems) std::cerr << "mfgsim: error: " << problem << '\n';
    return kExitUsage;
  }
  const std::int64_t runs = sensitivity_runs(scenario, request);
  spdlog::info("{}: {} sensitivity of {}, {} model runs", scenario.name, method, request.output, runs);
  const auto wall_start = std::chrono::steady_clock::now();
  OutputDir output(out_option(*vm, std::filesystem::path("out") / (scenario.name + "_sensitivity_" + method)));
  SensitivityResult result;
  {
    ProgressBar bar(mode);
    ProgressCounter progress(bar.callback(), scenario.name + " " + method, runs, "runs");
    try {
      result = run_sensitivity(scenario, request, [&] { progress.advance(); });
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  write_sensitivity_folder(output, scenario, request, result, !(*vm)["no-plot"].as<bool>(), wall_start);
  throw_if_interrupted();
  output.commit();
  std::cout << sensitivity_table(result);
  spdlog::info("{}: sensitivity results in {} ({:.2f} s)", scenario.name, output.target().string(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
  return kExitOk;
}

}  // namespace mfgsim::cli
