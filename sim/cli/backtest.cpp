// mfgsim backtest RESULTS --observed CSV: a results folder scored against
// observed figures.
#include <spdlog/spdlog.h>

#include <iostream>

#include "sim/analysis/backtest.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/io/output_dir.h"
#include "sim/scenario/observations.h"

namespace mfgsim::cli {

namespace fs = std::filesystem;

static void declare_options(CommandOptions& options) {
  options.argument("results", "results folder of mfgsim run (summary.csv, members.csv)",
                   "backtest needs a results folder (mfgsim backtest RESULTS --observed CSV)")
      .option<std::string>("observed", "observed figures (e.g. data/observed.csv)")
      .required("backtest needs --observed CSV (e.g. data/observed.csv)")
      .out("CSV to write (default RESULTS/backtest.csv; scores beside it, *_scores.csv)");
}

static int execute(const po::variables_map& vm) {
  const fs::path results = vm["results"].as<std::string>();
  const fs::path out = out_option(vm, results / "backtest.csv");
  fs::path scores = out;
  scores.replace_filename(out.stem().string() + "_scores" + out.extension().string());
  {
    std::vector<fs::path> inputs = result_folder_inputs(results);
    inputs.emplace_back(vm["observed"].as<std::string>());
    Diagnostics targets = validate_output_target({out, OutputTarget::Kind::file}, inputs);
    if (targets.ok()) targets = validate_output_target({scores, OutputTarget::Kind::file}, inputs);
    if (!report(targets)) return kExitUsage;
  }
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
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  write_file_atomically(out, backtest_csv(backtest_report));
  write_file_atomically(scores, backtest_scores_csv(backtest_report));
  std::cout << backtest_table(backtest_report);
  spdlog::info("backtest: {} and {}", out.string(), scores.string());
  return kExitOk;
}

const Command backtest_command{
    "backtest", "backtest DIR", "score a results folder against observed figures (MAE, RMSE, coverage, CRPS)",
    "mfgsim backtest RESULTS --observed CSV [options]", declare_options,
    "\nFor each observed figure inside the run: the median and [p05, p95] band of summary.csv,\n"
    "the miss, whether the band covers it, and CRPS from members.csv when the run kept\n"
    "its members (mfgsim run --keep-members). Scores per scenario: MAE and RMSE of the\n"
    "median in percentage points, coverage of [p05, p95], mean CRPS in points.\n",
    execute};

}  // namespace mfgsim::cli
