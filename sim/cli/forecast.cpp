// mfgsim forecast SCENARIO --origin YYYY-MM --observed CSV...: the scenario's
// ensemble conditioned on the figures known at the origin by a particle
// filter (sim/ensemble/particle_filter.h), projected from the origin.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/core/interrupt.h"
#include "sim/ensemble/particle_filter.h"
#include "sim/io/output_dir.h"
#include "sim/output/manifest.h"
#include "sim/output/run_outputs.h"
#include "sim/scenario/observations.h"
#include "sim/scenario/scenario.h"

namespace mfgsim::cli {

namespace fs = std::filesystem;

static void declare_options(CommandOptions& options) {
  options.argument("scenario", "scenario file (YAML)", "forecast needs a scenario file (mfgsim forecast SCENARIO)")
      .option<std::string>("origin", "forecast origin YYYY-MM: the last month whose figures are used")
      .required("forecast needs --origin YYYY-MM (e.g. --origin 2023-06)")
      .option<std::vector<std::string>>("observed", "published figures (e.g. data/observed.csv): one or more CSVs, a "
                                                    "figure given in several kept as first given")
      .required("forecast needs --observed CSV (e.g. data/observed.csv)")
      .out("output folder (default out/<scenario name>_forecast)")
      .members("particles (default: the scenario's ensemble.members)")
      .seed("random seed (default: the scenario's ensemble.seed)")
      .threads("worker threads (0: all cores)")
      .progress("auto (a bar on a terminal, else log lines), bar, log, off");
  filter_options(options);
}

// The summaries of the months after `origin` only: a table and calendar of T - origin - 1 months.
static std::pair<SummaryTable, Calendar> after_origin(const SummaryTable& table, const Calendar& calendar, int S,
                                                      int origin) {
  const int T = calendar.months, kept = T - origin - 1;
  SummaryTable out;
  out.exact = table.exact;
  out.accuracy = table.accuracy;
  out.sector.resize(static_cast<std::size_t>(kSectorSeriesCount) * S * kept);
  out.aggregate.resize(static_cast<std::size_t>(kAggregateSeriesCount) * kept);
  for (int t = 0; t < kept; ++t) {
    for (int series = 0; series < kSectorSeriesCount; ++series)
      for (int i = 0; i < S; ++i)
        out.sector[(static_cast<std::size_t>(series) * S + i) * kept + t] =
            table.sector[(static_cast<std::size_t>(series) * S + i) * T + origin + 1 + t];
    for (int series = 0; series < kAggregateSeriesCount; ++series)
      out.aggregate[static_cast<std::size_t>(series) * kept + t] =
          table.aggregate[static_cast<std::size_t>(series) * T + origin + 1 + t];
  }
  Calendar shifted{calendar.at(origin + 1), kept};
  return {std::move(out), shifted};
}

static int execute(const po::variables_map& vm) {
  const auto wall_start = std::chrono::steady_clock::now();
  const std::string origin_text = vm["origin"].as<std::string>();
  const std::optional<YearMonth> origin_month = parse_year_month(origin_text);
  if (!origin_month) throw UsageError("--origin must be a month YYYY-MM (got '" + origin_text + "')");
  const std::vector<std::string> observed_paths = vm["observed"].as<std::vector<std::string>>();

  ScenarioLoad load = load_scenario(vm["scenario"].as<std::string>());
  if (!report(load.diagnostics)) return kExitUsage;
  Scenario& scenario = *load.scenario;
  const Calendar& calendar = scenario.calendar;
  const int T = calendar.months, S = scenario.params.sectors.size();
  const int origin = calendar.index_of(*origin_month);
  if (origin < 0 || origin >= T - 1)
    throw UsageError("--origin " + origin_text + " is outside the scenario's calendar: it must be a month from " +
                     format_year_month(calendar.at(0)) + " to " + format_year_month(calendar.at(T - 2)) +
                     " (the months after it are projected)");
  require_particle_filter(scenario, "forecast");
  ParticleFilterOptions options;
  options.members = scenario.ensemble.members;
  assign_if_given(vm, "members", options.members);
  assign_if_given(vm, "seed", scenario.ensemble.seed);
  options.threads = vm["threads"].as<int>();
  ProgressBar progress(progress_option(vm));
  options.on_progress = progress.callback();
  options.origin = origin;
  read_filter_options(vm, options);

  const fs::path out = out_option(vm, fs::path("out") / (scenario.name + "_forecast"));
  std::vector<fs::path> inputs = scenario_inputs(scenario);
  for (const std::string& path : observed_paths) inputs.emplace_back(path);
  if (!report(validate_output_target({out, OutputTarget::Kind::folder, "manifest.json", "forecast"}, inputs)))
    return kExitUsage;

  const std::optional<std::vector<Observation>> observed = read_figure_files(observed_paths);
  if (!observed) return kExitUsage;
  Diagnostics diagnostics;
  // The vintage at the origin (sim/scenario/observations.h: available_at).
  Diagnostics industries;
  const std::vector<Observation> known =
      available_at(modelled_only(*observed, "conditioned on", industries), format_year_month(*origin_month));
  report(industries);
  const std::vector<FilterFigure> figures = filter_figures(scenario, known, origin);
  std::size_t used = 0;
  for (const FilterFigure& figure : figures) {
    if (figure.skipped.empty()) ++used;
    else if (figure.invalid)
      diagnostics.error(figure.invalid_at, figure.skipped);
  }
  if (!report(diagnostics)) return kExitUsage;
  if (used == 0)
    throw UsageError("--origin " + origin_text + ": no figure of " + fmt::format("{}", fmt::join(observed_paths, ", ")) +
                     " is usable by then (a figure needs period_end <= the origin, a value defined in the run from " +
                     format_year_month(calendar.at(0)) + ", and, with a `published` column, publication by the end "
                     "of the month after the origin)");
  for (const FilterFigure& figure : figures)
    if (!figure.skipped.empty())
      spdlog::info("{}:{}: skipped: {} {}: {}", figure.observation.where.file, figure.observation.where.line,
                   figure.observation.label(), figure.observation.month, figure.skipped);
  const bool trend_in_scenario = scenario.params.trend_shocks;
  if (!trend_in_scenario) {
    scenario.params.trend_shocks = true;
    spdlog::info("{}: no `trend_shocks:` block: the forecast uses the persistent trend with its defaults "
                 "(models/MODEL.md \"Persistent trend\")",
                 scenario.name);
  }

  spdlog::info("{}: {} particle(s), {} figure(s) up to {}, projected to {}", scenario.name, options.members, used,
               origin_text, format_year_month(calendar.at(T - 1)));
  OutputDir output(out);
  const ParticleFilterResult result = run_particle_filter(scenario, known, options);
  const std::string warning = check_failed_members(scenario.name, options.members, result.failures,
                                                   (output.target() / "failures.csv").string());
  if (!warning.empty()) print_notice({Notice::Level::report, warning});
  const SummaryTable table = summarise_store(*result.store, scenario.params.sectors.names, result.threads,
                                             result.excluded());
  const auto [projected, projected_calendar] = after_origin(table, calendar, S, origin);
  const OutputSelection selection{scenario.outputs};

  std::ofstream summary(output.staging() / "summary.csv", std::ios::binary);
  write_summary_header(summary);
  write_summary_rows(summary, scenario.name, projected_calendar, projected, scenario.params.sectors.names, selection);
  output.close(summary, "summary.csv");
  std::ofstream ess(output.staging() / "ess.csv", std::ios::binary);
  ess << "month,figures,ess,resampled,log_likelihood_increment,lineages\n";
  for (const FilterMonth& month : result.months)
    ess << format_year_month(calendar.at(month.month)) << ',' << month.figures << ',' << fmt::format("{}", month.ess)
        << ',' << (month.resampled ? "yes" : "no") << ',' << fmt::format("{}", month.log_likelihood_increment)
        << ',' << month.lineages << '\n';
  output.close(ess, "ess.csv");
  if (!result.failures.empty()) {
    std::ofstream failures(output.staging() / "failures.csv", std::ios::binary);
    write_failures_header(failures);
    write_failures_rows(failures, scenario.name, calendar, result.failures);
    output.close(failures, "failures.csv");
  }
  nlohmann::json manifest = manifest_head("forecast");
  manifest["scenario"] = scenario.name;
  add_files(manifest, "scenario_files", scenario.files);
  add_files(manifest, "data_files", scenario.data_files);
  add_files(manifest, "observed_files", observed_paths);
  manifest["resolved_scenario"] = scenario.resolved;
  manifest["seed"] = scenario.ensemble.seed;
  manifest["members"] = options.members;
  manifest["failed_members"] = static_cast<std::int64_t>(result.failures.size());
  manifest["origin"] = origin_text;
  manifest["figures_used"] = used;
  manifest["figures_skipped"] = figures.size() - used;
  record_filter_options(manifest, options);
  manifest["move_steps"] = nlohmann::json::array();
  for (const MoveStep& step : result.moves)
    manifest["move_steps"].push_back({{"anchor", step.anchor < 0 ? "start" : format_year_month(calendar.at(step.anchor))},
                                      {"month", format_year_month(calendar.at(step.last_month))},
                                      {"proposed", step.proposed},
                                      {"accepted", step.accepted},
                                      {"moved", step.moved}});
  manifest["trend_shocks"] = trend_in_scenario ? "scenario" : "defaults";
  manifest["outputs"] = outputs_entry(selection);
  manifest["quantiles"] = quantiles_entry(table.exact, table.accuracy);
  manifest["threads"] = result.threads;
  stamp_time(manifest, wall_start);
  write_json_file(output, "manifest.json", manifest);
  throw_if_interrupted();
  output.commit();

  std::cout << "month    figures  ESS of " << options.members << "\n";
  for (const FilterMonth& month : result.months)
    std::cout << fmt::format("{}  {:>7}  {:>6.1f}{}\n", format_year_month(calendar.at(month.month)), month.figures,
                             month.ess, month.resampled ? "  resampled" : "");
  for (const MoveStep& step : result.moves)
    std::cout << fmt::format("move at {} (redrawing {} .. {}): {} of {} accepted, {} members moved so far\n",
                             format_year_month(calendar.at(step.last_month)),
                             format_year_month(calendar.at(step.anchor + 1)),
                             format_year_month(calendar.at(step.last_month)), step.accepted, step.proposed,
                             step.moved);
  // A lag reaching before the run's start redraws from the start: said, not
  // silently shortened (found by a new user's trial).
  if (!result.moves.empty() && result.moves.front().anchor < 0 &&
      options.move_lag > result.moves.front().last_month + 1)
    spdlog::warn("--move-lag {} reaches before the run's start ({}): the moves redraw the {} months {} .. {}",
                 options.move_lag, format_year_month(calendar.at(0)), result.moves.front().last_month + 1,
                 format_year_month(calendar.at(0)), format_year_month(calendar.at(result.moves.front().last_month)));
  // The ytd growth of the next two Decembers: median [p05, p95].
  std::cout << "\nytd growth, median [5%, 95%]:\n";
  for (int t = 0; t < projected_calendar.months; ++t) {
    if (projected_calendar.at(t).month != 12 || projected_calendar.at(t).year > origin_month->year + 1) continue;
    std::cout << format_year_month(projected_calendar.at(t));
    for (const auto& [label, series] : {std::pair{"manufacturing", AggregateSeries::manufacturing_va_ytd_yoy},
                                        std::pair{"all industry", AggregateSeries::industry_va_ytd_yoy}}) {
      const CellSummary& c = projected.aggregate[static_cast<std::size_t>(series) * projected_calendar.months + t];
      std::cout << fmt::format("  {} {:.1f}% [{:.1f}%, {:.1f}%]", label, 100 * c.quantiles[2], 100 * c.quantiles[0],
                               100 * c.quantiles[4]);
    }
    std::cout << "\n";
  }
  spdlog::info("{}: forecast in {} ({:.3f} s)", scenario.name, output.target().string(), seconds_since(wall_start));
  return kExitOk;
}

const Command forecast_command{
    "forecast", "forecast SCENARIO", "condition the ensemble on published figures (particle filter) and project",
    "mfgsim forecast SCENARIO --origin YYYY-MM --observed CSV... [options]", declare_options,
    "\nRuns the scenario's stochastic ensemble month by month to the origin, weighting and\n"
    "resampling its members by every figure of the CSVs known at the origin (period_end <= origin;\n"
    "with a `published` column, published by the end of the month after it), then projects them.\n"
    "Writes summary.csv (the months after the origin), ess.csv (the effective sample size at each\n"
    "month with figures) and manifest.json into the output folder, all at once.\n",
    execute};

}  // namespace mfgsim::cli
