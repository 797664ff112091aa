#include "sim/analysis/report.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>

#include "sim/analysis/backtest.h"
#include "sim/analysis/calibration.h"
#include "sim/analysis/compare.h"
#include "sim/analysis/plot.h"
#include "sim/core/calendar.h"
#include "sim/engine/series.h"
#include "sim/io/csv.h"
#include "sim/io/output_dir.h"
#include "sim/output/headline.h"
#include "sim/output/summary_file.h"
#include "sim/scenario/observations.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {

namespace fs = std::filesystem;

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

fs::path report_path(const ReportRequest& request) {
  return request.out.empty() ? fs::path(request.results_dir) / "report.html" : fs::path(request.out);
}

// A private folder for the plots while the page is made; removed after.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (fs::temp_directory_path() / "mfgsim-report-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary folder in " + fs::temp_directory_path().string());
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_or_empty(const fs::path& path) {
  std::string text;
  if (!read_text_file(path.string(), &text)) return {};
  return text;
}

// What the folder holds, read once.
struct Folder {
  nlohmann::json manifest;
  std::shared_ptr<const std::vector<SummaryRecord>> summary;  // shared with the plots drawn
  std::vector<std::string> scenarios;        // summary.csv order
  std::vector<std::string> lines;            // scenario files (not sweep samples)
  std::optional<Scenario> scenario;          // the first scenario file that still loads
  std::vector<Observation> observed;
};

std::optional<Folder> read_folder(const ReportRequest& request, Diagnostics& diagnostics) {
  const fs::path dir(request.results_dir);
  Folder f;
  auto summary = read_summary_csv((dir / "summary.csv").string(), diagnostics);
  const std::string manifest_path = (dir / "manifest.json").string();
  std::string text;
  if (!read_text_file(manifest_path, &text)) {
    diagnostics.error(SourceLocation{manifest_path}, "cannot read the folder's manifest (is it a `mfgsim run` or `mfgsim batch` folder?)");
  } else {
    f.manifest = nlohmann::json::parse(text, nullptr, false);
    if (!f.manifest.is_object() || f.manifest.value("program", "") != "mfgsim")
      diagnostics.error(SourceLocation{manifest_path}, "not a manifest written by mfgsim");
  }
  if (!request.observed_csv.empty()) {
    auto observed = read_observations(request.observed_csv, diagnostics);
    if (observed) f.observed = modelled_only(*observed, "compared", diagnostics);
  }
  if (!summary || !diagnostics.ok()) return std::nullopt;
  f.summary = std::make_shared<const std::vector<SummaryRecord>>(std::move(*summary));
  check_figure_sectors(f.observed, *f.summary, (dir / "summary.csv").string(), diagnostics);
  if (!diagnostics.ok()) return std::nullopt;
  std::set<std::string> seen;
  for (const SummaryRecord& r : *f.summary)
    if (seen.insert(r.scenario).second) f.scenarios.push_back(r.scenario);
  // Sweep samples are named in the manifest's scenarios (with a sweep);
  // the page shows scenario files and leaves samples to the comparison.
  std::set<std::string> samples;
  if (f.manifest.contains("scenarios") && f.manifest["scenarios"].is_array())
    for (const auto& s : f.manifest["scenarios"])
      if (s.is_object() && !s.value("sweep", std::string()).empty()) samples.insert(s.value("name", std::string()));
  for (const std::string& s : f.scenarios)
    if (!samples.count(s)) f.lines.push_back(s);
  f.scenario = result_scenario(dir).scenario;
  return f;
}

// Records by (scenario, variable, sector, month).
using RecordIndex = std::map<std::tuple<std::string, std::string, std::string, std::string>, const SummaryRecord*>;
RecordIndex index_records(const std::vector<SummaryRecord>& records) {
  RecordIndex index;
  for (const SummaryRecord& r : records) index[{r.scenario, r.variable, r.sector, r.month}] = &r;
  return index;
}

std::string percent(double ratio) { return std::isnan(ratio) ? "—" : fmt::format("{:.2f}", 100.0 * ratio); }

// The months of the headline table: the scenario's (sim/output/headline.h)
// when it loads, else every December from the second year and the last month.
std::vector<std::string> headline_month_labels(const Folder& f) {
  std::vector<std::string> months;
  if (f.scenario) {
    for (int t : headline_months(*f.scenario)) months.push_back(format_year_month(f.scenario->calendar.at(t)));
    return months;
  }
  std::set<std::string> all;
  for (const SummaryRecord& r : *f.summary) all.insert(r.month);
  if (all.empty()) return months;
  for (const std::string& m : all)
    if (m.ends_with("-12") && m > *all.begin() && months.size() < 5) months.push_back(m);
  if (months.empty() || months.back() != *all.rbegin()) months.push_back(*all.rbegin());
  return months;
}

