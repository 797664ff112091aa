#include "sim/batch/batch_outputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "sim/io/csv.h"
#include "sim/core/interrupt.h"
#include "sim/output/run_outputs.h"
#include "sim/engine/series_store.h"

namespace mfgsim {

namespace {

// A stream's failure as a message: the file and, when the C library left
// one, the reason (ENOSPC, EFBIG, ...).
[[noreturn]] void write_failed(const std::filesystem::path& path) {
  const int error = errno;
  throw std::runtime_error("cannot write " + path.string() + (error ? std::string(": ") + std::strerror(error) : ""));
}

}  // namespace

OutputSelection batch_selection(const Batch& batch) {
  OutputSelection selection;
  for (const BatchEntry& entry : batch.entries) {
    if (entry.scenario.outputs.empty()) return {};
    for (const std::string& name : entry.scenario.outputs)
      if (std::find(selection.names.begin(), selection.names.end(), name) == selection.names.end())
        selection.names.push_back(name);
  }
  return selection;
}

BatchOutputs::BatchOutputs(const Batch& batch, const std::filesystem::path& dir, bool keep_members,
                           const std::string& history)
    : batch_(batch), dir_(dir), keep_members_(keep_members) {
  if (batch.entries.empty()) throw std::runtime_error("the batch has no scenarios");
  const Scenario& first = batch.entries.front().scenario;
  const OutputSelection selection = batch_selection(batch);

  // scenarios.csv is written at close(), when every scenario's failed members are known.
  for (std::size_t k = 0; k < batch.entries.size(); ++k) {
    const BatchEntry& e = batch.entries[k];
    scenario_rows_.push_back(fmt::format("{},{},{},{},{},{},{},{}", k, e.scenario.name, csv_field(e.source), e.sweep,
                                         e.sample >= 0 ? std::to_string(e.sample) : std::string(),
                                         e.scenario.ensemble.members, e.scenario.ensemble.seed,
                                         e.scenario.ensemble.stochastic ? "true" : "false"));
  }
  failed_.assign(batch.entries.size(), 0);
  failures_.open(dir / "failures.csv");
  write_failures_header(failures_);

  summary_.open(dir / "summary.csv");
  write_summary_header(summary_);
  if (keep_members) {
    members_.open(dir / "members.csv");
    write_members_header(members_);
  }

  for (const BatchEntry& e : batch.entries)
    if (e.scenario.ensemble.stochastic)
      for (const UncertainParam& u : e.scenario.uncertain)
        if (std::find(draw_paths_.begin(), draw_paths_.end(), u.address.path) == draw_paths_.end())
          draw_paths_.push_back(u.address.path);
  if (!draw_paths_.empty()) {
    draws_.open(dir / "draws.csv");
    write_draws_header(draws_, draw_paths_, true);
  }

  NetcdfBatchLayout layout;
  layout.draw_parameters = draw_paths_;
  layout.title = batch.name + (batch.description.empty() ? "" : ": " + batch.description);
  layout.history = history;
  for (const BatchEntry& e : batch.entries) {
    layout.scenarios.push_back(e.scenario.name);
    layout.members = std::max<std::int64_t>(layout.members, e.scenario.ensemble.members);
  }
  layout.calendar = first.calendar;
  layout.sectors = first.params.sectors.names;
  layout.selection = selection;
  layout.parameters = batch.parameters;
  member_aggregates_ = headline_member_series();
  if (keep_members) {
    for (int a = 0; a < kAggregateSeriesCount; ++a) {
      const auto series = static_cast<AggregateSeries>(a);
      if (selection.includes(series_name(series)) &&
          std::find(member_aggregates_.begin(), member_aggregates_.end(), series) == member_aggregates_.end())
        member_aggregates_.push_back(series);
    }
    for (int s = 0; s < kSectorSeriesCount; ++s)
      if (selection.includes(series_name(static_cast<SectorSeries>(s))))
        layout.member_sector_series.push_back(static_cast<SectorSeries>(s));
  }
  layout.member_aggregates = member_aggregates_;
  netcdf_ = std::make_unique<NetcdfBatchWriter>((dir / "results.nc").string(), layout);
  for (std::size_t k = 0; k < batch.entries.size(); ++k) {
    // Thousands of scenarios take a while (HDF5 writes each): Ctrl-C stops here too.
    throw_if_interrupted();
    const BatchEntry& e = batch.entries[k];
    netcdf_->write_info(k, {e.source, e.sweep, e.scenario.ensemble.members, e.scenario.ensemble.seed,
                            e.scenario.ensemble.stochastic, e.values});
  }
}

void BatchOutputs::add(std::size_t index, EnsembleResult& result) {
  if (index != next_) throw std::logic_error("BatchOutputs::add: results out of order");
  ++next_;
  const BatchEntry& entry = batch_.entries[index];
  const Scenario& s = entry.scenario;
  const OutputSelection selection{s.outputs};
  const auto& sectors = s.params.sectors.names;
  failed_[index] = static_cast<std::int64_t>(result.failures.size());
  failed_total_ += failed_[index];
  // A sweep sample's failures also name the sample's values, which drove them as much as the draws.
  if (!entry.sweep.empty() && !result.failures.empty()) {
    std::string values;
    for (std::size_t k = 0; k < batch_.parameters.size() && k < entry.values.size(); ++k)
      if (!std::isnan(entry.values[k]))
        values += fmt::format("{}{} = {:.6g}", values.empty() ? "" : ", ", batch_.parameters[k], entry.values[k]);
    for (MemberFailure& f : result.failures)
      f.message += "; sample " + std::to_string(entry.sample) + " of sweep " + entry.sweep + ": " + values;
  }
  if (first_failure_.empty() && !result.failures.empty()) first_failure_ = s.name + ": " + result.failures[0].message;
  write_failures_rows(failures_, s.name, s.calendar, result.failures);
  if (!failures_) write_failed(dir_ / "failures.csv");
  write_summary_rows(summary_, s.name, s.calendar, *result.summary, sectors, selection);
  if (!summary_) write_failed(dir_ / "summary.csv");
  netcdf_->write_summary(index, *result.summary);

  const std::int64_t M = s.ensemble.members;
  const std::size_t T = static_cast<std::size_t>(s.calendar.months);
  const auto& headline = headline_member_series();
  std::vector<double> buffer;
  for (AggregateSeries series : member_aggregates_) {
    const auto k = static_cast<std::size_t>(std::find(headline.begin(), headline.end(), series) - headline.begin());
    if (k < headline.size()) {
      netcdf_->write_members(index, series, result.kept.data() + k * T * static_cast<std::size_t>(M), M);
    } else if (result.store) {
      buffer.resize(T * static_cast<std::size_t>(M));
      for (std::size_t t = 0; t < T; ++t) {
        const double* cell = result.store->cell(series, static_cast<int>(t));
        std::copy(cell, cell + M, buffer.begin() + static_cast<std::ptrdiff_t>(t * static_cast<std::size_t>(M)));
      }
      netcdf_->write_members(index, series, buffer.data(), M);
    }
  }
  if (!draw_paths_.empty()) {
    const MemberDraws draws = member_draws(s, M, s.ensemble.stochastic);
    netcdf_->write_draws(index, draws);
    write_draws_rows(draws_, &s.name, draws, draw_paths_);
    if (!draws_) write_failed(dir_ / "draws.csv");
  }
  if (keep_members_ && result.store) {
    netcdf_->write_sector_members(index, *result.store);
    write_members_rows(members_, s.name, *result.store, sectors, selection);
    if (!members_) write_failed(dir_ / "members.csv");
  }
}

void BatchOutputs::close() {
  auto finish = [&](std::ofstream& out, const char* name) {
    errno = 0;
    out.close();
    if (!out) write_failed(dir_ / name);
  };
  finish(summary_, "summary.csv");
  if (keep_members_) finish(members_, "members.csv");
  if (!draw_paths_.empty()) finish(draws_, "draws.csv");
  finish(failures_, "failures.csv");
  std::ofstream scenarios(dir_ / "scenarios.csv");
  scenarios << "index,scenario,source,sweep,sample,members,seed,stochastic,failed_members";
  for (const std::string& p : batch_.parameters) scenarios << ',' << csv_field(p);
  scenarios << '\n';
  for (std::size_t k = 0; k < batch_.entries.size(); ++k) {
    std::string line = scenario_rows_[k] + ',' + std::to_string(failed_[k]);
    for (double x : batch_.entries[k].values) {
      line += ',';
      if (!std::isnan(x)) fmt::format_to(std::back_inserter(line), "{}", x);
    }
    scenarios << line << '\n';
  }
  finish(scenarios, "scenarios.csv");
  netcdf_->close();
}

}  // namespace mfgsim
