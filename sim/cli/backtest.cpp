// mfgsim backtest: two forms, chosen by --origins.
//   backtest RESULTS --observed CSV: a results folder scored against observed figures;
//   backtest SCENARIO --observed CSV... --origins LIST: rolling-origin backtest
//     of mfgsim forecast (sim/analysis/rolling_backtest.h).
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>

#include "sim/analysis/backtest.h"
#include "sim/analysis/plot.h"
#include "sim/analysis/rolling_backtest.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/core/interrupt.h"
#include "sim/io/output_dir.h"
#include "sim/output/manifest.h"
#include "sim/output/run_outputs.h"
#include "sim/scenario/observations.h"

namespace mfgsim::cli {

namespace fs = std::filesystem;

constexpr IntegerRange kHorizonRange{1, 120};

static void declare_options(CommandOptions& options) {
  options
      .argument("input", "results folder of mfgsim run (summary.csv, members.csv); with --origins, a scenario file",
                "backtest needs a results folder or, with --origins, a scenario file (mfgsim backtest RESULTS "
                "--observed CSV; mfgsim backtest SCENARIO --observed CSV... --origins LIST)")
      .option<std::vector<std::string>>(
          "observed", "published figures (e.g. data/observed.csv); with --origins, one or more CSVs, a figure "
                      "given in several kept as first given")
      .required("backtest needs --observed CSV (e.g. data/observed.csv)")
      .option<std::string>("origins",
                           "rolling-origin backtest of mfgsim forecast at these origins: YYYY-MM,YYYY-MM,... or "
                           "FROM:TO:STEP (months, e.g. 2022-03:2023-03:3)")
      .integer<int>("horizon", kHorizonRange, "with --origins: months after each origin scored (default 12)")
      .members("with --origins: particles (default: the scenario's ensemble.members)")
      .seed("with --origins: random seed (default: the scenario's ensemble.seed)")
      .threads("with --origins: worker threads (0: all cores); results do not depend on it");
  filter_options(options);
  options.out("CSV to write (default RESULTS/backtest.csv; scores beside it, *_scores.csv); with --origins, the "
           "output folder (default out/<scenario name>_backtest)");
}

static int execute_results(const po::variables_map& vm) {
  std::vector<const char*> rolling_only = {"horizon", "members", "seed"};
  rolling_only.insert(rolling_only.end(), std::begin(kFilterOptionNames), std::end(kFilterOptionNames));
  for (const char* option : rolling_only)
    if (vm.count(option))
      throw UsageError(std::string("--") + option + " is for the rolling-origin form (with --origins); a results "
                                                    "folder is scored as it is");
  if (!vm["threads"].defaulted())
    throw UsageError("--threads is for the rolling-origin form (with --origins); a results folder is scored as it is");
  const std::vector<std::string> observed_paths = vm["observed"].as<std::vector<std::string>>();
  if (observed_paths.size() != 1)
    throw UsageError("--observed: a results folder is scored against one CSV (got " +
                     std::to_string(observed_paths.size()) + ")");
  const fs::path results = vm["input"].as<std::string>();
  if (fs::is_regular_file(results))
    throw UsageError(results.string() + " is a file: backtest a scenario file with --origins LIST, or give a results "
                                        "folder");
  const fs::path out = out_option(vm, results / "backtest.csv");
  fs::path scores = out;
  scores.replace_filename(out.stem().string() + "_scores" + out.extension().string());
  {
    std::vector<fs::path> inputs = result_folder_inputs(results);
    inputs.emplace_back(observed_paths[0]);
    Diagnostics targets = validate_output_target(
        {out, OutputTarget::Kind::file, kBacktestMarker, "backtest"}, inputs);
    if (targets.ok())
      targets = validate_output_target({scores, OutputTarget::Kind::file, kBacktestScoresMarker, "backtest"}, inputs);
    if (!report(targets)) return kExitUsage;
  }
  Diagnostics diagnostics;
  const auto summary = read_summary_csv((results / "summary.csv").string(), diagnostics);
  const auto observed = read_observations(observed_paths[0], diagnostics);
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
  record_written_file(out);
  record_written_file(scores);
  std::cout << backtest_table(backtest_report);
  spdlog::info("backtest: {} and {}", out.string(), scores.string());
  return kExitOk;
}

static int execute_rolling(const po::variables_map& vm) {
  const auto wall_start = std::chrono::steady_clock::now();
  const std::string origins_text = vm["origins"].as<std::string>();
  std::string error;
  const std::optional<std::vector<YearMonth>> origins = parse_origins(origins_text, &error);
  if (!origins) throw UsageError("--origins: " + error);
  const std::string scenario_path = vm["input"].as<std::string>();
  if (fs::is_directory(scenario_path))
    throw UsageError(scenario_path + " is a folder: --origins backtests a scenario file (a results folder is scored "
                                     "without --origins)");
  const std::vector<std::string> observed_paths = vm["observed"].as<std::vector<std::string>>();

  ScenarioLoad load = load_scenario(scenario_path);
  if (!report(load.diagnostics)) return kExitUsage;
  Scenario& scenario = *load.scenario;
  require_particle_filter(scenario, "backtest --origins");
  RollingOptions options;
  options.origins = *origins;
  assign_if_given(vm, "horizon", options.horizon);
  options.filter.members = scenario.ensemble.members;
  assign_if_given(vm, "members", options.filter.members);
  assign_if_given(vm, "seed", scenario.ensemble.seed);
  options.filter.threads = vm["threads"].as<int>();
  read_filter_options(vm, options.filter);

  const fs::path out = out_option(vm, fs::path("out") / (scenario.name + "_backtest"));
  std::vector<fs::path> inputs = scenario_inputs(scenario);
  for (const std::string& path : observed_paths) inputs.emplace_back(path);
  if (!report(validate_output_target({out, OutputTarget::Kind::folder, "manifest.json", "backtest"}, inputs)))
    return kExitUsage;

  const std::optional<std::vector<Observation>> merged = read_figure_files(observed_paths);
  if (!merged) return kExitUsage;
  Diagnostics diagnostics, industries;
  const std::vector<Observation> figures = modelled_only(*merged, "scored", industries);
  report(industries);
  // Figures of a sector the scenario lacks are errors, as in forecast.
  for (const FilterFigure& figure : filter_figures(scenario, figures, scenario.calendar.months - 1))
    if (figure.invalid) diagnostics.error(figure.invalid_at, figure.skipped);
  if (!report(diagnostics)) return kExitUsage;
  std::size_t to_score = 0;
  for (const YearMonth origin : *origins) {
    const std::string problem = origin_problem(scenario, figures, origin);
    if (!problem.empty()) throw UsageError("--origins: " + problem);
    to_score += figures_to_score(scenario.calendar, figures, origin, options.horizon);
  }
  // Nothing to score: refused before any work (it ran every origin, then
  // failed drawing an empty plot; found by a new user's trial).
  if (to_score == 0) {
    std::string latest;
    for (const Observation& o : figures) latest = std::max(latest, o.month);
    throw UsageError("--origins: no figure of the --observed files has a period ending 1 to " +
                     std::to_string(options.horizon) + " months (--horizon) after any origin and inside the "
                     "scenario's calendar (to " + format_year_month(scenario.calendar.at(scenario.calendar.months - 1)) +
                     "); the latest figure is of " + (latest.empty() ? std::string("none") : latest) +
                     ": nothing would be scored");
  }
  if (!scenario.params.trend_shocks) {
    scenario.params.trend_shocks = true;
    spdlog::info("{}: no `trend_shocks:` block: the forecasts use the persistent trend with its defaults "
                 "(models/MODEL.md \"Persistent trend\"), as mfgsim forecast does",
                 scenario.name);
  }

  OutputDir output(out);
  const RollingReport result = rolling_backtest(scenario, figures, options, [&](const std::string& origin) {
    spdlog::info("{}: origin {}: {} particle(s)", scenario.name, origin, options.filter.members);
  });
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream file(output.staging() / name, std::ios::binary);
    file << text;
    output.close(file, name);
  };
  write("backtest_figures.csv", rolling_figures_csv(result));
  write("backtest_scores.csv", rolling_scores_csv(result));
  write("crps_by_origin.dat", rolling_plot_data(result));
  write("crps_by_origin.gp", rolling_plot_script("crps_by_origin"));
  run_gnuplot(output.staging(), "crps_by_origin");
  nlohmann::json manifest = manifest_head("backtest");
  manifest["scenario"] = scenario.name;
  add_files(manifest, "scenario_files", scenario.files);
  add_files(manifest, "data_files", scenario.data_files);
  add_files(manifest, "observed_files", observed_paths);
  manifest["resolved_scenario"] = scenario.resolved;
  manifest["seed"] = scenario.ensemble.seed;
  manifest["members"] = options.filter.members;
  manifest["origins"] = nlohmann::json::array();
  for (const RollingOrigin& o : result.origins)
    manifest["origins"].push_back({{"origin", o.origin}, {"figures_known", o.figures_known},
                                   {"figures_scored", o.figures_scored}, {"last_ess", o.last_ess},
                                   {"lineages", o.lineages},
                                   {"moved", o.moved},
                                   {"move_acceptance", std::isnan(o.move_acceptance) ? nlohmann::json(nullptr)
                                                                                     : nlohmann::json(o.move_acceptance)}});
  manifest["horizon_months"] = options.horizon;
  manifest["figures_skipped"] = result.skipped.size();
  record_filter_options(manifest, options.filter);
  manifest["trend_shocks"] = "as forecast";
  stamp_time(manifest, wall_start);
  write_json_file(output, "manifest.json", manifest);
  throw_if_interrupted();
  output.commit();
  for (const RollingSkip& skip : result.skipped)
    spdlog::info("origin {}: not scored: {} {}: {}", skip.origin, skip.observation.label(), skip.observation.month,
                 skip.reason);
  std::cout << rolling_table(result);
  spdlog::info("{}: backtest in {} ({:.3f} s)", scenario.name, output.target().string(), seconds_since(wall_start));
  return kExitOk;
}

