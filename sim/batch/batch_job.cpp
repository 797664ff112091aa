#include "sim/batch/batch_job.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "sim/batch/batch_outputs.h"
#include "sim/batch/batch_record.h"
#include "sim/io/csv.h"
#include "sim/io/hashing.h"
#include "sim/core/interrupt.h"
#include "sim/batch/mpi_batch.h"
#include "sim/io/output_dir.h"
#include "sim/output/manifest.h"
#include "sim/output/run_outputs.h"

namespace mfgsim {

namespace fs = std::filesystem;

namespace {

// The checkpoint's list of the files its records were computed from.
constexpr const char* kCheckpointInputs = "inputs.json";

const char* method_name(SweepMethod m) {
  return m == SweepMethod::grid ? "grid" : m == SweepMethod::lhs ? "lhs" : "sobol";
}

// Everything in manifest.json but "execution": the same for any thread or
// process count, for a resumed run and for merged shards.
nlohmann::json batch_manifest(const Batch& batch, const std::string& path, bool exact, std::int64_t failed_members) {
  nlohmann::json manifest = manifest_head("batch");
  manifest["batch"] = batch.name;
  manifest["description"] = batch.description;
  manifest["batch_file"] = {{"path", path}, {"sha256", sha256_file_hex(path)}};
  add_files(manifest, "scenario_files", batch.files, path);
  add_files(manifest, "data_files", batch.data_files);
  manifest["resolved_batch"] = batch.document;
  for (const Sweep& sweep : batch.sweeps) {
    nlohmann::json s = {
        {"name", sweep.name}, {"base", sweep.base}, {"method", method_name(sweep.method)}, {"samples", sweep.samples}};
    for (const SweepParameter& p : sweep.parameters) {
      s["parameters"][p.path] = {{"low", p.low}, {"high", p.high}};
      if (p.points > 0) s["parameters"][p.path]["points"] = p.points;
    }
    manifest["sweeps"].push_back(s);
  }
  for (const BatchEntry& entry : batch.entries)
    manifest["scenarios"].push_back({{"name", entry.scenario.name},
                                     {"source", entry.source},
                                     {"sweep", entry.sweep},
                                     {"members", entry.scenario.ensemble.members},
                                     {"seed", entry.scenario.ensemble.seed},
                                     {"stochastic", entry.scenario.ensemble.stochastic}});
  manifest["failed_members"] = failed_members;
  manifest["outputs"] = outputs_entry(batch_selection(batch));
  for (AggregateSeries a : headline_member_series()) manifest["member_series"].push_back(std::string(series_name(a)));
  manifest["quantiles"] = quantiles_entry(exact, 1e-3);
  return manifest;
}

// The result folder's writer: takes scenarios in batch order, from memory
// or from record files.
class ResultWriter {
 public:
  ResultWriter(const Batch& batch, const fs::path& staging, const std::string& fingerprint, bool keep_members,
               const std::string& path, bool allow_failed_scenarios, NoticeCallback notice)
      : batch_(batch),
        fingerprint_(fingerprint),
        allow_failed_scenarios_(allow_failed_scenarios),
        notice_(std::move(notice)),
        // No time stamp: results.nc is the same file whichever way it was made.
        outputs_(batch, staging, keep_members, std::string("mfgsim ") + MFGSIM_VERSION + " batch " + path) {}

  std::size_t next() const { return next_; }

  void add(std::size_t index, EnsembleResult& result) {
    if (result.summary && !result.summary->exact) exact_ = false;
    outputs_.add(index, result);
    next_ = index + 1;
  }
  void add_record(const fs::path& dir, std::size_t index) {
    EnsembleResult result =
        decode_record(read_record_file(dir, index), fingerprint_, batch_, index, record_path(dir, index).string());
    add(index, result);
  }
  bool exact() const { return exact_; }
  // Closes the files; a scenario whose every member failed is an error (as
  // for mfgsim run: the batch has no result for it) unless allowed, some
  // failed members a warning (they are in failures.csv).
  void close() {
    outputs_.close();
    if (outputs_.failed_members() == 0) return;
    std::vector<std::string> lost;
    for (std::size_t k = 0; k < batch_.entries.size(); ++k)
      if (outputs_.failed_members(k) == batch_.entries[k].scenario.ensemble.members)
        lost.push_back(batch_.entries[k].scenario.name);
    if (!lost.empty()) {
      if (!allow_failed_scenarios_)
        throw RunError(fmt::format("{}: every member of scenario(s) {} failed, so the batch has no result for them; "
                                   "the first failure: {}; --allow-failed-scenarios writes the others' result",
                                   batch_.name, fmt::join(lost, ", "), outputs_.first_failure()));
      notify(notice_, Notice::Level::report,
             fmt::format("warning: {}: every member of scenario(s) {} failed: they have no numbers in the result "
                         "(--allow-failed-scenarios)",
                         batch_.name, fmt::join(lost, ", ")));
    }
    notify(notice_, Notice::Level::report,
           fmt::format("warning: {}: {} member(s) failed and are left out of their scenario's summaries "
                       "(failures.csv; scenarios.csv counts them per scenario); the first: {}",
                       batch_.name, outputs_.failed_members(), outputs_.first_failure()));
  }
  std::int64_t failed_members() const { return outputs_.failed_members(); }

