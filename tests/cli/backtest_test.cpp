// mfgsim backtest SCENARIO --origins LIST (sim/cli/backtest.cpp) through the
// binary: what it writes from the shipped baseline and data (naive forecasts
// with the vintage rule), the same bytes for 1 and 2 threads, and its
// refusals (exit 2, a clear message, nothing written).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

const std::string kCommon =
    "backtest scenarios/baseline.yaml --observed data/industry_figures.csv data/observed.csv --origins 2022-12,2023-03 "
    "--horizon 6 --members 60 ";

// The row of `figure` at `origin` in backtest_figures.csv, as fields.
std::vector<std::string> row_of(const std::vector<std::string>& lines, const std::string& origin,
                                const std::string& figure, const std::string& period) {
  for (const std::string& line : lines) {
    const std::vector<std::string> f = csv_fields(line);
    if (f.size() > 3 && f[0] == origin && f[1] == figure && f[2].empty() && f[3] == period) return f;
  }
  return {};
}

TEST(CliBacktestOrigins, ScoresTheFiguresAfterEachOriginSameBytesForOneAndTwoThreads) {
  TempDir dir;
  const Result one = mfgsim(kCommon + "--threads 1 --out " + dir / "a");
  ASSERT_EQ(one.code, 0) << describe(one);
  const Result two = mfgsim(kCommon + "--threads 2 --out " + dir / "b");
  ASSERT_EQ(two.code, 0) << describe(two);
  for (const char* file : {"backtest_figures.csv", "backtest_scores.csv", "crps_by_origin.dat"})
    EXPECT_EQ(read_file(dir / ("a/" + std::string(file))), read_file(dir / ("b/" + std::string(file)))) << file;
  EXPECT_EQ(one.out, two.out);
  EXPECT_TRUE(fs::exists(dir / "a/crps_by_origin.png"));
  EXPECT_TRUE(fs::exists(dir / "a/manifest.json"));

  const std::vector<std::string> lines = text_lines(read_file(dir / "a/backtest_figures.csv"));
  ASSERT_GT(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "origin,figure,sector,period,horizon_months,observed,median,p05,p25,p75,p95,crps,naive_last,naive_year_ago");
  for (std::size_t k = 1; k < lines.size(); ++k) {
    const std::vector<std::string> f = csv_fields(lines[k]);
    ASSERT_EQ(f.size(), 14u) << lines[k];
    const int h = std::stoi(f[4]);
    EXPECT_GE(h, 1) << lines[k];
    EXPECT_LE(h, 6) << lines[k];
    EXPECT_TRUE(f[0] == "2022-12" || f[0] == "2023-03") << lines[k];
  }
  // Origin 2022-12 (figures published by 2023-01-31): the 2022-12 figure
  // (published 2023-03-27) is not known, so `last` carries 2022-08's 11.1%.
  std::vector<std::string> f = row_of(lines, "2022-12", "manufacturing_va_ytd_yoy", "2023-06");
  ASSERT_EQ(f.size(), 14u);
  EXPECT_EQ(f[4], "6");
  EXPECT_EQ(f[5], "0.083");
  EXPECT_EQ(f[12], "0.111");
  EXPECT_EQ(f[13], "0.124");  // 2022-06
  // Origin 2023-03: 2023-03's 13.3% (data/observed.csv, no publication date) is known.
  f = row_of(lines, "2023-03", "manufacturing_va_ytd_yoy", "2023-06");
  ASSERT_EQ(f.size(), 14u);
  EXPECT_EQ(f[4], "3");
  EXPECT_EQ(f[12], "0.133");
  EXPECT_EQ(f[13], "0.124");
  // Quantiles in order; CRPS >= 0.
  const double p05 = std::stod(f[7]), p25 = std::stod(f[8]), median = std::stod(f[6]), p75 = std::stod(f[9]),
               p95 = std::stod(f[10]);
  EXPECT_LE(p05, p25);
  EXPECT_LE(p25, median);
  EXPECT_LE(median, p75);
  EXPECT_LE(p75, p95);
  EXPECT_GE(std::stod(f[11]), 0.0);

  const std::vector<std::string> scores = text_lines(read_file(dir / "a/backtest_scores.csv"));
  ASSERT_GE(scores.size(), 2u);
  EXPECT_EQ(csv_fields(scores[0])[0], "group");
  EXPECT_EQ(csv_fields(scores.back())[0], "overall");
  EXPECT_EQ(std::stoi(csv_fields(scores.back())[1]), static_cast<int>(lines.size()) - 1);
}

