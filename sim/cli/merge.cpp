// mfgsim merge DIR...: the shard folders of mfgsim batch --shard K/N joined
// into one result folder.
#include <spdlog/spdlog.h>

#include "sim/batch/batch_job.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"

namespace mfgsim::cli {

int merge_command(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim merge SHARD_DIR... [options]");
  opts.add_options()("shards", po::value<std::vector<std::string>>()->multitoken(), "shard folders")(
      "out,o", po::value<std::string>(), "result folder (default out/<batch name>)")(
      "batch", po::value<std::string>(), "the batch file (default: the path recorded in shard.json)")(
      "progress", po::value<std::string>()->default_value("auto"), "auto, bar, log, off");
  const auto vm = parse_command(args, opts, positional("shards", -1),
                                "\nJoins the folders of mfgsim batch --shard 1/N ... N/N into one result folder, the\n"
                                "same files as an unsharded run. Checks that the shards are all N of one batch run with\n"
                                "the same options and that the batch and scenario files are unchanged.\n");
  if (!vm) return kExitOk;
  if (!vm->count("shards")) throw UsageError("merge needs shard folders (mfgsim merge DIR...)");
  MergeOptions merge;
  for (const std::string& dir : (*vm)["shards"].as<std::vector<std::string>>()) merge.shards.emplace_back(dir);
  merge.out = out_option(*vm, {});
  if (vm->count("batch")) merge.batch_path = (*vm)["batch"].as<std::string>();
  ProgressBar progress(progress_option(*vm));
  merge.on_progress = progress.callback();
  merge.notice = print_notice;
  const std::filesystem::path out = merge_shards(merge);
  spdlog::info("merged {} shard(s) into {}", merge.shards.size(), out.string());
  return kExitOk;
}

}  // namespace mfgsim::cli
