// mfgsim compare DIR: a batch's scenarios against a baseline.
#include <spdlog/spdlog.h>

#include <iostream>
#include <sstream>

#include "sim/analysis/compare.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/io/output_dir.h"

namespace mfgsim::cli {

int compare_command(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim compare DIR [options]");
  opts.add_options()("dir", po::value<std::string>(), "output folder of mfgsim batch (holds results.nc)")(
      "baseline,b", po::value<std::string>(), "scenario compared against (default: `baseline`, else the first)")(
      "at", po::value<std::vector<std::string>>()->multitoken(),
      "months YYYY-MM (default: June of the run's third year and the last month)")(
      "series", po::value<std::vector<std::string>>()->multitoken(), "headline series (default: all kept)")(
      "scenarios", po::value<std::vector<std::string>>()->multitoken(), "scenarios compared (default: all)")(
      "top", po::value<int>()->default_value(10), "sweep samples shown per table (best ranks; 0: all)")(
      "out,o", po::value<std::string>(), "CSV to write (default DIR/compare.csv)");
  const auto vm = parse_command(
      args, opts, positional("dir"),
      "\nFor each scenario against the baseline and each headline series and month: the median\n"
      "and 5-95% band of the paired member-by-member difference (member k of every scenario of a\n"
      "batch drew the same random numbers), the probability that the scenario beats the\n"
      "baseline (higher is better, except co2 and energy; ties count one half), and a ranking by\n"
      "median difference. Writes compare.csv and prints a table (ratios in percentage points).\n");
  if (!vm) return kExitOk;
  if (!vm->count("dir")) throw UsageError("compare needs a batch output folder (mfgsim compare DIR)");
  CompareRequest request;
  request.results_dir = (*vm)["dir"].as<std::string>();
  if (vm->count("baseline")) request.baseline = (*vm)["baseline"].as<std::string>();
  if (vm->count("at")) request.months = (*vm)["at"].as<std::vector<std::string>>();
  if (vm->count("series")) request.series = (*vm)["series"].as<std::vector<std::string>>();
  if (vm->count("scenarios")) request.scenarios = (*vm)["scenarios"].as<std::vector<std::string>>();
  const int top = (*vm)["top"].as<int>();
  if (top < 0) throw UsageError("--top must be >= 0");
  Comparison comparison;
  try {
    comparison = compare_batch(request);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  const std::filesystem::path out = out_option(*vm, std::filesystem::path(request.results_dir) / "compare.csv");
  std::ostringstream csv;
  write_comparison_csv(csv, comparison);
  write_file_atomically(out, csv.str());
  std::cout << comparison_table(comparison, top);
  spdlog::info("compare: {} rows in {}", comparison.rows.size(), out.string());
  return kExitOk;
}

}  // namespace mfgsim::cli
