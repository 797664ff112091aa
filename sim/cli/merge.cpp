// mfgsim merge DIR...: the shard folders of mfgsim batch --shard K/N joined
// into one result folder.
#include <spdlog/spdlog.h>

#include "sim/batch/batch_job.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"

namespace mfgsim::cli {

static void declare_options(CommandOptions& options) {
  options.arguments("shards", "shard folders", "merge needs shard folders (mfgsim merge DIR...)")
      .out("result folder (default out/<batch name>)")
      .option<std::string>("batch", "the batch file (default: the path recorded in shard.json)")
      .flag("allow-failed-scenarios", "write the result even if every member of some scenario failed (as batch)")
      .progress("auto, bar, log, off");
}

static int execute(const po::variables_map& vm) {
  MergeOptions merge;
  for (const std::string& dir : vm["shards"].as<std::vector<std::string>>()) merge.shards.emplace_back(dir);
  merge.out = out_option(vm, {});
  assign_if_given(vm, "batch", merge.batch_path);
  merge.allow_failed_scenarios = vm["allow-failed-scenarios"].as<bool>();
  const ProgressBar::Mode mode = progress_option(vm);
  // Exit 1, as merge has always reported shard folders that do not fit.
  if (!report(validate_merge(merge))) return kExitUsage;
  ProgressBar progress(mode);
  merge.on_progress = progress.callback();
  merge.notice = print_notice;
  const std::filesystem::path out = merge_shards(merge);
  spdlog::info("merged {} shard(s) into {}", merge.shards.size(), out.string());
  return kExitOk;
}

const Command merge_command{
    "merge", "merge DIR...", "join the shard folders of mfgsim batch --shard K/N into one result",
    "mfgsim merge SHARD_DIR... [options]", declare_options,
    "\nJoins the folders of mfgsim batch --shard 1/N ... N/N into one result folder, the\n"
    "same files as an unsharded run. Checks that the shards are all N of one batch run with\n"
    "the same options and that the batch and scenario files are unchanged.\n",
    execute};

}  // namespace mfgsim::cli
