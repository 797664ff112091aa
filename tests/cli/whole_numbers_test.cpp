// Whole numbers and flags on every path (issue 12, item 4): a sector's
// `firms` and its `industry`/`manufacturing` flags take whole values in
// sweeps, `uncertain:` draws and calibration as in a scenario file. lhs and
// sobol sweeps choose each whole value of [low, high] alike
// (ParamAddress::uniform_value); a grid's points, `low` and `high` must be
// whole; a draw must be a uniform over whole `low` and `high` without
// `bounds`; calibration (a continuous fit) refuses them. Rejections exit 2
// at the line and column, leaving the folder as it was.
#include <gtest/gtest.h>

#include <map>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// scenarios.csv of a batch result: each sample's value of column `column`.
std::vector<double> column_values(const fs::path& csv, const std::string& column) {
  std::istringstream in(read_file(csv));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::istringstream h(line);
  for (std::string f; std::getline(h, f, ',');) header.push_back(f);
  const auto k = static_cast<std::size_t>(std::find(header.begin(), header.end(), column) - header.begin());
  EXPECT_LT(k, header.size()) << column << " not in " << line;
  std::vector<double> values;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::istringstream r(line);
    for (std::string f; std::getline(r, f, ',');) fields.push_back(f);
    if (k < fields.size() && !fields[k].empty()) values.push_back(std::stod(fields[k]));
  }
  return values;
}

// A batch `b.yaml` of one sweep of `parameter` ({low, high[, points]} as
// `range`) over the baseline.
void write_sweep(const TempDir& dir, const std::string& method, int samples, const std::string& parameter,
                 const std::string& range) {
  std::ofstream(dir / "b.yaml") << "name: b\nsweeps:\n  - name: s\n    base: " << kSource
                                << "/scenarios/baseline.yaml\n    method: " << method
                                << (method == "grid" ? "" : "\n    samples: " + std::to_string(samples))
                                << "\n    parameters:\n      " << parameter << ": " << range
                                << "\nmembers: 1\nstochastic: false\noutputs: [manufacturing_va_ytd_yoy]\n";
}

std::map<double, int> counts(const std::vector<double>& values) {
  std::map<double, int> c;
  for (double v : values) ++c[v];
  return c;
}

TEST(CliWholeNumbers, SobolSweepOfAFlagGivesZerosAndOnesHalfAndHalf) {
  TempDir dir;
  write_sweep(dir, "sobol", 8, "sector_overrides.equipment.manufacturing", "{low: 0, high: 1}");
  const Result r = run_mfgsim("batch b.yaml --progress off --out out", dir.path().string());
  ASSERT_EQ(r.code, 0) << describe(r);
  // Eight points stratify [0, 1) in eighths: four below 1/2 (0), four above (1).
  const std::map<double, int> expected = {{0.0, 4}, {1.0, 4}};
  EXPECT_EQ(counts(column_values(dir.path() / "out/scenarios.csv", "sector_overrides.equipment.manufacturing")),
            expected);
}

TEST(CliWholeNumbers, LhsSweepOfFirmsTakesEachWholeValueAlike) {
  TempDir dir;
  write_sweep(dir, "lhs", 8, "sector_overrides.equipment.firms", "{low: 100, high: 103}");
  const Result r = run_mfgsim("batch b.yaml --progress off --out out", dir.path().string());
  ASSERT_EQ(r.code, 0) << describe(r);
  // Latin hypercube strata of 1/8 map two to each of the four whole values.
  const std::map<double, int> expected = {{100.0, 2}, {101.0, 2}, {102.0, 2}, {103.0, 2}};
  EXPECT_EQ(counts(column_values(dir.path() / "out/scenarios.csv", "sector_overrides.equipment.firms")), expected);
}