std::string headline_section(const Folder& f, const RecordIndex& index) {
  std::vector<std::pair<std::string, std::string>> rows;  // variable, sector
  for (const char* v : {"manufacturing_va_ytd_yoy", "industry_va_ytd_yoy"}) rows.emplace_back(v, "");
  const std::vector<std::string> sectors = f.scenario ? headline_sectors(f.scenario->params) : std::vector<std::string>{};
  for (const std::string& s : sectors) rows.emplace_back("va_ytd_yoy", s);
  for (const char* v : {"long_term_loans_yoy", "long_term_share", "recycling_ratio", "adoption"}) rows.emplace_back(v, "");
  const std::vector<std::string> months = headline_month_labels(f);
  std::string html = "<section><h2>Headline figures</h2>\n<p>Median [5%, 95%] over the members, in percent.</p>\n";
  for (const std::string& scenario : f.lines) {
    std::string body;
    for (const auto& [variable, sector] : rows) {
      std::string cells;
      bool any = false;
      for (const std::string& month : months) {
        const auto it = index.find({scenario, variable, sector, month});
        if (it == index.end() || !it->second->defined) {
          cells += "<td>—</td>";
          continue;
        }
        any = true;
        const auto& q = it->second->quantiles;
        cells += fmt::format("<td>{} <span class=\"band\">[{}, {}]</span></td>", percent(q[2]), percent(q[0]), percent(q[4]));
      }
      if (!any) continue;
      std::string name(series_long_name(variable));
      if (!sector.empty()) name += " — " + sector;
      body += "<tr><th>" + html_escape(name) + "</th>" + cells + "</tr>\n";
    }
    if (body.empty()) continue;
    html += "<h3>" + html_escape(scenario) + "</h3>\n<table><thead><tr><th></th>";
    for (const std::string& m : months) html += "<th>" + m + "</th>";
    html += "</tr></thead><tbody>\n" + body + "</tbody></table>\n";
  }
  return html + "</section>\n";
}

// An SVG file's <svg> element, to be placed in the page.
std::string inline_svg(const fs::path& path) {
  const std::string text = read_or_empty(path);
  const std::size_t at = text.find("<svg");
  return at == std::string::npos ? std::string() : text.substr(at);
}

// The SVGs among `images`, each in a figure: those whose file stem is in
// `stems` (all when `stems` is empty), leaving out those in `except`.
std::string figures(const std::vector<std::string>& images, const std::set<std::string>& stems = {},
                    const std::set<std::string>& except = {}, const std::string& css_class = "plot") {
  std::string html;
  for (const std::string& image : images) {
    const std::string stem = fs::path(image).stem().string();
    if (!image.ends_with(".svg") || (!stems.empty() && !stems.count(stem)) || except.count(stem)) continue;
    html += "<figure class=\"" + css_class + "\">" + inline_svg(image) + "<figcaption>" +
            html_escape(fs::path(image).stem().string()) + "</figcaption></figure>\n";
  }
  return html;
}

std::string comparison_section(const CompareRequest& request) {
  const Comparison c = compare_batch(request);
  std::string html = "<section><h2>Scenarios compared</h2>\n<p>Paired differences scenario − " + html_escape(c.baseline) +
                     ", member by member (common random numbers): median [5%, 95%] of the differences, in percentage "
                     "points for growth rates and shares, else in the series' unit; P(better) is the share of members "
                     "where the scenario beats the baseline.</p>\n";
  for (const std::string& note : c.notes) html += "<p class=\"note\">" + html_escape(note) + "</p>\n";
  html += "<table><thead><tr><th>series</th><th>month</th><th>scenario</th><th>median [5%, 95%]</th><th>P(better)</th>"
          "</tr></thead><tbody>\n";
  for (const ComparisonRow& r : c.rows) {
    if (r.difference.pairs == 0) continue;
    const double k = r.unit == "1" ? 100.0 : 1.0;
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.4g} <span class=\"band\">[{:.4g}, {:.4g}]</span></td>"
                        "<td>{:.2f}</td></tr>\n",
                        html_escape(std::string(series_long_name(r.series))), r.month, html_escape(r.scenario),
                        k * r.difference.median, k * r.difference.p05, k * r.difference.p95, r.difference.p_better);
  }
  return html + "</tbody></table></section>\n";
}

