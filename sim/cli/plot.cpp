// mfgsim plot DIR: fan charts of a results folder with gnuplot.
#include <spdlog/spdlog.h>

#include <iostream>

#include "sim/analysis/plot.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"

namespace mfgsim::cli {

static void declare_options(CommandOptions& options) {
  options.argument("dir", "results folder (holds summary.csv)", "plot needs a results folder (mfgsim plot DIR)")
      .option<std::vector<std::string>>("series", "series to plot (default: the headline series)")
      .option<std::vector<std::string>>(
          "sectors", "sectors for per-sector series (default: the headline sectors of the run's scenario)")
      .option<std::string>("observed", "published figures to draw as points (e.g. data/observed.csv)")
      .option<std::vector<std::string>>(
          "scenarios", "scenarios drawn (default: all; in a batch folder, its scenario files plus a band per sweep)")
      .flag("annual", "calendar-year view of growth series: the December values per year (files <series>_annual.*)")
      .flag("difference",
            "difference charts: each scenario minus the baseline, member by member (median, 5-95% band); "
            "needs member values in DIR/results.nc")
      .option<std::string>("baseline", "with --difference: the scenario subtracted (default: `baseline`, else the first)")
      .out("folder for the plot files (default DIR/plots); replaces only files it wrote there itself, unchanged since "
           "(listed with their SHA-256 in its mfgsim_files.json)");
}

static int execute(const po::variables_map& vm) {
  PlotRequest request;
  request.results_dir = vm["dir"].as<std::string>();
  assign_if_given(vm, "series", request.series);
  assign_if_given(vm, "sectors", request.sectors);
  assign_if_given(vm, "observed", request.observed_csv);
  assign_if_given(vm, "scenarios", request.scenarios);
  assign_if_given(vm, "out", request.out_dir);
  request.annual = vm["annual"].as<bool>();
  request.difference = vm["difference"].as<bool>();
  assign_if_given(vm, "baseline", request.baseline);
  const PreparedPlots prepared = prepare_plots(request);
  if (!report(prepared.diagnostics)) return kExitUsage;
  std::vector<std::string> images;
  try {
    images = make_plots(prepared);
  } catch (const std::runtime_error& e) {
    // gnuplot missing or failing, or a file not written: exit 2, as it always
    // was. Messages with their own "file: error:" prefix are printed as they are.
    const std::string message = e.what();
    std::cerr << (message.find(": error: ") != std::string::npos ? "" : "mfgsim: error: ") << message
              << (message.ends_with('\n') ? "" : "\n");
    return kExitUsage;
  }
  if (request.out_dir.empty())
    spdlog::info("{} plot files in {}/plots", images.size(), request.results_dir);
  else
    spdlog::info("{} plot files in {}", images.size(), request.out_dir);
  return kExitOk;
}

const Command plot_command{
    "plot", "plot DIR", "fan charts of a results folder (PNG and SVG, with gnuplot)",
    "mfgsim plot DIR [options]", declare_options,
    "\nWrites DIR/plots/<series>[_<sector>].png and .svg (or into --out), with the gnuplot\n"
    "script and data beside each: a fan chart (median, 50% and 90% bands) for one scenario,\n"
    "median lines (with 90% bands when two) when DIR holds several scenarios. Titles name\n"
    "the series, scenario and region; values are shown in %, ¥bn or Mt; each scenario keeps\n"
    "its colour in every plot of DIR. --annual draws calendar-year growth instead (December\n"
    "values, 50% box and 90% whiskers per year); --difference draws each scenario minus the\n"
    "baseline, member by member, with the 5-95% band of the differences (files\n"
    "<series>_difference.*). Replaces only files an earlier plot wrote there, unchanged since\n"
    "(mfgsim_files.json lists them with their SHA-256); any other file of those names is\n"
    "refused (exit 2, nothing written); other files stay.\n",
    execute};

}  // namespace mfgsim::cli
