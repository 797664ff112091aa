// mfgsim forecast (sim/cli/forecast.cpp) through the binary: what it writes
// from the shipped baseline and data, the same bytes for 1 and 2 threads,
// and its refusals (exit 2, a clear message, nothing written).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

TEST(CliForecast, WritesTheMonthsAfterTheOriginAndTheEffectiveSampleSizes) {
  TempDir dir;
  const Result r = mfgsim("forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --out " +
                          dir / "f" + " --threads 2");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::vector<std::string> summary = text_lines(read_file(dir / "f/summary.csv"));
  ASSERT_GT(summary.size(), 1u);
  EXPECT_EQ(summary[0], "scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95");
  std::string first = "9999-99", last = "0000-00";
  for (std::size_t k = 1; k < summary.size(); ++k) {
    const std::string month = csv_fields(summary[k])[1];
    first = std::min(first, month);
    last = std::max(last, month);
  }
  EXPECT_EQ(first, "2023-07");
  EXPECT_EQ(last, "2030-12");
  const std::vector<std::string> ess = text_lines(read_file(dir / "f/ess.csv"));
  ASSERT_EQ(ess.size(), 4u);  // header, 2022-12, 2023-03, 2023-06: the months with usable figures
  EXPECT_EQ(ess[0], "month,figures,ess,resampled,log_likelihood_increment,lineages");
  EXPECT_EQ(csv_fields(ess[1])[0], "2022-12");
  EXPECT_EQ(csv_fields(ess[3])[0], "2023-06");
  EXPECT_EQ(csv_fields(ess[3])[3], "yes");  // the last month with figures is always resampled
  // Lineages never grow, and are at most the members (the baseline's 500).
  for (std::size_t k = 1; k < ess.size(); ++k) {
    const long lineages = std::stol(csv_fields(ess[k])[5]);
    EXPECT_GE(lineages, 1);
    EXPECT_LE(lineages, k == 1 ? 500 : std::stol(csv_fields(ess[k - 1])[5]));
  }
  const std::string manifest = read_file(dir / "f/manifest.json");
  EXPECT_NE(manifest.find("\"command\": \"forecast\""), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("\"origin\": \"2023-06\""), std::string::npos) << manifest;
  // A second forecast replaces the first (same command).
  EXPECT_EQ(mfgsim("forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --out " + dir / "f" +
                   " --members 20")
                .code,
            0);
}

// A forecast's fan chart starts at the origin and shows the published
// history before it (24 months), with the origin marked; a run's chart
// shows only figures inside the run.
TEST(CliForecast, FanChartsShowThePublishedHistoryBeforeTheOrigin) {
  TempDir dir;
  ASSERT_EQ(mfgsim("forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --members 50 "
                   "--log-level warn --out " + dir / "f").code,
            0);
  const Result plot = mfgsim("plot " + dir / "f" + " --observed data/observed.csv --series manufacturing_va_ytd_yoy "
                             "--log-level error --out " + dir / "p");
  ASSERT_EQ(plot.code, 0) << describe(plot);
  // observed.csv's manufacturing figures from 2021-07 on: Q1 and H1 2023.
  EXPECT_EQ(read_file(dir / "p/manufacturing_va_ytd_yoy.observed.dat"), "2023-03 13.3\n2023-06 8.3\n");
  const std::string script = read_file(dir / "p/manufacturing_va_ytd_yoy.gp");
  EXPECT_NE(script.find("set xrange [\"2021-07\":\"2030-12\"]"), std::string::npos) << script;
  EXPECT_NE(script.find("origin 2023-06"), std::string::npos) << script;
  // The summary itself still starts after the origin.
  const std::vector<std::string> data = text_lines(read_file(dir / "p/manufacturing_va_ytd_yoy.dat"));
  ASSERT_GT(data.size(), 2u);
  EXPECT_EQ(data[2].substr(0, 8), "2023-07 ");  // after the comment lines
}

