// Plots of a results folder with gnuplot (PNG and SVG): fan charts (median
// with 50% and 90% bands) of one scenario, median lines of several scenarios
// compared (each with its 90% band when there are two), and published
// figures drawn as points where they exist. Titles give the series' long
// name, the scenario and the region; values are scaled to readable units
// (Mt, ¥bn, %); the legend sits below the plot, off the data; each scenario
// keeps one colour in every plot of a folder. Each plot's gnuplot script and
// data file are kept beside it, to be edited.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/diagnostics.h"
#include "sim/output/summary_file.h"
#include "sim/scenario/observations.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {

// The scenario that made a result folder, for `plot` and `report` (its
// headline sectors, region and calibration targets): the last of
// manifest.json's `scenario_files` (the scenario itself; the files before it
// are its `extends` chain), loaded from the path the manifest records, and
// used only when every file of `scenario_files` and `data_files` still has
// the SHA-256 the manifest recorded. A file that is missing or has changed
// since the run (another working folder, an edited scenario) leaves
// `scenario` empty and gives a warning naming it, so the folder is never
// shown with another scenario's targets. `read` lists every file looked at
// and, when the scenario loads, every file it reads (its data tables and
// calibration targets): inputs that an --out must not replace
// (validate_output_target). A folder without a manifest or without
// `scenario_files` (a batch) gives none, without a warning.
struct ResultScenario {
  std::optional<Scenario> scenario;
  std::vector<std::filesystem::path> read;
  Diagnostics warnings;  // warnings only
};
ResultScenario result_scenario(const std::filesystem::path& results_dir);

// Errors for figures of `figures` (published figures given with --observed)
// whose sector is not one of the folder's (the sectors of `records`, its
// summary.csv at `summary_path`), each at its sector field: such a figure
// can never be drawn or compared, as `mfgsim forecast` refuses it. Nothing
// when the summary holds no per-sector series.
void check_figure_sectors(const std::vector<Observation>& figures, const std::vector<SummaryRecord>& records,
                          const std::string& summary_path, Diagnostics& diagnostics);

struct PlotRequest {
  std::string results_dir;           // holds summary.csv
  // Where the plot files go; empty: <results_dir>/plots. Only the files
  // written are replaced; other files of the folder stay.
  std::string out_dir;
  std::vector<std::string> series;   // summary.csv variables; empty: the headline set
  // Sectors for per-sector series; empty: the headline sectors
  // (sim/output/headline.h) of the scenario named first in the folder's
  // manifest.json, or every sector when it does not load.
  std::vector<std::string> sectors;
  std::string observed_csv;          // published figures drawn as points; empty: none
  // Scenarios drawn (summary.csv names). Empty: all of them; but in a batch
  // folder whose scenarios.csv lists sweep samples, the scenario files as
  // median lines and each sweep as a light band spanning its samples' medians.
  std::vector<std::string> scenarios;
  // Calendar-year view instead of monthly: for growth series (`*_yoy`), the
  // December values (for `*_ytd_yoy`, the calendar year's growth over the
  // year before), median with 50% box and 90% whiskers per year; written as
  // <series>[_<sector>]_annual.*. Without --series, the headline growth
  // series; a series that is not a growth rate is an error.
  bool annual = false;
  // Difference charts instead: for each scenario drawn, scenario - baseline
  // member by member (members are paired: common random numbers), the
  // median and 5-95% band of the differences over time, read from
  // results.nc's member values (sim/analysis/compare.h). Files
  // <series>_difference.*; without --series, every aggregate with member
  // values. Not with `annual`.
  bool difference = false;
  std::string baseline;  // with `difference`: the scenario subtracted; "": `baseline`, else the first
  // summary.csv as the caller has already read it (`report`, which draws
  // several kinds of plot from one folder), so that it is read once; null:
  // read from results_dir.
  std::shared_ptr<const std::vector<SummaryRecord>> summary;
};

// How a series is shown: values times `factor`, the axis labelled `label`.
// Growth and shares in percent; money (stored in 100 million yuan) in ¥tn,
// ¥bn or ¥ million and tonnes in Mt or kt, the largest unit that keeps
// `max_abs` (the largest magnitude drawn, in the stored unit) at 1 or more.
struct DisplayScale {
  double factor = 1.0;
  std::string label;
};
DisplayScale display_scale(const std::string& variable, double max_abs);

// The colour (#rrggbb) of scenario `name` among a folder's `scenarios` (in
// summary.csv order): navy for the baseline (`baseline`, else the first),
// then a fixed palette in the folder's order, so that every plot of the
// folder draws a scenario in the same colour.
std::string scenario_colour(const std::vector<std::string>& scenarios, const std::string& name);

// Checks the request before anything is written: summary.csv (and the
// observed figures) read, and the scenarios, series and sectors it names
// are in them; the output folder is not (nor above) the working folder, the
// results folder or its files or the observed figures
// (validate_output_target, Kind::files). One diagnostic per problem: the files' own
// (file:line:col: error: ...) or "mfgsim: error: --series: ...".
Diagnostics validate_plot_request(const PlotRequest& request);

// A request checked and resolved against its files, each read once:
// validate_plot_request's diagnostics and, when they hold no error, what
// make_plots draws (so a command reads summary.csv, which may be hundreds of
// megabytes, once, not once to check and again to draw).
struct PlotPlan;  // the request resolved (plot.cpp)
struct PreparedPlots {
  PlotRequest request;
  Diagnostics diagnostics;
  std::shared_ptr<const PlotPlan> plan;  // null when `diagnostics` hold an error
};
PreparedPlots prepare_plots(const PlotRequest& request);
// Writes the prepared plots; returns the image paths. One whose diagnostics
// hold an error throws std::invalid_argument (a programmer error); otherwise
// as make_plots(request) below.
std::vector<std::string> make_plots(const PreparedPlots& prepared);

// Writes the plots; returns the image paths. The request must be valid
// (validate_plot_request); one that is not throws std::invalid_argument, a
// programmer error. Throws std::runtime_error if gnuplot is missing or
// fails; a failure leaves the output folder as it was.
std::vector<std::string> make_plots(const PlotRequest& request);

// A string as a gnuplot double-quoted literal (for titles and file names).
std::string gnuplot_quote(const std::string& s);

// Throws std::runtime_error naming the Debian package if gnuplot is not on
// the PATH; called before anything is written.
void require_gnuplot();

// The end of a gnuplot script: `plot items...` drawn to <stem>.png and
// <stem>.svg (1000 x `height` pixels, sans 10, no enhanced text).
std::string draw_to_png_and_svg(const std::string& stem, const std::vector<std::string>& items, int height = 600);
// Runs gnuplot on <folder>/<stem>.gp in `folder`; throws std::runtime_error
// with gnuplot's output if it fails.
void run_gnuplot(const std::filesystem::path& folder, const std::string& stem);

// The headline series plotted by default.
std::vector<std::string> default_plot_series();

}  // namespace mfgsim
