#include "sim/analysis/plot.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "sim/io/csv.h"
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

// The headline sectors (sim/output/headline.h) of the scenario that made
// the results: the first scenario file of the folder's manifest.json that
// still loads. Empty when none does (then every sector is plotted).
std::vector<std::string> manifest_sectors(const fs::path& dir) {
  std::string text;
  if (!read_text_file((dir / "manifest.json").string(), &text)) return {};
  const nlohmann::json manifest = nlohmann::json::parse(text, nullptr, false);
  if (!manifest.is_object() || !manifest.contains("scenario_files") || !manifest["scenario_files"].is_array()) return {};
  for (const nlohmann::json& file : manifest["scenario_files"]) {
    if (!file.is_object() || !file.contains("path") || !file["path"].is_string()) continue;
    const ScenarioLoad load = load_scenario(file["path"].get<std::string>());
    if (load.scenario) return headline_sectors(load.scenario->params);
  }
  return {};
}

bool is_ratio(const std::string& variable) {
  static const std::set<std::string> ratios = {"utilisation", "adoption", "upgrade_share", "long_term_share",
                                               "recycling_ratio", "price", "demand_pressure"};
  return variable.ends_with("_yoy") || ratios.count(variable) > 0;
}

std::string axis_label(const std::string& variable) {
  if (variable.ends_with("_ytd_yoy")) return "year-to-date growth, year on year (%)";
  if (variable.ends_with("_yoy")) return "growth, year on year (%)";
  if (is_ratio(variable)) return "share (%)";
  for (int s = 0; s < kSectorSeriesCount; ++s)
    if (series_name(static_cast<SectorSeries>(s)) == variable) return std::string(series_unit(static_cast<SectorSeries>(s)));
  for (int a = 0; a < kAggregateSeriesCount; ++a)
    if (series_name(static_cast<AggregateSeries>(a)) == variable) return std::string(series_unit(static_cast<AggregateSeries>(a)));
  return variable;
}


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

// What a request draws, read and checked before anything is written.
struct PlotPlan {
  std::vector<SummaryRecord> records;
  std::vector<Observation> observed;
  // (variable, sector) -> scenario -> records in file order (months ascending).
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<const SummaryRecord*>>> groups;
  std::vector<std::string> lines;                                          // scenarios drawn as median lines
  std::vector<std::pair<std::string, std::vector<std::string>>> sweeps;    // sweep -> its samples, drawn as bands
  std::vector<std::pair<std::string, std::vector<std::string>>> plots;     // variable -> its sectors ("": aggregate)
};

// Reads the folder's files and resolves the request; each problem is a
// diagnostic (nullptr then). The plan points into its own records: it is
// kept where it is made.
std::unique_ptr<PlotPlan> plan_plots(const PlotRequest& request, Diagnostics& diagnostics) {
  const fs::path dir(request.results_dir);
  auto plan = std::make_unique<PlotPlan>();
  auto records = read_summary_csv((dir / "summary.csv").string(), diagnostics);
  if (!records) return nullptr;
  plan->records = std::move(*records);
  if (!request.observed_csv.empty()) {
    auto obs = read_observations(request.observed_csv, diagnostics);
    if (!obs) return nullptr;
    plan->observed = std::move(*obs);
  }
  auto& groups = plan->groups;
  std::vector<std::string> scenario_order;
  std::set<std::string> seen;
  for (const SummaryRecord& r : plan->records) {
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
  const std::vector<std::string> series = request.series.empty() ? default_plot_series() : request.series;
  std::vector<std::string> sectors = request.sectors.empty() ? manifest_sectors(dir) : request.sectors;
  if (sectors.empty())
    for (const auto& [key, by_scenario] : groups)
      if (!key.second.empty() && std::find(sectors.begin(), sectors.end(), key.second) == sectors.end())
        sectors.push_back(key.second);
  for (const std::string& variable : series) {
    if (!is_known_series(variable)) {
      diagnostics.error(kCommandLine, "--series: unknown series '" + variable + "'");
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
      if (!request.series.empty())
        diagnostics.error(kCommandLine, "--series: '" + variable + "' is not in " + (dir / "summary.csv").string() +
                                            " (was it left out by `outputs`?)");
      continue;
    }
    plan->plots.emplace_back(variable, std::move(plot_sectors));
  }
  if (!diagnostics.ok()) return nullptr;
  return plan;
}

}  // namespace

