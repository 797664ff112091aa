// Numbers the README shows are the program's (its "every number from a
// script, checked by a test" rule): the table of option ranges against
// --help, the sweep example's comparison table (scripts/readme_levers.sh)
// and discovery tables (scripts/readme_discover.sh) against fresh runs of
// the levers batch, the walkthrough "Change an assumption"
// (scripts/readme_walkthrough.sh): its commands run, its table; and the
// whole-job performance table (scripts/perf_table.sh) against the script's jobs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// The data behind a README picture, as this build draws them: the same
// words and the same numbers to 1e-9 relative (a sanitized build, which
// contracts floating-point operations differently, differs in the last
// bits; scripts/sanitize.sh runs these tests too).
void expect_same_data(const std::string& built, const std::string& committed, const std::string& regenerate,
                      double relative = 1e-9, double absolute = 0.0) {
  std::istringstream a(built), b(committed);
  std::string x, y;
  int k = 0;
  while (true) {
    const bool more_a = static_cast<bool>(a >> x), more_b = static_cast<bool>(b >> y);
    if (!more_a || !more_b) {
      EXPECT_EQ(more_a, more_b) << "one file is longer; " << regenerate;
      return;
    }
    ++k;
    char* end_x = nullptr;
    char* end_y = nullptr;
    const double u = std::strtod(x.c_str(), &end_x), v = std::strtod(y.c_str(), &end_y);
    if (*end_x == '\0' && *end_y == '\0' && !x.empty() && !y.empty()) {
      if (std::abs(u - v) > std::max(relative * std::max({1.0, std::abs(u), std::abs(v)}), absolute)) {
        ADD_FAILURE() << "word " << k << ": " << x << " vs " << y << "; " << regenerate;
        return;
      }
    } else if (x != y) {
      ADD_FAILURE() << "word " << k << ": " << x << " vs " << y << "; " << regenerate;
      return;
    }
  }
}


// Every row of the README's table of ranges ("Usage") is what --help says.
TEST(CliReadme, RangesTableMatchesTheHelp) {
  std::istringstream readme(read_file(kSource + "/README.md"));
  std::string line;
  int rows = 0;
  bool in_table = false;
  const std::regex backticked("`([^`]+)`"), range("[\\[(][0-9.]+, ([0-9.]+|inf)[\\])]");
  std::set<std::pair<std::string, std::string>> listed;  // (command, option)
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
        listed.emplace(command, option);
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
  EXPECT_EQ(rows, 23);
  // Complete: every option of every command whose --help states a range has its row.
  const Result usage = mfgsim("--help");
  ASSERT_EQ(usage.code, 0) << describe(usage);
  const std::regex command_line("\n  ([a-z]+) "), option_name("--[a-z-]+"),
      stated_range("; in [\\[(][^\\])]*[\\])]");
  int commands = 0, ranged = 0;
  for (auto c = std::sregex_iterator(usage.out.begin(), usage.out.end(), command_line); c != std::sregex_iterator(); ++c) {
    const std::string command = (*c)[1].str();
    ++commands;
    const Result help = mfgsim(command + " --help");
    ASSERT_EQ(help.code, 0) << describe(help);
    for (std::size_t at = help.out.find("\n  -"); at != std::string::npos;) {
      const std::size_t next = help.out.find("\n  -", at + 1);
      const std::string entry = squeezed(help.out.substr(at, next == std::string::npos ? std::string::npos : next - at));
      std::smatch name;
      if (std::regex_search(entry, stated_range) && std::regex_search(entry, name, option_name)) {
        ++ranged;
        EXPECT_TRUE(listed.contains({command, name.str()})) << command << " " << name.str() << " is not in the table:\n"
                                                            << entry;
      }
      at = next;
    }
  }
  EXPECT_EQ(commands, 13) << usage.out;
  EXPECT_EQ(ranged, static_cast<int>(listed.size()));
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
  // The difference chart's data ("Comparing forecasts").
  const Result plot = mfgsim("plot " + out + " --difference --series manufacturing_va_ytd_yoy --log-level warn --out " +
                             shell_quote(dir / "difference"));
  ASSERT_EQ(plot.code, 0) << describe(plot);
  expect_same_data(read_file(dir.path() / "difference" / "manufacturing_va_ytd_yoy_difference.dat"),
                   read_file(kSource + "/scenarios/batches/plots/levers_manufacturing_va_ytd_yoy_difference.dat"),
                   "regenerate with bash scripts/readme_levers.sh");
}