// The calibration targets of the folder's scenario against the model's
// medians: the figures the model was fitted to, with their tolerance.
std::string calibration_section(const Folder& f, const RecordIndex& index, const std::string& chart) {
  if (!f.scenario || !f.scenario->calibration || f.scenario->calibration->targets.empty() || f.lines.empty()) return {};
  Diagnostics ignored;
  const auto targets = read_observations(f.scenario->calibration->targets, ignored);
  if (!targets) return {};
  const std::string& scenario = f.lines.front();
  std::string body;
  for (const Observation& o : *targets) {
    const auto it = index.find({scenario, o.variable, o.sector, o.month});
    if (it == index.end() || !it->second->defined) continue;
    const double tolerance = tolerance_points_of(o.variable);
    const double miss = 100.0 * (it->second->quantiles[2] - o.value);
    const bool within = within_tolerance(miss, tolerance);
    body += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:+.2f}</td><td>±{}</td>"
                        "<td class=\"{}\">{}</td><td class=\"source\">{}</td></tr>\n",
                        html_escape(o.id), html_escape(std::string(series_long_name(o.variable)) +
                                                       (o.sector.empty() ? "" : " — " + o.sector)),
                        o.month, percent(o.value), percent(it->second->quantiles[2]), miss, tolerance,
                        within ? "ok" : "miss", within ? "within" : "outside",
                        html_escape(o.source));
  }
  if (body.empty()) return {};
  return "<section><h2>Calibration targets</h2>\n<p>" + html_escape(scenario) +
         ": the published figures the scenario was calibrated to (" + html_escape(f.scenario->calibration->targets) +
         ") against the model's median, in percent; miss in percentage points, tolerance as `mfgsim calibrate` "
         "applies it.</p>\n<table><thead><tr><th>target</th><th>series</th><th>month</th><th>published</th>"
         "<th>model median</th><th>miss</th><th>tolerance</th><th></th><th>source</th></tr></thead><tbody>\n" +
         body + "</tbody></table>\n" + chart + "</section>\n";
}

std::string backtest_section(const Folder& f, const std::string& chart) {
  if (f.observed.empty()) return {};
  const BacktestReport report = backtest(*f.summary, f.observed, nullptr);
  if (report.rows.empty()) return {};
  std::string html = "<section><h2>Against published figures</h2>\n<p>Each published figure inside the run against the "
                     "ensemble's median and 90% band, in percent; miss in percentage points.</p>\n<table><thead><tr>"
                     "<th>scenario</th><th>figures</th><th>MAE</th><th>RMSE</th><th>90% band coverage</th></tr></thead>"
                     "<tbody>\n";
  for (const BacktestScores& s : report.scores) {
    if (std::find(f.lines.begin(), f.lines.end(), s.scenario) == f.lines.end()) continue;
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.2f}</td><td>{:.2f}</td><td>{:.0f}%</td></tr>\n",
                        html_escape(s.scenario), s.figures, s.mae_points, s.rmse_points, 100.0 * s.coverage);
  }
  html += "</tbody></table>\n<table><thead><tr><th>scenario</th><th>series</th><th>month</th><th>published</th><th>median "
          "[5%, 95%]</th><th>miss</th></tr></thead><tbody>\n";
  for (const BacktestRow& r : report.rows) {
    if (std::find(f.lines.begin(), f.lines.end(), r.scenario) == f.lines.end()) continue;
    const Observation& o = r.observation;
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} <span class=\"band\">[{}, {}]</span></td>"
                        "<td class=\"{}\">{:+.2f}</td></tr>\n",
                        html_escape(r.scenario),
                        html_escape(std::string(series_long_name(o.variable)) + (o.sector.empty() ? "" : " — " + o.sector)),
                        o.month, percent(o.value), percent(r.median), percent(r.p05), percent(r.p95),
                        r.covered ? "ok" : "miss", r.miss_points);
  }
  return html + "</tbody></table>\n" + chart + "</section>\n";
}

std::string provenance_section(const Folder& f) {
  const nlohmann::json& m = f.manifest;
  std::string html = "<section class=\"provenance\"><h2>Provenance</h2>\n<table><tbody>\n";
  auto row = [&](const std::string& key, const std::string& value) {
    html += "<tr><th>" + html_escape(key) + "</th><td>" + html_escape(value) + "</td></tr>\n";
  };
  auto text = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  // (origin and figures_used: a forecast's; found missing by a new user's trial)
  for (const char* key : {"version", "command", "batch", "batch_file", "origin", "figures_used", "seed", "members",
                          "quantiles", "outputs", "failed_members"})
    if (m.contains(key)) row(key, text(m[key]));
  // run, forecast and sensitivity write these at the top; batch and merge
  // under "execution".
  for (const char* key : {"started_utc", "threads", "wall_seconds"}) {
    if (m.contains(key)) row(key, text(m[key]));
    else if (m.contains("execution") && m["execution"].is_object() && m["execution"].contains(key))
      row(key, text(m["execution"][key]));
  }
  for (const char* list : {"scenario_files", "data_files", "observed_files"})
    if (m.contains(list) && m[list].is_array())
      for (const auto& file : m[list])
        if (file.is_object()) row(file.value("path", std::string()), "sha256 " + file.value("sha256", std::string()));
  return html + "</tbody></table></section>\n";
}

