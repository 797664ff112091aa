// mfgsim report DIR: one self-contained HTML page per result folder (a run
// or a batch), for people who hand results on: the headline table, the
// plots as inline SVG (sim/analysis/plot.h), the comparison of a batch's
// scenarios (sim/analysis/compare.h) with its difference charts, the
// calibration targets against the model, a backtest against published
// figures (sim/analysis/backtest.h) when they are given, and the provenance
// from manifest.json (program version, command, seed, members, every input
// file's SHA-256). No script, no external file or font: it reads offline and
// prints (a print style sheet keeps plots whole on a page).
#pragma once

#include <string>

#include "sim/core/diagnostics.h"

namespace mfgsim {

struct ReportRequest {
  std::string results_dir;   // a `mfgsim run` or `mfgsim batch` folder (summary.csv, manifest.json)
  std::string out;           // the HTML file; empty: <results_dir>/report.html
  std::string observed_csv;  // published figures: points on the plots and a backtest table; empty: none
};

// Checks the request before anything is written: the folder's summary.csv
// and manifest.json read, the observed figures read, the output is a file
// that is not an input (validate_output_target, Kind::file). One diagnostic
// per problem, as plot and compare report theirs.
Diagnostics validate_report_request(const ReportRequest& request);

// Writes the report (all-or-nothing: write_file_atomically) and returns its
// path. The request must be valid; one that is not throws
// std::invalid_argument. Throws std::runtime_error if gnuplot fails.
std::string make_report(const ReportRequest& request);

// `text` with &, <, >, " and ' escaped for HTML.
std::string html_escape(const std::string& text);

}  // namespace mfgsim