// The "Plots" pictures (scripts/readme_plots.sh): plotting the baseline as
// the README's first command runs it still draws the data committed beside
// each picture.
TEST(CliReadme, BaselinePlotsAreCurrent) {
  TempDir dir;
  const std::string out = shell_quote(dir / "baseline");
  const Result run = mfgsim("run scenarios/baseline.yaml --log-level warn --out " + out);
  ASSERT_EQ(run.code, 0) << describe(run);
  const Result plot = mfgsim("plot " + out + " --observed data/observed.csv --log-level warn --out " +
                             shell_quote(dir / "plots"));
  ASSERT_EQ(plot.code, 0) << describe(plot);
  const Result annual = mfgsim("plot " + out + " --observed data/observed.csv --series manufacturing_va_ytd_yoy" +
                               " --annual --log-level warn --out " + shell_quote(dir / "annual"));
  ASSERT_EQ(annual.code, 0) << describe(annual);
  for (const std::string stem : {"manufacturing_va_ytd_yoy", "co2", "targets", "published"})
    expect_same_data(read_file(dir.path() / "plots" / (stem + ".dat")), read_file(kSource + "/scenarios/plots/" + stem + ".dat"),
                     stem + ": regenerate with bash scripts/readme_plots.sh");
  expect_same_data(read_file(dir.path() / "annual" / "manufacturing_va_ytd_yoy_annual.dat"),
                   read_file(kSource + "/scenarios/plots/manufacturing_va_ytd_yoy_annual.dat"),
                   "regenerate with bash scripts/readme_plots.sh");
}

// The "Sensitivity" table (scripts/readme_plots.sh prints it).
TEST(CliReadme, MorrisTableIsCurrent) {
  TempDir dir;
  const std::string command = "sensitivity scenarios/baseline.yaml --method morris --parameters calibration --at 2023-06";
  const Result r = mfgsim(command + " --log-level warn --out " + shell_quote(dir / "morris"));
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string readme = read_file(kSource + "/README.md");
  const std::size_t at = readme.find("$ mfgsim " + command + "\n");
  ASSERT_NE(at, std::string::npos);
  const std::size_t begin = readme.find('\n', at) + 1;
  EXPECT_EQ(readme.substr(begin, readme.find("```", begin) - begin), r.out) << "regenerate with bash scripts/readme_plots.sh";
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
  const std::size_t at = backtest.out.find("11 figures (percentage points):");
  ASSERT_NE(at, std::string::npos) << describe(backtest);
  const std::string line = backtest.out.substr(at, backtest.out.find('\n', at) - at);
  EXPECT_NE(read_file(kSource + "/README.md").find("...\n" + line + "\n```"), std::string::npos)
      << "the README's backtest line differs from this build's: " << line;
}

// "Change an assumption": the commands of the section's ```sh block, run as
// written (out/ in a temporary folder), succeed, and the comparison they
// print is the README's.
TEST(CliReadme, WalkthroughIsCurrent) {
  TempDir dir;
  const std::string readme = read_file(kSource + "/README.md");
  const std::size_t section = readme.find("\n## Change an assumption\n");
  ASSERT_NE(section, std::string::npos);
  const std::size_t block = readme.find("```sh\n", section) + 6;
  const std::string commands = readme.substr(block, readme.find("```", block) - block);
  std::string compared, shown_command;
  int ran = 0;
  for (const std::string& line : text_lines(commands)) {
    ASSERT_EQ(line.rfind("mfgsim ", 0), 0u) << line;
    std::string args = line.substr(7);
    for (std::size_t at; (at = args.find("out/")) != std::string::npos;) args.replace(at, 4, dir.path().string() + "/");
    const Result r = mfgsim(args + " --log-level warn");
    ASSERT_EQ(r.code, 0) << line << "\n" << describe(r);
    if (args.rfind("compare ", 0) == 0) {
      compared = r.out;
      shown_command = line;
    }
    ++ran;
  }
  EXPECT_EQ(ran, 4);
  ASSERT_FALSE(compared.empty());
  EXPECT_TRUE(fs::exists(dir.path() / "carbon200" / "plots" / "carbon_price.png"));
  const std::size_t at = readme.find("$ " + shown_command + "\n", section);
  ASSERT_NE(at, std::string::npos);
  const std::size_t begin = readme.find('\n', at) + 1;
  EXPECT_EQ(readme.substr(begin, readme.find("```", begin) - begin), compared)
      << "regenerate with bash scripts/readme_walkthrough.sh";
}

