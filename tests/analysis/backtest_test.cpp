// Backtest scores against a three-point example computed by hand: MAE,
// RMSE, coverage of [p05, p95] and CRPS from the members.
#include "sim/analysis/backtest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tests/support/figures.h"

namespace mfgsim {
namespace {

namespace fs = std::filesystem;

SummaryRecord record(const std::string& variable, const std::string& sector, const std::string& month, double p05,
                     double median, double p95) {
  SummaryRecord r{"s", month, sector, variable, "1"};
  r.defined = true;
  r.mean = median;
  r.quantiles = {p05, (p05 + median) / 2, median, (median + p95) / 2, p95};
  return r;
}

using test_support::figure;

// The example: three figures, four members each.
struct Example {
  std::vector<SummaryRecord> summary = {
      record("manufacturing_va_ytd_yoy", "", "2023-03", 0.05, 0.10, 0.15),
      record("manufacturing_va_ytd_yoy", "", "2023-06", 0.085, 0.09, 0.12),
      record("va_ytd_yoy", "env_protection_equipment", "2023-06", 0.10, 0.15, 0.21),
  };
  std::vector<Observation> observed = {
      figure("manufacturing_va_ytd_yoy", "", "2023-03", 0.133),
      figure("manufacturing_va_ytd_yoy", "", "2023-06", 0.083),
      figure("va_ytd_yoy", "env_protection_equipment", "2023-06", 0.204),
  };
  std::vector<std::vector<double>> members = {
      {0.05, 0.10, 0.12, 0.15},
      {0.12, 0.085, 0.09, 0.10},
      {0.21, 0.10, 0.15, 0.18},
  };
  MemberValues member_values() const {
    MemberValues values;
    for (std::size_t k = 0; k < observed.size(); ++k)
      values[{"s", observed[k].variable, observed[k].sector, observed[k].month}] = members[k];
    return values;
  }
};

// CRPS by its definition: E|X - y| - 1/2 E|X - X'| over the members.
double crps_by_hand(const std::vector<double>& x, double y) {
  double first = 0.0, second = 0.0;
  for (double a : x) first += std::abs(a - y);
  for (double a : x)
    for (double b : x) second += std::abs(a - b);
  const double n = static_cast<double>(x.size());
  return first / n - 0.5 * second / (n * n);
}

TEST(Backtest, ThreePointExampleByHand) {
  const Example ex;
  const MemberValues members = ex.member_values();
  const BacktestReport report = backtest(ex.summary, ex.observed, &members);
  ASSERT_EQ(report.rows.size(), 3u);
  ASSERT_EQ(report.scores.size(), 1u);
  EXPECT_TRUE(report.skipped.empty());

  // Misses of the medians, in points: 10 - 13.3, 9 - 8.3, 15 - 20.4.
  const double miss[3] = {-3.3, 0.7, -5.4};
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(report.rows[k].miss_points, miss[k], 1e-12);
  // Bands: 13.3 in [5, 15] yes; 8.3 in [8.5, 12] no; 20.4 in [10, 21] yes.
  EXPECT_TRUE(report.rows[0].covered);
  EXPECT_FALSE(report.rows[1].covered);
  EXPECT_TRUE(report.rows[2].covered);

  const BacktestScores& s = report.scores[0];
  EXPECT_EQ(s.figures, 3);
  EXPECT_NEAR(s.mae_points, (3.3 + 0.7 + 5.4) / 3, 1e-12);
  EXPECT_NEAR(s.rmse_points, std::sqrt((3.3 * 3.3 + 0.7 * 0.7 + 5.4 * 5.4) / 3), 1e-12);
  EXPECT_NEAR(s.coverage, 2.0 / 3.0, 1e-12);

  // First figure, worked out: E|X - y| = (0.083 + 0.033 + 0.013 + 0.017) / 4
  // = 0.0365; sum over pairs i < j of |x_i - x_j| = 0.32, so
  // 1/2 E|X - X'| = 0.64 / 32 = 0.02; CRPS = 0.0165 = 1.65 points.
  EXPECT_NEAR(*report.rows[0].crps_points, 1.65, 1e-12);
  double crps_sum = 0.0;
  for (int k = 0; k < 3; ++k) {
    const double expected = 100.0 * crps_by_hand(ex.members[k], ex.observed[k].value);
    EXPECT_NEAR(*report.rows[k].crps_points, expected, 1e-12) << k;
    EXPECT_EQ(report.rows[k].members, 4);
    crps_sum += expected;
  }
  ASSERT_TRUE(s.crps_points);
  EXPECT_NEAR(*s.crps_points, crps_sum / 3, 1e-12);
}

TEST(Backtest, WithoutMembersCrpsIsLeftEmpty) {
  const Example ex;
  const BacktestReport report = backtest(ex.summary, ex.observed, nullptr);
  EXPECT_FALSE(report.scores[0].crps_points);
  EXPECT_FALSE(report.rows[0].crps_points);
  EXPECT_NE(backtest_table(report).find("needs members.csv: run with --keep-members"), std::string::npos);
  // The CSV row has empty CRPS fields.
  const std::string csv = backtest_csv(report);
  EXPECT_NE(csv.find("s,manufacturing_va_ytd_yoy,,2023-03,0.133,0.1,0.05,0.15,"), std::string::npos) << csv;
  EXPECT_NE(backtest_scores_csv(report).find("s,3,"), std::string::npos);
}

TEST(Backtest, CrpsOfOneMemberIsTheAbsoluteMissAndMatchesTheDefinition) {
  EXPECT_NEAR(crps_ensemble({0.1}, 0.25), 0.15, 1e-15);
  const std::vector<double> x = {0.3, -0.1, 0.7, 0.2, 0.2, 1.5, -0.4};
  for (double y : {-1.0, 0.0, 0.2, 0.45, 2.0}) EXPECT_NEAR(crps_ensemble(x, y), crps_by_hand(x, y), 1e-14) << y;
}

TEST(Backtest, FiguresOutsideOrUndefinedAreSkippedWithTheReason) {
  Example ex;
  ex.observed.push_back(figure("manufacturing_va_ytd_yoy", "", "2031-06", 0.05));
  ex.observed.push_back(figure("industry_va_ytd_yoy", "", "2023-06", 0.039));
  SummaryRecord undefined{"s", "2022-06", "", "industry_va_ytd_yoy", "1"};
  ex.summary.push_back(undefined);
  ex.observed.push_back(figure("industry_va_ytd_yoy", "", "2022-06", 0.05));
  const BacktestReport report = backtest(ex.summary, ex.observed, nullptr);
  EXPECT_EQ(report.scores[0].figures, 3);
  ASSERT_EQ(report.skipped.size(), 3u);
  EXPECT_NE(report.skipped[0].reason.find("outside the run (2022-06 to 2023-06)"), std::string::npos);
  EXPECT_NE(report.skipped[1].reason.find("not in the results"), std::string::npos);
  EXPECT_NE(report.skipped[2].reason.find("undefined"), std::string::npos);
}

TEST(Backtest, ReadsOnlyTheWantedCellsOfMembersCsv) {
  const fs::path path = fs::temp_directory_path() / ("mfgsim_backtest_members_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path) << "scenario,member,month,sector,variable,value\n"
                         "s,0,2023-06,,manufacturing_va_ytd_yoy,0.08\n"
                         "s,0,2023-06,,industry_va_ytd_yoy,0.04\n"
                         "s,1,2023-06,,manufacturing_va_ytd_yoy,0.09\n"
                         "s,1,2022-06,,manufacturing_va_ytd_yoy,\n";
  Diagnostics d;
  const auto values = read_member_values(path.string(),
                                         {{"s", "manufacturing_va_ytd_yoy", "", "2023-06"},
                                          {"s", "manufacturing_va_ytd_yoy", "", "2022-06"}},
                                         d);
  fs::remove(path);
  ASSERT_TRUE(values) << d.format();
  ASSERT_EQ(values->size(), 1u);
  EXPECT_EQ(values->begin()->second, (std::vector<double>{0.08, 0.09}));
}

}  // namespace
}  // namespace mfgsim