const char* kStyle = R"(
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .25em .5em; text-align: right; }
td { white-space: nowrap; } td.source { white-space: normal; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f2f2f2; }
.band { color: #666; font-size: .85em; display: block; }
.miss { color: #b00; } .ok { color: #070; } .note { color: #a60; } .source { text-align: left; font-size: .85em; }
figure { margin: 1em 0; } figure svg { width: 100%; height: auto; } figcaption { font-size: .8em; color: #666; }
.provenance td { font-family: monospace; text-align: left; word-break: break-all; }
@media print { body { max-width: none; margin: 0; } figure, table { break-inside: avoid; } h2 { break-after: avoid; } }
)";

}  // namespace

Diagnostics validate_report_request(const ReportRequest& request) {
  Diagnostics diagnostics;
  std::vector<fs::path> inputs = result_folder_inputs(request.results_dir);
  if (!request.observed_csv.empty()) inputs.emplace_back(request.observed_csv);
  const ResultScenario made_by = result_scenario(request.results_dir);
  inputs.insert(inputs.end(), made_by.read.begin(), made_by.read.end());
  diagnostics.append(made_by.warnings);
  diagnostics.append(validate_output_target(
      {report_path(request), OutputTarget::Kind::file, kReportMarker, "report"}, inputs));
  if (!diagnostics.ok()) return diagnostics;
  read_folder(request, diagnostics);
  return diagnostics;
}

std::string make_report(const ReportRequest& request) {
  Diagnostics diagnostics;
  const std::optional<Folder> folder = read_folder(request, diagnostics);
  if (!folder) throw std::invalid_argument("make_report: a request validate_report_request rejects:\n" + diagnostics.format());
  const Folder& f = *folder;
  const RecordIndex index = index_records(*f.summary);
  ScratchFolder scratch;

  // Plots: the fan charts (or scenario lines) of the headline series, the
  // calendar-year view, and a batch's difference charts.
  PlotRequest plots;
  plots.results_dir = request.results_dir;
  plots.observed_csv = request.observed_csv;
  plots.out_dir = (scratch.path() / "monthly").string();
  plots.summary = f.summary;  // read once for every plot
  const std::vector<std::string> monthly = make_plots(plots);
  PlotRequest annual = plots;
  annual.annual = true;
  annual.series = {"manufacturing_va_ytd_yoy"};
  annual.out_dir = (scratch.path() / "annual").string();
  std::vector<std::string> annual_images;
  if (const PreparedPlots prepared = prepare_plots(annual); prepared.plan) annual_images = make_plots(prepared);
  std::string comparison;
  std::vector<std::string> difference_images;
  if (f.lines.size() > 1) {
    PlotRequest difference;
    difference.results_dir = request.results_dir;
    difference.difference = true;
    difference.out_dir = (scratch.path() / "difference").string();
    difference.summary = f.summary;
    if (const PreparedPlots prepared = prepare_plots(difference); prepared.plan) {
      difference_images = make_plots(prepared);
      CompareRequest compare;
      compare.results_dirs = {request.results_dir};
      compare.scenarios = f.lines;
      comparison = comparison_section(compare);
    }
  }

  std::string who;
  for (const std::string& s : f.lines) who += (who.empty() ? "" : ", ") + s;
  const std::string region = f.scenario ? f.scenario->region : std::string();
  const std::string title = "mfgsim report: " + who + (region.empty() ? "" : " · " + region);
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title) +
                     "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" + html_escape(title) + "</h1>\n";
  if (f.scenario && !f.scenario->description.empty()) html += "<p>" + html_escape(f.scenario->description) + "</p>\n";
  html += fmt::format("<p>From <code>{}</code>: {} scenario(s) drawn, {} in the folder.</p>\n",
                      html_escape(request.results_dir), f.lines.size(), f.scenarios.size());
  html += headline_section(f, index);
  html += "<section><h2>Forecasts</h2>\n" + figures(monthly, {}, {"targets", "published"}) + figures(annual_images) +
          "</section>\n";
  if (!comparison.empty()) html += comparison + "<section><h2>Differences over time</h2>\n" + figures(difference_images) + "</section>\n";
  html += calibration_section(f, index, figures(monthly, {"targets"}));
  html += backtest_section(f, figures(monthly, {"published"}));
  html += provenance_section(f);
  html += "</body>\n</html>\n";
  const fs::path out = report_path(request);
  write_file_atomically(out, html);
  record_written_file(out);
  return out.string();
}

}  // namespace mfgsim