// "The shipped baseline" calibration table (scripts/readme_calibrate.sh): the
// command as shown prints the README's table, all but the fit's wall time.
TEST(CliReadme, CalibrationTableIsCurrent) {
  TempDir dir;
  const Result r = mfgsim("calibrate scenarios/baseline.yaml --log-level warn --out " + shell_quote(dir / "c.yaml"));
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string readme = read_file(kSource + "/README.md");
  const std::string shown = "$ mfgsim calibrate scenarios/baseline.yaml --out out/baseline_calibrated.yaml\n";
  const std::size_t at = readme.find(shown);
  ASSERT_NE(at, std::string::npos);
  const std::size_t begin = at + shown.size();
  // The optimiser's path depends on the last bits of every run (a sanitized
  // build, or a change of the month loop's exp, takes a few more or fewer
  // steps to the same optimum): the count of evaluations and the wall time
  // are left out, and the printed numbers (6 and 3 significant digits, misses
  // to 0.001 point) agree to 1% or 0.001.
  const std::regex path(" after [0-9]+ evaluations in [0-9.]+ s \\(and [0-9]+ runs for the standard errors\\);");
  expect_same_data(std::regex_replace(r.out, path, " after - s;"),
                   std::regex_replace(readme.substr(begin, readme.find("```", begin) - begin), path, " after - s;"),
                   "regenerate with bash scripts/readme_calibrate.sh", 1e-2, 1e-3);
}

// The "Scenario discovery" tables and chart data (scripts/readme_discover.sh):
// discover on a fresh run of the levers batch prints what the README shows.
TEST(CliReadme, DiscoverExampleIsCurrent) {
  TempDir dir;
  const std::string out = shell_quote(dir / "levers");
  const Result batch = mfgsim("batch scenarios/batches/levers.yaml --progress off --log-level warn --out " + out);
  ASSERT_EQ(batch.code, 0) << describe(batch);
  const std::string readme = read_file(kSource + "/README.md");
  const std::string discover = "discover out/levers --series manufacturing_va_ytd_yoy --at 2030-12 --where ";
  for (const std::string& options : {std::string("'>= 0.07'"), std::string("'>= 0.065' --min-probability 0.5")}) {
    const std::string folder = options.size() > 10 ? "discover" : "discover_7";
    const Result r = mfgsim("discover " + out + " --series manufacturing_va_ytd_yoy --at 2030-12 --where " + options +
                            " --log-level warn --out " + shell_quote(dir / folder));
    ASSERT_EQ(r.code, 0) << describe(r);
    const std::string command = "$ mfgsim " + discover + options + "\n";
    EXPECT_NE(readme.find(command + r.out), std::string::npos)
        << "the README's table after `" << command << "` differs from this build's; regenerate with bash "
        << "scripts/readme_discover.sh:\n" << r.out;
  }
  expect_same_data(read_file(dir.path() / "discover" / "trajectory.dat"),
                   read_file(kSource + "/scenarios/batches/plots/levers_discover_trajectory.dat"),
                   "regenerate with bash scripts/readme_discover.sh");
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
  const std::regex row("\\n\\| `mfgsim (run [^`]+)` \\| [0-9.]+ s \\| [0-9.]+-[0-9.]+ s \\| [0-9]+ MiB \\| [0-9]+ \\|");
  for (auto it = std::sregex_iterator(readme.begin() + section, readme.begin() + next, row); it != std::sregex_iterator(); ++it)
    rows.push_back((*it)[1].str());
  EXPECT_EQ(rows, jobs) << "regenerate with bash scripts/perf_table.sh";
}

