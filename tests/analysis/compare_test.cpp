// mfgsim compare: paired differences on hand-built cases, directly and
// through a hand-written results.nc (baseline choice, months, ranks, notes).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "sim/analysis/compare.h"
#include "sim/output/netcdf_output.h"

namespace mfgsim {
namespace {

namespace fs = std::filesystem;

TEST(PairedDifference, HandBuiltCase) {
  const double scenario[] = {1, 2, 3, 4, 5};
  const double baseline[] = {0, 2, 1, 5, 5};
  // Differences 1, 0, 2, -1, 0; sorted -1, 0, 0, 1, 2.
  const PairedDifference higher = paired_difference(scenario, baseline, 5, true);
  EXPECT_EQ(higher.pairs, 5);
  EXPECT_DOUBLE_EQ(higher.median, 0.0);
  EXPECT_DOUBLE_EQ(higher.p05, -0.8);  // type 7: h = 0.2 between -1 and 0
  EXPECT_DOUBLE_EQ(higher.p95, 1.8);   // h = 3.8 between 1 and 2
  EXPECT_DOUBLE_EQ(higher.mean, 0.4);
  EXPECT_DOUBLE_EQ(higher.p_better, 0.6);  // two better, two ties
  const PairedDifference lower = paired_difference(scenario, baseline, 5, false);
  EXPECT_DOUBLE_EQ(lower.p_better, 0.4);  // one better, two ties
  EXPECT_DOUBLE_EQ(lower.median, higher.median);
}

TEST(PairedDifference, UndefinedAndSinglePairs) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double a[] = {nan, nan}, b[] = {nan, nan};
  const PairedDifference none = paired_difference(a, b, 2, true);
  EXPECT_EQ(none.pairs, 0);
  EXPECT_TRUE(std::isnan(none.median));
  // One member (a deterministic batch): the exact difference.
  const double s = 0.123456789, t = 0.1;
  const PairedDifference one = paired_difference(&s, &t, 1, true);
  EXPECT_EQ(one.median, s - t);
  EXPECT_EQ(one.p05, s - t);
  EXPECT_EQ(one.p95, s - t);
  EXPECT_EQ(one.p_better, 1.0);
  // Rounding-level differences are ties.
  const double u = 1.0 + 1e-15, v = 1.0;
  EXPECT_EQ(paired_difference(&u, &v, 1, true).p_better, 0.5);
}

TEST(Compare, DefaultMonths) {
  std::vector<std::string> labels;
  for (int t = 0; t < 36; ++t) labels.push_back(format_year_month(add_months({2021, 1}, t)));
  EXPECT_EQ(default_compare_months(labels), (std::vector<std::string>{"2023-06", "2023-12"}));
  labels.resize(24);  // no June of a third year
  EXPECT_EQ(default_compare_months(labels), (std::vector<std::string>{"2022-12"}));
  EXPECT_TRUE(higher_is_better("manufacturing_va_ytd_yoy"));
  EXPECT_FALSE(higher_is_better("co2"));
}

// results.nc with three scenarios (the baseline second), 4 members, 36
// months, hand-chosen member values.
class CompareFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mfgsim_compare_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    NetcdfBatchLayout layout;
    layout.title = "hand-built";
    layout.scenarios = {"a", "baseline", "c"};
    layout.calendar = Calendar{{2021, 1}, 36};
    layout.sectors = {"x"};
    layout.selection.names = {"manufacturing_va"};
    layout.members = 4;
    layout.member_aggregates = {AggregateSeries::manufacturing_va_ytd_yoy, AggregateSeries::co2};
    NetcdfBatchWriter writer((dir_ / "results.nc").string(), layout);
    const double d_a[4] = {0.01, 0.02, -0.01, 0.0};
    for (std::size_t s = 0; s < 3; ++s) {
      writer.write_info(s, {"file.yaml", "", 4, s == 2 ? 99u : 7u, true, {}});
      std::vector<double> growth(36 * 4), co2(36 * 4);
      for (int t = 0; t < 36; ++t)
        for (int m = 0; m < 4; ++m) {
          const double base = 0.05 + 0.001 * m + 0.0001 * t;
          const std::size_t k = static_cast<std::size_t>(t) * 4 + m;
          growth[k] = t < 12 ? std::nan("") : s == 0 ? base + d_a[m] : s == 2 ? base + 0.03 : base;
          co2[k] = s == 0 ? 90.0 + m : s == 2 ? 110.0 + m : 100.0 + m;
        }
      writer.write_members(s, AggregateSeries::manufacturing_va_ytd_yoy, growth.data(), 4);
      writer.write_members(s, AggregateSeries::co2, co2.data(), 4);
    }
    writer.close();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const ComparisonRow& row(const Comparison& c, const std::string& series, const std::string& month,
                           const std::string& scenario) {
    for (const ComparisonRow& r : c.rows)
      if (r.series == series && r.month == month && r.scenario == scenario) return r;
    ADD_FAILURE() << "no row " << series << " " << month << " " << scenario;
    static ComparisonRow none;
    return none;
  }
  fs::path dir_;
};

