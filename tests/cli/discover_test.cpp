// mfgsim discover through the binary: a small sweep over two lending
// parameters end to end (the points and their share meeting the condition
// against results.nc read directly, the box against the trajectory, the
// files and the manifest), and the refusals: exit 2, a message naming the
// option, nothing written.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/io/hashing.h"
#include "sim/output/netcdf_output.h"
#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// A batch of the baseline and 16 Sobol samples of two lending parameters,
// 8 stochastic members each, written and run in `dir` (output `dir/out`).
void run_lending_sweep(const TempDir& dir) {
  std::ofstream(dir / "sweep.yaml") << "name: lending_sweep\nscenarios: [" << kSource
                                    << "/scenarios/baseline.yaml]\nsweeps:\n  - name: lending\n    base: " << kSource
                                    << "/scenarios/baseline.yaml\n    method: sobol\n    samples: 16\n"
                                       "    parameters:\n"
                                       "      lending.long_term_growth: {low: -0.02, high: 0.18}\n"
                                       "      lending.investment_pass: {low: 0.3, high: 0.7}\n"
                                       "members: 8\nseed: 11\nstochastic: true\noutputs: [manufacturing_va_ytd_yoy]\n";
  const Result r = run_mfgsim("batch sweep.yaml --progress off --log-level warn --out out", dir.path().string());
  ASSERT_EQ(r.code, 0) << describe(r);
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    rows.push_back(fields);
  }
  return rows;
}

constexpr const char* kWhere = "'>= 0.065'";

