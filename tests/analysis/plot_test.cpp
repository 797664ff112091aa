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
#include <vector>

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

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Readable units: the largest unit that keeps the values at 1 or more.
TEST(PlotScale, UnitsScaledToReadableMagnitudes) {
  // 2.4e7 tCO2/month -> 24 MtCO2/month.
  DisplayScale s = display_scale("co2", 2.4e7);
  EXPECT_EQ(s.factor, 1e-6);
  EXPECT_EQ(s.label, "MtCO2/month");
  EXPECT_EQ(display_scale("energy", 5e4).label, "ktce/month");
  EXPECT_EQ(display_scale("energy", 500.0).factor, 1.0);
  // Value added of 627 (100 million yuan) = ¥62.7bn; capital of 18,810 = ¥1.881tn.
  s = display_scale("manufacturing_va", 627.0);
  EXPECT_EQ(s.factor, 0.1);
  EXPECT_EQ(s.label, "¥bn/month (2020 prices)");
  s = display_scale("capital", 18810.0);
  EXPECT_EQ(s.factor, 1e-4);
  EXPECT_EQ(s.label, "¥tn (2020 prices)");
  EXPECT_EQ(display_scale("new_loans", 0.5).label, "¥ million/month");
  // Growth and shares in percent; indices as they are.
  EXPECT_EQ(display_scale("manufacturing_va_ytd_yoy", 0.1).factor, 100.0);
  EXPECT_EQ(display_scale("long_term_share", 0.5).label, "share (%)");
  EXPECT_EQ(display_scale("price", 1.0).label, "index");
  EXPECT_EQ(display_scale("energy_intensity", 3.0).label, "tce/10k yuan");
  // Levers: rates a year in percent, the carbon price in yuan a tonne.
  EXPECT_EQ(display_scale("long_term_growth", 0.1).factor, 100.0);
  EXPECT_EQ(display_scale("long_term_growth", 0.1).label, "% a year");
  EXPECT_EQ(display_scale("carbon_price", 200.0).label, "¥/tCO2");
}

// One colour per scenario whatever the folder's order or which are drawn.
TEST(PlotColour, BaselineNavyOthersInFolderOrder) {
  const std::vector<std::string> folder = {"push", "baseline", "credit"};
  EXPECT_EQ(scenario_colour(folder, "baseline"), "#08306b");
  EXPECT_EQ(scenario_colour(folder, "push"), "#ff7f0e");
  EXPECT_EQ(scenario_colour(folder, "credit"), "#2ca02c");
  EXPECT_EQ(scenario_colour({"baseline", "push"}, "push"), scenario_colour(folder, "push"));
  // Without a scenario named baseline the first is the baseline.
  EXPECT_EQ(scenario_colour({"a", "b"}, "a"), "#08306b");
  EXPECT_EQ(scenario_colour({"a", "b"}, "b"), "#ff7f0e");
}

// Drawn through gnuplot: titles, scaled data, a band only where members differ.
TEST_F(PlotFolder, TitlesScaledDataAndColours) {
  PlotRequest r = request();
  r.series = {"manufacturing_va"};
  const std::vector<std::string> images = make_plots(r);
  ASSERT_EQ(images.size(), 2u);
  EXPECT_TRUE(fs::file_size(images[0]) > 0);
  const std::string script = read_text(dir_ / "plots" / "manufacturing_va.gp");
  EXPECT_NE(script.find("set title \"Manufacturing value added · baseline, push\""), std::string::npos) << script;
  // 1 (100 million yuan) a month = ¥100 million: shown in ¥ million, x100.
  EXPECT_NE(script.find("set ylabel \"¥ million/month (2020 prices)\""), std::string::npos) << script;
  EXPECT_NE(script.find("set key below"), std::string::npos) << script;
  EXPECT_NE(script.find("lc rgb '#08306b' title \"baseline (median)\""), std::string::npos) << script;
  EXPECT_NE(script.find("lc rgb '#ff7f0e' title \"push (median)\""), std::string::npos) << script;
  EXPECT_NE(script.find("title \"push 90% band\""), std::string::npos) << script;
  const std::string data = read_text(dir_ / "plots" / "manufacturing_va.dat");
  EXPECT_NE(data.find("# baseline\n2021-01 100 50 75 100 125 150\n"), std::string::npos) << data;
}

