// Result files of a run: summary.csv, members.csv, manifest.json, and the
// headline table printed on stdout.
#pragma once

#include <chrono>
#include <optional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "sim/ensemble/ensemble.h"
#include "sim/io/output_dir.h"
#include "sim/output/results_layout.h"
#include "sim/output/run_options.h"

namespace mfgsim {

// summary.csv rows: scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95
// (mean_se: the standard error of the mean, CellSummary::mean_se, empty with
// one member);
// `unit` as UDUNITS-2 parses it (series_udunits: "1e8 month-1", "1" for ratios).
// Numbers are written in their shortest exact (round-trip) form; undefined
// values (ytd-yoy in the first year) are empty fields.
void write_summary_header(std::ostream& out);
void write_summary_rows(std::ostream& out, const std::string& scenario, const Calendar& calendar,
                        const SummaryTable& table, const std::vector<std::string>& sector_names,
                        const OutputSelection& selection);

// members.csv rows (long format): scenario,member,month,sector,variable,value.
void write_members_header(std::ostream& out);
void write_members_rows(std::ostream& out, const std::string& scenario, const SeriesStore& store,
                        const std::vector<std::string>& sector_names, const OutputSelection& selection);

// draws.csv: each member's drawn `uncertain:` values. Header `member` (a
// batch: `scenario,member`), then one column per path of `columns`; one row
// per member, a value empty where the scenario does not draw that path.
void write_draws_header(std::ostream& out, const std::vector<std::string>& columns, bool with_scenario);
void write_draws_rows(std::ostream& out, const std::string* scenario, const MemberDraws& draws,
                      const std::vector<std::string>& columns);

// A row of the headline table.
struct Headline {
  std::string label;
  std::string variable;  // summary.csv variable
  int sector = -1;       // -1: aggregate
};
// The headline growth figures of the Shanxi story for these sectors.
std::vector<Headline> headline_series(const std::vector<std::string>& sector_names, int equipment_sector);
// A readable table: mean ± its standard error [p05, p95] of each headline
// series at each month index, in percent (the ± tells a real difference of
// means from sampling noise; without it with one member).
std::string headline_table(const Calendar& calendar, const SummaryTable& table,
                           const std::vector<Headline>& rows, const std::vector<int>& months);

// failures.csv rows: scenario,member,month,sector,variable,value,message, one
// per member a numerical guard stopped (EnsembleResult::failures).
void write_failures_header(std::ostream& out);
void write_failures_rows(std::ostream& out, const std::string& scenario, const Calendar& calendar,
                         const std::vector<MemberFailure>& failures);

// Members stopped by a numerical guard are left out of the summaries; a run
// with no member left has no result. Throws RunError when every one of
// `members` failed; returns the warning for the user when some did
// (without the "mfgsim: " prefix; empty when none did). `failures_csv` is
// where they are listed.
std::string check_failed_members(const std::string& scenario, std::int64_t members,
                                 const std::vector<MemberFailure>& failures, const std::string& failures_csv);

struct PreparedRun {
  EnsembleRequest request;       // summarises the selection and the headline series
  OutputSelection selection;     // the series written
  std::vector<Headline> headlines;
};

// The ensemble options `mfgsim run`, mfgsim.run and mfgsim.batch share,
// checked against the ranges of sim/core/range.h (kMembersRange,
// kThreadsRange, kSummaryMemoryMiBRange): what is wrong, without the option
// prefix ("members must be in [1, 10000000]"), or "" when they are valid.
std::string ensemble_option_problem(std::optional<std::int64_t> members, int threads,
                                    std::uint64_t summary_memory_mib);

// Checks `options` and applies them to `scenario` (the seed) and a request.
// Bad options: nullopt and `error` says what, naming the option as
// `prefix` + name ("--members must be in [1, 10000000]" with prefix "--").
std::optional<PreparedRun> prepare_run(Scenario& scenario, const RunOptions& options, const std::string& prefix,
                                       std::string* error);

// results.nc of a run: one scenario; member values (a `member` dimension)
// only when the request kept the members, then of every selected series;
// the drawn values of a stochastic run with `uncertain:` entries (with a
// member dimension, kept members or not).
// `history`: the global attribute (`mfgsim run <scenario file>`).
NetcdfBatchLayout run_results_layout(const Scenario& scenario, const EnsembleRequest& request,
                                     const OutputSelection& selection);
// Puts a run's results (scenario 0) into a sink made with run_results_layout,
// and returns the members' draws it wrote (member_draws; none when nothing is drawn).
MemberDraws put_run_results(ResultsSink& sink, const Scenario& scenario, const EnsembleRequest& request,
                            const EnsembleResult& result);

// The result folder of `mfgsim run`, written into `dir`'s staging folder:
// failures.csv (when members failed), summary.csv, members.csv (when the
// request kept the members), draws.csv (when the run draws `uncertain:` values), results.nc (run_results_layout) and manifest.json (sim/output/manifest.h;
// `start` dates it). The caller commits `dir`.
void write_run_folder(const OutputDir& dir, const Scenario& scenario, const EnsembleRequest& request,
                      const EnsembleResult& result, const OutputSelection& selection,
                      std::chrono::steady_clock::time_point start);

// Writes JSON with two-space indentation and a final newline; throws
// std::runtime_error naming the file and the reason if it cannot be written.
void write_json_file(const std::string& path, const nlohmann::json& value);
// The same into an output folder's staging area (errors name the target).
void write_json_file(const OutputDir& dir, const std::string& name, const nlohmann::json& value);

// The current time in UTC, ISO 8601 to the second ("2026-11-29T01:07:17Z"),
// for manifests.
std::string utc_now();

}  // namespace mfgsim
