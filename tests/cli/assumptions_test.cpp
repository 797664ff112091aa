// Assumptions in the results (issue 13, item 6): every lever is a reported
// series equal to the scenario's schedule month by month, and each member's
// drawn `uncertain:` values are written (draws.csv, results.nc) as the run
// used them.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// Months since 2021-01 of "YYYY-MM".
int month_index(const std::string& ym) { return (std::stoi(ym.substr(0, 4)) - 2021) * 12 + std::stoi(ym.substr(5)) - 1; }

// scenarios/low_carbon_push.yaml over the baseline's schedules: every month's
// lever as the files write it.
std::map<std::string, double> expected_levers(int t) {
  // Baseline carbon price steps before 2024-01; the push's ramp from 96 (2024-01) to 300 (2030-12).
  const double carbon = t < 6 ? 0 : t < 12 ? 48 : t < 24 ? 55 : t < 36 ? 60 : 96 + (300.0 - 96) * (t - 36) / 83.0;
  // Baseline ramp 0 (2021-01) -> 0.25 (2025-12) before 2024-01; the push's ramp 0.1525 -> 0.50 by 2025-12, then held.
  const double push = t < 36 ? 0.25 * t / 59.0 : t < 59 ? 0.1525 + (0.50 - 0.1525) * (t - 36) / 23.0 : 0.50;
  return {{"carbon_price", carbon},
          {"retrofit_push", push},
          {"recycling_target", t < 36 ? 0.80 : 0.90},
          {"long_term_growth", 0.03},
          {"innovation_p", 0.01}};
}

TEST(CliAssumptions, LeverSeriesEqualTheSchedulesMonthByMonth) {
  TempDir dir;
  const Result run = mfgsim("run scenarios/low_carbon_push.yaml --deterministic --log-level warn --outputs "
                            "carbon_price,retrofit_push,recycling_target,long_term_growth,innovation_p --out " +
                            shell_quote(dir / "push"));
  ASSERT_EQ(run.code, 0) << describe(run);
  const std::vector<std::string> lines = text_lines(read_file(dir.path() / "push" / "summary.csv"));
  ASSERT_EQ(lines.size(), 1u + 5 * 120);
  std::map<std::string, std::string> units;
  for (std::size_t k = 1; k < lines.size(); ++k) {
    const std::vector<std::string> f = csv_fields(lines[k]);
    ASSERT_EQ(f.size(), 12u) << lines[k];
    const int t = month_index(f[1]);
    const double expected = expected_levers(t).at(f[3]);
    EXPECT_NEAR(std::stod(f[5]), expected, 1e-12 * std::max(1.0, expected)) << f[3] << " " << f[1];
    EXPECT_EQ(f[6], "") << "one member: no standard error";
    units[f[3]] = f[4];
  }
  EXPECT_EQ(units, (std::map<std::string, std::string>{{"carbon_price", "t-1"},
                                                       {"retrofit_push", "year-1"},
                                                       {"recycling_target", "1"},
                                                       {"long_term_growth", "year-1"},
                                                       {"innovation_p", "year-1"}}));
  // No draws in a deterministic run: no draws.csv.
  EXPECT_FALSE(fs::exists(dir.path() / "push" / "draws.csv"));
}