TEST(CliDiscover, LendingSweepEndToEnd) {
  TempDir dir;
  run_lending_sweep(dir);
  const Result r = run_mfgsim(std::string("discover out --series manufacturing_va_ytd_yoy --at 2030-12 --where ") + kWhere +
                                  " --log-level warn",
                              dir.path().string());
  ASSERT_EQ(r.code, 0) << describe(r);
  const fs::path out = dir.path() / "out" / "discover";
  EXPECT_EQ(entries_of(out), (std::vector<std::string>{"box.csv", "features.csv", "manifest.json", "trajectory.csv",
                                                       "trajectory.dat", "trajectory.gp", "trajectory.png",
                                                       "trajectory.svg"}));

  // The points, from results.nc directly: the 16 samples' 8 members at 2030-12.
  mfgsim::NetcdfReader file((dir.path() / "out" / "results.nc").string());
  const std::vector<std::string> sweeps = file.strings("sweep"), labels = file.strings("month_label");
  const auto t = static_cast<std::size_t>(std::find(labels.begin(), labels.end(), "2030-12") - labels.begin());
  ASSERT_LT(t, labels.size());
  const std::size_t M = file.dimension("member");
  int points = 0, meeting = 0;
  for (std::size_t s = 0; s < sweeps.size(); ++s) {
    if (sweeps[s].empty()) continue;
    for (double v : file.doubles("manufacturing_va_ytd_yoy_members", {s, t, 0}, {1, 1, M})) {
      ++points;
      meeting += v >= 0.065 ? 1 : 0;
    }
  }
  ASSERT_EQ(points, 128);
  ASSERT_GT(meeting, 0);
  ASSERT_LT(meeting, 128);  // the threshold splits the points: the example means something

  // The members' drawn `uncertain:` values (the baseline draws some) are dimensions too.
  std::vector<std::string> drawn;
  for (const std::string& name : file.variable_names())
    if (name.starts_with("draw_")) drawn.push_back(file.text_attribute(name, "parameter_path"));
  ASSERT_FALSE(drawn.empty());
  const std::size_t dims = 2 + drawn.size();

  const auto trajectory = csv_rows(read_file(out / "trajectory.csv"));
  ASSERT_GE(trajectory.size(), 3u);
  EXPECT_EQ(trajectory[0][0], "step");
  EXPECT_EQ(trajectory[0].size(), 8 + 2 * dims);  // 8 columns, then low and high of each dimension
  // Step 0: every point.
  EXPECT_EQ(trajectory[1][5], "128");
  EXPECT_EQ(std::stoi(trajectory[1][6]), meeting);
  EXPECT_DOUBLE_EQ(std::stod(trajectory[1][2]), meeting / 128.0);
  EXPECT_EQ(trajectory[1][1], "1");
  int chosen = -1;
  for (std::size_t k = 1; k < trajectory.size(); ++k) {
    if (trajectory[k][7] == "yes") chosen = static_cast<int>(k);
    // Peeling only shrinks the box.
    EXPECT_LE(std::stoi(trajectory[k][5]), k > 1 ? std::stoi(trajectory[k - 1][5]) : 128) << k;
  }
  ASSERT_GT(chosen, 0) << read_file(out / "trajectory.csv");
  EXPECT_GE(std::stod(trajectory[static_cast<std::size_t>(chosen)][2]), 0.8);  // the default --min-probability

  const auto box = csv_rows(read_file(out / "box.csv"));
  ASSERT_EQ(box.size(), 1 + dims);
  for (std::size_t k = 0; k < drawn.size(); ++k) EXPECT_EQ(box[3 + k][0], drawn[k]);
  EXPECT_EQ(box[0], (std::vector<std::string>{"parameter", "low", "high", "restricted", "p_value_low", "p_value_high",
                                              "range_low", "range_high"}));
  EXPECT_EQ(box[1][0], "lending.long_term_growth");
  EXPECT_EQ(box[2][0], "lending.investment_pass");
  int restricted = 0;
  for (std::size_t k = 1; k < 3; ++k) {
    const double low = std::stod(box[k][1]), high = std::stod(box[k][2]);
    const double range_low = std::stod(box[k][6]), range_high = std::stod(box[k][7]);
    EXPECT_LE(range_low, low);
    EXPECT_LE(low, high);
    EXPECT_LE(high, range_high);
    // Sobol samples inside the sweep's declared range.
    EXPECT_GE(range_low, k == 1 ? -0.02 : 0.3);
    EXPECT_LE(range_high, k == 1 ? 0.18 : 0.7);
    EXPECT_EQ(box[k][3], low > range_low || high < range_high ? "yes" : "no");
    // A p-value exactly where a limit is restricted, in [0, 1].
    EXPECT_EQ(box[k][4].empty(), !(low > range_low));
    EXPECT_EQ(box[k][5].empty(), !(high < range_high));
    for (int c : {4, 5})
      if (!box[k][static_cast<std::size_t>(c)].empty()) {
        const double p = std::stod(box[k][static_cast<std::size_t>(c)]);
        EXPECT_TRUE(p >= 0.0 && p <= 1.0) << p;
      }
    restricted += box[k][3] == "yes";
  }
  EXPECT_GE(restricted, 1);
  // Faster growth of long-term loans raises manufacturing growth: the box
  // keeps the upper part of its range.
  EXPECT_EQ(box[1][3], "yes");
  EXPECT_GT(std::stod(box[1][1]), std::stod(box[1][6]));
  EXPECT_EQ(box[1][2], box[1][7]);

  const auto features = csv_rows(read_file(out / "features.csv"));
  ASSERT_EQ(features.size(), 1 + dims);
  EXPECT_GE(std::stod(features[1][2]), std::stod(features[2][2]));
  EXPECT_NE(r.out.find("Scenario discovery (PRIM): manufacturing_va_ytd_yoy at 2030-12 >= 0.065"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("points: 128 members of 16 sweep samples"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("left out: 1 scenario file (not sweep samples)"), std::string::npos) << r.out;

  const nlohmann::json manifest = nlohmann::json::parse(read_file(out / "manifest.json"));
  EXPECT_EQ(manifest["program"], "mfgsim");
  EXPECT_EQ(manifest["command"], "discover");
  EXPECT_EQ(manifest["input_files"][0]["sha256"], mfgsim::sha256_file_hex((dir.path() / "out" / "results.nc").string()));
  EXPECT_EQ(manifest["where"], ">= 0.065");
  EXPECT_EQ(manifest["points"]["members"], 128);

  // The same again into the same folder: an earlier result of discover is replaced, identically.
  const std::string before = read_file(out / "trajectory.csv") + read_file(out / "box.csv");
  const Result again = run_mfgsim(std::string("discover out --series manufacturing_va_ytd_yoy --at 2030-12 --where ") +
                                      kWhere + " --no-plot --log-level warn",
                                  dir.path().string());
  ASSERT_EQ(again.code, 0) << describe(again);
  EXPECT_EQ(read_file(out / "trajectory.csv") + read_file(out / "box.csv"), before);
  EXPECT_FALSE(fs::exists(out / "trajectory.png"));
}

TEST(CliDiscover, Refusals) {
  TempDir dir;
  run_lending_sweep(dir);
  const std::string base = "discover out --log-level warn ";
  expect_refused_in(dir.path(), base + "--series nope --at 2030-12 --where '>= 0.07'",
                    "mfgsim: error: --series: no member values of `nope`");
  expect_refused_in(dir.path(), base + "--series manufacturing_va_ytd_yoy --at 2040-01 --where '>= 0.07'",
                    "mfgsim: error: --at: 2040-01 is outside the run (2021-01 to 2030-12)");
  expect_refused_in(dir.path(), base + "--series manufacturing_va_ytd_yoy --at 2021-06 --where '>= 0.07'",
                    "mfgsim: error: --at: manufacturing_va_ytd_yoy is undefined at 2021-06 for every member");
  for (const char* where : {"'=> 0.07'", "0.07", "'>= seven'"})
    expect_refused_in(dir.path(), base + "--series manufacturing_va_ytd_yoy --at 2030-12 --where " + where,
                      "mfgsim: error: --where: expected a comparison and a finite number, one of '>= v', '> v', "
                      "'<= v', '< v'");
  expect_refused_in(dir.path(),
                    base + "--series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.07' --peel-alpha 0.5",
                    "mfgsim: error: --peel-alpha must be a number in (0, 0.5) (got '0.5')");
  expect_refused_in(dir.path(),
                    base + "--series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.07' --min-probability 0",
                    "mfgsim: error: --min-probability must be a number in (0, 1] (got '0')");
  expect_refused_in(dir.path(), base + "--at 2030-12 --where '>= 0.07'", "mfgsim: error: discover needs --series");
  // As on every command: an empty value, an abbreviated option, an output
  // that is the working folder or holds the batch's files.
  expect_refused_in(dir.path(), base + "--series manufacturing_va_ytd_yoy --at 2030-12 --where ''",
                    "mfgsim: error: --where: expected a value, got an empty text");
  expect_refused_in(dir.path(), base + "--series manufacturing_va_ytd_yoy --at 2030-12 --wher '>= 0.07'",
                    "unrecognised option '--wher'");
  expect_refused_in(dir.path(), base + "--series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.07' --out .",
                    "mfgsim: error: --out");
  expect_refused_in(dir.path(), base + "--series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.07' --out out",
                    "mfgsim: error: --out");
  expect_refused_in(dir.path(), "discover nowhere --series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.07'",
                    "nowhere/results.nc not found");
  // A folder with no sweep: a batch of scenario files only.
  std::ofstream(dir / "plain.yaml") << "name: plain\nscenarios: [" << kSource
                                    << "/scenarios/baseline.yaml]\nmembers: 2\nstochastic: true\n";
  const Result plain = run_mfgsim("batch plain.yaml --progress off --log-level warn --out plain", dir.path().string());
  ASSERT_EQ(plain.code, 0) << describe(plain);
  expect_refused_in(dir.path(), "discover plain --series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.07'",
                    "plain/results.nc holds no sweep samples");
  // A run folder: discover's own message (it gave compare's advice).
  const Result run = run_mfgsim("run " + kSource + "/scenarios/baseline.yaml --members 2 --keep-members --log-level "
                                "warn --out runf", dir.path().string());
  ASSERT_EQ(run.code, 0) << describe(run);
  const Result refused = expect_refused_in(
      dir.path(), "discover runf --series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.07'",
      "mfgsim: error: runf is the folder of a `mfgsim run`: discover reads the results.nc of a `mfgsim batch` output "
      "folder with a sweep");
  EXPECT_EQ(refused.err.find("give two or more run folders"), std::string::npos) << describe(refused);
}

}  // namespace