TEST(CliForecast, SameBytesForOneAndTwoThreads) {
  TempDir dir;
  const std::string common = "forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --members 200 ";
  ASSERT_EQ(mfgsim(common + "--threads 1 --out " + dir / "a").code, 0);
  ASSERT_EQ(mfgsim(common + "--threads 2 --out " + dir / "b").code, 0);
  EXPECT_EQ(read_file(dir / "a/summary.csv"), read_file(dir / "b/summary.csv"));
  EXPECT_EQ(read_file(dir / "a/ess.csv"), read_file(dir / "b/ess.csv"));
}

// Resample-move: the same bytes for 1 and 2 threads, each step in the
// manifest (accepted <= proposed <= members, moved never falls) and printed.
TEST(CliForecast, ResampleMoveStepsAreRecordedAndThreadInvariant) {
  TempDir dir;
  const std::string common = "forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv "
                             "--members 200 --move-steps 3 --move-lag 6 ";
  const Result a = mfgsim(common + "--threads 1 --out " + dir / "a");
  ASSERT_EQ(a.code, 0) << describe(a);
  ASSERT_EQ(mfgsim(common + "--threads 2 --out " + dir / "b").code, 0);
  EXPECT_EQ(read_file(dir / "a/summary.csv"), read_file(dir / "b/summary.csv"));
  const nlohmann::json manifest = nlohmann::json::parse(read_file(dir / "a/manifest.json"));
  ASSERT_EQ(manifest["move_steps"].size(), 3u);
  std::int64_t before = 0;
  for (const auto& step : manifest["move_steps"]) {
    EXPECT_EQ(step["month"], "2023-06");
    EXPECT_EQ(step["anchor"], "2022-12");
    EXPECT_LE(step["accepted"].get<std::int64_t>(), step["proposed"].get<std::int64_t>());
    EXPECT_LE(step["proposed"].get<std::int64_t>(), 200);
    EXPECT_GE(step["moved"].get<std::int64_t>(), before);
    before = step["moved"].get<std::int64_t>();
  }
  EXPECT_GT(before, 0);
  EXPECT_NE(a.out.find("move at 2023-06 (redrawing 2023-01 .. 2023-06): "), std::string::npos) << a.out;
  EXPECT_EQ(a.err.find("reaches before the run's start"), std::string::npos) << a.err;
  // A lag past the run's start redraws from the start, and says so (it was
  // silently shortened; found by a new user's trial).
  const Result clamped = mfgsim("forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv "
                                "--members 50 --move-steps 1 --move-lag 600 --out " + dir / "c");
  ASSERT_EQ(clamped.code, 0) << describe(clamped);
  EXPECT_NE(clamped.out.find("move at 2023-06 (redrawing 2021-01 .. 2023-06): "), std::string::npos) << clamped.out;
  EXPECT_NE(clamped.err.find("--move-lag 600 reaches before the run's start (2021-01): the moves redraw the 30 months "
                             "2021-01 .. 2023-06"),
            std::string::npos)
      << clamped.err;
}

// A long forecast shows progress (it showed nothing for many seconds; found
// by a new user's trial): --progress log reports the months done.
TEST(CliForecast, ShowsProgress) {
  TempDir dir;
  const Result r = mfgsim("forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --members 20 "
                          "--progress log --out " + dir / "f");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("baseline: 120/120 months done in "), std::string::npos) << r.err;
  const Result off = mfgsim("forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --members 20 "
                            "--progress off --out " + dir / "g");
  ASSERT_EQ(off.code, 0) << describe(off);
  EXPECT_EQ(off.err.find("months done"), std::string::npos) << off.err;
}