static fs::path plot_folder(const PlotRequest& request) {
  return request.out_dir.empty() ? fs::path(request.results_dir) / "plots" : fs::path(request.out_dir);
}

Diagnostics validate_plot_request(const PlotRequest& request) {
  Diagnostics diagnostics;
  std::vector<fs::path> inputs = result_folder_inputs(request.results_dir);
  if (!request.observed_csv.empty()) inputs.emplace_back(request.observed_csv);
  diagnostics.append(validate_output_target({plot_folder(request), OutputTarget::Kind::files}, inputs));
  if (!diagnostics.ok()) return diagnostics;
  plan_plots(request, diagnostics);
  return diagnostics;
}

std::vector<std::string> make_plots(const PlotRequest& request) {
  Diagnostics diagnostics;
  const std::unique_ptr<PlotPlan> plan = plan_plots(request, diagnostics);
  if (!plan) throw std::invalid_argument("make_plots: a request validate_plot_request rejects:\n" + diagnostics.format());
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0)
    throw std::runtime_error("gnuplot is not installed (Debian package gnuplot-nox; scripts/setup.sh installs it)");
  const auto& groups = plan->groups;
  const std::vector<std::string>& lines = plan->lines;
  const auto& sweeps = plan->sweeps;
  const std::vector<Observation>& observed = plan->observed;

  OutputDir out(plot_folder(request), /*adds_files=*/true);
  std::vector<std::string> images;
  for (const auto& [variable, plot_sectors] : plan->plots) {
    for (const std::string& sector : plot_sectors) {
      const auto& by_scenario = groups.at({variable, sector});
      const std::string stem = sector.empty() ? variable : variable + "_" + sector;
      const double scale = is_ratio(variable) ? 100.0 : 1.0;
      // Data: one block per scenario (month mean p05 p25 p50 p75 p95).
      std::ofstream data(out.staging() / (stem + ".dat"));
      std::vector<std::string> scenarios;
      for (const std::string& name : lines) {
        auto it = by_scenario.find(name);
        if (it == by_scenario.end()) continue;
        scenarios.push_back(name);
        data << "# " << name << '\n';
        for (const SummaryRecord* r : it->second) {
          if (!r->defined) continue;
          data << r->month << ' ' << fmt::format("{}", scale * r->mean);
          for (double q : r->quantiles) data << ' ' << fmt::format("{}", scale * q);
          data << '\n';
        }
        data << "\n\n";
      }
      // Sweeps: per month, the range of the samples' medians.
      std::vector<std::pair<std::string, std::size_t>> bands;  // title, data index
      for (const auto& [sweep, samples] : sweeps) {
        std::map<std::string, std::pair<double, double>> range;
        for (const std::string& name : samples) {
          auto it = by_scenario.find(name);
          if (it == by_scenario.end()) continue;
          for (const SummaryRecord* r : it->second) {
            if (!r->defined) continue;
            auto [entry, inserted] = range.try_emplace(r->month, r->quantiles[2], r->quantiles[2]);
            entry->second.first = std::min(entry->second.first, r->quantiles[2]);
            entry->second.second = std::max(entry->second.second, r->quantiles[2]);
          }
        }
        if (range.empty()) continue;
        data << "# " << sweep << ": range of the samples' medians\n";
        for (const auto& [month, minmax] : range)
          data << month << ' ' << fmt::format("{} {}", scale * minmax.first, scale * minmax.second) << '\n';
        data << "\n\n";
        bands.emplace_back(sweep + ": range of " + std::to_string(samples.size()) + " samples' medians",
                           scenarios.size() + bands.size());
      }
      std::string observed_rows;
      for (const Observation& o : observed)
        if (o.variable == variable && o.sector == sector) observed_rows += o.month + ' ' + fmt::format("{}", scale * o.value) + '\n';
      const bool has_observed = !observed_rows.empty();
      if (has_observed) std::ofstream(out.staging() / (stem + ".observed.dat")) << observed_rows;
      const std::string title = sector.empty() ? variable : variable + " — " + sector;
      // The x range is the run's months; published figures outside it are not drawn.
      std::string first_month = "9999-12", last_month = "0000-01";
      for (const auto& entry : by_scenario)
        for (const SummaryRecord* r : entry.second) {
          first_month = std::min(first_month, r->month);
          last_month = std::max(last_month, r->month);
        }
      std::string script = fmt::format(
          "set datafile separator whitespace\nset xdata time\nset timefmt '%Y-%m'\nset format x '%Y'\n"
          "set grid\nset key top left\nset title {} noenhanced\nset ylabel {}\nset xrange [{}:{}]\n",
          gnuplot_quote(title), gnuplot_quote(axis_label(variable)), gnuplot_quote(first_month), gnuplot_quote(last_month));
      // Several lines: the key goes below the plot, off the data.
      if (scenarios.size() > 1 || !bands.empty()) script += "set key below maxrows 3\n";
      std::vector<std::string> items;
      const std::string data_file = gnuplot_quote(stem + ".dat");
      for (const auto& [band_title, index] : bands)
        items.push_back(fmt::format("{} index {} using 1:2:3 with filledcurves fs transparent solid 0.35 "
                                    "lc rgb '#969696' title {}",
                                    data_file, index, gnuplot_quote(band_title)));
      if (scenarios.size() == 1 && bands.empty()) {
        items.push_back(fmt::format(
            "{0} index 0 using 1:3:7 with filledcurves lc rgb '#c6dbef' title '90% band', "
            "{0} index 0 using 1:4:6 with filledcurves lc rgb '#6baed6' title '50% band', "
            "{0} index 0 using 1:5 with lines lw 2 lc rgb '#08306b' title 'median'",
            data_file));
      } else {
        for (std::size_t k = 0; k < scenarios.size(); ++k)
          items.push_back(fmt::format("{} index {} using 1:5 with lines lw 2 title {}", data_file, k,
                                      gnuplot_quote(scenarios[k] + " (median)")));
      }
      if (has_observed)
        items.push_back(fmt::format("{} using 1:2 with points pt 7 ps 1.2 lc rgb '#d62728' title 'published'",
                                    gnuplot_quote(stem + ".observed.dat")));
      std::string plot = "plot ";
      for (std::size_t k = 0; k < items.size(); ++k) plot += (k ? ", " : "") + items[k];
      script += fmt::format("set terminal pngcairo noenhanced size 1000,560 font 'sans,10'\nset output {}\n{}\n",
                            gnuplot_quote(stem + ".png"), plot);
      script += fmt::format("set terminal svg noenhanced size 1000,560 dynamic font 'sans,10'\nset output {}\n{}\n",
                            gnuplot_quote(stem + ".svg"), plot);
      std::ofstream(out.staging() / (stem + ".gp")) << script;
      data.close();
      const std::string command = "cd " + gnuplot_quote(out.staging().string()) + " && gnuplot " + gnuplot_quote(stem + ".gp") +
                                  " > " + gnuplot_quote(stem + ".log") + " 2>&1";
      if (std::system(command.c_str()) != 0) {
        std::ifstream log(out.staging() / (stem + ".log"));
        std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
        throw std::runtime_error("gnuplot failed on " + stem + ".gp:\n" + text);
      }
      fs::remove(out.staging() / (stem + ".log"));
      images.push_back((out.target() / (stem + ".png")).string());
      images.push_back((out.target() / (stem + ".svg")).string());
    }
  }
  out.commit_files();
  return images;
}

}  // namespace mfgsim
