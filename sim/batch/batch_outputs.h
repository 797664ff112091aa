// The result files of a batch, written as each scenario's result arrives
// (in batch order), so that memory holds one scenario's summaries at a time:
//   summary.csv    every scenario, in the format of `mfgsim run`
//   scenarios.csv  one row per scenario: name, source, sweep, sample,
//                  members, seed, stochastic, failed_members (members a
//                  numerical guard stopped, left out of the summaries), then
//                  each swept parameter's value; written by close()
//   failures.csv   one row per failed member, as `mfgsim run` writes it
//   results.nc     NetCDF-4 (sim/output/netcdf_output.h): summaries and the
//                  headline series' member values (every series' with keep_members)
//   members.csv    with keep_members, as `mfgsim run --keep-members` writes it
//   draws.csv      when some scenario draws `uncertain:` values: scenario,member,
//                  then every drawn path of the batch (empty where a scenario
//                  does not draw it)
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "sim/batch/batch.h"
#include "sim/output/netcdf_output.h"

namespace mfgsim {

class BatchOutputs {
 public:
  // Creates the files in `dir` (which must exist). Throws std::runtime_error
  // when a file cannot be written.
  BatchOutputs(const Batch& batch, const std::filesystem::path& dir, bool keep_members, const std::string& history);
  // The result of batch.entries[index]; indices must arrive in order.
  void add(std::size_t index, EnsembleResult& result);
  void close();

  // Members stopped by a guard, in all scenarios added so far, and the first one's message.
  std::int64_t failed_members() const { return failed_total_; }
  const std::string& first_failure() const { return first_failure_; }
  // Members failed in scenario `index` (batch order), once it was added.
  std::int64_t failed_members(std::size_t index) const { return failed_.at(index); }

 private:
  const Batch& batch_;
  std::filesystem::path dir_;
  bool keep_members_;
  std::ofstream summary_, members_, failures_, draws_;
  std::vector<std::string> draw_paths_;  // every scenario's drawn paths, in order of first appearance
  std::vector<std::string> scenario_rows_;  // scenarios.csv without its failed_members field
  std::vector<std::int64_t> failed_;        // per scenario
  std::int64_t failed_total_ = 0;
  std::string first_failure_;
  std::unique_ptr<NetcdfBatchWriter> netcdf_;
  std::vector<AggregateSeries> member_aggregates_;
  std::size_t next_ = 0;
};

// Every scenario's outputs together: empty (all) if any scenario reports all.
OutputSelection batch_selection(const Batch& batch);

}  // namespace mfgsim