 private:
  const Batch& batch_;
  const std::string& fingerprint_;
  const bool allow_failed_scenarios_;
  NoticeCallback notice_;
  BatchOutputs outputs_;
  std::size_t next_ = 0;
  bool exact_ = true;
};

nlohmann::json read_json(const fs::path& path) {
  std::string text;
  if (!read_text_file(path.string(), &text)) throw std::runtime_error("cannot read " + path.string());
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path.string() + ": not valid JSON (" + e.what() + ")");
  }
}

// One batch at a time per output folder: a second one would mix its
// records into the first's checkpoint. flock: released by the kernel
// when the process dies, however it dies.
class CheckpointLock {
 public:
  // `dir` the checkpoint folder of the batch writing into `out`.
  CheckpointLock(const fs::path& dir, const fs::path& out) {
    const fs::path path = dir / "lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw std::runtime_error("another mfgsim batch is writing " + out.string() + " (it holds " +
                               path.string() + "); wait for it or choose another --out");
    }
  }
  ~CheckpointLock() { ::close(fd_); }
  CheckpointLock(const CheckpointLock&) = delete;
  CheckpointLock& operator=(const CheckpointLock&) = delete;

 private:
  int fd_ = -1;
};

void remove_checkpoint(const fs::path& dir, const NoticeCallback& notice) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) notify(notice, Notice::Level::warning, fmt::format("cannot remove the checkpoint {}: {}", dir.string(), ec.message()));
}

// When a batch stops short (an error, a full disk, Ctrl-C, an exception from
// anywhere), its finished scenarios stay for --resume and a notice says so;
// a checkpoint with none is removed, leaving nothing behind. release(): the
// result is in place, the checkpoint goes.
class CheckpointKeeper {
 public:
  CheckpointKeeper(fs::path dir, const std::vector<std::size_t>& mine, NoticeCallback notice)
      : dir_(std::move(dir)), mine_(mine), notice_(std::move(notice)) {}
  ~CheckpointKeeper() {
    if (released_) return;
    std::error_code ec;
    std::size_t kept = 0;
    for (std::size_t k : mine_) kept += fs::exists(record_path(dir_, k), ec) ? 1 : 0;
    if (kept == 0) {
      remove_checkpoint(dir_, notice_);
      return;
    }
    for (const auto& entry : fs::directory_iterator(dir_, ec))
      if (entry.path().filename().string().find(".tmp-") != std::string::npos) fs::remove(entry.path(), ec);
    notify(notice_, Notice::Level::report,
           fmt::format("{} of {} scenarios finished and are kept in {}: the same command with --resume continues "
                       "from them (or delete it)",
                       kept, mine_.size(), dir_.string()));
  }
  void release() {
    released_ = true;
    remove_checkpoint(dir_, notice_);
  }
  CheckpointKeeper(const CheckpointKeeper&) = delete;
  CheckpointKeeper& operator=(const CheckpointKeeper&) = delete;

 private:
  fs::path dir_;
  const std::vector<std::size_t>& mine_;
  NoticeCallback notice_;
  bool released_ = false;
};

}  // namespace

fs::path checkpoint_dir(const fs::path& out) {
  fs::path target = fs::absolute(out).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  std::string name(".");  // appended, not concatenated: GCC 12's -Wrestrict false positive
  name += target.filename().string();
  name += ".checkpoint";
  return target.parent_path() / name;
}

std::vector<std::size_t> shard_scenarios(std::size_t n, int shard, int shards) {
  std::vector<std::size_t> indices;
  for (std::size_t k = 0; k < n; ++k)
    if (shards == 0 || k % static_cast<std::size_t>(shards) == static_cast<std::size_t>(shard - 1)) indices.push_back(k);
  return indices;
}

