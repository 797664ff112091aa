#include "sim/analysis/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>

#include "sim/analysis/calibration.h"
#include "sim/analysis/compare.h"
#include "sim/core/calendar.h"
#include "sim/core/text.h"
#include "sim/io/csv.h"
#include "sim/io/hashing.h"
#include "sim/scenario/observations.h"
#include "sim/io/output_dir.h"
#include "sim/engine/series.h"
#include "sim/output/headline.h"
#include "sim/output/summary_file.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {

namespace fs = std::filesystem;

std::vector<std::string> default_plot_series() {
  return {"manufacturing_va_ytd_yoy", "industry_va_ytd_yoy", "va_ytd_yoy", "manufacturing_va",
          "long_term_loans_yoy", "long_term_share", "recycling_ratio", "adoption", "co2"};
}

namespace {

// What the folder's manifest.json tells of the scenario that made the
// results: the headline sectors (sim/output/headline.h) and the region of
// the first scenario file that still loads. Empty when none does (then
// every sector is plotted and titles name no region).
struct ManifestScenario {
  std::vector<std::string> sectors;
  std::string region;
  std::string targets;  // the calibration targets file; "" when none
  std::string origin;   // a forecast's origin (YYYY-MM, `mfgsim forecast`); "" otherwise
};

// A forecast folder's fan charts also show the published history of the
// months before its origin, this many of them.
constexpr int kForecastHistoryMonths = 24;

ManifestScenario manifest_scenario(const fs::path& dir) {
  std::string text;
  if (!read_text_file((dir / "manifest.json").string(), &text)) return {};
  const nlohmann::json manifest = nlohmann::json::parse(text, nullptr, false);
  if (!manifest.is_object()) return {};
  std::string origin;
  if (manifest.value("command", "") == "forecast" && manifest.contains("origin") && manifest["origin"].is_string())
    origin = manifest["origin"].get<std::string>();
  const ResultScenario made_by = result_scenario(dir);
  if (!made_by.scenario) return {{}, {}, {}, origin};
  const Scenario& scenario = *made_by.scenario;
  return {headline_sectors(scenario.params), scenario.region,
          scenario.calibration ? scenario.calibration->targets : std::string(), origin};
}

bool is_share(const std::string& variable) {
  static const std::set<std::string> shares = {"utilisation", "adoption", "upgrade_share", "long_term_share",
                                               "recycling_ratio", "recycling_target"};
  return shares.count(variable) > 0;
}

std::string unit_of(const std::string& variable) {
  if (const auto a = aggregate_series_named(variable)) return std::string(series_unit(*a));
  if (const auto s = sector_series_named(variable)) return std::string(series_unit(*s));
  return "";
}

}  // namespace

DisplayScale display_scale(const std::string& variable, double max_abs) {
  if (variable.ends_with("_ytd_yoy")) return {100.0, "year-to-date growth, year on year (%)"};
  if (variable.ends_with("_yoy")) return {100.0, "growth, year on year (%)"};
  if (is_share(variable)) return {100.0, "share (%)"};
  const std::string unit = unit_of(variable);
  // Money is counted in 100 million yuan (1e8): shown in the largest of
  // ¥tn, ¥bn, ¥ million that keeps the values at 1 or more.
  const std::string money = "100 million yuan";
  if (unit.starts_with(money)) {
    const std::string rest = unit.substr(money.size());
    const double yuan = max_abs * 1e8;
    if (yuan >= 1e12) return {1e-4, "¥tn" + rest};
    if (yuan >= 1e9) return {0.1, "¥bn" + rest};
    if (yuan >= 1e6) return {100.0, "¥ million" + rest};
    return {1e8, "¥" + rest};
  }
  // Tonnes (of CO2 or of coal equivalent): Mt or kt where the values reach them.
  if (unit.starts_with("t") && unit.find("/10k") == std::string::npos) {
    if (max_abs >= 1e6) return {1e-6, "M" + unit};
    if (max_abs >= 1e3) return {1e-3, "k" + unit};
    return {1.0, unit};
  }
  if (unit == "1/yr") return {100.0, "% a year"};  // the rates among the levers
  if (unit == "yuan/tCO2") return {1.0, "¥/tCO2"};
  if (variable == "log_tfp") return {1.0, "log points"};
  if (unit == "1") return {1.0, "index"};
  return {1.0, unit};
}

