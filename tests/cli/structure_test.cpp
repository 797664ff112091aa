// Structure that was silently accepted (issue 12, item 6): a calendar past
// 9999-12, an empty `scenarios:` list, two rows for one published figure, and
// a batch with a scenario whose every member failed. Each is refused with
// its position (exit 2, the folder unchanged) or, for the failed scenario,
// exits 1 with no result, as `mfgsim run` does for the same scenario.
#include <gtest/gtest.h>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

TEST(CliStructure, CalendarMustEndBy9999) {
  TempDir dir;
  std::ofstream(dir / "s.yaml") << "name: s\nextends: " << kSource
                                << "/scenarios/baseline.yaml\ncalendar: {start: 9990-01, months: 121}\n";
  const std::string message =
      "s.yaml:3:36: error: calendar: 9990-01 plus 121 months ends after 9999-12 (months are written YYYY-MM); "
      "shorten `calendar.months`";
  expect_refused_in(dir.path(), "validate s.yaml", message);
  expect_refused_in(dir.path(), "run s.yaml --deterministic --out out", message);
  // 120 months end in 9999-12: accepted.
  std::ofstream(dir / "s.yaml") << "name: s\nextends: " << kSource
                                << "/scenarios/baseline.yaml\ncalendar: {start: 9990-01, months: 120}\n";
  const Result r = run_mfgsim("validate s.yaml", dir.path().string());
  EXPECT_EQ(r.code, 0) << describe(r);
}

TEST(CliStructure, EmptyScenarioListIsAnError) {
  TempDir dir;
  std::ofstream(dir / "b.yaml") << "name: b\nscenarios: []\nsweeps:\n  - name: s\n    base: " << kSource
                                << "/scenarios/baseline.yaml\n    method: lhs\n    samples: 2\n    parameters:\n"
                                   "      lending.green_tilt: {low: 0, high: 1}\n";
  expect_refused_in(dir.path(), "batch b.yaml --progress off --out out",
                    "b.yaml:2:1: error: `scenarios` lists nothing; list at least one scenario file, or leave the key "
                    "out");
  std::ofstream(dir / "b.yaml") << "name: b\nscenarios: [" << kSource << "/scenarios/baseline.yaml]\nsweeps: []\n";
  expect_refused_in(dir.path(), "batch b.yaml --progress off --out out",
                    "b.yaml:3:1: error: `sweeps` lists nothing; list at least one sweep, or leave the key out");
}

TEST(CliStructure, TwoRowsForOneFigureAreAnError) {
  TempDir dir;
  const std::string header = "series,sector,measure,month,value,source\n";
  const std::string row = "manufacturing_va,,ytd_yoy,2023-06,0.083,a\n";
  std::ofstream(dir / "obs.csv") << header << row << "industry_va,,ytd_yoy,2023-06,0.039,b\n"
                                 << "manufacturing_va,,ytd_yoy,2023-06,0.084,c\n";
  const std::string message =
      "obs.csv:4:1: error: the same figure as line 2 (series 'manufacturing_va', sector '', measure 'ytd_yoy', month "
      "2023-06); keep one row per figure";
  // Observed figures (backtest, plot) and calibration targets share the reader.
  ASSERT_EQ(run_mfgsim("run " + kSource + "/scenarios/baseline.yaml --deterministic --out res", dir.path().string()).code,
            0);
  expect_refused_in(dir.path(), "backtest res --observed obs.csv --out bt.csv", message);
  expect_refused_in(dir.path(), "plot res --observed obs.csv --out plots", message);
  std::ofstream(dir / "s.yaml") << "name: s\nextends: " << kSource
                                << "/scenarios/baseline.yaml\ncalibration:\n  targets: obs.csv\n  parameters:\n"
                                   "    lending.new_loans_base: {low: 5, high: 200}\n";
  expect_refused_in(dir.path(), "calibrate s.yaml --out c.yaml", message);
}

TEST(CliStructure, BatchWithAScenarioWhoseEveryMemberFailedExits1) {
  TempDir dir;
  // Recycling savings of 8 with a recycling target of 1 push metallurgy's
  // price below 0: a numerical guard stops the deterministic member.
  std::ofstream(dir / "saving.yaml") << "name: saving\nextends: " << kSource
                                     << "/scenarios/baseline.yaml\nlow_carbon: {recycling_target: 1.0}\n"
                                        "sector_overrides: {metallurgy: {recycling_saving: 8}}\n";
  const Result run = run_mfgsim("run saving.yaml --deterministic --out r", dir.path().string());
  ASSERT_EQ(run.code, 1) << describe(run);
  std::ofstream(dir / "b.yaml") << "name: b\nscenarios: [saving.yaml, " << kSource
                                << "/scenarios/baseline.yaml]\nstochastic: false\nmembers: 1\n";
  const Result r = run_mfgsim("batch b.yaml --progress off --out out", dir.path().string());
  EXPECT_EQ(r.code, 1) << describe(r);
  EXPECT_NE(r.err.find("b: every member of scenario(s) saving failed, so the batch has no result for them"),
            std::string::npos)
      << describe(r);
  EXPECT_FALSE(fs::exists(dir.path() / "out"));
  EXPECT_FALSE(fs::exists(dir.path() / "r"));
}

}  // namespace
