// mfgsim report DIR: one self-contained HTML page of a result folder.
#include <spdlog/spdlog.h>

#include <iostream>

#include "sim/analysis/report.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"

namespace mfgsim::cli {

static void declare_options(CommandOptions& options) {
  options.argument("dir", "results folder of mfgsim run or batch (summary.csv, manifest.json)",
                   "report needs a results folder (mfgsim report DIR)")
      .option<std::string>("observed", "published figures: points on the plots and a table against them (e.g. data/observed.csv)")
      .out("HTML file to write (default DIR/report.html)");
}

static int execute(const po::variables_map& vm) {
  ReportRequest request;
  request.results_dir = vm["dir"].as<std::string>();
  assign_if_given(vm, "observed", request.observed_csv);
  assign_if_given(vm, "out", request.out);
  if (!report(validate_report_request(request))) return kExitUsage;
  std::string path;
  try {
    path = make_report(request);
  } catch (const std::runtime_error& e) {
    // gnuplot missing or failing: exit 2, as plot does.
    std::cerr << "mfgsim: error: " << e.what() << (std::string(e.what()).ends_with('\n') ? "" : "\n");
    return kExitUsage;
  }
  spdlog::info("report: {}", path);
  return kExitOk;
}

const Command report_command{
    "report", "report DIR", "one self-contained HTML page of a result folder (tables, plots, provenance)",
    "mfgsim report DIR [options]", declare_options,
    "\nWrites DIR/report.html (or --out): the headline table, the fan charts and calendar-year\n"
    "view as inline SVG, a batch's comparison table and difference charts, the calibration\n"
    "targets against the model, a table against --observed figures, and the provenance from\n"
    "manifest.json (version, seed, members, input hashes). No script or external file: it\n"
    "reads offline and prints.\n",
    execute};

}  // namespace mfgsim::cli