static int execute(const po::variables_map& vm) {
  return vm.count("origins") ? execute_rolling(vm) : execute_results(vm);
}

const Command backtest_command{
    "backtest", "backtest DIR | SCENARIO --origins LIST",
    "score a results folder, or rolling-origin forecasts, against observed figures (MAE, RMSE, coverage, CRPS)",
    "mfgsim backtest RESULTS --observed CSV | SCENARIO --observed CSV... --origins LIST [options]",
    declare_options,
    "\nWithout --origins: for each observed figure inside the run, the median and [p05, p95] band\n"
    "of summary.csv, the miss, whether the band covers it, and CRPS from members.csv when the run\n"
    "kept its members (mfgsim run --keep-members). Scores per scenario: MAE and RMSE of the\n"
    "median in percentage points, coverage of [p05, p95], mean CRPS in points.\n"
    "\nWith --origins: at each origin, mfgsim forecast's particle filter with only the figures\n"
    "available then (period by the origin; with a `published` column, published by the end of\n"
    "the month after it), then every figure of the CSVs whose period ends 1 to --horizon months\n"
    "after the origin is scored: exact CRPS over the members' forecasts of the figure (each\n"
    "member's value plus a draw of the filter's measurement error: --obs-sd-points, or for sector\n"
    "figures --sector-sd-points and --sector-dof, and --ytd-month-sd-points), the median's miss,\n"
    "the 50% and 90% bands;\n"
    "and two naive forecasters with the same vintage: the latest figure of the series\n"
    "carried forward (last), the same period a year earlier (year-ago). Skill = 1 - CRPS_model /\n"
    "CRPS_naive over the figures the naive forecaster has a value for (the others are counted).\n"
    "Writes backtest_figures.csv, backtest_scores.csv, crps_by_origin.png/.svg (with its .gp and\n"
    ".dat) and manifest.json into the output folder, all at once.\n",
    execute};

}  // namespace mfgsim::cli