std::string scenario_colour(const std::vector<std::string>& scenarios, const std::string& name) {
  // The baseline (the scenario named `baseline`, else the first) is navy;
  // the others take ColorBrewer/Tableau hues in the folder's order. Red is
  // kept for published figures.
  static const char* kPalette[] = {"#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                   "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
  const bool has_baseline = std::find(scenarios.begin(), scenarios.end(), "baseline") != scenarios.end();
  const std::string base = has_baseline ? "baseline" : (scenarios.empty() ? "" : scenarios.front());
  if (name == base) return "#08306b";
  std::size_t k = 0;
  for (const std::string& s : scenarios) {
    if (s == name) break;
    if (s != base) ++k;
  }
  return kPalette[k % std::size(kPalette)];
}

namespace {

// scenario -> sweep ("" for a scenario file) from a batch folder's
// scenarios.csv; empty when there is none.
std::map<std::string, std::string> read_sweeps(const fs::path& path) {
  std::map<std::string, std::string> sweep_of;
  std::string text;
  if (!fs::exists(path) || !read_text_file(path.string(), &text)) return sweep_of;
  Diagnostics ignored;
  const std::vector<CsvRow> rows = split_csv(text, path.string(), ignored);
  if (rows.empty()) return sweep_of;
  std::size_t name_column = rows[0].fields.size(), sweep_column = rows[0].fields.size();
  for (std::size_t k = 0; k < rows[0].fields.size(); ++k) {
    if (rows[0].fields[k].text == "scenario") name_column = k;
    if (rows[0].fields[k].text == "sweep") sweep_column = k;
  }
  for (std::size_t r = 1; r < rows.size(); ++r)
    if (name_column < rows[r].fields.size() && sweep_column < rows[r].fields.size())
      sweep_of[rows[r].fields[name_column].text] = rows[r].fields[sweep_column].text;
  return sweep_of;
}

}  // namespace

std::string gnuplot_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

namespace {

// Problems with the command's options print as "mfgsim: error: ...".
const SourceLocation kCommandLine{"mfgsim"};

// One published figure against the model: ratios; tolerance in points (0: none).
struct FigureRow {
  std::string label;
  double published = 0.0, median = 0.0, p05 = 0.0, p95 = 0.0, tolerance_points = 0.0;
};

// The figures among `observed` that the first drawn scenario defines, as
// ratio series (growth, shares) inside the run.
std::vector<FigureRow> figure_rows(const std::vector<Observation>& observed, const std::vector<SummaryRecord>& records,
                                   const std::string& scenario, bool with_tolerance) {
  std::map<std::tuple<std::string, std::string, std::string>, const SummaryRecord*> by_cell;
  for (const SummaryRecord& r : records)
    if (r.scenario == scenario && r.defined && r.unit == "1") by_cell[{r.variable, r.sector, r.month}] = &r;
  std::vector<FigureRow> rows;
  for (const Observation& o : observed) {
    const auto it = by_cell.find({o.variable, o.sector, o.month});
    if (it == by_cell.end()) continue;
    FigureRow row;
    row.label = o.id.empty() ? o.variable + (o.sector.empty() ? "" : " " + o.sector) + " " + o.month : o.id;
    row.published = o.value;
    row.median = it->second->quantiles[2];
    row.p05 = it->second->quantiles[0];
    row.p95 = it->second->quantiles[4];
    if (with_tolerance) row.tolerance_points = tolerance_points_of(o.variable);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

// What a request draws, read and checked before anything is written.
struct PlotPlan {
  std::shared_ptr<const std::vector<SummaryRecord>> records;  // summary.csv, read once
  std::vector<Observation> observed;
  // (variable, sector) -> scenario -> records in file order (months ascending).
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<const SummaryRecord*>>> groups;
  std::vector<std::string> lines;                                          // scenarios drawn as median lines
  std::vector<std::pair<std::string, std::vector<std::string>>> sweeps;    // sweep -> its samples, drawn as bands
  std::vector<std::pair<std::string, std::vector<std::string>>> plots;     // variable -> its sectors ("": aggregate)
  std::vector<std::string> scenario_order;  // every scenario of summary.csv, in file order (for colours)
  std::string region;                       // from the manifest's scenario; may be empty
  std::string origin;                       // a forecast's origin; "" for other folders
  std::optional<CompareRequest> difference;  // difference charts: what to compare
  // Published figures against the model (first scenario drawn): the
  // calibration targets (with their tolerance) and the --observed figures.
  std::vector<FigureRow> targets, published;
};

namespace {

// Reads the folder's files and resolves the request; each problem is a
// diagnostic (nullptr then). The plan points into its own records: it is
// kept where it is made.
std::unique_ptr<PlotPlan> plan_plots(const PlotRequest& request, Diagnostics& diagnostics) {
  const fs::path dir(request.results_dir);
  auto plan = std::make_unique<PlotPlan>();
  if (request.summary) {
    plan->records = request.summary;
  } else {
    auto records = read_summary_csv((dir / "summary.csv").string(), diagnostics);
    if (!records) return nullptr;
    plan->records = std::make_shared<const std::vector<SummaryRecord>>(std::move(*records));
  }
  if (!request.observed_csv.empty()) {
    auto obs = read_observations(request.observed_csv, diagnostics);
    if (!obs) return nullptr;
    plan->observed = modelled_only(*obs, "drawn", diagnostics);
    check_figure_sectors(plan->observed, *plan->records, (dir / "summary.csv").string(), diagnostics);
    if (!diagnostics.ok()) return nullptr;
  }
  auto& groups = plan->groups;
  std::vector<std::string> scenario_order;
  std::set<std::string> seen;
  for (const SummaryRecord& r : *plan->records) {
    groups[{r.variable, r.sector}][r.scenario].push_back(&r);
    if (seen.insert(r.scenario).second) scenario_order.push_back(r.scenario);
  }
  // Which scenarios are drawn as lines, and which sweeps as bands.
  const std::map<std::string, std::string> sweep_of = read_sweeps(dir / "scenarios.csv");
  if (!request.scenarios.empty()) {
    for (const std::string& name : request.scenarios) {
      if (seen.count(name)) continue;
      std::string known;
      for (const std::string& s : scenario_order) known += (known.empty() ? "" : ", ") + s;
      diagnostics.error(kCommandLine, "--scenarios: no scenario '" + name + "' in " + (dir / "summary.csv").string() +
                                          " (scenarios: " + known + ")");
    }
    for (const std::string& name : scenario_order)
      if (std::find(request.scenarios.begin(), request.scenarios.end(), name) != request.scenarios.end())
        plan->lines.push_back(name);
  } else {
    for (const std::string& name : scenario_order) {
      const auto it = sweep_of.find(name);
      if (it == sweep_of.end() || it->second.empty()) {
        plan->lines.push_back(name);
        continue;
      }
      auto& sweeps = plan->sweeps;
      auto sweep = std::find_if(sweeps.begin(), sweeps.end(), [&](const auto& s) { return s.first == it->second; });
      if (sweep == sweeps.end()) sweep = sweeps.insert(sweeps.end(), {it->second, {}});
      sweep->second.push_back(name);
    }
  }
  plan->scenario_order = scenario_order;
  const ManifestScenario made_by = manifest_scenario(dir);
  plan->region = made_by.region;
  plan->origin = made_by.origin;
  if (!request.baseline.empty() && !request.difference)
    diagnostics.error(kCommandLine, "--baseline: only with --difference (the scenario subtracted)");
  if (request.difference) {
    if (request.annual) diagnostics.error(kCommandLine, "--annual and --difference: choose one view");
    if (!request.sectors.empty())
      diagnostics.error(kCommandLine, "--sectors: difference charts are drawn for aggregate series only");
    if (!request.observed_csv.empty())
      diagnostics.error(kCommandLine, "--observed: published figures are levels, not differences: not with --difference");
    CompareRequest compare;
    compare.results_dirs = {request.results_dir};
    compare.baseline = request.baseline;
    compare.series = request.series;
    std::set<std::string> months;
    for (const SummaryRecord& r : *plan->records) months.insert(r.month);
    compare.months.assign(months.begin(), months.end());
    // The scenarios drawn (the scenario files of a batch, or --scenarios);
    // compare leaves out the baseline.
    compare.scenarios = plan->lines;
    // One run holds one scenario: nothing to pair it with in the folder.
    if (result_marker_matches(dir, "manifest.json", "run"))
      diagnostics.error(kCommandLine, "--difference: " + request.results_dir +
                                          " is a `mfgsim run` folder: difference charts need a batch folder (or compare "
                                          "two runs with `mfgsim compare RUN1 RUN2`)");
    else
      diagnostics.append(validate_compare_request(compare));
    if (diagnostics.ok()) {
      const std::string base = !compare.baseline.empty()                                     ? compare.baseline
                               : std::count(scenario_order.begin(), scenario_order.end(), "baseline") ? "baseline"
                                                                                                      : scenario_order.front();
      if (std::all_of(compare.scenarios.begin(), compare.scenarios.end(), [&](const std::string& s) { return s == base; }))
        diagnostics.error(kCommandLine, "--difference: nothing to compare with `" + base + "` in " +
                                            (dir / "summary.csv").string() + " (name others with --scenarios)");
    }
    plan->difference = std::move(compare);
    if (!diagnostics.ok()) return nullptr;
    return plan;
  }
  std::vector<std::string> series = request.series.empty() ? default_plot_series() : request.series;
  if (request.annual && request.series.empty())
    std::erase_if(series, [](const std::string& v) { return !v.ends_with("_yoy"); });
  std::vector<std::string> sectors = request.sectors.empty() ? made_by.sectors : request.sectors;
  if (sectors.empty())
    for (const auto& [key, by_scenario] : groups)
      if (!key.second.empty() && std::find(sectors.begin(), sectors.end(), key.second) == sectors.end())
        sectors.push_back(key.second);
  for (const std::string& variable : series) {
    if (!is_known_series(variable)) {
      diagnostics.error(kCommandLine, "--series: unknown series '" + variable + "'");
      continue;
    }
    if (request.annual && !variable.ends_with("_yoy")) {
      diagnostics.error(kCommandLine, "--annual: '" + variable +
                                          "' is not a growth rate (calendar-year views are drawn for the series "
                                          "ending in _yoy)");
      continue;
    }
    // The aggregate where there is one; per-sector plots for sector-only
    // series, or for any series when --sectors asks for them.
    const bool has_aggregate = groups.count({variable, ""}) > 0;
    bool has_sectors = false;
    for (const auto& entry : groups)
      if (entry.first.first == variable && !entry.first.second.empty()) has_sectors = true;
    std::vector<std::string> plot_sectors;
    if (has_aggregate) plot_sectors.push_back("");
    if (has_sectors && (!has_aggregate || !request.sectors.empty())) {
      for (const std::string& sector : sectors) {
        if (groups.count({variable, sector})) plot_sectors.push_back(sector);
        else if (!request.sectors.empty())
          diagnostics.error(kCommandLine,
                            "--sectors: no series '" + variable + "' for sector '" + sector + "' in summary.csv");
      }
    }
    if (plot_sectors.empty()) {
      // (With --sectors naming none of the series' sectors, each was reported above.)
      if (!request.series.empty() && !(has_sectors && !request.sectors.empty()))
        diagnostics.error(kCommandLine, "--series: '" + variable + "' is not in " + (dir / "summary.csv").string() +
                                            " (was it left out by `outputs`?)");
      continue;
    }
    if (request.annual) {
      bool december = false;
      for (const std::string& sector : plot_sectors)
        for (const auto& [name, records] : groups.at({variable, sector}))
          for (const SummaryRecord* r : records) december = december || (r->defined && r->month.ends_with("-12"));
      if (!december) {
        diagnostics.error(kCommandLine, "--annual: '" + variable + "' has no December value in " +
                                            (dir / "summary.csv").string() +
                                            " (growth is defined from the run's second year)");
        continue;
      }
    }
    plan->plots.emplace_back(variable, std::move(plot_sectors));
  }
  if (!diagnostics.ok()) return nullptr;
  // Published against model: with the default series, for the first scenario drawn.
  if (request.series.empty() && !request.annual && !plan->lines.empty()) {
    if (!made_by.targets.empty()) {
      Diagnostics unread;  // a targets file that no longer reads draws no chart
      if (auto targets = read_observations(made_by.targets, unread))
        plan->targets = figure_rows(*targets, *plan->records, plan->lines.front(), true);
    }
    plan->published = figure_rows(plan->observed, *plan->records, plan->lines.front(), false);
  }
  return plan;
}

}  // namespace

void check_figure_sectors(const std::vector<Observation>& figures, const std::vector<SummaryRecord>& records,
                          const std::string& summary_path, Diagnostics& diagnostics) {
  std::set<std::string> known;
  for (const SummaryRecord& r : records)
    if (!r.sector.empty()) known.insert(r.sector);
  if (known.empty()) return;
  const std::vector<std::string> names(known.begin(), known.end());
  for (const Observation& o : figures)
    if (!o.sector.empty() && !known.count(o.sector))
      diagnostics.error(o.sector_where, "no sector '" + o.sector + "' in " + summary_path + did_you_mean(o.sector, names) +
                                            " (sectors: " + fmt::format("{}", fmt::join(names, ", ")) + ")");
}

ResultScenario result_scenario(const fs::path& results_dir) {
  ResultScenario result;
  const fs::path manifest_path = results_dir / "manifest.json";
  std::string text;
  if (!read_text_file(manifest_path.string(), &text)) return result;
  const nlohmann::json manifest = nlohmann::json::parse(text, nullptr, false);
  if (!manifest.is_object() || !manifest.contains("scenario_files") || !manifest["scenario_files"].is_array() ||
      manifest["scenario_files"].empty())
    return result;
  // Every recorded file as it was at the run, or no scenario.
  bool unchanged = true;
  std::string scenario_path;
  for (const char* list : {"scenario_files", "data_files"}) {
    if (!manifest.contains(list) || !manifest[list].is_array()) continue;
    for (const nlohmann::json& file : manifest[list]) {
      if (!file.is_object() || !file.contains("path") || !file["path"].is_string()) {
        unchanged = false;
        continue;
      }
      const std::string path = file["path"].get<std::string>();
      result.read.emplace_back(path);
      if (std::string_view(list) == "scenario_files") scenario_path = path;  // the last one: the scenario itself
      std::string digest;
      try {
        digest = sha256_file_hex(path);
      } catch (const std::runtime_error&) {
        digest.clear();
      }
      if (!file.contains("sha256") || !file["sha256"].is_string() || digest != file["sha256"].get<std::string>()) {
        unchanged = false;
        result.warnings.warn(SourceLocation{manifest_path.string()},
                             path + (digest.empty() ? " cannot be read" : " has changed since the run (its SHA-256 is not the one recorded)") +
                                 " (paths are relative to the folder the run was started in): the run's scenario "
                                 "is not used (no calibration targets, every sector, no region)");
      }
    }
  }
  if (!unchanged) return result;
  ScenarioLoad load = load_scenario(scenario_path);
  if (!load.scenario) return result;
  for (const fs::path& input : scenario_inputs(*load.scenario)) result.read.push_back(input);
  if (load.scenario->calibration && !load.scenario->calibration->targets.empty())
    result.read.emplace_back(load.scenario->calibration->targets);
  result.scenario = std::move(*load.scenario);
  return result;
}

static fs::path plot_folder(const PlotRequest& request) {
  return request.out_dir.empty() ? fs::path(request.results_dir) / "plots" : fs::path(request.out_dir);
}

PreparedPlots prepare_plots(const PlotRequest& request) {
  PreparedPlots prepared;
  prepared.request = request;
  Diagnostics& diagnostics = prepared.diagnostics;
  std::vector<fs::path> inputs = result_folder_inputs(request.results_dir);
  if (!request.observed_csv.empty()) inputs.emplace_back(request.observed_csv);
  const ResultScenario made_by = result_scenario(request.results_dir);
  inputs.insert(inputs.end(), made_by.read.begin(), made_by.read.end());
  diagnostics.append(made_by.warnings);
  diagnostics.append(validate_output_target({plot_folder(request), OutputTarget::Kind::files}, inputs));
  if (!diagnostics.ok()) return prepared;
  std::unique_ptr<PlotPlan> plan = plan_plots(request, diagnostics);
  if (plan && diagnostics.ok()) prepared.plan = std::move(plan);
  return prepared;
}

Diagnostics validate_plot_request(const PlotRequest& request) { return prepare_plots(request).diagnostics; }

namespace {

bool defined_value(const SummaryRecord* r) { return r->defined && !std::isnan(r->quantiles[2]); }

// Whether members differ anywhere: without spread (a deterministic run, or
// a series no draw or shock moves) no band is drawn or named.
bool has_spread(const std::vector<const SummaryRecord*>& records) {
  for (const SummaryRecord* r : records)
    if (defined_value(r) && r->quantiles[4] - r->quantiles[0] > 1e-12 * std::max(1.0, std::abs(r->quantiles[2])))
      return true;
  return false;
}

std::string words(std::string name) {
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

// "<long name>[ — <sector>] · <scenarios> · <region>"
std::string plot_title(const std::string& long_name, const std::string& sector, const std::vector<std::string>& who,
                       const std::string& region) {
  std::string title = long_name;
  if (!sector.empty()) title += " — " + words(sector);
  if (!who.empty()) {
    const auto sweeps = std::count_if(who.begin(), who.end(), [](const std::string& w) { return w.starts_with("sweep "); });
    const auto lines = static_cast<std::ptrdiff_t>(who.size()) - sweeps;
    title += " · " + (who.size() <= 3 ? join(who, ", ")
                                      : fmt::format("{} scenarios", lines) +
                                            (sweeps ? fmt::format(", {} sweep{}", sweeps, sweeps > 1 ? "s" : "") : ""));
  }
  if (!region.empty()) title += " · " + region;
  return title;
}

std::string fill(double opacity, const std::string& colour) {
  return fmt::format("fs transparent solid {} noborder lc rgb '{}'", opacity, colour);
}

}  // namespace

void require_gnuplot() {
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0)
    throw std::runtime_error("gnuplot is not installed (Debian package gnuplot-nox; scripts/setup.sh installs it)");
}

std::string draw_to_png_and_svg(const std::string& stem, const std::vector<std::string>& items, int height) {
  const std::string plot = "plot " + join(items, ", ");
  return fmt::format("set terminal pngcairo noenhanced size 1000,{0} font 'sans,10'\nset output {1}\n{2}\n"
                     "set terminal svg noenhanced size 1000,{0} dynamic font 'sans,10'\nset output {3}\n{2}\n",
                     height, gnuplot_quote(stem + ".png"), plot, gnuplot_quote(stem + ".svg"));
}

void run_gnuplot(const fs::path& folder, const std::string& stem) {
  const std::string command = "cd " + gnuplot_quote(folder.string()) + " && gnuplot " + gnuplot_quote(stem + ".gp") +
                              " > " + gnuplot_quote(stem + ".log") + " 2>&1";
  if (std::system(command.c_str()) != 0) {
    std::ifstream log(folder / (stem + ".log"));
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    throw std::runtime_error("gnuplot failed on " + stem + ".gp:\n" + text);
  }
  fs::remove(folder / (stem + ".log"));
}

namespace {

// One plot's inputs: the scenarios drawn as lines with their records, the
// sweeps drawn as bands, the display scale.
struct PlotData {
  std::vector<std::pair<std::string, const std::vector<const SummaryRecord*>*>> lines;
  std::vector<std::pair<std::string, std::vector<const std::vector<const SummaryRecord*>*>>> sweeps;
  DisplayScale scale;
};

PlotData gather(const PlotPlan& plan, const std::string& variable, const std::string& sector) {
  PlotData out;
  const auto& by_scenario = plan.groups.at({variable, sector});
  double max_abs = 0.0;
  auto widen = [&](const std::vector<const SummaryRecord*>& records) {
    for (const SummaryRecord* r : records)
      if (defined_value(r))
        max_abs = std::max({max_abs, std::abs(r->quantiles[0]), std::abs(r->quantiles[4]), std::abs(r->mean)});
  };
  for (const std::string& name : plan.lines)
    if (auto it = by_scenario.find(name); it != by_scenario.end()) {
      out.lines.emplace_back(name, &it->second);
      widen(it->second);
    }
  for (const auto& [sweep, samples] : plan.sweeps) {
    std::vector<const std::vector<const SummaryRecord*>*> found;
    for (const std::string& name : samples)
      if (auto it = by_scenario.find(name); it != by_scenario.end()) {
        found.push_back(&it->second);
        widen(it->second);
      }
    if (!found.empty()) out.sweeps.emplace_back(sweep, std::move(found));
  }
  out.scale = display_scale(variable, max_abs);
  return out;
}

std::string number(double v) { return fmt::format("{}", v); }

// The monthly plot: a fan chart for one scenario, lines (with 90% bands
// when few) for several, sweeps as hatched ranges of their samples' medians.
std::string monthly_script(const PlotPlan& plan, const PlotData& d, const std::string& variable,
                           const std::string& sector, const std::string& stem, const fs::path& folder) {
  const double k = d.scale.factor;
  std::ofstream data(folder / (stem + ".dat"));
  data << "# month mean p05 p25 p50 p75 p95, in " << d.scale.label << '\n';
  std::vector<std::string> who;
  std::string first_month = "9999-12", last_month = "0000-01";
  for (const auto& [name, records] : d.lines) {
    who.push_back(name);
    data << "# " << name << '\n';
    for (const SummaryRecord* r : *records) {
      first_month = std::min(first_month, r->month);
      last_month = std::max(last_month, r->month);
      if (!r->defined) continue;
      data << r->month << ' ' << number(k * r->mean);
      for (double q : r->quantiles) data << ' ' << number(k * q);
      data << '\n';
    }
    data << "\n\n";
  }
  std::vector<std::string> items;
  std::size_t index = d.lines.size();
  for (const auto& [sweep, samples] : d.sweeps) {
    who.push_back("sweep " + sweep);
    std::map<std::string, std::pair<double, double>> range;
    for (const auto* records : samples)
      for (const SummaryRecord* r : *records) {
        first_month = std::min(first_month, r->month);
        last_month = std::max(last_month, r->month);
        if (!defined_value(r)) continue;
        auto [entry, inserted] = range.try_emplace(r->month, r->quantiles[2], r->quantiles[2]);
        entry->second.first = std::min(entry->second.first, r->quantiles[2]);
        entry->second.second = std::max(entry->second.second, r->quantiles[2]);
      }
    data << "# " << sweep << ": range of the samples' medians\n";
    for (const auto& [month, minmax] : range) data << month << ' ' << number(k * minmax.first) << ' ' << number(k * minmax.second) << '\n';
    data << "\n\n";
    // Hatched, not filled: a range of medians over swept values is not an uncertainty band.
    items.push_back(fmt::format("{} index {} using 1:2:3 with filledcurves fs transparent pattern 4 lc rgb '#636363' "
                                "title {}",
                                gnuplot_quote(stem + ".dat"), index++,
                                gnuplot_quote("sweep " + sweep + ": range of " + std::to_string(samples.size()) +
                                              " samples' medians")));
  }
  const std::string file = gnuplot_quote(stem + ".dat");
  const bool fan = d.lines.size() == 1 && d.sweeps.empty();
  for (std::size_t s = 0; s < d.lines.size(); ++s) {
    const auto& [name, records] = d.lines[s];
    const std::string colour = scenario_colour(plan.scenario_order, name);
    const bool spread = has_spread(*records);
    if (spread && fan) {
      items.push_back(fmt::format("{} index {} using 1:3:7 with filledcurves {} title '90% band'", file, s, fill(0.25, colour)));
      items.push_back(fmt::format("{} index {} using 1:4:6 with filledcurves {} title '50% band'", file, s, fill(0.45, colour)));
    } else if (spread && d.lines.size() <= 2) {
      items.push_back(fmt::format("{} index {} using 1:3:7 with filledcurves {} title {}", file, s, fill(0.15, colour),
                                  gnuplot_quote(name + " 90% band")));
    }
    const std::string line_title = fan ? (spread ? "median" : "value (the same in every member)")
                                       : (spread ? name + " (median)" : name);
    items.push_back(fmt::format("{} index {} using 1:5 with lines lw 2 lc rgb '{}' title {}", file, s, colour,
                                gnuplot_quote(line_title)));
  }
  // A forecast also shows the published history before its origin (the
  // figures it was conditioned on, and earlier ones of the same series).
  std::string shown_from = first_month;
  if (!plan.origin.empty())
    if (const auto ym = parse_year_month(first_month))
      shown_from = format_year_month(add_months(*ym, -kForecastHistoryMonths));
  std::string observed_rows;
  for (const Observation& o : plan.observed)
    if (o.variable == variable && o.sector == sector && o.month >= shown_from && o.month <= last_month)
      observed_rows += o.month + ' ' + number(k * o.value) + '\n';
  if (!observed_rows.empty()) {
    std::ofstream(folder / (stem + ".observed.dat")) << observed_rows;
    items.push_back(fmt::format("{} using 1:2 with points pt 7 ps 1.2 lc rgb '#d62728' title 'published'",
                                gnuplot_quote(stem + ".observed.dat")));
  }
  std::string origin_marker;
  if (!plan.origin.empty()) {
    first_month = shown_from;
    origin_marker = fmt::format("set arrow from {0},graph 0 to {0},graph 1 nohead dt 2 lc rgb '#555555'\n"
                                "set label {1} at {0},graph 0.97 right offset -0.5,0 noenhanced\n",
                                gnuplot_quote(plan.origin), gnuplot_quote("origin " + plan.origin));
  }
  // The x range is the run's months (a forecast's: from its history); other
  // published figures are not drawn. A one-month run gets a month either
  // side (gnuplot refuses an empty range).
  if (first_month == last_month)
    if (const auto ym = parse_year_month(first_month)) {
      first_month = format_year_month(add_months(*ym, -1));
      last_month = format_year_month(add_months(*ym, 1));
    }
  std::string script = fmt::format(
      "set datafile separator whitespace\nset xdata time\nset timefmt '%Y-%m'\nset format x '%Y'\n"
      "set grid\nset key below horizontal maxrows 3\nset title {} noenhanced\nset ylabel {}\nset xrange [{}:{}]\n",
      gnuplot_quote(plot_title(std::string(series_long_name(variable)), sector, who, plan.region)),
      gnuplot_quote(d.scale.label), gnuplot_quote(first_month), gnuplot_quote(last_month));
  return script + origin_marker + draw_to_png_and_svg(stem, items);
}

// The calendar-year plot: per year and scenario, the December value's
// median with a 50% box and 90% whiskers, scenarios side by side.
std::string annual_script(const PlotPlan& plan, const PlotData& d, const std::string& variable,
                          const std::string& sector, const std::string& stem, const fs::path& folder) {
  const double k = d.scale.factor;
  std::ofstream data(folder / (stem + ".dat"));
  data << "# year p05 p25 p50 p75 p95 of the December value, in " << d.scale.label << '\n';
  int first_year = 9999, last_year = 0;
  std::vector<std::string> who;
  for (const auto& [name, records] : d.lines) {
    who.push_back(name);
    data << "# " << name << '\n';
    for (const SummaryRecord* r : *records) {
      if (!defined_value(r) || !r->month.ends_with("-12")) continue;
      const int year = std::stoi(r->month.substr(0, 4));
      first_year = std::min(first_year, year);
      last_year = std::max(last_year, year);
      data << year;
      for (double q : r->quantiles) data << ' ' << number(k * q);
      data << '\n';
    }
    data << "\n\n";
  }
  const std::string file = gnuplot_quote(stem + ".dat");
  const double n = static_cast<double>(d.lines.size()), width = 0.8 / n;
  std::vector<std::string> items;
  for (std::size_t s = 0; s < d.lines.size(); ++s) {
    const auto& [name, records] = d.lines[s];
    const std::string colour = scenario_colour(plan.scenario_order, name);
    const std::string x = fmt::format("($1{:+})", (static_cast<double>(s) - (n - 1.0) / 2.0) * width);
    if (has_spread(*records)) {
      items.push_back(fmt::format("{} index {} using {}:3:2:6:5 with candlesticks whiskerbars fs solid 0.35 lc rgb '{}' "
                                  "title {}",
                                  file, s, x, colour, gnuplot_quote(name + " (50% box, 90% whiskers)")));
      items.push_back(fmt::format("{} index {} using {}:4:4:4:4 with candlesticks lw 2 lc rgb '{}' notitle", file, s, x,
                                  colour));
    } else {
      items.push_back(fmt::format("{} index {} using {}:4 with points pt 5 ps 1.2 lc rgb '{}' title {}", file, s, x,
                                  colour, gnuplot_quote(name)));
    }
  }
  std::string observed_rows;
  for (const Observation& o : plan.observed)
    if (o.variable == variable && o.sector == sector && o.month.ends_with("-12") &&
        o.month.substr(0, 4) >= std::to_string(first_year) && o.month.substr(0, 4) <= std::to_string(last_year))
      observed_rows += o.month.substr(0, 4) + ' ' + number(k * o.value) + '\n';
  if (!observed_rows.empty()) {
    std::ofstream(folder / (stem + ".observed.dat")) << observed_rows;
    items.push_back(fmt::format("{} using 1:2 with points pt 7 ps 1.2 lc rgb '#d62728' title 'published'",
                                gnuplot_quote(stem + ".observed.dat")));
  }
  const bool ytd = variable.ends_with("_ytd_yoy");
  std::string long_name(series_long_name(variable));
  if (const auto at = long_name.find(", year-to-date growth"); ytd && at != std::string::npos)
    long_name = long_name.substr(0, at) + ", calendar-year growth";
  else
    long_name += ", December";
  std::string script = fmt::format(
      "set datafile separator whitespace\nset grid ytics\nset key below horizontal maxrows 3\n"
      "set title {} noenhanced\nset ylabel {}\nset xtics 1 format '%.0f'\nset xrange [{}:{}]\n"
      "set boxwidth {} absolute\n",
      gnuplot_quote(plot_title(long_name, sector, who, plan.region)),
      gnuplot_quote(ytd ? "calendar-year growth (%)" : "growth, year on year, at December (%)"),
      number(first_year - 0.6), number(last_year + 0.6), number(0.8 * width));
  return script + draw_to_png_and_svg(stem, items);
}

// Published figures against the model, one row each (first at the top), as
// misses: model - published in percentage points, the median with the
// model's 90% band as whiskers, and the calibration tolerance as a band
// around zero; growth rates and shares of very different sizes share one axis.
std::string figures_script(const PlotPlan& plan, const std::vector<FigureRow>& rows, const std::string& what,
                           const std::string& stem, const fs::path& folder) {
  std::ofstream data(folder / (stem + ".dat"));
  data << "# row miss_median miss_p05 miss_p95 tolerance label: model - published, percentage points\n";
  std::size_t longest = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const FigureRow& r = rows[k];
    data << rows.size() - k << ' ' << number(100 * (r.median - r.published)) << ' '
         << number(100 * (r.p05 - r.published)) << ' ' << number(100 * (r.p95 - r.published)) << ' '
         << number(r.tolerance_points) << ' ' << gnuplot_quote(r.label) << '\n';
    longest = std::max(longest, r.label.size());
  }
  const std::string file = gnuplot_quote(stem + ".dat");
  const std::string colour = scenario_colour(plan.scenario_order, plan.lines.front());
  std::vector<std::string> items;
  if (std::any_of(rows.begin(), rows.end(), [](const FigureRow& r) { return r.tolerance_points > 0; }))
    items.push_back(fmt::format("{} using (0):1:(-$5):($5):($1-0.35):($1+0.35) with boxxyerror fs solid 0.25 noborder "
                                "lc rgb '#d62728' title 'tolerance of the fit'",
                                file));
  items.push_back(fmt::format("{} using 2:1:3:4:ytic(6) with xerrorbars pt 7 ps 1.2 lw 2 lc rgb '{}' title {}", file,
                              colour, gnuplot_quote(plan.lines.front() + ": median miss, 90% band")));
  const std::string script = fmt::format(
      "set datafile separator whitespace\nset grid xtics\nset key below horizontal\nset title {} noenhanced\n"
      "set xlabel 'model − published (percentage points)'\nset yrange [0.3:{}]\nset ytics scale 0\n"
      "set lmargin {}\nset xzeroaxis\nset arrow from 0, graph 0 to 0, graph 1 nohead lc rgb '#d62728'\n",
      gnuplot_quote(plot_title(what, "", {plan.lines.front()}, plan.region)), number(rows.size() + 0.7), longest + 3);
  std::string drawn = draw_to_png_and_svg(stem, items);
  const std::string size = "size 1000,600", height = std::to_string(std::max<std::size_t>(300, 110 + 30 * rows.size()));
  for (std::size_t at = drawn.find(size); at != std::string::npos; at = drawn.find(size, at + 1))
    drawn.replace(at, size.size(), "size 1000," + height);
  return script + drawn;
}

// Difference charts: per series, each scenario - baseline over time, the
// median of the paired differences with their 5-95% band (bands when two
// scenarios or fewer), and zero marked.
std::vector<std::string> difference_plots(const PlotPlan& plan, OutputDir& out) {
  const Comparison c = compare_batch(*plan.difference);
  std::vector<std::string> images;
  for (const std::string& variable : c.series) {
    std::vector<std::string> scenarios;
    double max_abs = 0.0;
    for (const ComparisonRow& r : c.rows) {
      if (r.series != variable) continue;
      if (std::find(scenarios.begin(), scenarios.end(), r.scenario) == scenarios.end()) scenarios.push_back(r.scenario);
      if (r.difference.pairs > 0)
        max_abs = std::max({max_abs, std::abs(r.difference.p05), std::abs(r.difference.p95)});
    }
    DisplayScale scale = display_scale(variable, max_abs);
    if (scale.factor == 100.0) scale.label = "difference, percentage points";
    else scale.label = "difference, " + scale.label;
    const std::string stem = variable + "_difference";
    std::ofstream data(out.staging() / (stem + ".dat"));
    data << "# month median p05 p95 mean of scenario - " << c.baseline << ", in " << scale.label << '\n';
    std::vector<std::string> items;
    const std::string file = gnuplot_quote(stem + ".dat");
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
      data << "# " << scenarios[k] << '\n';
      bool spread = false;
      for (const ComparisonRow& r : c.rows) {
        if (r.series != variable || r.scenario != scenarios[k] || r.difference.pairs == 0) continue;
        const PairedDifference& d = r.difference;
        spread = spread || d.p95 - d.p05 > 1e-12 * std::max(1.0, std::abs(d.median));
        data << r.month << ' ' << number(scale.factor * d.median) << ' ' << number(scale.factor * d.p05) << ' '
             << number(scale.factor * d.p95) << ' ' << number(scale.factor * d.mean) << '\n';
      }
      data << "\n\n";
      const std::string colour = scenario_colour(plan.scenario_order, scenarios[k]);
      if (spread && scenarios.size() <= 2)
        items.push_back(fmt::format("{} index {} using 1:3:4 with filledcurves {} title {}", file, k, fill(0.25, colour),
                                    gnuplot_quote(scenarios[k] + ": 5-95% of member differences")));
      items.push_back(fmt::format("{} index {} using 1:2 with lines lw 2 lc rgb '{}' title {}", file, k, colour,
                                  gnuplot_quote(scenarios[k] + (spread ? " (median difference)" : ""))));
    }
    data.close();
    const std::vector<std::string>& who = scenarios;
    std::string script = fmt::format(
        "set datafile separator whitespace\nset xdata time\nset timefmt '%Y-%m'\nset format x '%Y'\n"
        "set grid\nset key below horizontal maxrows 3\nset title {} noenhanced\nset ylabel {}\n"
        "set xzeroaxis lt -1 lw 1\n",
        gnuplot_quote(scenarios.size() == 1
                          ? plot_title(std::string(series_long_name(variable)) + ": " + scenarios[0] + " − " + c.baseline,
                                       "", {}, plan.region)
                          : plot_title(std::string(series_long_name(variable)) + ": scenario − " + c.baseline, "", who,
                                       plan.region)),
        gnuplot_quote(scale.label));
    std::ofstream(out.staging() / (stem + ".gp")) << script + draw_to_png_and_svg(stem, items);
    run_gnuplot(out.staging(), stem);
    images.push_back((out.target() / (stem + ".png")).string());
    images.push_back((out.target() / (stem + ".svg")).string());
  }
  return images;
}

}  // namespace

std::vector<std::string> make_plots(const PlotRequest& request) {
  PreparedPlots prepared;
  prepared.request = request;
  prepared.plan = plan_plots(request, prepared.diagnostics);
  if (!prepared.plan)
    throw std::invalid_argument("make_plots: a request validate_plot_request rejects:\n" +
                                prepared.diagnostics.format());
  return make_plots(prepared);
}

std::vector<std::string> make_plots(const PreparedPlots& prepared) {
  if (!prepared.plan)
    throw std::invalid_argument("make_plots: a request prepare_plots rejects:\n" + prepared.diagnostics.format());
  const PlotRequest& request = prepared.request;
  const PlotPlan* plan = prepared.plan.get();
  require_gnuplot();

  OutputDir out(plot_folder(request), /*adds_files=*/true);
  if (plan->difference) {
    std::vector<std::string> images = difference_plots(*plan, out);
    out.commit_files();
    return images;
  }
  std::vector<std::string> images;
  for (const auto& [rows, what, stem] : {std::tuple{&plan->targets, "Calibration targets against the model", "targets"},
                                         std::tuple{&plan->published, "Published figures against the model", "published"}}) {
    if (rows->empty()) continue;
    std::ofstream(out.staging() / (std::string(stem) + ".gp")) << figures_script(*plan, *rows, what, stem, out.staging());
    run_gnuplot(out.staging(), stem);
    images.push_back((out.target() / (std::string(stem) + ".png")).string());
    images.push_back((out.target() / (std::string(stem) + ".svg")).string());
  }
  for (const auto& [variable, plot_sectors] : plan->plots) {
    for (const std::string& sector : plot_sectors) {
      const PlotData d = gather(*plan, variable, sector);
      const std::string stem = (sector.empty() ? variable : variable + "_" + sector) + (request.annual ? "_annual" : "");
      const std::string script = request.annual ? annual_script(*plan, d, variable, sector, stem, out.staging())
                                                : monthly_script(*plan, d, variable, sector, stem, out.staging());
      std::ofstream(out.staging() / (stem + ".gp")) << script;
      run_gnuplot(out.staging(), stem);
      images.push_back((out.target() / (stem + ".png")).string());
      images.push_back((out.target() / (stem + ".svg")).string());
    }
  }
  out.commit_files();
  return images;
}

}  // namespace mfgsim
