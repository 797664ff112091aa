// mfgsim plot DIR: fan charts of a results folder with gnuplot.
#include <spdlog/spdlog.h>

#include <iostream>

#include "sim/analysis/plot.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"

namespace mfgsim::cli {

int plot_command(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim plot DIR [options]");
  opts.add_options()("dir", po::value<std::string>(), "results folder (holds summary.csv)")(
      "series", po::value<std::vector<std::string>>()->multitoken(), "series to plot (default: the headline series)")(
      "sectors", po::value<std::vector<std::string>>()->multitoken(),
      "sectors for per-sector series (default: the headline sectors of the run's scenario)")(
      "observed", po::value<std::string>(), "published figures to draw as points (e.g. data/observed.csv)")(
      "scenarios", po::value<std::vector<std::string>>()->multitoken(),
      "scenarios drawn (default: all; in a batch folder, its scenario files plus a band per sweep)");
  const auto vm = parse_command(args, opts, positional("dir"),
                                "\nWrites DIR/plots/<series>[_<sector>].png and .svg, with the gnuplot script and\n"
                                "data beside each: a fan chart (median, 50% and 90% bands) for one scenario,\n"
                                "median lines when DIR holds several scenarios.\n");
  if (!vm) return kExitOk;
  if (!vm->count("dir")) throw UsageError("plot needs a results folder (mfgsim plot DIR)");
  PlotRequest request;
  request.results_dir = (*vm)["dir"].as<std::string>();
  if (vm->count("series")) request.series = (*vm)["series"].as<std::vector<std::string>>();
  if (vm->count("sectors")) request.sectors = (*vm)["sectors"].as<std::vector<std::string>>();
  if (vm->count("observed")) request.observed_csv = (*vm)["observed"].as<std::string>();
  std::vector<std::string> images;
  try {
    images = make_plots(request);
  } catch (const std::runtime_error& e) {
    // File diagnostics come formatted (file:line:col: error: ...); other messages get the prefix.
    const std::string message = e.what();
    std::cerr << (message.find(": error: ") != std::string::npos ? "" : "mfgsim: error: ") << message
              << (message.ends_with('\n') ? "" : "\n");
    return kExitUsage;
  }
  spdlog::info("{} plot files in {}/plots", images.size(), request.results_dir);
  return kExitOk;
}

}  // namespace mfgsim::cli