void apply_overrides(Batch& batch, std::optional<std::int64_t> members, std::optional<std::uint64_t> seed) {
  for (BatchEntry& entry : batch.entries) {
    if (members) entry.scenario.ensemble.members = static_cast<int>(*members);
    if (seed) entry.scenario.ensemble.seed = *seed;
  }
}

void run_batch_job(const Batch& batch, const BatchJobOptions& options) {
  const std::string fingerprint = batch_fingerprint(batch, options.run);
  const MpiWorld& world = mpi_world();
  if (world.rank > 0) {
    mpi_serve(batch, options.run, fingerprint);
    return;
  }
  const auto wall_start = std::chrono::steady_clock::now();
  const std::string started = utc_now();
  const std::size_t n = batch.entries.size();
  const std::vector<std::size_t> mine = shard_scenarios(n, options.shard, options.shards);
  const bool sharded = options.shards > 0;

  // The output folder first: its checks name the folder the user asked for.
  OutputDir output(options.out);
  // The checkpoint: reuse (--resume) or start afresh.
  const fs::path ckpt = checkpoint_dir(options.out);
  std::error_code ec;
  const bool existed = fs::exists(ckpt / "lock", ec);
  fs::create_directories(ckpt, ec);
  if (ec) throw std::runtime_error("cannot create the checkpoint folder " + ckpt.string() + ": " + ec.message());
  const CheckpointLock lock(ckpt, options.out);
  const NoticeCallback& notice = options.run.notice;
  // What the records were computed from, for a later --resume to check
  // (validate_batch_output); a resumed run keeps the file it checked.
  const fs::path inputs_file = ckpt / kCheckpointInputs;
  const nlohmann::json inputs = batch_input_hashes(batch);
  CheckpointKeeper keeper(ckpt, mine, notice);
  std::vector<bool> have(n, false);
  if (options.resume) {
    if (existed) have = scan_records(ckpt, fingerprint, batch, true);
    else
      notify(notice, Notice::Level::info,
             fmt::format("{}: no checkpoint at {}; starting from the first scenario", batch.name, ckpt.string()));
  } else if (existed) {
    notify(notice, Notice::Level::warning,
           fmt::format("{}: discarding the checkpoint {} of an earlier run (--resume continues from it)", batch.name,
                       ckpt.string()));
    for (const auto& entry : fs::directory_iterator(ckpt, ec))
      if (entry.path().filename() != "lock") fs::remove_all(entry.path(), ec);
  }
  if (!fs::exists(inputs_file, ec)) write_json_file(inputs_file.string(), inputs);
  std::vector<std::size_t> todo;
  for (std::size_t k : mine)
    if (!have[k]) todo.push_back(k);
  const std::size_t resumed = mine.size() - todo.size();
  if (options.resume)
    notify(notice, Notice::Level::info,
           fmt::format("{}: {} of {} scenarios already done (checkpoint {}), {} to run", batch.name, resumed,
                       mine.size(), ckpt.string(), todo.size()));

  std::optional<ResultWriter> writer;
  if (!sharded)
    writer.emplace(batch, output.staging(), fingerprint, options.run.keep_members, options.batch_path,
                   options.allow_failed_scenarios, notice);
  // Writes every recorded scenario before `limit` not yet written.
  auto write_recorded = [&](std::size_t limit) {
    while (writer && writer->next() < limit && have[writer->next()]) writer->add_record(ckpt, writer->next());
  };

  ProgressCounter progress(options.on_progress, batch.name, static_cast<std::int64_t>(todo.size()), "scenarios");
  BatchRunInfo info;
  int processes = 1;
  try {
    if (world.size > 1) {
      processes = world.size;
      info = mpi_run(batch, options.run, fingerprint, todo, [&](std::size_t index, const std::string& record) {
        write_record_file(ckpt, index, record);
        have[index] = true;
        progress.advance();
        write_recorded(n);
      });
    } else if (!todo.empty()) {
      BatchRunOptions run = options.run;
      run.indices = todo;
      info = run_batch(
          batch, run,
          [&](std::size_t index, EnsembleResult& result) {
            if (!writer) return;
            write_recorded(index);
            writer->add(index, result);
          },
          [&](std::size_t index, const EnsembleResult& result) {
            write_record_file(ckpt, index, encode_record(fingerprint, index, batch.entries[index].scenario.name, result));
            have[index] = true;
            progress.advance();
          });
    } else {
      info = batch_layout(0, options.run.threads);
    }
    progress.finish();
  } catch (...) {
    progress.finish();
    throw;
  }

  nlohmann::json execution = {{"threads", info.threads},
                              {"concurrent_scenarios", info.concurrent},
                              {"threads_per_scenario", info.threads_per_scenario},
                              {"processes", processes},
                              {"resumed_scenarios", resumed},
                              {"started_utc", started}};
  if (sharded) {
    const fs::path records = output.staging() / "records";
    fs::create_directories(records);
    for (std::size_t k : mine) {
      fs::rename(record_path(ckpt, k), record_path(records, k), ec);
      if (ec) throw std::runtime_error("cannot move " + record_path(ckpt, k).string() + ": " + ec.message());
    }
    nlohmann::json shard = {{"program", "mfgsim"},
                            {"version", MFGSIM_VERSION},
                            {"batch", batch.name},
                            {"batch_file", options.batch_path},
                            {"batch_file_absolute", fs::absolute(options.batch_path).lexically_normal().string()},
                            {"fingerprint", fingerprint},
                            {"inputs", inputs},
                            {"shard", options.shard},
                            {"shards", options.shards},
                            {"scenarios", mine},
                            {"keep_members", options.run.keep_members},
                            {"summary_bytes", options.run.summary_bytes},
                            {"block_size", options.run.block_size}};
    if (options.members) shard["members"] = *options.members;
    if (options.seed) shard["seed"] = *options.seed;
    execution["wall_seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    shard["execution"] = execution;
    write_json_file(output, "shard.json", shard);
  } else {
    write_recorded(n);
    if (writer->next() != n) throw std::logic_error("run_batch_job: scenarios missing from the result");
    writer->close();
    nlohmann::json manifest = batch_manifest(batch, options.batch_path, writer->exact(), writer->failed_members());
    execution["wall_seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    manifest["execution"] = execution;
    write_json_file(output, "manifest.json", manifest);
    if (!writer->exact())
      notify(notice, Notice::Level::info,
             fmt::format("{}: some quantiles from sketches (relative error <= 0.001): the members' values exceed "
                         "--summary-memory",
                         batch.name));
  }
  throw_if_interrupted();
  output.commit();
  keeper.release();
}

namespace {

// Problems with the shard folders print as "mfgsim: error: ...".
const SourceLocation kCommandLine{"mfgsim"};

// The shards of one batch run, checked, and the batch as they ran it.
struct MergePlan {
  std::map<int, std::pair<fs::path, nlohmann::json>> shards;  // shard.json of each folder, by shard number
  nlohmann::json first;                                       // the first folder's shard.json
  int count = 0;                                              // shards of the run
  std::string path;                                           // the batch file
  BatchLoad load;                                             // the batch, its overrides applied
  BatchRunOptions run;
  std::string fingerprint;
};

// Reads the shard folders and checks them: problems with the folders given
// (not a shard folder, shards of different runs, one given twice or
// missing, the batch changed since) are diagnostics (nullptr then); a
// shard.json that cannot be read or was not written by mfgsim throws
// std::runtime_error.
std::unique_ptr<MergePlan> plan_merge(const MergeOptions& options, Diagnostics& problems) {
  if (options.shards.empty()) {
    problems.error(kCommandLine, "merge needs shard folders (mfgsim merge DIR...)");
    return nullptr;
  }
  auto plan = std::make_unique<MergePlan>();
  auto& shards = plan->shards;
  nlohmann::json& first = plan->first;
  for (const fs::path& dir : options.shards) {
    const fs::path file = dir / "shard.json";
    if (!fs::exists(file)) {
      problems.error(kCommandLine,
                     dir.string() + ": not a shard folder (no shard.json; made by mfgsim batch --shard K/N)");
      continue;
    }
    nlohmann::json j = read_json(file);
    const auto problem = [&](const std::string& text) { problems.error(kCommandLine, file.string() + ": " + text); };
    try {
      if (j.at("program") != "mfgsim") throw std::runtime_error(file.string() + ": not written by mfgsim");
      const int k = j.at("shard").get<int>(), count = j.at("shards").get<int>();
      if (first.is_null()) first = j;
      if (j.at("version") != first.at("version"))
        problem("written by mfgsim " + j.at("version").get<std::string>() + ", " + options.shards.front().string() +
                " by " + first.at("version").get<std::string>());
      else if (const auto changed = changed_inputs(first.at("inputs"), j.at("inputs"), "in " + options.shards.front().string(), "here");
               !changed.empty())
        problem("this shard read other input files than " + options.shards.front().string() + ": " + changed +
                "; re-run the shards on the same files");
      else if (j.at("fingerprint") != first.at("fingerprint"))
        problem("a shard of another batch or other options than " + options.shards.front().string() +
                " (fingerprints differ)");
      else if (count != first.at("shards").get<int>())
        problem("shard " + std::to_string(k) + " of " + std::to_string(count) + ", but " +
                options.shards.front().string() + " is one of " + std::to_string(first.at("shards").get<int>()));
      else if (!shards.emplace(k, std::make_pair(dir, j)).second)
        problem("shard " + std::to_string(k) + " given twice (also " + shards.at(k).first.string() + ")");
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(file.string() + ": " + e.what());
    }
  }
  if (!problems.ok()) return nullptr;
  const int count = plan->count = first.at("shards").get<int>();
  std::string missing;
  for (int k = 1; k <= count; ++k)
    if (!shards.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
  if (!missing.empty()) {
    problems.error(kCommandLine, "shards missing: " + missing + " of " + std::to_string(count) +
                                     " (merge needs every shard of the batch)");
    return nullptr;
  }

  // The batch, as the shards ran it.
  const std::string& path = plan->path = options.batch_path.value_or(first.at("batch_file").get<std::string>());
  plan->load = load_batch(path);
  if (!plan->load.batch) {
    problems.error(kCommandLine, "cannot load the shards' batch " + path + ":\n" + plan->load.diagnostics.format());
    return nullptr;
  }
  Batch& batch = *plan->load.batch;
  std::optional<std::int64_t> members;
  std::optional<std::uint64_t> seed;
  if (first.contains("members")) members = first.at("members").get<std::int64_t>();
  if (first.contains("seed")) seed = first.at("seed").get<std::uint64_t>();
  apply_overrides(batch, members, seed);
  BatchRunOptions& run = plan->run;
  run.keep_members = first.at("keep_members").get<bool>();
  run.summary_bytes = first.at("summary_bytes").get<std::uint64_t>();
  run.block_size = first.at("block_size").get<int>();
  const std::string& fingerprint = plan->fingerprint = batch_fingerprint(batch, run);
  if (const auto changed = changed_inputs(first.at("inputs"), batch_input_hashes(batch)); !changed.empty()) {
    problems.error(kCommandLine, "input files changed since the shards ran: " + changed +
                                     "; re-run the shards (merge never mixes results of other inputs)");
    return nullptr;
  }
  if (fingerprint != first.at("fingerprint").get<std::string>()) {
    problems.error(kCommandLine, path + ": the batch or its scenario files changed since the shards ran (fingerprint " +
                                     fingerprint.substr(0, 12) + ", shards " +
                                     first.at("fingerprint").get<std::string>().substr(0, 12) + ")");
    return nullptr;
  }
  // Every scenario's record, in the shard that ran it.
  for (std::size_t k = 0; k < batch.entries.size(); ++k) {
    const fs::path& dir = shards.at(static_cast<int>(k % static_cast<std::size_t>(count)) + 1).first;
    if (!fs::exists(record_path(dir / "records", k)))
      problems.error(kCommandLine, dir.string() + ": scenario " + std::to_string(k) + " (" +
                                       batch.entries[k].scenario.name + ") has no record");
  }
  if (!problems.ok()) return nullptr;
  return plan;
}

}  // namespace

namespace {
// What a batch run reads: the batch file, its scenario files and their data tables.
std::vector<fs::path> batch_inputs(const Batch& batch) {
  std::vector<fs::path> inputs(batch.files.begin(), batch.files.end());
  inputs.emplace_back(batch.path);
  inputs.insert(inputs.end(), batch.data_files.begin(), batch.data_files.end());
  return inputs;
}
}  // namespace

Diagnostics validate_batch_output(const Batch& batch, const BatchJobOptions& job) {
  const bool shard = job.shards > 0;
  Diagnostics problems = validate_output_target(
      {job.out, OutputTarget::Kind::folder, shard ? "shard.json" : "manifest.json", shard ? "" : "batch"},
      batch_inputs(batch));
  // A seed for a batch none of whose scenarios draws random numbers would be
  // silently ignored (as `run --seed` on such a scenario is refused).
  if (job.seed && std::none_of(batch.entries.begin(), batch.entries.end(),
                               [](const BatchEntry& e) { return e.scenario.ensemble.stochastic; }))
    problems.error(SourceLocation{"mfgsim"},
                   "seed applies to stochastic runs only: every scenario of batch '" + batch.name +
                       "' sets ensemble.stochastic: false, so no random numbers are drawn");
  // --resume continues only from records of the same inputs.
  const fs::path inputs_file = checkpoint_dir(job.out) / kCheckpointInputs;
  std::error_code ec;
  if (problems.ok() && job.resume && fs::exists(inputs_file, ec)) {
    const auto changed = changed_inputs(read_json(inputs_file), batch_input_hashes(batch));
    if (!changed.empty())
      problems.error(SourceLocation{"mfgsim"}, "--resume: input files changed since the checkpoint " +
                                                   checkpoint_dir(job.out).string() + " was written: " + changed +
                                                   "; run without --resume to start afresh from these files");
  }
  // ... and computed with these options: records of other options (members,
  // seed, outputs, --keep-members) would all be dropped, the --resume typed
  // silently ignored.
  const fs::path ckpt = checkpoint_dir(job.out);
  if (problems.ok() && job.resume && fs::exists(ckpt / "lock", ec)) {
    std::size_t present = 0;
    for (std::size_t k = 0; k < batch.entries.size(); ++k) present += fs::exists(record_path(ckpt, k), ec) ? 1 : 0;
    if (present > 0 && count_records_of(ckpt, batch_fingerprint(batch, job.run), batch) == 0)
      problems.error(SourceLocation{"mfgsim"},
                     fmt::format("--resume: none of the {} scenario(s) recorded in the checkpoint {} was run with "
                                 "these options (members, seed, outputs or --keep-members differ from the "
                                 "interrupted run's): give its options, or run without --resume to start afresh",
                                 present, ckpt.string()));
  }
  return problems;
}

Diagnostics validate_merge(const MergeOptions& options) {
  Diagnostics problems;
  const std::unique_ptr<MergePlan> plan = plan_merge(options, problems);
  if (!plan) return problems;
  // The result replaces only an earlier batch result (merge writes what
  // mfgsim batch writes); it must not be or contain a shard folder read.
  std::vector<fs::path> inputs = batch_inputs(*plan->load.batch);
  inputs.insert(inputs.end(), options.shards.begin(), options.shards.end());
  const fs::path out = options.out.empty() ? fs::path("out") / plan->load.batch->name : options.out;
  problems.append(validate_output_target({out, OutputTarget::Kind::folder, "manifest.json", "batch"}, inputs));
  return problems;
}

fs::path merge_shards(const MergeOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const std::string started = utc_now();
  Diagnostics problems;
  const std::unique_ptr<MergePlan> plan = plan_merge(options, problems);
  if (!plan) throw std::invalid_argument("merge_shards: shard folders validate_merge rejects:\n" + problems.format());
  const auto& shards = plan->shards;
  const int count = plan->count;
  const std::string& path = plan->path;
  const std::string& fingerprint = plan->fingerprint;
  const BatchRunOptions& run = plan->run;
  const Batch& batch = *plan->load.batch;

  const fs::path out = options.out.empty() ? fs::path("out") / batch.name : options.out;
  OutputDir output(out);
  ResultWriter writer(batch, output.staging(), fingerprint, run.keep_members, path, options.allow_failed_scenarios,
                      options.notice);
  ProgressCounter progress(options.on_progress, batch.name + " merge", static_cast<std::int64_t>(batch.entries.size()),
                           "scenarios");
  for (std::size_t k = 0; k < batch.entries.size(); ++k) {
    const int shard = static_cast<int>(k % static_cast<std::size_t>(count)) + 1;
    const fs::path records = shards.at(shard).first / "records";
    writer.add_record(records, k);
    progress.advance();
    throw_if_interrupted();
  }
  progress.finish();
  writer.close();
  nlohmann::json manifest = batch_manifest(batch, path, writer.exact(), writer.failed_members());
  nlohmann::json execution = {{"merged_shards", count}, {"started_utc", started}};
  for (const auto& [k, shard] : shards) execution["shards"].push_back(shard.second.at("execution"));
  execution["wall_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  manifest["execution"] = execution;
  write_json_file(output, "manifest.json", manifest);
  throw_if_interrupted();
  output.commit();
  return output.target();
}

}  // namespace mfgsim