// Every filter option given is in the manifest, as forecast records it
// (--obs-sd-points 2 = 0.02; --sector-sd-points 5 = 0.05; --ytd-month-sd-points 3 = 0.03).
TEST(CliBacktestOrigins, ManifestRecordsTheFilterOptionsGiven) {
  TempDir dir;
  const Result r = mfgsim(kCommon + "--obs-sd-points 2 --sector-sd-points 5 --sector-dof 3 --ytd-month-sd-points 3 "
                                    "--resample-threshold 0.8 --jitter-discount 0.95 --move-steps 2 --move-lag 6 --out " +
                                    dir / "a");
  ASSERT_EQ(r.code, 0) << describe(r);
  const nlohmann::json manifest = nlohmann::json::parse(read_file(dir / "a/manifest.json"));
  EXPECT_DOUBLE_EQ(manifest["obs_sd"]["revision"].get<double>(), 0.02);
  EXPECT_DOUBLE_EQ(manifest["obs_sd"]["ytd_month"].get<double>(), 0.03);
  EXPECT_DOUBLE_EQ(manifest["sector_obs"]["sd"].get<double>(), 0.05);
  EXPECT_DOUBLE_EQ(manifest["sector_obs"]["student_t_dof"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(manifest["resample_threshold"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(manifest["liu_west_discount"].get<double>(), 0.95);
  EXPECT_EQ(manifest["resample_move"]["steps"].get<int>(), 2);
  EXPECT_EQ(manifest["resample_move"]["lag_months"].get<int>(), 6);
  for (const auto& origin : manifest["origins"]) {
    EXPECT_GE(origin["moved"].get<std::int64_t>(), 0);
    EXPECT_GE(origin["move_acceptance"].get<double>(), 0.0);
    EXPECT_LE(origin["move_acceptance"].get<double>(), 1.0);
  }
}

TEST(CliBacktestOrigins, Refusals) {
  Workspace w;
  const fs::path d = w.dir.path();
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2023-3 --out b",
                    "--origins: expected a month YYYY-MM, got '2023-3'");
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2023-03:2022-03:3 --out b",
                    "--origins: the range's FROM 2023-03 is after its TO 2022-03");
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2023-03,2040-01 --out b",
                    "--origins: origin 2040-01 is outside the scenario's calendar: it must be a month from 2021-01 to "
                    "2030-11");
  // The baseline starts in 2021-01: year-to-date growth is defined from 2022-01 on.
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2021-06:2023-03:3 --out b",
                    "--origins: origin 2021-06: no figure is usable by then");
  // Nothing to score after any origin: refused before any work (it ran, then
  // failed drawing an empty plot, exit 1; found by a new user's trial).
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2025-01 --out b",
                    "--origins: no figure of the --observed files has a period ending 1 to 12 months (--horizon) after "
                    "any origin and inside the scenario's calendar (to 2030-12); the latest figure is of ");
  EXPECT_FALSE(fs::exists(d / "b"));
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2023-03 --horizon 0 --out b", "--horizon");
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2023-03 --out obs.csv", "an input of this command");
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2023-03 --out s.yaml", "an input of this command");
  fs::create_directory(d / "res");
  std::ofstream(d / "res/keep.txt") << "x\n";
  expect_refused_in(d, "backtest res --observed obs.csv --origins 2023-03 --out b",
                    "res is a folder: --origins backtests a scenario file");
  expect_refused_in(d, "backtest res --observed obs.csv --horizon 3", "--horizon is for the rolling-origin form");
  expect_refused_in(d, "backtest res --observed obs.csv --sector-dof 3", "--sector-dof is for the rolling-origin form");
  expect_refused_in(d, "backtest res --observed obs.csv --ytd-month-sd-points 3",
                    "--ytd-month-sd-points is for the rolling-origin form");
  expect_refused_in(d, "backtest res --observed obs.csv --move-steps 3", "--move-steps is for the rolling-origin form");
  // Every option of --help but those the results form uses is refused there
  // (the list of filter options it refuses is kept by hand beside
  // filter_options: an option added to one and not the other was ignored).
  const std::set<std::string> results_form = {"input", "observed", "origins", "out", "help", "log-level"};
  int checked = 0;
  for (const std::string& line : text_lines(mfgsim("backtest --help").out)) {
    const std::size_t at = line.find("--");
    if (line.rfind("  -", 0) != 0 || at == std::string::npos) continue;  // "  --name arg", "  -n [ --name ] arg"
    const std::string name = line.substr(at + 2, line.find_first_of(" ]", at) - at - 2);
    if (results_form.count(name)) continue;
    expect_refused_in(d, "backtest res --observed obs.csv --" + name + " 1", "--" + name + " is for the rolling-origin form");
    ++checked;
  }
  EXPECT_EQ(checked, 12);  // horizon, members, seed, threads and the eight filter options
  expect_refused_in(d, "backtest res --observed obs.csv --move-steps 3 --move-lag 6",
                    "--move-steps is for the rolling-origin form");
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2023-03 --ytd-month-sd-points -1 --out b",
                    "--ytd-month-sd-points");
  expect_refused_in(d, "backtest s.yaml --observed obs.csv --origins 2023-03 --sector-dof 0.2 --out b",
                    "--sector-dof must be 0 (Normal) or at least 1 (got 0.2)");
  fs::copy_file(d / "obs.csv", d / "obs2.csv");
  expect_refused_in(d, "backtest res --observed obs.csv obs2.csv", "--observed: a results folder is scored against one CSV");
  expect_refused_in(d, "backtest res --observed obs.csv obs.csv", "--observed: 'obs.csv' given twice");
  expect_refused_in(d, "backtest s.yaml --observed obs.csv", "s.yaml is a file: backtest a scenario file with --origins");
  std::ofstream(d / "det.yaml") << "name: det\nextends: s.yaml\nensemble: {stochastic: false}\n";
  expect_refused_in(d, "backtest det.yaml --observed obs.csv --origins 2023-03 --out b",
                    "det: backtest --origins needs a stochastic ensemble");
  std::ofstream(d / "other.csv") << "series,sector,measure,period_end,value\nindustry_va,,ytd_yoy,2023-03,0.05\n";
  expect_refused_in(d, "backtest s.yaml --observed obs.csv other.csv --origins 2023-03 --out b",
                    "other.csv:2:1: error: industry_va_ytd_yoy 2023-03 is 0.05 here but 0.047 at obs.csv:24");
}

}  // namespace
