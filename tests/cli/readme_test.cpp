// Numbers the README shows are the program's (its "every number from a
// script, checked by a test" rule): the table of option ranges against
// --help, and the sweep example's comparison table (scripts/readme_levers.sh)
// against a fresh run of the levers batch, and the whole-job performance
// table (scripts/perf_table.sh) against the script's jobs.
#include <gtest/gtest.h>

#include <regex>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// Every row of the README's table of ranges ("Usage") is what --help says.
TEST(CliReadme, RangesTableMatchesTheHelp) {
  std::istringstream readme(read_file(kSource + "/README.md"));
  std::string line;
  int rows = 0;
  bool in_table = false;
  const std::regex backticked("`([^`]+)`"), range("\\[[0-9]+, [0-9]+\\]");
  while (std::getline(readme, line)) {
    if (line.find("| value | options | file keys | range |") != std::string::npos) in_table = true;
    else if (in_table && line.find("|---") != std::string::npos) continue;
    else if (in_table && line.find("  | ") != 0) break;
    else if (in_table) {
      std::vector<std::string> cells;
      for (std::size_t begin = line.find('|') + 1, end; (end = line.find('|', begin)) != std::string::npos; begin = end + 1)
        cells.push_back(line.substr(begin, end - begin));
      ASSERT_EQ(cells.size(), 4u) << line;
      std::vector<std::string> commands;
      std::string option;
      for (auto it = std::sregex_iterator(cells[1].begin(), cells[1].end(), backticked); it != std::sregex_iterator();
           ++it) {
        const std::string word = (*it)[1].str();
        if (word.starts_with("--")) option = word;
        else commands.push_back(word);
      }
      std::smatch stated;
      ASSERT_TRUE(std::regex_search(cells[3], stated, range)) << line;
      ASSERT_FALSE(option.empty()) << line;
      ASSERT_FALSE(commands.empty()) << line;
      for (const std::string& command : commands) {
        const Result help = mfgsim(command + " --help");
        ASSERT_EQ(help.code, 0) << describe(help);
        // The option's entry: from its line to the next option's.
        std::size_t at = help.out.find(option + " ]");
        if (at == std::string::npos) at = help.out.find("  " + option + " ");
        ASSERT_NE(at, std::string::npos) << command << " " << option << "\n" << help.out;
        const std::size_t next = help.out.find("\n  -", at);
        const std::string entry =
            squeezed(help.out.substr(at, next == std::string::npos ? std::string::npos : next - at));
        EXPECT_NE(entry.find("in " + stated.str()), std::string::npos)
            << command << " " << option << ": README says " << stated.str() << ", --help:\n" << entry;
      }
      ++rows;
    }
  }
  EXPECT_EQ(rows, 9);
}

// The "Comparing forecasts" table: the levers batch (260 scenarios x 50
// members, about 12 s on two cores) compared as the README shows it.
TEST(CliReadme, LeversComparisonTableIsCurrent) {
  TempDir dir;
  const std::string out = shell_quote(dir / "levers");
  const Result batch = mfgsim("batch scenarios/batches/levers.yaml --progress off --log-level warn --out " + out);
  ASSERT_EQ(batch.code, 0) << describe(batch);
  const Result compare = mfgsim("compare " + out + " --top 3 --series manufacturing_va_ytd_yoy --log-level warn --out " +
                                shell_quote(dir / "compare.csv"));
  ASSERT_EQ(compare.code, 0) << describe(compare);
  const std::string table = compare.out.substr(compare.out.find("sweep samples' parameters:"));
  const std::string readme = read_file(kSource + "/README.md");
  const std::size_t at = readme.find("$ mfgsim compare out/levers --top 3 --series manufacturing_va_ytd_yoy\n");
  ASSERT_NE(at, std::string::npos);
  const std::size_t begin = readme.find('\n', at) + 1;
  EXPECT_EQ(readme.substr(begin, readme.find("```", begin) - begin), table)
      << "regenerate with bash scripts/readme_levers.sh";
}

// The "Backtests" example: its summary line, as the README shows it.
TEST(CliReadme, BacktestExampleIsCurrent) {
  TempDir dir;
  const std::string out = shell_quote(dir / "bt");
  const Result run = mfgsim("run scenarios/baseline.yaml --members 200 --keep-members --log-level warn --out " + out);
  ASSERT_EQ(run.code, 0) << describe(run);
  const Result backtest = mfgsim("backtest " + out + " --observed data/observed.csv --log-level warn --out " +
                                 shell_quote(dir / "bt.csv"));
  ASSERT_EQ(backtest.code, 0) << describe(backtest);
  const std::size_t at = backtest.out.find("12 figures (percentage points):");
  ASSERT_NE(at, std::string::npos) << describe(backtest);
  const std::string line = backtest.out.substr(at, backtest.out.find('\n', at) - at);
  EXPECT_NE(read_file(kSource + "/README.md").find("...\n" + line + "\n```"), std::string::npos)
      << "the README's backtest line differs from this build's: " << line;
}

// The "Performance" table of whole-job timings has one row per job of
// scripts/perf_table.sh, in its order, and no other: the figures in it are
// the script's (timings themselves belong in benchmarks, not tests).
TEST(CliReadme, PerformanceTableRowsAreThePerfScriptsJobs) {
  const std::string script = read_file(kSource + "/scripts/perf_table.sh");
  const std::size_t at = script.find("\noutputs=");
  ASSERT_NE(at, std::string::npos);
  const std::string outputs = script.substr(at + 9, script.find('\n', at + 1) - at - 9);
  const std::size_t begin = script.find("\njobs=(\n"), end = script.find("\n)\n", begin);
  ASSERT_NE(begin, std::string::npos);
  std::vector<std::string> jobs;
  const std::regex job_line("\\n  \"([^\"]+)\"");
  for (auto it = std::sregex_iterator(script.begin() + begin, script.begin() + end, job_line); it != std::sregex_iterator(); ++it)
    jobs.push_back(std::regex_replace((*it)[1].str(), std::regex("\\$outputs"), outputs));
  ASSERT_GE(jobs.size(), 5u);
  const std::string readme = read_file(kSource + "/README.md");
  const std::size_t section = readme.find("\n## Performance\n"), next = readme.find("\n## ", section + 5);
  ASSERT_NE(section, std::string::npos);
  std::vector<std::string> rows;
  const std::regex row("\\n\\| `mfgsim (run [^`]+)` \\| [0-9.]+ s \\| [0-9.]+-[0-9.]+ s \\| [0-9]+ MiB \\|");
  for (auto it = std::sregex_iterator(readme.begin() + section, readme.begin() + next, row); it != std::sregex_iterator(); ++it)
    rows.push_back((*it)[1].str());
  EXPECT_EQ(rows, jobs) << "regenerate with bash scripts/perf_table.sh";
}

}  // namespace
