// mfgsim discover DIR: scenario discovery (PRIM) on a batch's sweep.
#include <spdlog/spdlog.h>

#include <iostream>

#include "sim/analysis/discover.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/core/interrupt.h"
#include "sim/io/output_dir.h"

namespace mfgsim::cli {

static void declare_options(CommandOptions& options) {
  options.argument("dir", "output folder of mfgsim batch with a sweep (holds results.nc)",
                   "discover needs a batch output folder (mfgsim discover DIR --series S --at YYYY-MM --where '>= V')")
      .option<std::string>("series", "headline series with member values, e.g. manufacturing_va_ytd_yoy")
      .required("discover needs --series (a headline series, e.g. manufacturing_va_ytd_yoy)")
      .option<std::string>("at", "month YYYY-MM")
      .required("discover needs --at YYYY-MM")
      .option<std::string>("where", "the condition: '>= V', '> V', '<= V' or '< V', V in the series' unit (0.07 = 7%)")
      .required("discover needs --where, e.g. --where '>= 0.07'")
      .number("min-probability", kMinProbabilityRange,
              "density the chosen box must reach (default 0.8): the box of largest coverage with at least this share "
              "of its points meeting the condition")
      .number("peel-alpha", kPeelAlphaRange, "share of the box's points each peel removes (default 0.05)")
      .out("output folder (default DIR/discover)")
      .flag("no-plot", "do not draw the trajectory chart (no gnuplot needed)");
}

static int execute(const po::variables_map& vm) {
  const auto wall_start = std::chrono::steady_clock::now();
  DiscoverRequest request;
  request.results_dir = vm["dir"].as<std::string>();
  request.series = vm["series"].as<std::string>();
  request.month = vm["at"].as<std::string>();
  request.where = vm["where"].as<std::string>();
  assign_if_given(vm, "min-probability", request.min_probability);
  assign_if_given(vm, "peel-alpha", request.peel_alpha);
  const std::filesystem::path out = out_option(vm, std::filesystem::path(request.results_dir) / "discover");
  if (!report(validate_output_target({out, OutputTarget::Kind::folder, "manifest.json", "discover"},
                                     result_folder_inputs(request.results_dir))))
    return kExitUsage;
  Discovery discovery;
  try {
    if (!report(validate_discover_request(request))) return kExitUsage;
    discovery = discover(request);
  } catch (const std::runtime_error& e) {
    // A results.nc that does not read is bad input (exit 2), as for compare.
    throw UsageError(e.what());
  }
  OutputDir output(out);
  write_discovery_folder(output, request, discovery, !vm["no-plot"].as<bool>(), wall_start);
  throw_if_interrupted();
  output.commit();
  std::cout << discovery_table(discovery);
  spdlog::info("discover: results in {} ({:.2f} s)", output.target().string(), seconds_since(wall_start));
  return kExitOk;
}

const Command discover_command{
    "discover", "discover DIR", "scenario discovery: PRIM boxes of a sweep's parameters where an outcome is likely",
    "mfgsim discover DIR --series S --at YYYY-MM --where '>= V' [options]", declare_options,
    "\nEvery member of every sweep sample of the batch DIR is a point: x, the sample's swept\n"
    "parameter values; y, whether the member's value of --series at --at meets --where. PRIM\n"
    "(Friedman and Fisher 1999) peels the parameters' ranges, keeps the trajectory (coverage,\n"
    "density, mass, restricted parameters), chooses the box of largest coverage whose density\n"
    "reaches --min-probability, pastes it, and tests each restricted limit (quasi-p value, a\n"
    "one-sided binomial test, as EMA Workbench). Feature scores: the Kolmogorov-Smirnov\n"
    "distance between each parameter's values where the condition holds and where it does\n"
    "not. Scenario files (no swept values) and members with no value are left out. Writes\n"
    "trajectory.csv, box.csv, features.csv, trajectory.png/.svg (with .gp, .dat) and\n"
    "manifest.json, and prints a table.\n",
    execute};

}  // namespace mfgsim::cli