// Figures from several files, as backtest --origins takes them: both files
// condition the forecast (more figures used than from either alone) and the
// manifest lists both.
TEST(CliForecast, ConditionsOnEveryObservedFile) {
  TempDir dir;
  const std::string common = "forecast scenarios/baseline.yaml --origin 2023-06 --members 50 --log-level warn ";
  ASSERT_EQ(mfgsim(common + "--observed data/observed.csv --out " + dir / "one").code, 0);
  const Result two = mfgsim(common + "--observed data/industry_figures.csv data/observed.csv --out " + dir / "two");
  ASSERT_EQ(two.code, 0) << describe(two);
  auto used = [&](const std::string& folder) {
    int figures = 0;
    const std::vector<std::string> ess = text_lines(read_file(dir / (folder + "/ess.csv")));
    for (std::size_t k = 1; k < ess.size(); ++k) figures += std::stoi(csv_fields(ess[k])[1]);
    return figures;
  };
  EXPECT_GT(used("two"), used("one"));
  const nlohmann::json manifest = nlohmann::json::parse(read_file(dir / "two/manifest.json"));
  ASSERT_EQ(manifest["observed_files"].size(), 2u);
}

TEST(CliForecast, Refusals) {
  Workspace w;
  const fs::path d = w.dir.path();
  expect_refused_in(d, "forecast s.yaml --origin 2040-01 --observed obs.csv --out f",
                    "--origin 2040-01 is outside the scenario's calendar: it must be a month from 2021-01 to 2030-11");
  expect_refused_in(d, "forecast s.yaml --origin 2023-13 --observed obs.csv --out f",
                    "--origin must be a month YYYY-MM (got '2023-13')");
  expect_refused_in(d, "forecast s.yaml --origin 2021-06 --observed obs.csv --out f",
                    "--origin 2021-06: no figure of obs.csv is usable by then");
  expect_refused_in(d, "forecast s.yaml --observed obs.csv --out f", "forecast needs --origin YYYY-MM");
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --out f", "forecast needs --observed CSV");
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed obs.csv --out obs.csv",
                    "an input of this command");
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed obs.csv --out f --obs-sd-points 0",
                    "--obs-sd-points must be a number in (0, 100] (got '0')");
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed obs.csv --out f --sector-dof 0.5",
                    "--sector-dof must be 0 (Normal) or at least 1 (got 0.5)");
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed obs.csv --out f --sector-sd-points -1",
                    "--sector-sd-points must be a number in [0, 100] (got '-1')");
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed obs.csv --out f --jitter-discount 0",
                    "--jitter-discount must be a number in (0, 1] (got '0')");
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed obs.csv --out f --move-lag 6",
                    "--move-lag needs --move-steps of at least 1");
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed obs.csv --out f --move-steps 101",
                    "--move-steps must be");
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed obs.csv --out f --move-steps 2 --move-lag 0",
                    "--move-lag must be");
  std::ofstream(d / "unknown.csv") << "series,sector,measure,period_end,value\nmining_va,,ytd_yoy,2023-06,0.021\n";
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed unknown.csv --out f", "unknown.csv:2:1");
  // Several files: a figure given again with another value is an error at the second.
  std::ofstream(d / "conflict.csv") << "series,sector,measure,period_end,value\nmanufacturing_va,,ytd_yoy,2023-06,0.09\n";
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed obs.csv conflict.csv --out f",
                    "conflict.csv:2:1: error: manufacturing_va_ytd_yoy 2023-06 is 0.09 here but 0.083 at obs.csv:");
  std::ofstream(d / "sector.csv") << "series,sector,measure,period_end,value\nva,steel,ytd_yoy,2023-06,0.021\n";
  expect_refused_in(d, "forecast s.yaml --origin 2023-06 --observed sector.csv --out f",
                    "sector.csv:2:4: error: no sector 'steel' in the scenario");
  std::ofstream(d / "det.yaml") << "name: det\nextends: s.yaml\nensemble: {stochastic: false}\n";
  expect_refused_in(d, "forecast det.yaml --origin 2023-06 --observed obs.csv --out f",
                    "forecast needs a stochastic ensemble");
}

}  // namespace
