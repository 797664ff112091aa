// mfgsim calibrate through the binary: the least-squares compromise written
// only when asked (--accept-misses), the vintage of the figures (--origin,
// --from) and refusals of bad months.
#include <gtest/gtest.h>

#include "tests/cli/cli_support.h"

namespace mfgsim {
namespace {

using namespace cli_harness;

// The baseline with only new_loans_base free, fitted to a manufacturing
// growth it cannot reach (30% in H1 2023) and a loan figure of 2023-09.
void write_unreachable(const TempDir& dir) {
  std::ofstream(dir / "t.csv") << "id,series,sector,measure,period_end,value,published\n"
                                  "mfg,manufacturing_va,,ytd_yoy,2023-06,0.30,2023-07-20\n"
                                  "mfg_q3,manufacturing_va,,ytd_yoy,2023-09,0.30,2023-10-20\n";
  std::ofstream(dir / "s.yaml") << "name: s\nextends: " << kSource
                                << "/scenarios/baseline.yaml\ncalibration:\n  targets: t.csv\n  max_evaluations: 200\n"
                                   "  parameters:\n    lending.new_loans_base: {low: 5, high: 200}\n";
}

TEST(CliCalibrate, MissesAreRefusedUnlessAccepted) {
  TempDir dir;
  write_unreachable(dir);
  const Result refused = run_mfgsim("calibrate s.yaml --out c.yaml", dir.path().string());
  EXPECT_EQ(refused.code, 1) << describe(refused);
  EXPECT_NE(refused.out.find("MISSED"), std::string::npos) << describe(refused);
  EXPECT_NE(refused.err.find("--accept-misses"), std::string::npos) << describe(refused);
  EXPECT_FALSE(fs::exists(dir / "c.yaml"));

  const Result accepted = run_mfgsim("calibrate s.yaml --out c.yaml --accept-misses", dir.path().string());
  ASSERT_EQ(accepted.code, 0) << describe(accepted);
  EXPECT_NE(accepted.out.find("2 target(s) MISSED"), std::string::npos) << describe(accepted);
  const std::string yaml = read_file(dir / "c.yaml");
  EXPECT_NE(yaml.find("# MISSED (accepted): mfg 2023-06, miss "), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("# MISSED (accepted): mfg_q3 2023-09, miss "), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("#   lending.new_loans_base: "), std::string::npos) << yaml;
  // The compromise is a scenario like any other.
  const Result check = run_mfgsim("validate c.yaml", dir.path().string());
  EXPECT_EQ(check.code, 0) << describe(check);
}

// --origin keeps the figures a forecaster had then; --from drops earlier ones.
TEST(CliCalibrate, OriginAndFromChooseTheFiguresAndSaySo) {
  TempDir dir;
  write_unreachable(dir);
  const Result r = run_mfgsim("calibrate s.yaml --out c.yaml --accept-misses --origin 2023-06", dir.path().string());
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.out.find("\nmfg "), std::string::npos) << describe(r);
  EXPECT_EQ(r.out.find("mfg_q3"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find("--origin 2023-06: 1 figure(s) left out"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("1 target(s) MISSED"), std::string::npos) << describe(r);

  const Result none = run_mfgsim("calibrate s.yaml --out d.yaml --from 2024-01", dir.path().string());
  EXPECT_EQ(none.code, 2) << describe(none);
  EXPECT_NE(none.err.find("holds no targets to fit"), std::string::npos) << describe(none);
  EXPECT_FALSE(fs::exists(dir / "d.yaml"));
}

TEST(CliCalibrate, BadMonthsAndHalfLivesAreRefused) {
  TempDir dir;
  write_unreachable(dir);
  expect_refused_in(dir.path(), "calibrate s.yaml --out c.yaml --origin 2023-6",
                    "--origin: expected a month YYYY-MM, got '2023-6'");
  expect_refused_in(dir.path(), "calibrate s.yaml --out c.yaml --from June", "--from: expected a month YYYY-MM, got 'June'");
  expect_refused_in(dir.path(), "calibrate s.yaml --out c.yaml --recency-half-life 0", "--recency-half-life");
}

}  // namespace
}  // namespace mfgsim
