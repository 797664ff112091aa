// mfgsim compare on two or more `mfgsim run` folders (issue 13, item 5):
// the same paired differences as a batch of the same scenarios with the same
// seed, and runs that cannot be paired refused with both folders named.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// compare.csv rows keyed by series|month|scenario: the numbers from `pairs` on.
std::map<std::string, std::vector<std::string>> comparison_rows(const fs::path& csv) {
  std::map<std::string, std::vector<std::string>> rows;
  const std::vector<std::string> lines = text_lines(read_file(csv));
  EXPECT_FALSE(lines.empty());
  for (std::size_t k = 1; k < lines.size(); ++k) {
    const std::vector<std::string> f = csv_fields(lines[k]);
    rows[f[0] + "|" + f[1] + "|" + f[2]] = std::vector<std::string>(f.begin() + 7, f.end());
  }
  return rows;
}

const std::string kRunOptions = " --members 24 --seed 11 --keep-members --log-level warn";

TEST(CliCompareRuns, TwoRunsGiveTheBatchsPairedDifferences) {
  TempDir dir;
  const Result base = mfgsim("run scenarios/baseline.yaml" + kRunOptions + " --out " + shell_quote(dir / "base"));
  ASSERT_EQ(base.code, 0) << describe(base);
  const Result credit =
      mfgsim("run scenarios/credit_expansion.yaml" + kRunOptions + " --out " + shell_quote(dir / "credit"));
  ASSERT_EQ(credit.code, 0) << describe(credit);
  {
    std::ofstream batch(dir / "pair.yaml");
    batch << "name: pair\nscenarios:\n  - " << kSource << "/scenarios/baseline.yaml\n  - " << kSource
          << "/scenarios/credit_expansion.yaml\nmembers: 24\nseed: 11\n";
  }
  const Result batch = mfgsim("batch " + shell_quote(dir / "pair.yaml") + " --progress off --log-level warn --out " +
                              shell_quote(dir / "batch"));
  ASSERT_EQ(batch.code, 0) << describe(batch);

  // The eight headline series, which a batch keeps for every member.
  const std::string months =
      " --at 2023-06 2025-12 2030-12 --log-level warn --series manufacturing_va_ytd_yoy industry_va_ytd_yoy "
      "long_term_loans_yoy long_term_share recycling_ratio adoption co2 manufacturing_va";
  const Result runs = mfgsim("compare " + shell_quote(dir / "base") + " " + shell_quote(dir / "credit") + months +
                             " --out " + shell_quote(dir / "runs.csv"));
  ASSERT_EQ(runs.code, 0) << describe(runs);
  const Result batched = mfgsim("compare " + shell_quote(dir / "batch") + months + " --out " +
                                shell_quote(dir / "batch.csv"));
  ASSERT_EQ(batched.code, 0) << describe(batched);
  // The scenario's lever change is shown: long-term loan growth 3% -> 15% from 2024-01.
  EXPECT_NE(runs.out.find("credit_expansion                 long_term_growth (year-1) from 2024-01; 2023-06 0.03 -> "
                          "0.03; 2025-12 0.03 -> 0.15; 2030-12 0.03 -> 0.15"),
            std::string::npos)
      << runs.out;

  const auto from_runs = comparison_rows(dir / "runs.csv");
  const auto from_batch = comparison_rows(dir / "batch.csv");
  ASSERT_EQ(from_runs.size(), 8u * 3);  // eight headline series, three months, one scenario
  ASSERT_EQ(from_runs.size(), from_batch.size());
  int compared = 0;
  for (const auto& [key, values] : from_runs) {
    ASSERT_TRUE(from_batch.count(key)) << key;
    const std::vector<std::string>& other = from_batch.at(key);
    ASSERT_EQ(values.size(), other.size()) << key;
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (values[k].empty() || other[k].empty()) {
        EXPECT_EQ(values[k], other[k]) << key << " field " << k;
        continue;
      }
      const double a = std::stod(values[k]), b = std::stod(other[k]);
      EXPECT_NEAR(a, b, 1e-12 * std::max(1.0, std::fabs(b))) << key << " field " << k;
      ++compared;
    }
  }
  EXPECT_GT(compared, 100);
  // Not every difference is zero: the scenario changes something.
  EXPECT_NE(from_runs.at("long_term_loans_yoy|2030-12|credit_expansion")[1], "0");
}

