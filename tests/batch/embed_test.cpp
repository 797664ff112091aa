// sim/batch/embed.h: a scenario from text, with `extends` resolved against
// its base folder, runs into memory with the numbers of the same run in a
// file; bad text and bad options come back as values, before any work.
#include "sim/batch/embed.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mfgsim {
namespace {

const std::string kSource = MFGSIM_SOURCE_DIR;

const ResultsVariable& variable(const ResultsMemory& results, const std::string& name) {
  for (std::size_t v = 0; v < results.variable_count(); ++v)
    if (results.variable(v).name == name) return results.variable(v);
  throw std::logic_error("no variable " + name);
}

TEST(Embed, TextScenarioWithExtendsEqualsTheFileItExtends) {
  RunOptions options;
  options.members = 6;
  options.seed = 4;
  options.outputs = std::vector<std::string>{"co2", "manufacturing_va_ytd_yoy"};
  options.keep_members = true;
  const EmbeddedRun text =
      run_to_memory({"", "name: copy\nextends: baseline.yaml\n", "<text>", kSource + "/scenarios"}, options, "");
  ASSERT_TRUE(text.diagnostics.ok()) << text.diagnostics.format();
  ASSERT_TRUE(text.results);
  const EmbeddedRun file = run_to_memory({kSource + "/scenarios/baseline.yaml", "", "", ""}, options, "");
  ASSERT_TRUE(file.results);
  // Same seed, same parameters: the same numbers, NaN where undefined.
  for (const char* name : {"co2_members", "manufacturing_va_ytd_yoy", "co2_by_sector_mean"}) {
    const std::vector<double>& a = variable(*text.results, name).numbers;
    const std::vector<double>& b = variable(*file.results, name).numbers;
    ASSERT_EQ(a.size(), b.size()) << name;
    for (std::size_t k = 0; k < a.size(); ++k)
      EXPECT_TRUE(a[k] == b[k] || (std::isnan(a[k]) && std::isnan(b[k]))) << name << " " << k;
  }
  EXPECT_EQ(variable(*text.results, "scenario").strings, (std::vector<std::string>{"copy"}));
  EXPECT_EQ(variable(*text.results, "source").strings, (std::vector<std::string>{"<text>"}));  // the text's name
  EXPECT_EQ(variable(*text.results, "member").counts.size(), 6u);
}

TEST(Embed, BadTextAndBadOptionsComeBackAsValues) {
  const EmbeddedRun bad =
      run_to_memory({"", "name: x\nextends: baseline.yaml\nlendng: {}\n", "<text>", kSource + "/scenarios"},
                    RunOptions{}, "");
  EXPECT_FALSE(bad.results);
  EXPECT_EQ(bad.diagnostics.format(), "<text>:3:1: error: unknown key `lendng` (did you mean `lending`?)\n");
  RunOptions zero;
  zero.members = 0;
  const EmbeddedRun option = run_to_memory({kSource + "/scenarios/baseline.yaml", "", "", ""}, zero, "--");
  EXPECT_FALSE(option.results);
  EXPECT_EQ(option.option_error, "--members must be in [1, 10000000]");
  // The same ranges as the command line's (sim/core/range.h), for runs and batches.
  RunOptions many;
  many.threads = 1025;
  EXPECT_EQ(run_to_memory({kSource + "/scenarios/baseline.yaml", "", "", ""}, many, "").option_error,
            "threads must be in [0, 1024] (0: all cores)");
  EmbeddedBatchOptions batch;
  batch.summary_memory_mib = (std::uint64_t{1} << 24) + 1;
  EXPECT_EQ(run_batch_to_folder(kSource + "/tests/golden/batch_sweeps/batch.yaml", batch, "").option_error,
            "summary-memory must be in [1, 16777216] MiB");
  RunOptions both;
  both.deterministic = true;
  both.members = 2;
  EXPECT_EQ(run_to_memory({kSource + "/scenarios/baseline.yaml", "", "", ""}, both, "").option_error,
            "deterministic runs exactly one member; do not combine it with members");
}

}  // namespace
}  // namespace mfgsim