TEST_F(CompareFile, PairedDifferencesRanksAndNotes) {
  CompareRequest request;
  request.results_dirs = {dir_.string()};
  const Comparison c = compare_batch(request);
  EXPECT_EQ(c.baseline, "baseline");  // by name, though not first
  EXPECT_EQ(c.months, (std::vector<std::string>{"2023-06", "2023-12"}));
  EXPECT_EQ(c.series, (std::vector<std::string>{"manufacturing_va_ytd_yoy", "co2"}));
  ASSERT_EQ(c.rows.size(), 2u * 2 * 2);
  for (const std::string month : {"2023-06", "2023-12"}) {
    const ComparisonRow& a = row(c, "manufacturing_va_ytd_yoy", month, "a");
    EXPECT_EQ(a.difference.pairs, 4);
    EXPECT_NEAR(a.difference.median, 0.005, 1e-12);
    EXPECT_NEAR(a.difference.p05, -0.0085, 1e-12);
    EXPECT_NEAR(a.difference.p95, 0.0185, 1e-12);
    EXPECT_DOUBLE_EQ(a.difference.p_better, 0.625);
    EXPECT_EQ(a.rank, 2);
    const ComparisonRow& cc = row(c, "manufacturing_va_ytd_yoy", month, "c");
    EXPECT_NEAR(cc.difference.median, 0.03, 1e-12);
    EXPECT_EQ(cc.difference.p_better, 1.0);
    EXPECT_EQ(cc.rank, 1);
    // co2: lower is better.
    EXPECT_EQ(row(c, "co2", month, "a").difference.median, -10.0);
    EXPECT_EQ(row(c, "co2", month, "a").rank, 1);
    EXPECT_EQ(row(c, "co2", month, "c").difference.p_better, 0.0);
    EXPECT_EQ(row(c, "co2", month, "c").rank, 2);
  }
  // Scenario c has another seed: its members are not paired.
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("`c`"), std::string::npos);
  std::ostringstream csv;
  write_comparison_csv(csv, c);
  EXPECT_EQ(csv.str().substr(0, csv.str().find('\n')),
            "series,month,scenario,sweep,baseline,unit,better,pairs,median,p05,p95,mean,p_better,rank,baseline_median,"
            "scenario_median");
  EXPECT_NE(comparison_table(c, 10).find("co2 at 2023-12 (lower is better"), std::string::npos);
}

