// mfgsim: the command line. The only place that prints, exits, or uses
// Boost.Program_options; everything else is the library.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <signal.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "sim/analysis/backtest.h"
#include "sim/analysis/calibration.h"
#include "sim/ensemble/ensemble.h"
#include "sim/io/hashing.h"
#include "sim/core/interrupt.h"
#include "sim/io/output_dir.h"
#include "sim/analysis/plot.h"
#include "sim/output/run_outputs.h"
#include "sim/scenario/scenario.h"
#include "sim/batch/batch.h"
#include "sim/batch/batch_job.h"
#include "sim/batch/mpi_batch.h"
#include "sim/output/netcdf_output.h"
#include "sim/analysis/compare.h"
#include "sim/core/progress.h"
#include "sim/analysis/sensitivity.h"
#include "sim/scenario/schema.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace mfgsim;

namespace {

constexpr int kExitOk = 0, kExitRunFailed = 1, kExitUsage = 2;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const char* kTopHelp =
    "mfgsim: monthly projections of regional manufacturing under low-carbon,\n"
    "intelligent-manufacturing and long-term-lending levers.\n\n"
    "Usage: mfgsim COMMAND [options]\n\n"
    "Commands:\n"
    "  run SCENARIO       run a scenario's ensemble and write summaries\n"
    "  batch FILE         run a batch of scenarios and parameter sweeps (summary.csv, results.nc)\n"
    "  merge DIR...       join the shard folders of mfgsim batch --shard K/N into one result\n"
    "  compare DIR        a batch's scenarios against a baseline: paired differences, P(better), ranks\n"
    "  sensitivity SCENARIO  Morris or Sobol sensitivity of an output to uncertain parameters\n"
    "  validate FILE...   check scenario files without running them\n"
    "  schema             print the documented scenario schema (Markdown)\n"
    "  plot DIR           fan charts of a results folder (PNG and SVG, with gnuplot)\n"
    "  calibrate SCENARIO fit the scenario's `calibration:` parameters to published targets\n"
    "  backtest DIR       score a results folder against observed figures (MAE, RMSE, coverage, CRPS)\n\n"
    "Options:\n"
    "  --help             this text (also: mfgsim COMMAND --help)\n"
    "  --version          the program version\n"
    "  --log-level LEVEL  trace, debug, info, warn, error, off (default info)\n";

po::options_description common_options() {
  po::options_description opts("Common options");
  opts.add_options()("help,h", "show this help")(
      "log-level", po::value<std::string>()->default_value("info"), "trace, debug, info, warn, error, off");
  return opts;
}

void set_log_level(const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off")
    throw UsageError("--log-level must be one of trace, debug, info, warn, error, off (got '" + level + "')");
  spdlog::set_level(parsed);
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description& positional) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

bool report(const Diagnostics& diagnostics) {
  if (diagnostics.ok()) return true;
  std::cerr << diagnostics.format();
  return false;
}

int command_run(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim run SCENARIO [options]");
  opts.add(common_options());
  opts.add_options()("scenario", po::value<std::string>(), "scenario file (YAML)")(
      "out,o", po::value<std::string>(), "output folder (default out/<scenario name>)")(
      "members,n", po::value<std::int64_t>(), "ensemble members (default: the scenario's ensemble.members)")(
      "seed,s", po::value<std::uint64_t>(), "random seed (default: the scenario's ensemble.seed)")(
      "threads,j", po::value<int>()->default_value(0), "worker threads (0: all cores)")(
      "keep-members", po::bool_switch(), "also write members.csv with every member's series")(
      "outputs", po::value<std::string>(), "series to summarise, comma separated (default: the scenario's outputs, all)")(
      "summary-memory", po::value<std::uint64_t>()->default_value(1024),
      "MiB of member values held for exact quantiles; beyond it, sketches with 0.1% relative error")(
      "deterministic", po::bool_switch(), "shocks off, no parameter draws, one member (the run MODEL.md defines)");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts << "\nWrites summary.csv, manifest.json (and members.csv with --keep-members) into the\n"
                         "output folder, all at once: a failed run leaves no partial output.\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  if (!vm.count("scenario")) throw UsageError("run needs a scenario file (mfgsim run SCENARIO)");
  const bool deterministic = vm["deterministic"].as<bool>();
  if (deterministic && vm.count("members"))
    throw UsageError("--deterministic runs exactly one member; do not combine it with --members");
  const int threads = vm["threads"].as<int>();
  if (threads < 0) throw UsageError("--threads must be >= 0 (0: all cores)");

  const std::string path = vm["scenario"].as<std::string>();
  ScenarioLoad load = load_scenario(path);
  if (!report(load.diagnostics)) return kExitUsage;
  Scenario& scenario = *load.scenario;
  if (vm.count("seed")) scenario.ensemble.seed = vm["seed"].as<std::uint64_t>();
  EnsembleRequest request;
  request.members = deterministic ? 1 : vm.count("members") ? vm["members"].as<std::int64_t>() : scenario.ensemble.members;
  if (request.members < 1 || request.members > 10'000'000) throw UsageError("--members must be in [1, 10000000]");
  request.stochastic = !deterministic && scenario.ensemble.stochastic;
  request.threads = threads;
  request.keep_members = vm["keep-members"].as<bool>();
  request.summarise = true;
  request.exact_summary_bytes = vm["summary-memory"].as<std::uint64_t>() << 20;
  OutputSelection selection{scenario.outputs};
  if (vm.count("outputs")) {
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
  }
  // The headline table's series are summarised too (they are few), but
  // only the selected ones are written.
  const std::vector<Headline> headlines =
      headline_series(scenario.params.sectors.names, scenario.params.equipment_sector);
  request.outputs = selection;
  if (!selection.names.empty())
    for (const Headline& h : headlines) request.outputs.names.push_back(h.variable);
  const fs::path out = vm.count("out") ? fs::path(vm["out"].as<std::string>()) : fs::path("out") / scenario.name;

  spdlog::info("{}: {} member(s), {}, {} month(s) from {}", scenario.name, request.members,
               request.stochastic ? "stochastic" : "deterministic", scenario.calendar.months,
               format_year_month(scenario.calendar.start));
  const auto wall_start = std::chrono::steady_clock::now();
  OutputDir output(out);
  EnsembleResult result = run_ensemble(scenario, request);
  const SummaryTable& table = *result.summary;
  if (!table.exact)
    spdlog::info("{}: quantiles from sketches (relative error <= {}): the members' values exceed --summary-memory",
                 scenario.name, table.accuracy);
  // Members stopped by a numerical guard are left out of the summaries; a
  // run with no member left has no result.
  const auto failed = static_cast<std::int64_t>(result.failures.size());
  if (failed == request.members)
    throw RunError(scenario.name + ": " +
                   (failed == 1 ? result.failures[0].message
                                : "every member failed (" + std::to_string(failed) + "); the first: " +
                                      result.failures[0].message));
  if (failed > 0) {
    std::cerr << "mfgsim: warning: " << scenario.name << ": " << failed << " of " << request.members
              << " members failed and are left out of the summaries (" << (output.target() / "failures.csv").string()
              << "); the first: " << result.failures[0].message << '\n';
    std::ofstream failures(output.staging() / "failures.csv");
    write_failures_header(failures);
    write_failures_rows(failures, scenario.name, scenario.calendar, result.failures);
    output.close(failures, "failures.csv");
  }
  {
    std::ofstream summary(output.staging() / "summary.csv");
    write_summary_header(summary);
    write_summary_rows(summary, scenario.name, scenario.calendar, table, scenario.params.sectors.names, selection);
    output.close(summary, "summary.csv");
  }
  if (vm["keep-members"].as<bool>()) {
    std::ofstream members(output.staging() / "members.csv");
    write_members_header(members);
    write_members_rows(members, scenario.name, *result.store, scenario.params.sectors.names, selection);
    output.close(members, "members.csv");
  }
  nlohmann::json manifest;
  manifest["program"] = "mfgsim";
  manifest["version"] = MFGSIM_VERSION;
  manifest["command"] = "run";
  manifest["scenario"] = scenario.name;
  for (const std::string& file : scenario.files)
    manifest["scenario_files"].push_back({{"path", file}, {"sha256", sha256_file_hex(file)}});
  manifest["resolved_scenario"] = scenario.resolved;
  manifest["seed"] = scenario.ensemble.seed;
  manifest["members"] = request.members;
  manifest["failed_members"] = failed;
  manifest["stochastic"] = request.stochastic;
  manifest["outputs"] = selection.names.empty() ? nlohmann::json("all") : nlohmann::json(selection.names);
  manifest["quantiles"] = table.exact ? nlohmann::json("exact") : nlohmann::json({{"sketch_relative_error", table.accuracy}});
  manifest["threads"] = result.threads;
  manifest["started_utc"] = utc_now();
  manifest["wall_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  write_json_file(output, "manifest.json", manifest);
  throw_if_interrupted();
  output.commit();

  std::vector<int> months;
  for (int t = 0; t < scenario.calendar.months; ++t) {
    const YearMonth ym = scenario.calendar.at(t);
    if (ym.month == 12 || t == scenario.calendar.months - 1 || (ym.year == 2023 && ym.month == 6))
      if (t >= 12) months.push_back(t);
  }
  if (months.size() > 6) months.erase(months.begin() + 3, months.end() - 3);
  std::cout << headline_table(scenario.calendar, table, headlines, months);
  spdlog::info("{}: results in {} ({:.3f} s)", scenario.name, output.target().string(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
  return kExitOk;
}

int command_validate(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim validate FILE... [options]");
  opts.add(common_options());
  opts.add_options()("files", po::value<std::vector<std::string>>(), "scenario files");
  po::positional_options_description positional;
  positional.add("files", -1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts << "\nChecks syntax, schema and model constraints; prints every problem as\n"
                         "file:line:col: error: message. Exit 0 if all files are valid, 2 otherwise.\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  if (!vm.count("files")) throw UsageError("validate needs at least one scenario file");
  bool ok = true;
  for (const std::string& file : vm["files"].as<std::vector<std::string>>()) {
    const ScenarioLoad load = load_scenario(file);
    if (report(load.diagnostics)) std::cout << file << ": ok\n";
    else ok = false;
  }
  return ok ? kExitOk : kExitUsage;
}

int command_plot(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim plot DIR [options]");
  opts.add(common_options());
  opts.add_options()("dir", po::value<std::string>(), "results folder (holds summary.csv)")(
      "series", po::value<std::vector<std::string>>()->multitoken(), "series to plot (default: the headline series)")(
      "sectors", po::value<std::vector<std::string>>()->multitoken(),
      "sectors for per-sector series (default: env_protection_equipment coal_mining utilities equipment)")(
      "observed", po::value<std::string>(), "published figures to draw as points (e.g. data/observed.csv)")(
      "scenarios", po::value<std::vector<std::string>>()->multitoken(),
      "scenarios drawn (default: all; in a batch folder, its scenario files plus a band per sweep)");
  po::positional_options_description positional;
  positional.add("dir", 1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts << "\nWrites DIR/plots/<series>[_<sector>].png and .svg, with the gnuplot script and\n"
                         "data beside each: a fan chart (median, 50% and 90% bands) for one scenario,\n"
                         "median lines when DIR holds several scenarios.\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  if (!vm.count("dir")) throw UsageError("plot needs a results folder (mfgsim plot DIR)");
  PlotRequest request;
  request.results_dir = vm["dir"].as<std::string>();
  if (vm.count("series")) request.series = vm["series"].as<std::vector<std::string>>();
  if (vm.count("sectors")) request.sectors = vm["sectors"].as<std::vector<std::string>>();
  if (vm.count("observed")) request.observed_csv = vm["observed"].as<std::string>();
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

// ---- batches, comparisons, sensitivity (issue 3) ----------------------------

// ".<name>.tmp-<pid>" beside `path`. Appended piece by piece: GCC 12 reports
// a false -Wrestrict for the chained operator+ once this is inlined.
std::string temporary_name(const fs::path& path) {
  std::string name(".");
  name += path.filename().string();
  name += ".tmp-";
  name += std::to_string(::getpid());
  return name;
}

// Writes `text` to `path` through a temporary sibling renamed into place.
void write_text_atomically(const fs::path& path, const std::string& text) {
  fs::path temporary = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  temporary /= temporary_name(path);
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    if (!out.flush()) {
      std::error_code ec;
      fs::remove(temporary, ec);
      throw std::runtime_error("cannot write " + path.string());
    }
  }
  fs::rename(temporary, path);
}

Progress::Mode progress_mode(const std::string& text) {
  if (text == "auto") return Progress::Mode::automatic;
  if (text == "bar") return Progress::Mode::bar;
  if (text == "log") return Progress::Mode::log;
  if (text == "off") return Progress::Mode::off;
  throw UsageError("--progress must be auto, bar, log or off (got '" + text + "')");
}

// "K/N" with 1 <= K <= N.
std::pair<int, int> parse_shard(const std::string& text) {
  int k = 0, n = 0;
  char slash = 0, extra = 0;
  std::istringstream in(text);
  if (!(in >> k >> slash >> n) || slash != '/' || (in >> extra) || n < 1 || k < 1 || k > n)
    throw UsageError("--shard must be K/N with 1 <= K <= N, e.g. 2/8 (got '" + text + "')");
  return {k, n};
}

int command_batch(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim batch BATCH.yaml [options]");
  opts.add(common_options());
  opts.add_options()("batch", po::value<std::string>(), "batch file (YAML)")(
      "out,o", po::value<std::string>(), "output folder (default out/<batch name>; with --shard: the shard's folder)")(
      "threads,j", po::value<int>()->default_value(0),
      "worker threads (0: all cores; under MPI: each rank's share of its machine's cores)")(
      "members,n", po::value<std::int64_t>(), "members of every scenario (default: the batch's, else each scenario's)")(
      "seed,s", po::value<std::uint64_t>(), "seed of every scenario (default: the batch's, else each scenario's)")(
      "keep-members", po::bool_switch(), "also keep every member's every series (members.csv, results.nc)")(
      "summary-memory", po::value<std::uint64_t>()->default_value(256),
      "MiB of member values each scenario may hold for exact quantiles; beyond it, sketches with 0.1% "
      "relative error")(
      "resume", po::bool_switch(), "continue an interrupted batch from its checkpoint, skipping finished scenarios")(
      "shard", po::value<std::string>(), "K/N: run only scenarios K-1, K-1+N, ... into a shard folder (mfgsim merge)")(
      "check", po::bool_switch(), "load and check the batch and every scenario, print what would run, run nothing")(
      "progress", po::value<std::string>()->default_value("auto"), "auto (a bar on a terminal, else log lines), bar, log, off");
  po::positional_options_description positional;
  positional.add("batch", 1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts
              << "\nReads the batch file, loads and validates every scenario and compiles every sweep\n"
                 "sample (every problem as file:line:col: error: ...), then runs the scenarios over all\n"
                 "cores (results identical for any --threads) and writes, all at once, into the output\n"
                 "folder: summary.csv (every scenario, as mfgsim run writes it), scenarios.csv (one row\n"
                 "per scenario with its swept parameter values), results.nc (NetCDF-4: summaries and the\n"
                 "headline series' member values for mfgsim compare) and manifest.json.\n\n"
                 "Each finished scenario is checkpointed in .<out name>.checkpoint beside the output\n"
                 "folder; after a crash or kill, the same command with --resume runs only the rest. Under\n"
                 "mpirun (mpirun -n P mfgsim batch ...), scenarios spread over the ranks; with --shard K/N\n"
                 "one job of an array runs its slice and mfgsim merge joins the shards. Every way gives\n"
                 "the same files. The batch file's format is in the README (\"Batches and sweeps\").\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  if (mpi_world().rank > 0 && spdlog::get_level() < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
  if (!vm.count("batch")) throw UsageError("batch needs a batch file (mfgsim batch BATCH.yaml)");
  BatchJobOptions job;
  const int threads = vm["threads"].as<int>();
  if (threads < 0) throw UsageError("--threads must be >= 0 (0: all cores)");
  job.progress = progress_mode(vm["progress"].as<std::string>());
  if (mpi_world().rank > 0) job.progress = Progress::Mode::off;
  job.batch_path = vm["batch"].as<std::string>();
  if (vm.count("members")) {
    job.members = vm["members"].as<std::int64_t>();
    if (*job.members < 1 || *job.members > 10'000'000) throw UsageError("--members must be in [1, 10000000]");
  }
  if (vm.count("seed")) job.seed = vm["seed"].as<std::uint64_t>();
  if (vm.count("shard")) std::tie(job.shard, job.shards) = parse_shard(vm["shard"].as<std::string>());
  const std::uint64_t summary_mib = vm["summary-memory"].as<std::uint64_t>();
  if (summary_mib < 1 || summary_mib > (1ull << 24)) throw UsageError("--summary-memory must be in [1, 16777216] MiB");
  job.run.threads = threads;
  job.run.keep_members = vm["keep-members"].as<bool>();
  job.run.summary_bytes = summary_mib << 20;
  job.resume = vm["resume"].as<bool>();

  BatchLoad load = load_batch(job.batch_path);
  if (!load.batch) {
    if (mpi_world().rank == 0) report(load.diagnostics);
    return kExitUsage;
  }
  Batch& batch = *load.batch;
  apply_overrides(batch, job.members, job.seed);
  job.out = vm.count("out") ? fs::path(vm["out"].as<std::string>()) : fs::path("out") / batch.name;

  std::size_t files = 0;
  std::int64_t member_months = 0;
  for (const BatchEntry& entry : batch.entries) {
    files += entry.sweep.empty() ? 1 : 0;
    member_months += static_cast<std::int64_t>(entry.scenario.ensemble.members) * entry.scenario.calendar.months;
  }
  spdlog::info("{}: {} scenario(s) ({} file(s), {} sweep sample(s)), {} member-months in all{}{}", batch.name,
               batch.entries.size(), files, batch.entries.size() - files, member_months,
               job.shards ? fmt::format("; shard {} of {}", job.shard, job.shards) : std::string(),
               mpi_world().size > 1 ? fmt::format("; {} MPI ranks", mpi_world().size) : std::string());
  if (vm["check"].as<bool>()) {
    std::cout << batch.name << ": ok, " << batch.entries.size() << " scenarios, " << member_months
              << " member-months\n";
    return kExitOk;
  }
  const auto wall_start = std::chrono::steady_clock::now();
  run_batch_job(batch, job);
  if (mpi_world().rank > 0) return kExitOk;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (job.shards)
    spdlog::info("{}: shard {} of {} in {} ({:.2f} s); when every shard is done: mfgsim merge SHARD_DIR...",
                 batch.name, job.shard, job.shards, fs::absolute(job.out).lexically_normal().string(), seconds);
  else
    spdlog::info("{}: {} scenarios in {} ({:.2f} s); next: mfgsim compare {} and mfgsim plot {}", batch.name,
                 batch.entries.size(), fs::absolute(job.out).lexically_normal().string(), seconds, job.out.string(),
                 job.out.string());
  return kExitOk;
}

int command_merge(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim merge SHARD_DIR... [options]");
  opts.add(common_options());
  opts.add_options()("shards", po::value<std::vector<std::string>>()->multitoken(), "shard folders")(
      "out,o", po::value<std::string>(), "result folder (default out/<batch name>)")(
      "batch", po::value<std::string>(), "the batch file (default: the path recorded in shard.json)")(
      "progress", po::value<std::string>()->default_value("auto"), "auto, bar, log, off");
  po::positional_options_description positional;
  positional.add("shards", -1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts
              << "\nJoins the folders of mfgsim batch --shard 1/N ... N/N into one result folder, the\n"
                 "same files as an unsharded run. Checks that the shards are all N of one batch run with\n"
                 "the same options and that the batch and scenario files are unchanged.\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  if (!vm.count("shards")) throw UsageError("merge needs shard folders (mfgsim merge DIR...)");
  MergeOptions merge;
  for (const std::string& dir : vm["shards"].as<std::vector<std::string>>()) merge.shards.emplace_back(dir);
  if (vm.count("out")) merge.out = vm["out"].as<std::string>();
  if (vm.count("batch")) merge.batch_path = vm["batch"].as<std::string>();
  merge.progress = progress_mode(vm["progress"].as<std::string>());
  const fs::path out = merge_shards(merge);
  spdlog::info("merged {} shard(s) into {}", merge.shards.size(), out.string());
  return kExitOk;
}

int command_compare(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim compare DIR [options]");
  opts.add(common_options());
  opts.add_options()("dir", po::value<std::string>(), "output folder of mfgsim batch (holds results.nc)")(
      "baseline,b", po::value<std::string>(), "scenario compared against (default: `baseline`, else the first)")(
      "at", po::value<std::vector<std::string>>()->multitoken(),
      "months YYYY-MM (default: June of the run's third year and the last month)")(
      "series", po::value<std::vector<std::string>>()->multitoken(), "headline series (default: all kept)")(
      "scenarios", po::value<std::vector<std::string>>()->multitoken(), "scenarios compared (default: all)")(
      "top", po::value<int>()->default_value(10), "sweep samples shown per table (best ranks; 0: all)")(
      "out,o", po::value<std::string>(), "CSV to write (default DIR/compare.csv)");
  po::positional_options_description positional;
  positional.add("dir", 1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts
              << "\nFor each scenario against the baseline and each headline series and month: the median\n"
                 "and 5-95% band of the paired member-by-member difference (member k of every scenario of a\n"
                 "batch drew the same random numbers), the probability that the scenario beats the\n"
                 "baseline (higher is better, except co2 and energy; ties count one half), and a ranking by\n"
                 "median difference. Writes compare.csv and prints a table (ratios in percentage points).\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  if (!vm.count("dir")) throw UsageError("compare needs a batch output folder (mfgsim compare DIR)");
  CompareRequest request;
  request.results_dir = vm["dir"].as<std::string>();
  if (vm.count("baseline")) request.baseline = vm["baseline"].as<std::string>();
  if (vm.count("at")) request.months = vm["at"].as<std::vector<std::string>>();
  if (vm.count("series")) request.series = vm["series"].as<std::vector<std::string>>();
  if (vm.count("scenarios")) request.scenarios = vm["scenarios"].as<std::vector<std::string>>();
  const int top = vm["top"].as<int>();
  if (top < 0) throw UsageError("--top must be >= 0");
  Comparison comparison;
  try {
    comparison = compare_batch(request);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  const fs::path out = vm.count("out") ? fs::path(vm["out"].as<std::string>()) : fs::path(request.results_dir) / "compare.csv";
  std::ostringstream csv;
  write_comparison_csv(csv, comparison);
  write_text_atomically(out, csv.str());
  std::cout << comparison_table(comparison, top);
  spdlog::info("compare: {} rows in {}", comparison.rows.size(), out.string());
  return kExitOk;
}

int command_sensitivity(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim sensitivity SCENARIO --method morris|sobol [options]");
  opts.add(common_options());
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
  po::positional_options_description positional;
  positional.add("scenario", 1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts
              << "\nVaries the scenario's `uncertain:` parameters (through their quantile functions) or its\n"
                 "`calibration:` parameters (uniform on [low, high]) and runs the model deterministically\n"
                 "(shocks off, one member) for each sample. Morris: mu, mu* and sigma of the elementary\n"
                 "effects (per unit of quantile rank). Sobol: first-order S1 and total ST indices (Saltelli\n"
                 "sampling; Jansen's ST, Saltelli's S1). Intervals: bootstrap percentiles. Writes sensitivity.csv,\n"
                 "samples.csv, manifest.json and sensitivity.png/.svg (tornado of mu*, bars of S1 and ST).\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  if (!vm.count("scenario")) throw UsageError("sensitivity needs a scenario file (mfgsim sensitivity SCENARIO --method M)");
  if (!vm.count("method")) throw UsageError("sensitivity needs --method morris or --method sobol");
  const std::string method = vm["method"].as<std::string>();
  if (method != "morris" && method != "sobol")
    throw UsageError("--method must be morris or sobol (got '" + method + "')" + did_you_mean(method, {"morris", "sobol"}));
  const Progress::Mode mode = progress_mode(vm["progress"].as<std::string>());
  const std::string path = vm["scenario"].as<std::string>();
  ScenarioLoad load = load_scenario(path);
  if (!report(load.diagnostics)) return kExitUsage;
  const Scenario& scenario = *load.scenario;
  SensitivityRequest request;
  request.method = method == "morris" ? SensitivityMethod::morris : SensitivityMethod::sobol;
  request.output = vm["output"].as<std::string>();
  if (vm.count("sector")) request.sector = vm["sector"].as<std::string>();
  if (vm.count("at")) request.month = vm["at"].as<std::string>();
  if (vm.count("samples")) request.samples = vm["samples"].as<std::int64_t>();
  if (vm.count("parameters")) request.parameters = vm["parameters"].as<std::string>();
  request.levels = vm["levels"].as<int>();
  request.bootstrap = vm["bootstrap"].as<int>();
  request.seed = vm["seed"].as<std::uint64_t>();
  request.threads = vm["threads"].as<int>();
  if (request.threads < 0) throw UsageError("--threads must be >= 0 (0: all cores)");
  const std::vector<std::string> problems = check_sensitivity_request(scenario, request);
  if (!problems.empty()) {
    for (const std::string& problem : problems) std::cerr << "mfgsim: error: " << problem << '\n';
    return kExitUsage;
  }
  const fs::path out = vm.count("out") ? fs::path(vm["out"].as<std::string>())
                                       : fs::path("out") / (scenario.name + "_sensitivity_" + method);
  const std::int64_t runs = sensitivity_runs(scenario, request);
  spdlog::info("{}: {} sensitivity of {}, {} model runs", scenario.name, method, request.output, runs);
  const auto wall_start = std::chrono::steady_clock::now();
  OutputDir output(out);
  SensitivityResult result;
  {
    Progress progress(scenario.name + " " + method, runs, "runs", mode);
    try {
      result = run_sensitivity(scenario, request, [&] { progress.advance(); });
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  {
    std::ofstream csv(output.staging() / "sensitivity.csv");
    write_sensitivity_csv(csv, result);
    output.close(csv, "sensitivity.csv");
    std::ofstream samples(output.staging() / "samples.csv");
    write_sensitivity_samples(samples, result);
    output.close(samples, "samples.csv");
  }
  if (!vm["no-plot"].as<bool>())
    write_sensitivity_chart(output.staging().string(), result,
                            scenario.name + ": " + (method == "morris" ? "Morris mu* of " : "Sobol indices of ") +
                                result.output + (result.sector.empty() ? "" : " (" + result.sector + ")") + " in " +
                                result.month);
  nlohmann::json manifest;
  manifest["program"] = "mfgsim";
  manifest["version"] = MFGSIM_VERSION;
  manifest["command"] = "sensitivity";
  manifest["scenario"] = scenario.name;
  for (const std::string& file : scenario.files)
    manifest["scenario_files"].push_back({{"path", file}, {"sha256", sha256_file_hex(file)}});
  manifest["method"] = method;
  manifest["output"] = {{"series", result.output}, {"sector", result.sector}, {"month", result.month}, {"unit", result.unit}};
  for (const SensitivityFactor& f : result.factors)
    manifest["factors"].push_back({{"name", f.name}, {"distribution", f.describe()}});
  manifest["samples"] = result.samples;
  if (request.method == SensitivityMethod::morris) manifest["levels"] = request.levels;
  manifest["model_runs"] = result.outputs.size();
  manifest["bootstrap"] = request.bootstrap;
  manifest["seed"] = request.seed;
  manifest["threads"] = result.threads;
  manifest["started_utc"] = utc_now();
  manifest["wall_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  write_json_file(output, "manifest.json", manifest);
  throw_if_interrupted();
  output.commit();
  std::cout << sensitivity_table(result);
  spdlog::info("{}: sensitivity results in {} ({:.2f} s)", scenario.name, output.target().string(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
  return kExitOk;
}

int command_schema(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim schema [options]");
  opts.add(common_options());
  const po::variables_map vm = parse(args, opts, {});
  if (vm.count("help")) {
    std::cout << opts << "\nPrints the scenario schema as Markdown (the text of scenarios/SCHEMA.md).\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  std::cout << schema_markdown();
  return kExitOk;
}

// Writes `text` to `path` through a temporary sibling renamed into place;
// `check`, if given, sees the temporary file first and may veto it (throw).
void write_file_atomically(const fs::path& path, const std::string& text,
                           const std::function<void(const fs::path&)>& check = {}) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  fs::path temporary = dir;
  temporary /= temporary_name(path);
  try {
    {
      std::ofstream out(temporary, std::ios::binary);
      out << text;
      if (!out.flush()) throw std::runtime_error("cannot write " + temporary.string());
    }
    if (check) check(temporary);
    fs::rename(temporary, path);
  } catch (...) {
    std::error_code ec;
    fs::remove(temporary, ec);
    throw;
  }
}

int command_calibrate(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim calibrate SCENARIO [options]");
  opts.add(common_options());
  opts.add_options()("scenario", po::value<std::string>(), "scenario file with a `calibration:` block")(
      "targets,t", po::value<std::string>(), "targets CSV (default: the block's `targets`)")(
      "out,o", po::value<std::string>(), "calibrated scenario to write (default: SCENARIO's folder, <name>_calibrated.yaml)")(
      "method", po::value<std::string>(), "NLopt algorithm (default: the block's `method`, LN_BOBYQA)")(
      "max-evals", po::value<int>(), "model runs at most (default: the block's `max_evaluations`)")(
      "tolerance", po::value<double>(), "stop when a step changes the objective (points^2) by less");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts
              << "\nFits the parameters of the scenario's `calibration:` block to the targets (ytd-yoy growth,\n"
                 "yoy of stocks, levels) on deterministic runs, minimising the weighted sum of squared misses\n"
                 "in percentage points with NLopt. Prints the targets (published, model, miss), the fitted\n"
                 "values and the optimiser's report, and writes a scenario that `extends` SCENARIO and sets\n"
                 "only the fitted values. Exit 0 when every target is within its tolerance (growth 0.3\n"
                 "points, levels 0.5), 1 when the fit failed (nothing written then), 2 on bad input.\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  if (!vm.count("scenario")) throw UsageError("calibrate needs a scenario file (mfgsim calibrate SCENARIO)");
  const std::string path = vm["scenario"].as<std::string>();
  ScenarioLoad load = load_scenario(path);
  if (!report(load.diagnostics)) return kExitUsage;
  const Scenario& scenario = *load.scenario;
  if (!scenario.calibration)
    throw UsageError(path + " has no `calibration:` block naming the parameters to fit (see mfgsim schema)");
  CalibrationOptions options = CalibrationOptions::from(*scenario.calibration);
  if (vm.count("method")) options.method = vm["method"].as<std::string>();
  if (vm.count("max-evals")) options.max_evaluations = vm["max-evals"].as<int>();
  if (vm.count("tolerance")) options.tolerance = vm["tolerance"].as<double>();
  const auto& methods = calibration_methods();
  if (std::find(methods.begin(), methods.end(), options.method) == methods.end()) {
    std::string list;
    for (const std::string& m : methods) list += (list.empty() ? "" : ", ") + m;
    throw UsageError("--method must be one of " + list + " (got '" + options.method + "')" +
                     did_you_mean(options.method, methods));
  }
  if (options.max_evaluations < 1) throw UsageError("--max-evals must be >= 1");
  if (!(options.tolerance >= 0)) throw UsageError("--tolerance must be >= 0");
  const std::string targets_path = vm.count("targets") ? vm["targets"].as<std::string>() : scenario.calibration->targets;
  if (targets_path.empty())
    throw UsageError("calibrate needs targets: --targets CSV, or `targets:` in the calibration block");
  Diagnostics diagnostics;
  const auto observations = read_observations(targets_path, diagnostics);
  std::optional<std::vector<CalibrationTarget>> targets;
  if (observations) targets = match_targets(scenario, *observations, scenario.calibration->weights, diagnostics);
  if (!report(diagnostics)) return kExitUsage;
  if (targets->empty()) throw UsageError(targets_path + " holds no targets");
  const fs::path out = vm.count("out") ? fs::path(vm["out"].as<std::string>())
                                       : fs::path(path).parent_path() / (fs::path(path).stem().string() + "_calibrated.yaml");

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
    const ScenarioLoad check = load_scenario(written.string());
    if (!check.scenario) throw std::runtime_error("the calibrated scenario does not load:\n" + check.diagnostics.format());
    const auto& parameters = scenario.calibration->parameters;
    for (std::size_t k = 0; k < parameters.size(); ++k)
      for (const ParamAddress& address : parameters[k].addresses)
        if (get_param(check.scenario->params, address) != result.values[k])
          throw std::runtime_error("the calibrated scenario does not set " + address.path + " to the fitted value");
  });
  spdlog::info("{}: calibrated scenario in {}", scenario.name, out.string());
  return kExitOk;
}

int command_backtest(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim backtest RESULTS --observed CSV [options]");
  opts.add(common_options());
  opts.add_options()("results", po::value<std::string>(), "results folder of mfgsim run (summary.csv, members.csv)")(
      "observed", po::value<std::string>(), "observed figures (e.g. data/observed.csv)")(
      "out,o", po::value<std::string>(), "CSV to write (default RESULTS/backtest.csv; scores beside it, *_scores.csv)");
  po::positional_options_description positional;
  positional.add("results", 1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts
              << "\nFor each observed figure inside the run: the median and [p05, p95] band of summary.csv,\n"
                 "the miss, whether the band covers it, and CRPS from members.csv when the run kept\n"
                 "its members (mfgsim run --keep-members). Scores per scenario: MAE and RMSE of the\n"
                 "median in percentage points, coverage of [p05, p95], mean CRPS in points.\n";
    return kExitOk;
  }
  set_log_level(vm["log-level"].as<std::string>());
  if (!vm.count("results")) throw UsageError("backtest needs a results folder (mfgsim backtest RESULTS --observed CSV)");
  if (!vm.count("observed")) throw UsageError("backtest needs --observed CSV (e.g. data/observed.csv)");
  const fs::path results = vm["results"].as<std::string>();
  Diagnostics diagnostics;
  const auto summary = read_summary_csv((results / "summary.csv").string(), diagnostics);
  const auto observed = read_observations(vm["observed"].as<std::string>(), diagnostics);
  if (!report(diagnostics)) return kExitUsage;
  std::optional<MemberValues> members;
  const fs::path members_path = results / "members.csv";
  if (fs::exists(members_path)) {
    members = read_member_values(members_path.string(), backtest_cells(*summary, *observed), diagnostics);
    if (!report(diagnostics)) return kExitUsage;
  }
  const BacktestReport backtest_report = backtest(*summary, *observed, members ? &*members : nullptr);
  const fs::path out = vm.count("out") ? fs::path(vm["out"].as<std::string>()) : results / "backtest.csv";
  fs::path scores = out;
  scores.replace_filename(out.stem().string() + "_scores" + out.extension().string());
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  write_file_atomically(out, backtest_csv(backtest_report));
  write_file_atomically(scores, backtest_scores_csv(backtest_report));
  std::cout << backtest_table(backtest_report);
  spdlog::info("backtest: {} and {}", out.string(), scores.string());
  return kExitOk;
}

// Exit status of a run stopped by a signal: 128 + its number (130 SIGINT, 143 SIGTERM), as a shell reports it.
int exit_interrupted(int signal) {
  std::cerr << "mfgsim: interrupted (" << signal_name(signal) << "): stopped, no output written\n";
  return 128 + signal;
}

int dispatch(std::vector<std::string> args) {
  try {
    // `mfgsim --log-level L COMMAND ...` is the same as `mfgsim COMMAND ... --log-level L`.
    if (args.size() >= 2 && args[0] == "--log-level") {
      const std::string level = args[1];
      args.erase(args.begin(), args.begin() + 2);
      if (args.empty()) throw UsageError("--log-level needs a command after it (see mfgsim --help)");
      args.push_back("--log-level");
      args.push_back(level);
    }
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::cout << kTopHelp;
      return args.empty() ? kExitUsage : kExitOk;
    }
    if (args[0] == "--version") {
      std::cout << "mfgsim " << MFGSIM_VERSION << '\n';
      return kExitOk;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "run") return command_run(args);
    if (command == "batch") return command_batch(args);
    if (command == "merge") return command_merge(args);
    if (command == "compare") return command_compare(args);
    if (command == "sensitivity") return command_sensitivity(args);
    if (command == "validate") return command_validate(args);
    if (command == "schema") return command_schema(args);
    if (command == "plot") return command_plot(args);
    if (command == "calibrate") return command_calibrate(args);
    if (command == "backtest") return command_backtest(args);
    throw UsageError("unknown command '" + command +
                     "' (commands: run, batch, merge, compare, sensitivity, validate, schema, plot, calibrate, backtest; see mfgsim --help)");
  } catch (const Interrupted& e) {
    // Unwinding has closed the files and removed the staging folders.
    return exit_interrupted(e.signal);
  } catch (const UsageError& e) {
    std::cerr << "mfgsim: error: " << e.what() << '\n';
    return kExitUsage;
  } catch (const po::error& e) {
    std::cerr << "mfgsim: error: " << e.what() << " (see --help)\n";
    return kExitUsage;
  } catch (const RunError& e) {
    if (const int signal = interrupt_signal()) return exit_interrupted(signal);
    std::cerr << "mfgsim: run failed: " << e.what() << '\n';
    return kExitRunFailed;
  } catch (const std::exception& e) {
    // A write cut short by the signal reports the signal, not the write.
    if (const int signal = interrupt_signal()) return exit_interrupted(signal);
    std::cerr << "mfgsim: error: " << e.what() << '\n';
    return kExitRunFailed;
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("mfgsim");
  logger->set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");
  spdlog::set_default_logger(logger);
  // Ctrl-C and SIGTERM stop the work between blocks and scenarios
  // (Interrupted below); a file-size limit (ulimit -f) fails the write with
  // EFBIG, reported like a full disk, instead of killing the process.
  install_interrupt_handlers();
  ::signal(SIGXFSZ, SIG_IGN);
  // Only a batch started by an MPI launcher joins an MPI job.
  const bool mpi = argc > 1 && std::string(argv[1]) == "batch" && mpi_start(&argc, &argv);
  if (mpi && mpi_world().size > 1)
    logger->set_pattern(fmt::format("[%H:%M:%S.%e] [rank {}] [%^%l%$] %v", mpi_world().rank));
  const int code = dispatch(std::vector<std::string>(argv + 1, argv + argc));
  if (mpi) {
    // A failed rank would leave the others waiting for it.
    if (code != kExitOk && mpi_world().size > 1) mpi_abort(code);
    mpi_finish();
  }
  if (netcdf_file_left_open()) {
    // Skip HDF5's exit handler, which crashes on a file a write error left half closed.
    std::cout.flush();
    std::cerr.flush();
    spdlog::default_logger()->flush();
    std::_Exit(code);
  }
  return code;
}
