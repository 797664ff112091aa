// mfgsim batch FILE: a batch of scenarios and sweeps into one result folder
// (or a shard folder), over threads and MPI ranks.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>
#include <sstream>

#include "sim/batch/batch_job.h"
#include "sim/batch/mpi_batch.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"

namespace mfgsim::cli {

namespace fs = std::filesystem;

// "K/N" with 1 <= K <= N.
static std::pair<int, int> parse_shard(const std::string& text) {
  int k = 0, n = 0;
  char slash = 0, extra = 0;
  std::istringstream in(text);
  if (!(in >> k >> slash >> n) || slash != '/' || (in >> extra) || n < 1 || k < 1 || k > n)
    throw UsageError("--shard must be K/N with 1 <= K <= N, e.g. 2/8 (got '" + text + "')");
  return {k, n};
}

// Diagnostics printed by rank 0 only (every rank has the same); true when there are none.
static bool report_on_rank0(const Diagnostics& diagnostics, const MpiWorld& world) {
  if (world.rank == 0) return report(diagnostics);
  return diagnostics.ok();
}

static void declare_options(CommandOptions& options) {
  options.argument("batch", "batch file (YAML)", "batch needs a batch file (mfgsim batch BATCH.yaml)")
      .out("output folder (default out/<batch name>; with --shard: the shard's folder)")
      .threads("worker threads (0: all cores; under MPI: each rank's share of its machine's cores)")
      .members("members of every scenario (default: the batch's, else each scenario's)")
      .seed("seed of every scenario (default: the batch's, else each scenario's)")
      .flag("keep-members", "also keep every member's every series (members.csv, results.nc)")
      .summary_memory(256, "MiB of member values each scenario may hold for exact quantiles; beyond it, sketches "
                            "(each order statistic within 0.1% relative error)")
      .flag("allow-failed-scenarios",
            "write the result even if every member of some scenario failed (they have no numbers; without it the "
            "batch fails, exit 1, as mfgsim run does)")
      .flag("resume", "continue an interrupted batch from its checkpoint, skipping finished scenarios")
      .option<std::string>("shard", "K/N: run only scenarios K-1, K-1+N, ... into a shard folder (mfgsim merge)")
      .flag("check", "load and check the batch and every scenario, print what would run, run nothing")
      .progress("auto (a bar on a terminal, else log lines), bar, log, off");
}

static int execute(const po::variables_map& vm) {
  const MpiWorld& world = mpi_world();
  if (world.rank > 0 && spdlog::get_level() < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
  BatchJobOptions job;
  job.batch_path = vm["batch"].as<std::string>();
  const int threads = vm["threads"].as<int>();
  ProgressBar progress(world.rank > 0 ? ProgressBar::Mode::off : progress_option(vm));
  job.on_progress = progress.callback();
  assign_if_given(vm, "members", job.members);
  assign_if_given(vm, "seed", job.seed);
  if (vm.count("shard")) std::tie(job.shard, job.shards) = parse_shard(vm["shard"].as<std::string>());
  const std::uint64_t summary_mib = vm["summary-memory"].as<std::uint64_t>();
  job.run.threads = threads;
  job.run.keep_members = vm["keep-members"].as<bool>();
  job.run.summary_bytes = summary_mib << 20;
  job.run.member_progress = log_members_done;
  job.run.notice = print_notice;
  job.resume = vm["resume"].as<bool>();
  job.allow_failed_scenarios = vm["allow-failed-scenarios"].as<bool>();

  BatchLoad load = load_batch(job.batch_path);
  if (!load.batch) {
    if (world.rank == 0) report(load.diagnostics);
    return kExitUsage;
  }
  Batch& batch = *load.batch;
  if (world.rank == 0)
    for (const Notice& notice : load.notices) print_notice(notice);
  apply_overrides(batch, job.members, job.seed);
  job.out = out_option(vm, fs::path("out") / batch.name);

  std::size_t files = 0;
  std::int64_t member_months = 0;
  for (const BatchEntry& entry : batch.entries) {
    files += entry.sweep.empty() ? 1 : 0;
    member_months += static_cast<std::int64_t>(entry.scenario.ensemble.members) * entry.scenario.calendar.months;
  }
  spdlog::info("{}: {} scenario(s) ({} file(s), {} sweep sample(s)), {} member-months in all{}{}", batch.name,
               batch.entries.size(), files, batch.entries.size() - files, member_months,
               job.shards ? fmt::format("; shard {} of {}", job.shard, job.shards) : std::string(),
               world.size > 1 ? fmt::format("; {} MPI ranks", world.size) : std::string());
  if (vm["check"].as<bool>()) {
    // --check runs nothing: an option only a run uses would be silently
    // ignored (found by a new user's trial).
    for (const char* name : {"out", "resume", "keep-members", "allow-failed-scenarios", "threads", "summary-memory"})
      if (vm.count(name) && !vm[name].defaulted())
        throw UsageError(std::string("--") + name + " is for a run; --check runs nothing");
    if (job.shards) {  // what this shard would run
      const std::vector<std::size_t> mine = shard_scenarios(batch.entries.size(), job.shard, job.shards);
      member_months = 0;
      for (const std::size_t k : mine)
        member_months += static_cast<std::int64_t>(batch.entries[k].scenario.ensemble.members) *
                         batch.entries[k].scenario.calendar.months;
      std::cout << batch.name << ": ok, shard " << job.shard << " of " << job.shards << ": " << mine.size() << " of "
                << batch.entries.size() << " scenarios, " << member_months << " member-months\n";
      return kExitOk;
    }
    std::cout << batch.name << ": ok, " << batch.entries.size() << " scenarios, " << member_months
              << " member-months\n";
    return kExitOk;
  }
  if (job.shards && static_cast<std::size_t>(job.shard) > batch.entries.size() && world.rank == 0)
    spdlog::warn("--shard {}/{}: the batch has {} scenario(s), so this shard holds none (an empty shard, which "
                 "mfgsim merge accepts)",
                 job.shard, job.shards, batch.entries.size());
  if (!report_on_rank0(validate_batch_output(batch, job), world)) return kExitUsage;
  const auto wall_start = std::chrono::steady_clock::now();
  run_batch_job(batch, job);
  if (world.rank > 0) return kExitOk;
  const double seconds = seconds_since(wall_start);
  const std::string where = fs::absolute(job.out).lexically_normal().string();
  if (job.shards)
    spdlog::info("{}: shard {} of {} in {} ({:.2f} s); when every shard is done: mfgsim merge SHARD_DIR...",
                 batch.name, job.shard, job.shards, where, seconds);
  else
    spdlog::info("{}: {} scenarios in {} ({:.2f} s); next: mfgsim compare {} and mfgsim plot {}", batch.name,
                 batch.entries.size(), where, seconds, job.out.string(), job.out.string());
  return kExitOk;
}

const Command batch_command{
    "batch", "batch FILE", "run a batch of scenarios and parameter sweeps (summary.csv, results.nc)",
    "mfgsim batch BATCH.yaml [options]", declare_options,
    "\nReads the batch file, loads and validates every scenario and compiles every sweep\n"
    "sample (every problem as file:line:col: error: ...), then runs the scenarios over all\n"
    "cores (results identical for any --threads) and writes, all at once, into the output\n"
    "folder: summary.csv (every scenario, as mfgsim run writes it), scenarios.csv (one row\n"
    "per scenario with its swept parameter values), results.nc (NetCDF-4: summaries and the\n"
    "headline series' member values for mfgsim compare) and manifest.json.\n\n"
    "Each finished scenario is checkpointed in .<out name>.checkpoint beside the output\n"
    "folder; after a crash or kill, the same command with --resume runs only the rest. Under\n"
    "mpirun (mpirun -n P mfgsim batch ...), scenarios spread over the ranks; with --shard K/N\n"
    "one job of an array runs its slice and mfgsim merge joins the shards. Every way gives\n"
    "the same files. The batch file's format is in the README (\"Batches and sweeps\").\n",
    execute};

}  // namespace mfgsim::cli