TEST(CliWholeNumbers, GridSweepMustStepByWholeNumbers) {
  TempDir dir;
  write_sweep(dir, "grid", 0, "sector_overrides.equipment.firms", "{low: 100, high: 200, points: 4}");
  expect_refused_in(dir.path(), "batch b.yaml --progress off --out out",
                    "b.yaml:7:71: error: sweeps[0].parameters.sector_overrides.equipment.firms: "
                    "`sector_overrides.equipment.firms` is a whole number: a grid of 4 points from 100 to 200 "
                    "steps by 33.3333; choose `points` so that (high - low) / (points - 1) is whole");
  write_sweep(dir, "grid", 0, "sector_overrides.equipment.firms", "{low: 100, high: 200, points: 5}");
  const Result r = run_mfgsim("batch b.yaml --progress off --out out", dir.path().string());
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::map<double, int> expected = {{100.0, 1}, {125.0, 1}, {150.0, 1}, {175.0, 1}, {200.0, 1}};
  EXPECT_EQ(counts(column_values(dir.path() / "out/scenarios.csv", "sector_overrides.equipment.firms")), expected);
}

TEST(CliWholeNumbers, SweepEndsMustBeWhole) {
  TempDir dir;
  write_sweep(dir, "sobol", 8, "sector_overrides.equipment.firms", "{low: 100.5, high: 200}");
  expect_refused_in(dir.path(), "batch b.yaml --progress off --out out",
                    "b.yaml:8:47: error: sweeps[0].parameters.sector_overrides.equipment.firms: "
                    "`sector_overrides.equipment.firms` is a whole number, so `low` must be one (got 100.5)");
}

// A scenario extending the baseline with `uncertain:` entry `entry` for firms.
void write_draw(const TempDir& dir, const std::string& entry) {
  std::ofstream(dir / "s.yaml") << "name: s\nextends: " << kSource
                                << "/scenarios/baseline.yaml\nuncertain:\n  sector_overrides.equipment.firms: " << entry
                                << "\n";
}

TEST(CliWholeNumbers, DrawsOfFirmsAreUniformsOverWholeNumbers) {
  TempDir dir;
  const std::string rule = "s.yaml:4:";
  const std::string what =
      "uncertain.sector_overrides.equipment.firms: `sector_overrides.equipment.firms` is a whole number, drawn only "
      "from `dist: uniform` with whole `low` and `high` (each whole value between them equally likely)";
  write_draw(dir, "{dist: normal, mean: 150, sd: 10}");
  expect_refused_in(dir.path(), "run s.yaml --members 8 --out out",
                    rule + "44: error: " + what + "; got `dist: normal`");
  write_draw(dir, "{dist: uniform, low: 100, high: 120, bounds: [100, 110]}");
  expect_refused_in(dir.path(), "run s.yaml --members 8 --out out",
                    rule + "82: error: " + what + "; `bounds` does not apply");
  write_draw(dir, "{dist: uniform, low: 100, high: 120.5}");
  expect_refused_in(dir.path(), "validate s.yaml", rule + "69: error: " + what + "; got high 120.5");
  write_draw(dir, "{dist: uniform, low: 100, high: 120}");
  const Result r = run_mfgsim("run s.yaml --members 8 --out out", dir.path().string());
  EXPECT_EQ(r.code, 0) << describe(r);
}

TEST(CliWholeNumbers, CalibrationRefusesWholeNumbers) {
  TempDir dir;
  std::ofstream(dir / "s.yaml") << "name: s\nextends: " << kSource
                                << "/scenarios/baseline.yaml\ncalibration:\n  targets: " << kSource
                                << "/data/targets.csv\n  parameters:\n    sector_overrides.equipment.firms: {low: 100, "
                                   "high: 200}\n";
  const std::string message =
      "s.yaml:6:5: error: calibration: `sector_overrides.equipment.firms` is a whole number, which the least-squares "
      "fit (continuous) cannot vary";
  expect_refused_in(dir.path(), "validate s.yaml", message);
  expect_refused_in(dir.path(), "calibrate s.yaml --out c.yaml", message);
}

}  // namespace