TEST_F(CompareFile, ChosenBaselineMonthsAndErrors) {
  CompareRequest request;
  request.results_dirs = {dir_.string()};
  request.baseline = "a";
  request.months = {"2022-01"};
  request.series = {"co2"};
  const Comparison c = compare_batch(request);
  ASSERT_EQ(c.rows.size(), 2u);
  EXPECT_EQ(row(c, "co2", "2022-01", "baseline").difference.median, 10.0);
  // Growth in the first year is undefined: no pairs, no rank.
  request.series = {"manufacturing_va_ytd_yoy"};
  request.months = {"2021-06"};
  const Comparison early = compare_batch(request);
  EXPECT_EQ(row(early, "manufacturing_va_ytd_yoy", "2021-06", "c").difference.pairs, 0);
  EXPECT_EQ(row(early, "manufacturing_va_ytd_yoy", "2021-06", "c").rank, 0);

  auto message = [&](auto change) {
    CompareRequest r;
    r.results_dirs = {dir_.string()};
    change(r);
    const Diagnostics problems = validate_compare_request(r);
    return problems.ok() ? std::string() : problems.items().front().message;
  };
  EXPECT_EQ(message([](CompareRequest&) {}), "");
  EXPECT_NE(message([](CompareRequest& r) { r.baseline = "baselin"; }).find("did you mean `baseline`"), std::string::npos);
  EXPECT_NE(message([](CompareRequest& r) { r.months = {"2030-01"}; }).find("outside the run (2021-01 to 2023-12)"),
            std::string::npos);
  EXPECT_NE(message([](CompareRequest& r) { r.series = {"adoption"}; }).find("no member values of `adoption`"),
            std::string::npos);
  EXPECT_NE(message([](CompareRequest& r) { r.results_dirs = {"/nonexistent"}; }).find("results.nc not found"),
            std::string::npos);
  // A request validation rejects is a programmer error in compare_batch.
  CompareRequest bad;
  bad.results_dirs = {dir_.string()};
  bad.series = {"adoption"};
  EXPECT_THROW(compare_batch(bad), std::invalid_argument);
}

// Every problem of a request is reported before any work, each printed as
// the CLI always printed it ("mfgsim: error: --at: ..."); nothing is written.
TEST_F(CompareFile, ValidationReportsEveryProblemAndWritesNothing) {
  CompareRequest request;
  request.results_dirs = {dir_.string()};
  request.baseline = "nope";
  request.scenarios = {"a", "zz"};
  request.months = {"June", "2019-01"};
  request.series = {"co3"};
  const Diagnostics problems = validate_compare_request(request);
  const std::string path = (dir_ / "results.nc").string();
  ASSERT_EQ(problems.items().size(), 5u) << problems.format();
  EXPECT_EQ(problems.items()[0].format().rfind("mfgsim: error: --baseline: no scenario `nope` in " + path, 0), 0u);
  EXPECT_EQ(problems.items()[1].format().rfind("mfgsim: error: --scenarios: no scenario `zz` in " + path, 0), 0u);
  EXPECT_EQ(problems.items()[2].format(), "mfgsim: error: --at: expected a month YYYY-MM, got 'June'");
  EXPECT_EQ(problems.items()[3].format(), "mfgsim: error: --at: 2019-01 is outside the run (2021-01 to 2023-12)");
  EXPECT_EQ(problems.items()[4].message.rfind("--series: no member values of `co3` in " + path +
                                                   " (available: manufacturing_va_ytd_yoy, co2)",
                                               0),
            0u);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path().filename());
  EXPECT_EQ(files, std::vector<fs::path>{"results.nc"});

  CompareRequest missing;
  missing.results_dirs = {(dir_ / "nowhere").string()};
  const Diagnostics none = validate_compare_request(missing);
  ASSERT_EQ(none.items().size(), 1u);
  EXPECT_EQ(none.items()[0].format(), "mfgsim: error: " + (dir_ / "nowhere" / "results.nc").string() +
                                          " not found: compare reads the results.nc of a `mfgsim batch` or "
                                          "`mfgsim run` output folder");
  EXPECT_FALSE(fs::exists(dir_ / "nowhere"));
}

}  // namespace
}  // namespace mfgsim