TEST_F(PlotFolder, NoBandWhereMembersAgree) {
  std::ofstream(dir_ / "summary.csv") << "scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95\n"
                                      << "baseline,2021-01,,co2,t month-1,2e7,0,2e7,2e7,2e7,2e7,2e7\n"
                                      << "baseline,2021-02,,co2,t month-1,3e7,0,3e7,3e7,3e7,3e7,3e7\n";
  PlotRequest r = request();
  r.series = {"co2"};
  make_plots(r);
  const std::string script = read_text(dir_ / "plots" / "co2.gp");
  EXPECT_EQ(script.find("band"), std::string::npos) << script;
  EXPECT_NE(script.find("title \"value (the same in every member)\""), std::string::npos) << script;
  EXPECT_NE(script.find("set ylabel \"MtCO2/month\""), std::string::npos) << script;
  EXPECT_NE(read_text(dir_ / "plots" / "co2.dat").find("2021-02 30 30 30 30 30 30"), std::string::npos);
}

// Published figures as misses: model - published in points, with the band.
// The folder holds one month: its fan chart draws too (a month either side).
TEST_F(PlotFolder, PublishedFiguresAsMisses) {
  std::ofstream(dir_ / "summary.csv") << "scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95\n"
                                      << "baseline,2023-06,,manufacturing_va_ytd_yoy,1,0.125,0,0.0625,0.1,0.125,0.2,0.25\n";
  std::ofstream(dir_ / "observed.csv") << "series,sector,measure,period_end,value,source\n"
                                       << "manufacturing_va,,ytd_yoy,2023-06,0.0625,test\n"
                                       << "industry_va,,ytd_yoy,2023-06,0.04,test (not in the results: no row)\n";
  PlotRequest r = request();
  r.observed_csv = (dir_ / "observed.csv").string();
  make_plots(r);
  const std::string data = read_text(dir_ / "plots" / "published.dat");
  EXPECT_NE(data.find("\n1 6.25 0 18.75 0 \"manufacturing_va_ytd_yoy 2023-06\"\n"), std::string::npos) << data;
  EXPECT_EQ(data.find("industry_va"), std::string::npos) << data;
  // Without published figures there is no such chart.
  fs::remove_all(dir_ / "plots");
  make_plots(request());
  EXPECT_FALSE(fs::exists(dir_ / "plots" / "published.dat"));
}

// The calendar-year view: December values only, in percent, one row per year.
TEST_F(PlotFolder, AnnualViewDrawsDecemberValues) {
  std::ofstream csv(dir_ / "summary.csv");
  csv << "scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95\n";
  for (const char* row : {"2022-11,,manufacturing_va_ytd_yoy,1,0.09,0,0.01,0.05,0.09,0.1,0.2",
                          "2022-12,,manufacturing_va_ytd_yoy,1,0.08,0,0.02,0.06,0.08,0.1,0.125",
                          "2023-12,,manufacturing_va_ytd_yoy,1,0.25,0,0.0625,0.125,0.1875,0.25,0.3125",
                          "2023-12,,manufacturing_va,1e8 month-1,1,0,1,1,1,1,1"})
    csv << "baseline," << row << '\n';
  csv.close();
  PlotRequest r = request();
  r.annual = true;
  r.series = {"manufacturing_va_ytd_yoy"};
  ASSERT_TRUE(validate_plot_request(r).ok()) << validate_plot_request(r).format();
  make_plots(r);
  const std::string data = read_text(dir_ / "plots" / "manufacturing_va_ytd_yoy_annual.dat");
  EXPECT_NE(data.find("# baseline\n2022 2 6 8 10 12.5\n2023 6.25 12.5 18.75 25 31.25\n\n"), std::string::npos) << data;
  const std::string script = read_text(dir_ / "plots" / "manufacturing_va_ytd_yoy_annual.gp");
  EXPECT_NE(script.find("Manufacturing value added, calendar-year growth · baseline"), std::string::npos) << script;
  EXPECT_NE(script.find("with candlesticks"), std::string::npos) << script;
  // A level is not a growth rate: refused, nothing written.
  fs::remove_all(dir_ / "plots");
  r.series = {"manufacturing_va"};
  Diagnostics problems = validate_plot_request(r);
  ASSERT_EQ(problems.items().size(), 1u) << problems.format();
  EXPECT_EQ(problems.items()[0].format(),
            "mfgsim: error: --annual: 'manufacturing_va' is not a growth rate (calendar-year views are drawn for the "
            "series ending in _yoy)");
  // Without a December value there is no calendar year to draw.
  std::ofstream(dir_ / "summary.csv") << "scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95\n"
                                      << "baseline,2022-11,,manufacturing_va_ytd_yoy,1,0.09,0,0.01,0.05,0.09,0.1,0.2\n";
  r.series = {"manufacturing_va_ytd_yoy"};
  problems = validate_plot_request(r);
  ASSERT_EQ(problems.items().size(), 1u) << problems.format();
  EXPECT_NE(problems.items()[0].format().find("--annual: 'manufacturing_va_ytd_yoy' has no December value"),
            std::string::npos)
      << problems.format();
  EXPECT_FALSE(fs::exists(dir_ / "plots"));
}

}  // namespace
}  // namespace mfgsim
