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
static OutputSelection selection_option(const po::variables_map& vm, const Scenario& scenario) {
  OutputSelection selection{scenario.outputs};
  if (!vm.count("outputs")) return selection;
  selection.names.clear();
  const std::string list = vm["outputs"].as<std::string>();
  for (std::size_t begin = 0; begin <= list.size();) {
    const std::size_t end = std::min(list.find(',', begin), list.size());
    const std::string name = list.substr(begin, end - begin);
    if (name == "all" && list == "all") break;
    if (!is_known_series(name)) throw UsageError("--outputs: unknown series '" + name + "' (see mfgsim schema for the names)");
    selection.names.push_back(name);
    begin = end + 1;
  }
  return selection;
}

static void declare_options(CommandOptions& options) {
  options.argument("scenario", "scenario file (YAML)", "run needs a scenario file (mfgsim run SCENARIO)")
      .out("output folder (default out/<scenario name>)")
      .members("ensemble members (default: the scenario's ensemble.members)")
      .seed("random seed (default: the scenario's ensemble.seed)")
      .threads("worker threads (0: all cores)")
      .flag("keep-members", "also write members.csv with every member's series")
      .option<std::string>("outputs", "series to summarise, comma separated (default: the scenario's outputs, all)")
      .summary_memory(1024,
                      "MiB of member values held for exact quantiles; beyond it, sketches with 0.1% relative error")
      .flag("deterministic", "shocks off, no parameter draws, one member (the run MODEL.md defines)");
}

static int execute(const po::variables_map& vm) {
  const bool deterministic = vm["deterministic"].as<bool>();
  if (deterministic && vm.count("members"))
    throw UsageError("--deterministic runs exactly one member; do not combine it with --members");
  // A deterministic run draws no random numbers: a seed would be ignored.
  if (deterministic && vm.count("seed"))
    throw UsageError("--deterministic draws no random numbers; do not combine it with --seed");
  const int threads = vm["threads"].as<int>();

  ScenarioLoad load = load_scenario(vm["scenario"].as<std::string>());
  if (!report(load.diagnostics)) return kExitUsage;
  Scenario& scenario = *load.scenario;
  if (vm.count("seed")) scenario.ensemble.seed = vm["seed"].as<std::uint64_t>();
  EnsembleRequest request;
  request.members = deterministic ? 1 : vm.count("members") ? vm["members"].as<std::int64_t>() : scenario.ensemble.members;
  request.stochastic = !deterministic && scenario.ensemble.stochastic;
  request.threads = threads;
  request.keep_members = vm["keep-members"].as<bool>();
  request.summarise = true;
  request.exact_summary_bytes = vm["summary-memory"].as<std::uint64_t>() << 20;
  request.on_progress = log_members_done;
  const OutputSelection selection = selection_option(vm, scenario);
  const fs::path out = out_option(vm, fs::path("out") / scenario.name);
  if (!report(validate_output_target({out, OutputTarget::Kind::folder, "manifest.json", "run"}, scenario_inputs(scenario))))
    return kExitUsage;
  // The headline table's series are summarised too (they are few), but
  // only the selected ones are written.
  const std::vector<Headline> headlines =
      headline_series(scenario.params.sectors.names, scenario.params.equipment_sector);
  request.outputs = selection;
  if (!selection.names.empty())
    for (const Headline& h : headlines) request.outputs.names.push_back(h.variable);

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
    "\nWrites summary.csv, manifest.json (and members.csv with --keep-members) into the\n"
    "output folder, all at once: a failed run leaves no partial output.\n",
    execute};

}  // namespace mfgsim::cli