// The "Forecasting from the data" table (scripts/readme_forecast.sh): the
// shipped baseline conditioned on data/observed.csv up to 2023-06.
TEST(CliReadme, ForecastTableIsCurrent) {
  TempDir dir;
  const Result r = mfgsim("forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --out " +
                          shell_quote(dir / "forecast") + " --log-level warn");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string readme = read_file(kSource + "/README.md");
  const std::size_t at = readme.find(
      "$ mfgsim forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --out out/forecast\n");
  ASSERT_NE(at, std::string::npos);
  const std::size_t begin = readme.find('\n', at) + 1;
  EXPECT_EQ(readme.substr(begin, readme.find("```", begin) - begin), r.out)
      << "regenerate with bash scripts/readme_forecast.sh";
  // The fan chart beside it draws this forecast.
  const Result plot = mfgsim("plot " + shell_quote(dir / "forecast") + " --observed data/observed.csv --series "
                             "manufacturing_va_ytd_yoy --log-level error --out " + shell_quote(dir / "plots"));
  ASSERT_EQ(plot.code, 0) << describe(plot);
  expect_same_data(read_file(dir / "plots/manufacturing_va_ytd_yoy.dat"),
                   read_file(kSource + "/scenarios/plots/forecast_manufacturing_va_ytd_yoy.dat"),
                   "regenerate with bash scripts/readme_forecast.sh");
  EXPECT_NE(readme.find("](scenarios/plots/forecast_manufacturing_va_ytd_yoy.png)"), std::string::npos);
}

// The "Rolling-origin backtests" table and plot data (scripts/readme_backtest.sh).
TEST(CliReadme, RollingBacktestTableIsCurrent) {
  TempDir dir;
  const std::string command =
      "backtest scenarios/backtest_2019.yaml --observed data/industry_figures.csv data/observed.csv "
      "tests/data/later_figures.csv --origins 2021-06:2023-03:3 --members 10000 --sector-dof 3 --sector-sd-points 5 "
      "--obs-sd-points 1 --jitter-discount 0.95 --out ";
  const Result r = mfgsim(command + shell_quote(dir / "backtest") + " --log-level error");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string readme = read_file(kSource + "/README.md");
  const std::size_t at = readme.find("$ mfgsim " + command + "out/backtest\n");
  ASSERT_NE(at, std::string::npos);
  const std::size_t begin = readme.find('\n', at) + 1;
  EXPECT_EQ(readme.substr(begin, readme.find("```", begin) - begin), r.out)
      << "regenerate with bash scripts/readme_backtest.sh";
  // The plot's numbers, as scripts/readme_backtest.sh copied them.
  // To 1e-9 relative: the sanitized build (scripts/sanitize.sh) differs in
  // the last bits, as every README data check allows.
  expect_same_data(read_file(dir / "backtest/crps_by_origin.dat"),
                   read_file(kSource + "/scenarios/plots/backtest_crps_by_origin.dat"),
                   "regenerate with bash scripts/readme_backtest.sh");
}

// The same backtest with seeds 1 to 5, as scripts/readme_backtest_seeds.sh
// prints it and the README shows it. Five backtests of 10000 particles: not
// run under the sanitizers (scripts/sanitize.sh), which run the one above.
TEST(CliReadme, RollingBacktestAcrossSeedsIsCurrent) {
  const Result r = run_mfgsim("", kSource, "bash scripts/readme_backtest_seeds.sh ");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string readme = read_file(kSource + "/README.md");
  const std::string first_line = r.out.substr(0, r.out.find('\n') + 1);
  const std::size_t at = readme.find(first_line);
  ASSERT_NE(at, std::string::npos) << first_line;
  EXPECT_EQ(readme.substr(at, readme.find("```", at) - at), r.out)
      << "regenerate with bash scripts/readme_backtest.sh";
}

}  // namespace
