#include "sim/output/run_outputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <stdexcept>

#include "sim/core/range.h"
#include "sim/io/csv.h"
#include "sim/output/manifest.h"
#include "sim/output/netcdf_output.h"

namespace mfgsim {

namespace {

void append_number(std::string& line, double x) {
  line += ',';
  if (!std::isnan(x)) fmt::format_to(std::back_inserter(line), "{}", x);
}

void append_summary(std::string& line, const CellSummary& s) {
  if (!s.defined) {
    line += ",,,,,,,";
    return;
  }
  append_number(line, s.mean);
  append_number(line, s.mean_se);
  for (double q : s.quantiles) append_number(line, q);
}

}  // namespace

void write_summary_header(std::ostream& out) { out << "scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95\n"; }

void write_summary_rows(std::ostream& out, const std::string& scenario, const Calendar& calendar,
                        const SummaryTable& table, const std::vector<std::string>& sector_names,
                        const OutputSelection& selection) {
  const int S = static_cast<int>(sector_names.size()), T = calendar.months;
  std::vector<std::string> months;
  for (int t = 0; t < T; ++t) months.push_back(format_year_month(calendar.at(t)));
  std::string line;
  for (int s = 0; s < kSectorSeriesCount; ++s) {
    const std::string_view name = series_name(static_cast<SectorSeries>(s));
    const std::string_view unit = series_udunits(static_cast<SectorSeries>(s));
    if (!selection.includes(name)) continue;
    for (int i = 0; i < S; ++i)
      for (int t = 0; t < T; ++t) {
        line = fmt::format("{},{},{},{},{}", scenario, months[t], sector_names[i], name, unit);
        append_summary(line, table.sector[(static_cast<size_t>(s) * S + i) * T + t]);
        line += '\n';
        out << line;
      }
  }
  for (int a = 0; a < kAggregateSeriesCount; ++a) {
    const std::string_view name = series_name(static_cast<AggregateSeries>(a));
    const std::string_view unit = series_udunits(static_cast<AggregateSeries>(a));
    if (!selection.includes(name)) continue;
    for (int t = 0; t < T; ++t) {
      line = fmt::format("{},{},,{},{}", scenario, months[t], name, unit);
      append_summary(line, table.aggregate[static_cast<size_t>(a) * T + t]);
      line += '\n';
      out << line;
    }
  }
}

void write_members_header(std::ostream& out) { out << "scenario,member,month,sector,variable,value\n"; }

void write_members_rows(std::ostream& out, const std::string& scenario, const SeriesStore& store,
                        const std::vector<std::string>& sector_names, const OutputSelection& selection) {
  const int S = store.sectors(), T = store.months();
  std::vector<std::string> months;
  for (int t = 0; t < T; ++t) months.push_back(format_year_month(store.calendar().at(t)));
  std::string line;
  for (std::int64_t m = 0; m < store.members(); ++m) {
    for (int s = 0; s < kSectorSeriesCount; ++s) {
      const auto series = static_cast<SectorSeries>(s);
      if (!selection.includes(series_name(series))) continue;
      for (int i = 0; i < S; ++i)
        for (int t = 0; t < T; ++t) {
          line = fmt::format("{},{},{},{},{}", scenario, m, months[t], sector_names[i], series_name(series));
          append_number(line, store.cell(series, i, t)[m]);
          line += '\n';
          out << line;
        }
    }
    for (int a = 0; a < kAggregateSeriesCount; ++a) {
      const auto series = static_cast<AggregateSeries>(a);
      if (!selection.includes(series_name(series))) continue;
      for (int t = 0; t < T; ++t) {
        line = fmt::format("{},{},{},,{}", scenario, m, months[t], series_name(series));
        append_number(line, store.cell(series, t)[m]);
        line += '\n';
        out << line;
      }
    }
  }
}

std::vector<Headline> headline_series(const std::vector<std::string>& sector_names, int equipment_sector) {
  std::vector<Headline> rows = {
      {"manufacturing value added, ytd yoy", "manufacturing_va_ytd_yoy", -1},
      {"all industry value added, ytd yoy", "industry_va_ytd_yoy", -1},
  };
  if (equipment_sector >= 0)
    rows.push_back({sector_names[equipment_sector] + " value added, ytd yoy", "va_ytd_yoy", equipment_sector});
  rows.push_back({"long-term loans to manufacturing, yoy", "long_term_loans_yoy", -1});
  rows.push_back({"long-term share of manufacturing loans", "long_term_share", -1});
  rows.push_back({"recycling ratio", "recycling_ratio", -1});
  rows.push_back({"adoption (intelligent manufacturing)", "adoption", -1});
  return rows;
}

std::string headline_table(const Calendar& calendar, const SummaryTable& table, const std::vector<Headline>& rows,
                           const std::vector<int>& months) {
  const int T = calendar.months;
  const int S = static_cast<int>(table.sector.size() / (static_cast<std::size_t>(kSectorSeriesCount) * T));
  auto find = [&](const Headline& h, int t) -> const CellSummary* {
    if (h.sector >= 0) {
      for (int s = 0; s < kSectorSeriesCount; ++s)
        if (series_name(static_cast<SectorSeries>(s)) == h.variable)
          return &table.sector[(static_cast<size_t>(s) * S + h.sector) * T + t];
    } else {
      for (int a = 0; a < kAggregateSeriesCount; ++a)
        if (series_name(static_cast<AggregateSeries>(a)) == h.variable)
          return &table.aggregate[static_cast<size_t>(a) * T + t];
    }
    return nullptr;
  };
  std::string out = fmt::format("{:<48}", "mean ± its standard error [p05, p95], %");
  for (int t : months) out += fmt::format(" {:>30}", format_year_month(calendar.at(t)));
  out += '\n';
  for (const Headline& h : rows) {
    out += fmt::format("{:<48}", h.label);
    for (int t : months) {
      const CellSummary* s = find(h, t);
      if (s == nullptr || !s->defined) {
        out += fmt::format(" {:>30}", "—");
        continue;
      }
      // One member has no standard error: the mean alone.
      const std::string se = std::isnan(s->mean_se) ? "" : fmt::format(" ± {:.2f}", 100 * s->mean_se);
      out += fmt::format(" {:>30}", fmt::format("{:.2f}{} [{:.2f}, {:.2f}]", 100 * s->mean, se, 100 * s->quantiles[0],
                                                 100 * s->quantiles[4]));
    }
    out += '\n';
  }
  return out;
}

void write_draws_header(std::ostream& out, const std::vector<std::string>& columns, bool with_scenario) {
  out << (with_scenario ? "scenario,member" : "member");
  for (const std::string& path : columns) out << ',' << csv_field(path);
  out << '\n';
}

void write_draws_rows(std::ostream& out, const std::string* scenario, const MemberDraws& draws,
                      const std::vector<std::string>& columns) {
  std::vector<std::ptrdiff_t> index;  // column -> draws.paths index, -1: not drawn
  for (const std::string& path : columns) {
    const auto it = std::find(draws.paths.begin(), draws.paths.end(), path);
    index.push_back(it == draws.paths.end() ? -1 : it - draws.paths.begin());
  }
  const auto members = static_cast<std::int64_t>(draws.paths.empty() ? 0 : draws.values.size() / draws.paths.size());
  std::string line;
  for (std::int64_t m = 0; m < members; ++m) {
    line = scenario ? *scenario + "," + std::to_string(m) : std::to_string(m);
    for (const std::ptrdiff_t k : index) {
      if (k < 0) line += ',';
      else append_number(line, draws.at(m, static_cast<std::size_t>(k)));
    }
    line += '\n';
    out << line;
  }
}

void write_failures_header(std::ostream& out) { out << "scenario,member,month,sector,variable,value,message\n"; }

void write_failures_rows(std::ostream& out, const std::string& scenario, const Calendar& calendar,
                         const std::vector<MemberFailure>& failures) {
  for (const MemberFailure& f : failures)
    out << fmt::format("{},{},{},{},{},{},{}\n", scenario, f.member, format_year_month(calendar.at(f.month)), f.sector,
                       f.variable, std::isnan(f.value) ? std::string("NaN") : fmt::format("{}", f.value),
                       csv_field(f.message));
}

void write_json_file(const std::string& path, const nlohmann::json& value) {
  std::ofstream out(path);
  out << value.dump(2) << '\n';
  errno = 0;
  out.close();
  if (!out) {
    const int error = errno;
    throw std::runtime_error("cannot write " + path + ": " + (error ? std::strerror(error) : "write failed"));
  }
}

void write_json_file(const OutputDir& dir, const std::string& name, const nlohmann::json& value) {
  std::ofstream out(dir.staging() / name);
  out << value.dump(2) << '\n';
  dir.close(out, name);
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

std::string check_failed_members(const std::string& scenario, std::int64_t members,
                                 const std::vector<MemberFailure>& failures, const std::string& failures_csv) {
  const auto failed = static_cast<std::int64_t>(failures.size());
  if (failed == 0) return {};
  if (failed == members)
    throw RunError(scenario + ": " +
                   (failed == 1 ? failures[0].message
                                : "every member failed (" + std::to_string(failed) + "); the first: " +
                                      failures[0].message));
  return fmt::format("warning: {}: {} of {} members failed and are left out of the summaries ({}); the first: {}",
                     scenario, failed, members, failures_csv, failures[0].message);
}

void write_run_folder(const OutputDir& dir, const Scenario& scenario, const EnsembleRequest& request,
                      const EnsembleResult& result, const OutputSelection& selection,
                      std::chrono::steady_clock::time_point start) {
  const std::vector<std::string>& sectors = scenario.params.sectors.names;
  if (!result.failures.empty()) {
    std::ofstream failures(dir.staging() / "failures.csv");
    write_failures_header(failures);
    write_failures_rows(failures, scenario.name, scenario.calendar, result.failures);
    dir.close(failures, "failures.csv");
  }
  {
    std::ofstream summary(dir.staging() / "summary.csv");
    write_summary_header(summary);
    write_summary_rows(summary, scenario.name, scenario.calendar, *result.summary, sectors, selection);
    dir.close(summary, "summary.csv");
  }
  if (request.keep_members) {
    std::ofstream members(dir.staging() / "members.csv");
    write_members_header(members);
    write_members_rows(members, scenario.name, *result.store, sectors, selection);
    dir.close(members, "members.csv");
  }
  MemberDraws draws;
  {
    const std::string path = (dir.staging() / "results.nc").string();
    NetcdfBatchWriter netcdf(path, run_results_layout(scenario, request, selection));
    draws = put_run_results(netcdf, scenario, request, result);
    netcdf.close();
  }
  if (!draws.paths.empty()) {
    std::ofstream out(dir.staging() / "draws.csv");
    write_draws_header(out, draws.paths, false);
    write_draws_rows(out, nullptr, draws, draws.paths);
    dir.close(out, "draws.csv");
  }
  write_json_file(dir, "manifest.json", run_manifest(scenario, request, result, selection, start));
}

std::string ensemble_option_problem(std::optional<std::int64_t> members, int threads,
                                    std::uint64_t summary_memory_mib) {
  if (members && (*members < 1 || !kMembersRange.contains(static_cast<std::uint64_t>(*members))))
    return "members must be in " + format_range(kMembersRange);
  if (threads < 0 || !kThreadsRange.contains(static_cast<std::uint64_t>(threads)))
    return "threads must be in " + format_range(kThreadsRange) + " (0: all cores)";
  if (!kSummaryMemoryMiBRange.contains(summary_memory_mib))
    return "summary-memory must be in " + format_range(kSummaryMemoryMiBRange) + " MiB";
  return {};
}

std::optional<PreparedRun> prepare_run(Scenario& scenario, const RunOptions& options, const std::string& prefix,
                                       std::string* error) {
  auto fail = [&](const std::string& text) {
    *error = prefix + text;
    return std::nullopt;
  };
  if (options.deterministic && options.members)
    return fail("deterministic runs exactly one member; do not combine it with " + prefix + "members");
  if (std::string problem = ensemble_option_problem(options.members, options.threads, options.summary_memory_mib);
      !problem.empty())
    return fail(problem);
  PreparedRun run;
  run.selection.names = scenario.outputs;
  if (options.outputs) {
    run.selection.names.clear();
    for (std::size_t k = 0; k < options.outputs->size(); ++k) {
      const std::string& name = (*options.outputs)[k];
      if (!is_known_series(name)) return fail("outputs: unknown series '" + name + "' (see mfgsim schema for the names)");
      if (std::find(options.outputs->begin(), options.outputs->begin() + static_cast<std::ptrdiff_t>(k), name) !=
          options.outputs->begin() + static_cast<std::ptrdiff_t>(k))
        return fail("outputs: '" + name + "' given twice");
    }
    run.selection.names = *options.outputs;
  }
  // A deterministic run draws no random numbers: a seed would be ignored.
  if (options.deterministic && options.seed)
    return fail("deterministic draws no random numbers; do not combine it with " + prefix + "seed");
  if (options.seed && !options.deterministic && !scenario.ensemble.stochastic)
    return fail("seed applies to stochastic runs only: scenario '" + scenario.name +
                "' sets ensemble.stochastic: false, so no random numbers are drawn");
  if (options.seed) scenario.ensemble.seed = *options.seed;
  EnsembleRequest& request = run.request;
  request.members = options.deterministic ? 1 : options.members.value_or(scenario.ensemble.members);
  if (request.members < 1 || !kMembersRange.contains(static_cast<std::uint64_t>(request.members)))
    return fail("members must be in " + format_range(kMembersRange));
  request.stochastic = !options.deterministic && scenario.ensemble.stochastic;
  request.threads = options.threads;
  request.keep_members = options.keep_members;
  request.summarise = true;
  request.exact_summary_bytes = options.summary_memory_mib << 20;
  request.on_progress = options.on_progress;
  // The headline table's series are summarised too (they are few), but
  // only the selected ones are written.
  run.headlines = headline_series(scenario.params.sectors.names, scenario.params.equipment_sector);
  request.outputs = run.selection;
  if (!run.selection.names.empty())
    for (const Headline& h : run.headlines) request.outputs.names.push_back(h.variable);
  return run;
}

NetcdfBatchLayout run_results_layout(const Scenario& scenario, const EnsembleRequest& request,
                                     const OutputSelection& selection) {
  NetcdfBatchLayout layout;
  layout.title = scenario.name + (scenario.description.empty() ? "" : ": " + scenario.description);
  layout.history = "mfgsim run " + scenario.path;
  layout.scenarios = {scenario.name};
  layout.calendar = scenario.calendar;
  layout.sectors = scenario.params.sectors.names;
  layout.selection = selection;
  if (request.stochastic)
    for (const UncertainParam& u : scenario.uncertain) layout.draw_parameters.push_back(u.address.path);
  if (!layout.draw_parameters.empty()) layout.members = request.members;
  if (request.keep_members) {
    layout.members = request.members;
    for (int a = 0; a < kAggregateSeriesCount; ++a)
      if (selection.includes(series_name(static_cast<AggregateSeries>(a))))
        layout.member_aggregates.push_back(static_cast<AggregateSeries>(a));
    for (int s = 0; s < kSectorSeriesCount; ++s)
      if (selection.includes(series_name(static_cast<SectorSeries>(s))))
        layout.member_sector_series.push_back(static_cast<SectorSeries>(s));
  }
  return layout;
}

MemberDraws put_run_results(ResultsSink& sink, const Scenario& scenario, const EnsembleRequest& request,
                            const EnsembleResult& result) {
  sink.write_info(0, {scenario.path, "", request.members, scenario.ensemble.seed, request.stochastic, {}});
  sink.write_summary(0, *result.summary);
  if (request.keep_members && result.store) sink.write_store_members(0, *result.store);
  MemberDraws draws = member_draws(scenario, request.members, request.stochastic);
  if (!draws.paths.empty()) sink.write_draws(0, draws);
  return draws;
}

}  // namespace mfgsim
