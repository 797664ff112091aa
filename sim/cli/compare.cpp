// mfgsim compare DIR...: a batch's scenarios, or runs', against a baseline.
#include <spdlog/spdlog.h>

#include <iostream>
#include <sstream>

#include "sim/analysis/compare.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/io/output_dir.h"

namespace mfgsim::cli {

// --top: any count of rows an int holds (0: all).
constexpr IntegerRange kTopRange{0, 2147483647};

static void declare_options(CommandOptions& options) {
  options.arguments("dirs", "output folder of mfgsim batch, or two or more of mfgsim run --keep-members",
                    "compare needs a batch output folder or two or more run folders (mfgsim compare DIR...)")
      .option<std::string>("baseline,b",
                           "scenario compared against (default: batch: `baseline`, else the first; runs: the first)")
      .option<std::vector<std::string>>("at",
                                        "months YYYY-MM (default: June of the run's third year and the last month)")
      .option<std::vector<std::string>>("series", "headline series (default: all kept)")
      .option<std::vector<std::string>>("scenarios", "scenarios compared (default: all)")
      .integer<int>("top", kTopRange, 10, "sweep samples shown per table (best ranks; 0: all)")
      .out("CSV to write (default DIR/compare.csv, the first DIR)");
}

static int execute(const po::variables_map& vm) {
  CompareRequest request;
  request.results_dirs = vm["dirs"].as<std::vector<std::string>>();
  assign_if_given(vm, "baseline", request.baseline);
  assign_if_given(vm, "at", request.months);
  request.refuse_undefined_months = true;
  assign_if_given(vm, "series", request.series);
  assign_if_given(vm, "scenarios", request.scenarios);
  const int top = vm["top"].as<int>();
  const std::filesystem::path out =
      out_option(vm, std::filesystem::path(request.results_dirs.front()) / "compare.csv");
  std::vector<std::filesystem::path> inputs;
  for (const std::string& dir : request.results_dirs) {
    const std::vector<std::filesystem::path> read = result_folder_inputs(dir);
    inputs.insert(inputs.end(), read.begin(), read.end());
  }
  Comparison comparison;
  try {
    // The folders first: a scenario file given as a folder is named as that,
    // not as a strange default --out beside it (found by a new user's trial).
    if (!report(validate_compare_request(request))) return kExitUsage;
    if (!report(validate_output_target({out, OutputTarget::Kind::file, kCompareMarker, "compare"}, inputs)))
      return kExitUsage;
    comparison = compare_batch(request);
  } catch (const std::runtime_error& e) {
    // A results.nc that does not read is reported as bad input (exit 2), as it always was.
    throw UsageError(e.what());
  }
  std::ostringstream csv;
  write_comparison_csv(csv, comparison);
  write_file_atomically(out, csv.str());
  record_written_file(out);
  std::cout << comparison_table(comparison, top);
  spdlog::info("compare: {} rows in {}", comparison.rows.size(), out.string());
  return kExitOk;
}

const Command compare_command{
    "compare", "compare DIR...",
    "a batch's (or runs') scenarios against a baseline: paired differences, P(better), ranks",
    "mfgsim compare DIR... [options]", declare_options,
    "\nDIR is a batch output folder, or two or more folders of mfgsim run --keep-members with\n"
    "the same seed, members and months (the first is the baseline). For each scenario against\n"
    "the baseline and each headline series and month: the median\n"
    "and 5-95% band of the paired member-by-member difference (member k of every scenario with\n"
    "the same seed drew the same random numbers), the probability that the scenario beats the\n"
    "baseline (higher is better, except co2 and energy; ties count one half), and a ranking by\n"
    "median difference. Writes compare.csv and prints a table (ratios in percentage points).\n",
    execute};

}  // namespace mfgsim::cli
