// mfgsim run SCENARIO: one scenario's ensemble into a result folder, and the
// headline table on stdout.
#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/core/interrupt.h"
#include "sim/ensemble/ensemble.h"
#include "sim/io/output_dir.h"
#include "sim/output/headline.h"
#include "sim/output/run_outputs.h"
#include "sim/scenario/scenario.h"

namespace mfgsim::cli {

namespace fs = std::filesystem;

// --outputs: series names, comma separated; "all" alone: every series.
static std::vector<std::string> outputs_option(const std::string& list) {
  std::vector<std::string> names;
  if (list == "all") return names;
  for (std::size_t begin = 0; begin <= list.size();) {
    const std::size_t end = std::min(list.find(',', begin), list.size());
    names.push_back(list.substr(begin, end - begin));
    begin = end + 1;
  }
  return names;
}

static void declare_options(CommandOptions& options) {
  options.argument("scenario", "scenario file (YAML)", "run needs a scenario file (mfgsim run SCENARIO)")
      .out("output folder (default out/<scenario name>)")
      .members("ensemble members (default: the scenario's ensemble.members)")
      .seed("random seed (default: the scenario's ensemble.seed)")
      .threads("worker threads (0: all cores)")
      .flag("keep-members", "also write every member's value of every selected series (members.csv, results.nc)")
      .option<std::string>("outputs", "series to summarise, comma separated (default: the scenario's outputs, all)")
      .summary_memory(1024,
                      "MiB of member values held for exact quantiles; beyond it, sketches (each order statistic within 0.1% relative error)")
      .flag("deterministic", "shocks off, no parameter draws, one member (the run MODEL.md defines)");
}

static int execute(const po::variables_map& vm) {
  RunOptions options;
  options.deterministic = vm["deterministic"].as<bool>();
  assign_if_given(vm, "members", options.members);
  assign_if_given(vm, "seed", options.seed);
  if (vm.count("outputs")) options.outputs = outputs_option(vm["outputs"].as<std::string>());
  options.threads = vm["threads"].as<int>();
  options.keep_members = vm["keep-members"].as<bool>();
  options.summary_memory_mib = vm["summary-memory"].as<std::uint64_t>();
  options.on_progress = log_members_done;

  ScenarioLoad load = load_scenario(vm["scenario"].as<std::string>());
  if (!report(load.diagnostics)) return kExitUsage;
  Scenario& scenario = *load.scenario;
  std::string error;
  const std::optional<PreparedRun> run = prepare_run(scenario, options, "--", &error);
  if (!run) throw UsageError(error);
  const EnsembleRequest& request = run->request;
  const OutputSelection& selection = run->selection;
  const std::vector<Headline>& headlines = run->headlines;
  const fs::path out = out_option(vm, fs::path("out") / scenario.name);
  if (!report(validate_output_target({out, OutputTarget::Kind::folder, "manifest.json", "run"}, scenario_inputs(scenario))))
    return kExitUsage;

  spdlog::info("{}: {} member(s), {}, {} month(s) from {}", scenario.name, request.members,
               request.stochastic ? "stochastic" : "deterministic", scenario.calendar.months,
               format_year_month(scenario.calendar.start));
  const auto wall_start = std::chrono::steady_clock::now();
  OutputDir output(out);
  const EnsembleResult result = run_ensemble(scenario, request);
  const SummaryTable& table = *result.summary;
  if (!table.exact)
    spdlog::info("{}: quantiles from sketches (relative error <= {}): the members' values exceed --summary-memory",
                 scenario.name, table.accuracy);
  const std::string warning = check_failed_members(scenario.name, request.members, result.failures,
                                                   (output.target() / "failures.csv").string());
  if (!warning.empty()) print_notice({Notice::Level::report, warning});
  write_run_folder(output, scenario, request, result, selection, wall_start);
  throw_if_interrupted();
  output.commit();

  std::cout << headline_table(scenario.calendar, table, headlines, headline_months(scenario));
  spdlog::info("{}: results in {} ({:.3f} s)", scenario.name, output.target().string(), seconds_since(wall_start));
  return kExitOk;
}

const Command run_command{
    "run", "run SCENARIO", "run a scenario's ensemble and write summaries",
    "mfgsim run SCENARIO [options]", declare_options,
    "\nWrites summary.csv, results.nc (NetCDF-4; with --keep-members every member's values),\n"
    "manifest.json (and members.csv with --keep-members) into the output folder, all at\n"
    "once: a failed run leaves no partial output.\n",
    execute};

}  // namespace mfgsim::cli
