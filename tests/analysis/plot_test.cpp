// mfgsim plot: a request is checked against the results folder before any
// plot is drawn (no gnuplot needed for that): every problem is reported,
// as the CLI prints it, and nothing is written.
#include "sim/analysis/plot.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace mfgsim {
namespace {

namespace fs = std::filesystem;

// A results folder with a hand-written summary.csv: two scenarios, the
// aggregate manufacturing_va and the per-sector va of one sector.
class PlotFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mfgsim_plot_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream csv(dir_ / "summary.csv");
    csv << "scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95\n";
    for (const char* scenario : {"baseline", "push"})
      for (const char* month : {"2021-01", "2021-02"}) {
        csv << scenario << ',' << month << ",,manufacturing_va,1e8 month-1,1,0.01,0.5,0.75,1,1.25,1.5\n";
        csv << scenario << ',' << month << ",equipment,va,1e8 month-1,1,0.01,0.5,0.75,1,1.25,1.5\n";
      }
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  PlotRequest request() const {
    PlotRequest r;
    r.results_dir = dir_.string();
    return r;
  }
  fs::path dir_;
};

TEST_F(PlotFolder, ValidRequestHasNoDiagnostics) {
  PlotRequest r = request();
  r.series = {"manufacturing_va", "va"};
  r.sectors = {"equipment"};
  r.scenarios = {"push"};
  const Diagnostics problems = validate_plot_request(r);
  EXPECT_TRUE(problems.ok()) << problems.format();
  EXPECT_FALSE(fs::exists(dir_ / "plots"));
}

TEST_F(PlotFolder, EveryProblemIsReportedAndNothingWritten) {
  PlotRequest r = request();
  r.scenarios = {"baseline", "nope"};
  r.series = {"bogus", "co2", "va"};
  r.sectors = {"equipment", "nowhere"};
  const Diagnostics problems = validate_plot_request(r);
  const std::string summary = (dir_ / "summary.csv").string();
  ASSERT_EQ(problems.items().size(), 4u) << problems.format();
  EXPECT_EQ(problems.items()[0].format(),
            "mfgsim: error: --scenarios: no scenario 'nope' in " + summary + " (scenarios: baseline, push)");
  EXPECT_EQ(problems.items()[1].format(), "mfgsim: error: --series: unknown series 'bogus'");
  EXPECT_EQ(problems.items()[2].format(),
            "mfgsim: error: --series: 'co2' is not in " + summary + " (was it left out by `outputs`?)");
  EXPECT_EQ(problems.items()[3].format(),
            "mfgsim: error: --sectors: no series 'va' for sector 'nowhere' in summary.csv");
  EXPECT_FALSE(fs::exists(dir_ / "plots"));
  // make_plots takes only a valid request: this one is a programmer error.
  EXPECT_THROW(make_plots(r), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir_ / "plots"));
}

TEST_F(PlotFolder, MissingSummaryIsAFileDiagnostic) {
  fs::remove(dir_ / "summary.csv");
  const Diagnostics problems = validate_plot_request(request());
  ASSERT_FALSE(problems.ok());
  EXPECT_EQ(problems.items()[0].where.file, (dir_ / "summary.csv").string());
  EXPECT_FALSE(fs::exists(dir_ / "plots"));
}

}  // namespace
}  // namespace mfgsim