TEST(CliCompareRuns, UnpairableRunsAreRefused) {
  TempDir dir;
  auto run = [&](const std::string& scenario, const std::string& options, const std::string& out) {
    const Result r = mfgsim("run scenarios/" + scenario + " --log-level warn " + options + " --out " +
                            shell_quote(dir / out));
    ASSERT_EQ(r.code, 0) << describe(r);
  };
  run("baseline.yaml", "--members 6 --seed 1 --keep-members", "base");
  run("credit_expansion.yaml", "--members 6 --seed 2 --keep-members", "seed2");
  run("credit_expansion.yaml", "--members 7 --seed 1 --keep-members", "members7");
  run("credit_expansion.yaml", "--deterministic --keep-members", "det");
  run("credit_expansion.yaml", "--members 6 --seed 1", "nomembers");
  const std::string base = (dir / "base");
  // Exit 2 with the message, nothing written, every input unchanged.
  auto refused = [&](const std::string& other, const std::string& message) {
    const auto before = snapshot(dir.path());
    const Result r = mfgsim("compare " + shell_quote(base) + " " + shell_quote((dir / other)) +
                            " --out " + shell_quote(dir / "c.csv"));
    EXPECT_EQ(r.code, 2) << describe(r);
    EXPECT_NE(r.err.find(message), std::string::npos) << describe(r);
    EXPECT_TRUE(snapshot(dir.path()) == before) << other;
  };
  const std::string pair = "mfgsim: error: " + base + " and " + (dir.path() / "").string();
  refused("seed2", pair + "seed2 cannot be paired member by member: seeds differ (1 and 2); run both with the same "
                          "--seed");
  refused("members7", pair + "members7 cannot be paired member by member: member counts differ (6 and 7)");
  refused("det", pair + "det cannot be paired member by member: stochastic settings differ (stochastic and "
                        "deterministic)");
  refused("nomembers", (dir.path() / "nomembers" / "results.nc").string() +
                           " holds no member values: re-run it with `mfgsim run SCENARIO --keep-members`");
  // A growth rate in the run's first year: no table of "undefined" rows
  // (found by a new user's trial); the same month for a level is fine.
  run("credit_expansion.yaml", "--members 6 --seed 1 --keep-members", "pair");
  const std::string both = shell_quote(base) + " " + shell_quote(dir / "pair");
  const Result first_year =
      mfgsim("compare " + both + " --at 2021-06 --series manufacturing_va_ytd_yoy --out " + shell_quote(dir / "c.csv"));
  EXPECT_EQ(first_year.code, 2) << describe(first_year);
  EXPECT_NE(first_year.err.find("mfgsim: error: --at: 2021-06 is in the run's first year, where "
                                "manufacturing_va_ytd_yoy (growth on the year before) is undefined: choose 2022-01 "
                                "or later"),
            std::string::npos)
      << describe(first_year);
  EXPECT_FALSE(fs::exists(dir / "c.csv"));
  const Result level = mfgsim("compare " + both + " --at 2021-06 --series co2 --out " + shell_quote(dir / "c.csv"));
  EXPECT_EQ(level.code, 0) << describe(level);
  // Only the baseline named: nothing to compare (it wrote a header-only
  // compare.csv over the earlier one; found by a new user's trial).
  const Result only_base = mfgsim("compare " + both + " --scenarios baseline --out " + shell_quote(dir / "c2.csv"));
  EXPECT_EQ(only_base.code, 2) << describe(only_base);
  EXPECT_NE(only_base.err.find("mfgsim: error: --scenarios: names only the baseline `baseline`, which the others are "
                               "compared against: name at least one other scenario (scenarios: baseline, "
                               "credit_expansion)"),
            std::string::npos)
      << describe(only_base);
  EXPECT_FALSE(fs::exists(dir / "c2.csv"));
  // A scenario file where a folder belongs: named as that, not as a default
  // --out beside it (found by a new user's trial).
  const Result file_given = mfgsim("compare scenarios/baseline.yaml " + shell_quote(base));
  EXPECT_EQ(file_given.code, 2) << describe(file_given);
  EXPECT_EQ(file_given.err.find("--out"), std::string::npos) << describe(file_given);
  EXPECT_NE(file_given.err.find("scenarios/baseline.yaml"), std::string::npos) << describe(file_given);
  // One run alone is not a comparison.
  const Result alone = mfgsim("compare " + shell_quote(base) + " --out " + shell_quote(dir / "c.csv"));
  EXPECT_EQ(alone.code, 2) << describe(alone);
  EXPECT_NE(alone.err.find("holds one `mfgsim run`: give two or more run folders"), std::string::npos)
      << describe(alone);
}

}  // namespace
