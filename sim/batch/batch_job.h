// A batch from start to result folder, the way `mfgsim batch` and
// `mfgsim merge` run it: checkpoints, --resume, --shard K/N, merging shard
// folders, and (built with MPI, launched by mpirun) spreading scenarios over
// ranks. Every path ends in the same writer fed with the same per-scenario
// records (sim/batch/batch_record.h) in batch order, so all of them write the
// same files, byte for byte, but for manifest.json's "execution" block
// (threads, processes, times).
//
// Checkpoints: each finished scenario's record is written at once into
// `.<out name>.checkpoint/` beside the output folder. A killed or failed
// batch keeps it; `--resume` reuses every record whose batch fingerprint
// matches (same files, scenarios, overrides and options) and runs the
// rest. The checkpoint is removed once the result folder is in place. The
// result folder itself is only ever replaced whole (sim/io/output_dir.h).
//
// Shards: `--shard K/N` runs scenarios K-1, K-1+N, K-1+2N, ... (round robin,
// so sweeps' expensive corners spread over shards) and writes a shard
// folder (shard.json plus records/); `mfgsim merge` checks that the shards
// are 1..N of one batch and writes the batch's result folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/batch/batch.h"
#include "sim/core/progress.h"

namespace mfgsim {

struct BatchJobOptions {
  std::string batch_path;               // as typed (manifest, shard.json)
  std::filesystem::path out;            // result or shard folder
  BatchRunOptions run;
  bool resume = false;
  int shard = 0, shards = 0;            // 1 <= shard <= shards; 0: the whole batch
  std::optional<std::int64_t> members;  // --members, --seed as typed (recorded in shard.json for merge)
  std::optional<std::uint64_t> seed;
  // A scenario whose every member failed has no numbers: by default the batch
  // then fails (RunError, no result, as mfgsim run); true writes the result
  // without them (failures.csv says why) and reports them in a notice.
  bool allow_failed_scenarios = false;
  // Scenarios done (one update per finished scenario); notices (resumed
  // checkpoints, failed members, a checkpoint kept) go to run.notice.
  ProgressCallback on_progress;
};

// The checkpoint folder of an output folder.
// Checks job.out before any work (sim/io/output_dir.h): not the working
// folder, the batch file, its scenario files or their data tables, nor above
// them; missing, empty, or an earlier result of mfgsim batch (manifest.json)
// or, with --shard, an earlier shard folder (shard.json).
Diagnostics validate_batch_output(const Batch& batch, const BatchJobOptions& job);

std::filesystem::path checkpoint_dir(const std::filesystem::path& out);

// Runs the batch (its command-line overrides already applied), writes the
// result or shard folder. Throws RunError / std::runtime_error on failure,
// leaving the previous result folder as it was and the checkpoint in place.
// Under MPI (sim/batch/mpi_batch.h), every rank calls it; rank 0 writes.
void run_batch_job(const Batch& batch, const BatchJobOptions& options);

// The indices of the scenarios shard K of N runs (of n): K-1, K-1+N, ...;
// all of them when `shards` is 0 (no sharding). batch and batch --check agree.
std::vector<std::size_t> shard_scenarios(std::size_t n, int shard, int shards);

// Applies --members and --seed to every scenario (batch and merge agree).
void apply_overrides(Batch& batch, std::optional<std::int64_t> members, std::optional<std::uint64_t> seed);

struct MergeOptions {
  std::vector<std::filesystem::path> shards;  // shard folders, any order
  std::filesystem::path out;                  // default: the batch's out/<name>
  std::optional<std::string> batch_path;      // default: the one in shard.json
  bool allow_failed_scenarios = false;        // as BatchJobOptions
  ProgressCallback on_progress;               // scenarios merged
  NoticeCallback notice;                      // failed members
};

// Checks the shard folders before anything is written: each is a shard
// folder, all are shards of one batch run with one fingerprint, shards
// 1..N each given once, the batch and its scenario files unchanged since,
// every scenario's record present. One diagnostic per problem, printed as
// "mfgsim: error: s2/shard.json: shard 2 given twice ...". Throws
// std::runtime_error for a shard.json that cannot be read, is not JSON or
// was not written by mfgsim.
Diagnostics validate_merge(const MergeOptions& options);

// Writes the result folder of valid shard folders (validate_merge; others
// throw std::invalid_argument, a programmer error) and returns it. Throws
// std::runtime_error for a record that cannot be read or a write that fails.
std::filesystem::path merge_shards(const MergeOptions& options);

}  // namespace mfgsim