// A lever drawn per member: draws.csv holds each member's value, inside the
// declared bounds, and the lever series of that member (members.csv) is that
// value in every month: what the run used.
TEST(CliAssumptions, DrawsAreWhatEachMemberRanWith) {
  TempDir dir;
  {
    std::ofstream scenario(dir / "drawn.yaml");
    scenario << "name: drawn\nextends: " << kSource << "/scenarios/baseline.yaml\n"
             << "uncertain:\n  low_carbon.recycling_target: {dist: uniform, low: 0.85, high: 0.95}\n";
  }
  const Result run = mfgsim("run " + shell_quote(dir / "drawn.yaml") +
                            " --members 40 --seed 3 --keep-members --outputs recycling_target --log-level warn --out " +
                            shell_quote(dir / "out"));
  ASSERT_EQ(run.code, 0) << describe(run);
  const std::vector<std::string> draws = text_lines(read_file(dir.path() / "out" / "draws.csv"));
  ASSERT_EQ(draws.size(), 41u);
  EXPECT_EQ(draws[0],
            "member,intelligent_manufacturing.imitation_q,sector_overrides.equipment.tfp_gain,lending.green_tilt,"
            "low_carbon.recycling_target");
  std::map<std::string, std::string> drawn;  // member -> recycling target drawn
  for (std::size_t k = 1; k < draws.size(); ++k) {
    const std::vector<std::string> f = csv_fields(draws[k]);
    ASSERT_EQ(f.size(), 5u);
    EXPECT_EQ(f[0], std::to_string(k - 1));
    const double q = std::stod(f[1]), gain = std::stod(f[2]), tilt = std::stod(f[3]), target = std::stod(f[4]);
    EXPECT_TRUE(q >= 0.15 && q <= 0.4) << q;           // triangular(0.15, 0.25, 0.4)
    EXPECT_TRUE(gain >= 0.02 && gain <= 0.5) << gain;  // lognormal within bounds [0.02, 0.5]
    EXPECT_TRUE(tilt >= 0 && tilt <= 1) << tilt;       // uniform(0, 1)
    EXPECT_TRUE(target >= 0.85 && target <= 0.95) << target;
    drawn[f[0]] = f[4];
  }
  const std::vector<std::string> members = text_lines(read_file(dir.path() / "out" / "members.csv"));
  ASSERT_EQ(members.size(), 1u + 40 * 120);
  for (std::size_t k = 1; k < members.size(); ++k) {
    const std::vector<std::string> f = csv_fields(members[k]);  // scenario,member,month,sector,variable,value
    ASSERT_EQ(f[4], "recycling_target");
    EXPECT_EQ(f[5], drawn.at(f[1])) << members[k];
  }
  // The draws differ between members, and the seed alone keys them: the same in a second run.
  EXPECT_NE(drawn.at("0"), drawn.at("1"));
  const Result again = mfgsim("run " + shell_quote(dir / "drawn.yaml") +
                              " --members 40 --seed 3 --outputs co2 --log-level warn --out " + shell_quote(dir / "again"));
  ASSERT_EQ(again.code, 0) << describe(again);
  EXPECT_EQ(read_file(dir.path() / "again" / "draws.csv"), read_file(dir.path() / "out" / "draws.csv"));
}

// A batch writes every scenario's draws, with a scenario column: the rows
// of a scenario are its run's draws.csv.
TEST(CliAssumptions, BatchDrawsEqualTheRunsDraws) {
  TempDir dir;
  {
    std::ofstream batch(dir / "b.yaml");
    batch << "name: b\nscenarios:\n  - " << kSource << "/scenarios/baseline.yaml\n  - " << kSource
          << "/scenarios/low_carbon_push.yaml\nmembers: 5\nseed: 9\noutputs: [co2]\n";
  }
  const Result batch = mfgsim("batch " + shell_quote(dir / "b.yaml") + " --progress off --log-level warn --out " +
                              shell_quote(dir / "batch"));
  ASSERT_EQ(batch.code, 0) << describe(batch);
  const Result run = mfgsim("run scenarios/baseline.yaml --members 5 --seed 9 --outputs co2 --log-level warn --out " +
                            shell_quote(dir / "run"));
  ASSERT_EQ(run.code, 0) << describe(run);
  const std::vector<std::string> batch_rows = text_lines(read_file(dir.path() / "batch" / "draws.csv"));
  const std::vector<std::string> run_rows = text_lines(read_file(dir.path() / "run" / "draws.csv"));
  ASSERT_EQ(batch_rows.size(), 1u + 2 * 5);
  ASSERT_EQ(run_rows.size(), 1u + 5);
  EXPECT_EQ(batch_rows[0], "scenario," + run_rows[0]);
  for (int m = 0; m < 5; ++m) {
    EXPECT_EQ(batch_rows[1 + m], "baseline," + run_rows[1 + m]);
    // low_carbon_push removes the green tilt's draw: that field is empty, the others are the baseline's.
    std::vector<std::string> push = csv_fields(batch_rows[6 + m]), base = csv_fields(run_rows[1 + m]);
    ASSERT_EQ(push.size(), 5u);
    EXPECT_EQ(push[0], "low_carbon_push");
    EXPECT_EQ(push[2], base[1]);
    EXPECT_EQ(push[3], base[2]);
    EXPECT_EQ(push[4], "");
  }
}

}  // namespace
