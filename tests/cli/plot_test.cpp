// mfgsim plot --difference through the binary: scenario - baseline member by
// member, checked against two facts: a scenario identical to the baseline
// differs by exactly 0 in every member, and the charted median and 5-95%
// band are compare's paired differences (compare.csv), in percentage points.
#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <sstream>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// The rows of one scenario's block of a difference chart's .dat:
// month -> {median, p05, p95, mean}.
std::map<std::string, std::vector<double>> block(const std::string& data, const std::string& scenario) {
  std::map<std::string, std::vector<double>> rows;
  std::istringstream in(data.substr(data.find("# " + scenario + "\n") + scenario.size() + 3));
  std::string line;
  while (std::getline(in, line) && !line.empty() && line[0] != '#') {
    std::istringstream fields(line);
    std::string month;
    fields >> month;
    std::vector<double>& values = rows[month];
    for (double v; fields >> v;) values.push_back(v);
  }
  return rows;
}

// compare.csv's median, p05, p95, mean of a (series, month, scenario).
std::vector<double> compare_row(const std::string& csv, const std::string& prefix) {
  const std::size_t at = csv.find("\n" + prefix + ",");
  if (at == std::string::npos) return {};
  std::vector<std::string> fields;
  std::string field;
  std::istringstream line(csv.substr(at + 1, csv.find('\n', at + 1) - at - 1));
  bool quoted = false;
  for (char c; line.get(c);) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) fields.push_back(std::exchange(field, ""));
    else field += c;
  }
  fields.push_back(field);
  // series,month,scenario,sweep,baseline,unit,better,pairs,median,p05,p95,mean,...
  return {std::stod(fields[8]), std::stod(fields[9]), std::stod(fields[10]), std::stod(fields[11])};
}

TEST(CliPlotDifference, PairedDifferencesOfABatch) {
  TempDir dir;
  std::ofstream(dir / "same.yaml") << "name: same_as_baseline\nextends: " << kSource << "/scenarios/baseline.yaml\n";
  std::ofstream(dir / "b.yaml") << "name: d\nmembers: 30\nstochastic: true\nscenarios:\n  - " << kSource
                                << "/scenarios/baseline.yaml\n  - same.yaml\n  - " << kSource
                                << "/scenarios/low_carbon_push.yaml\n";
  const std::string out = dir / "out";
  Result r = mfgsim("batch " + shell_quote(dir / "b.yaml") + " --progress off --log-level warn --out " + shell_quote(out));
  ASSERT_EQ(r.code, 0) << describe(r);
  r = mfgsim("plot " + shell_quote(out) + " --difference --series manufacturing_va_ytd_yoy co2 --log-level warn");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string data = read_file(fs::path(out) / "plots" / "manufacturing_va_ytd_yoy_difference.dat");
  // The same scenario under another name: every paired difference is 0.
  const auto same = block(data, "same_as_baseline");
  ASSERT_EQ(same.size(), 108u) << data;  // 2022-01 .. 2030-12: growth is undefined in the first year
  for (const auto& [month, values] : same) EXPECT_EQ(values, (std::vector<double>{0, 0, 0, 0})) << month;
  // low_carbon_push: compare's numbers, times 100 (percentage points).
  r = mfgsim("compare " + shell_quote(out) + " --at 2025-06 2028-12 --series manufacturing_va_ytd_yoy --log-level warn "
             "--out " + shell_quote(dir / "compare.csv"));
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string csv = read_file(dir / "compare.csv");
  const auto push = block(data, "low_carbon_push");
  for (const std::string month : {"2025-06", "2028-12"}) {
    const std::vector<double> expected = compare_row(csv, "manufacturing_va_ytd_yoy," + month + ",low_carbon_push");
    ASSERT_EQ(expected.size(), 4u) << csv;
    ASSERT_EQ(push.at(month).size(), 4u);
    for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(push.at(month)[k], 100.0 * expected[k], 1e-12) << month << k;
    EXPECT_NE(push.at(month)[1], push.at(month)[2]) << "members differ: a band";
  }
  const std::string script = read_file(fs::path(out) / "plots" / "manufacturing_va_ytd_yoy_difference.gp");
  EXPECT_NE(script.find("set ylabel \"difference, percentage points\""), std::string::npos) << script;
  EXPECT_NE(script.find("title \"low_carbon_push (median difference)\""), std::string::npos) << script;
  // No band for the scenario that never differs.
  EXPECT_EQ(script.find("same_as_baseline: 5-95%"), std::string::npos) << script;
  EXPECT_NE(read_file(fs::path(out) / "plots" / "co2_difference.gp").find("set ylabel \"difference, "), std::string::npos);
}

// The calibration targets of the run's scenario as misses against the model,
// with the tolerance calibrate applies (0.3 points for growth, 0.5 for levels).
TEST(CliPlotTargets, TargetsOfTheScenarioAsMisses) {
  TempDir dir;
  const std::string out = dir / "run";
  Result r = mfgsim("run scenarios/baseline.yaml --members 20 --log-level warn --out " + shell_quote(out));
  ASSERT_EQ(r.code, 0) << describe(r);
  r = mfgsim("plot " + shell_quote(out) + " --log-level warn");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string data = read_file(fs::path(out) / "plots" / "targets.dat");
  const std::string summary = read_file(fs::path(out) / "summary.csv");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(summary, m, std::regex(R"(\nbaseline,2023-06,,manufacturing_va_ytd_yoy,1,[^,]*,[^,]*,([^,]*),[^,]*,([^,]*),[^,]*,([^,\n]*)\n)")));
  // data/targets.csv: mfg_h1_2023 = 8.3%, the first of eight targets.
  std::istringstream row(data.substr(data.find("\n8 ") + 1));
  double index = 0, miss = 0, p05 = 0, p95 = 0, tolerance = 0;
  std::string label;
  row >> index >> miss >> p05 >> p95 >> tolerance >> label;
  EXPECT_EQ(label, "\"mfg_h1_2023\"");
  EXPECT_NEAR(miss, 100 * (std::stod(m[2].str()) - 0.083), 1e-12);
  EXPECT_NEAR(p05, 100 * (std::stod(m[1].str()) - 0.083), 1e-12);
  EXPECT_NEAR(p95, 100 * (std::stod(m[3].str()) - 0.083), 1e-12);
  EXPECT_EQ(tolerance, 0.3);
  EXPECT_NE(data.find(" 0.5 \"recycling_h1_2023\""), std::string::npos) << data;
}

// plot and report read the run's scenario again from the paths manifest.json
// records: only when every recorded scenario and data file still has its
// recorded SHA-256 (an edited scenario, or another working folder where the
// paths name other files or none, would show another scenario's targets as
// the run's). Otherwise a warning names the file and no targets are drawn.
TEST(CliPlotTargets, AScenarioNotAsAtTheRunIsNotUsed) {
  TempDir dir;
  fs::copy(kSource + "/scenarios", dir / "scenarios", fs::copy_options::recursive);
  fs::copy(kSource + "/data", dir / "data", fs::copy_options::recursive);
  const std::string where = dir.path().string();
  Result r = run_mfgsim("run scenarios/baseline.yaml --members 20 --log-level warn --out run", where);
  ASSERT_EQ(r.code, 0) << describe(r);
  r = run_mfgsim("plot run --log-level warn --out as_run", where);
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_TRUE(fs::exists(dir / "as_run/targets.dat"));
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << describe(r);
  // Edited since the run.
  std::ofstream(dir / "scenarios/baseline.yaml", std::ios::app) << "# edited\n";
  r = run_mfgsim("plot run --log-level warn --out edited", where);
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("warning: scenarios/baseline.yaml has changed since the run"), std::string::npos) << describe(r);
  EXPECT_FALSE(fs::exists(dir / "edited/targets.dat"));
  EXPECT_TRUE(fs::exists(dir / "edited/co2.png"));
  r = run_mfgsim("report run --log-level warn --out edited.html", where);
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("warning: scenarios/baseline.yaml has changed since the run"), std::string::npos) << describe(r);
  EXPECT_EQ(read_file(dir / "edited.html").find("<h2>Calibration targets</h2>"), std::string::npos);
  // From another working folder the recorded paths name nothing.
  TempDir other;
  r = run_mfgsim("plot " + shell_quote(dir / "run") + " --log-level warn --out p", other.path().string());
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("warning: scenarios/baseline.yaml cannot be read"), std::string::npos) << describe(r);
  EXPECT_FALSE(fs::exists(other / "p/targets.dat"));
}

// plot --out FOLDER replaces only the files it wrote there itself, and only
// as it wrote them (mfgsim_files.json records their SHA-256): a user's file
// of the same name, or one they edited, is refused with exit 2 and nothing in
// the folder changes; their other files stay.
TEST(CliPlotTargets, ReplacesOnlyTheFilesItWrote) {
  TempDir dir;
  const std::string where = dir.path().string();
  const std::string baseline = shell_quote(kSource + "/scenarios/baseline.yaml");
  Result r = run_mfgsim("run " + baseline + " --members 20 --outputs co2 --log-level warn --out run", where);
  ASSERT_EQ(r.code, 0) << describe(r);
  fs::create_directory(dir / "figures");
  std::ofstream(dir / "figures/co2.png") << "my own chart";
  std::ofstream(dir / "figures/notes.txt") << "mine";
  r = run_mfgsim("plot run --series co2 --log-level warn --out figures", where);
  EXPECT_EQ(r.code, 2) << describe(r);
  EXPECT_NE(r.err.find("will not replace 1 file mfgsim did not write as they are:\n  " + (dir / "figures/co2.png") +
                       " (not written by mfgsim: mfgsim_files.json does not list it)"),
            std::string::npos)
      << describe(r);
  EXPECT_EQ(read_file(dir / "figures/co2.png"), "my own chart");
  EXPECT_FALSE(fs::exists(dir / "figures/co2.svg"));
  EXPECT_FALSE(fs::exists(dir / "figures/mfgsim_files.json"));
  // Moved away: written, recorded, and written again over its own files.
  fs::rename(dir / "figures/co2.png", dir / "mine.png");
  for (int pass = 0; pass < 2; ++pass) {
    r = run_mfgsim("plot run --series co2 --log-level warn --out figures", where);
    ASSERT_EQ(r.code, 0) << describe(r);
  }
  const std::string record = read_file(dir / "figures/mfgsim_files.json");
  EXPECT_NE(record.find("\"co2.png\": \""), std::string::npos) << record;
  EXPECT_NE(record.find("\"co2.gp\": \""), std::string::npos) << record;
  EXPECT_EQ(record.find("notes.txt"), std::string::npos) << record;
  EXPECT_EQ(read_file(dir / "figures/notes.txt"), "mine");
  // An output the user changed since is theirs now.
  std::ofstream(dir / "figures/co2.gp", std::ios::app) << "# my edit\n";
  const std::string edited = read_file(dir / "figures/co2.gp");
  r = run_mfgsim("plot run --series co2 --log-level warn --out figures", where);
  EXPECT_EQ(r.code, 2) << describe(r);
  EXPECT_NE(r.err.find((dir / "figures/co2.gp") + " (changed since mfgsim wrote it"), std::string::npos)
      << describe(r);
  EXPECT_EQ(read_file(dir / "figures/co2.gp"), edited);
  EXPECT_EQ(read_file(dir / "figures/mfgsim_files.json"), record);
  // A record mfgsim did not write is not trusted.
  fs::create_directory(dir / "other");
  std::ofstream(dir / "other/mfgsim_files.json") << "{\"files\": {\"co2.png\": \"x\"}}";
  r = run_mfgsim("plot run --series co2 --log-level warn --out other", where);
  EXPECT_EQ(r.code, 2) << describe(r);
  EXPECT_NE(r.err.find("not a record of files written by mfgsim"), std::string::npos) << describe(r);
  EXPECT_FALSE(fs::exists(dir / "other/co2.png"));
}

TEST(CliPlotDifference, RefusedWhereItCannotBeDrawn) {
  TempDir dir;
  const std::string run = dir / "run";
  const Result r = mfgsim("run scenarios/baseline.yaml --members 20 --log-level warn --out " + shell_quote(run));
  ASSERT_EQ(r.code, 0) << describe(r);
  // A run without --keep-members has no member values to pair.
  expect_refused_in(dir.path(), "plot run --difference", "--difference: run is a `mfgsim run` folder");
  expect_refused_in(dir.path(), "plot run --difference --annual", "--annual and --difference: choose one view");
  expect_refused_in(dir.path(), "plot run --baseline baseline", "--baseline: only with --difference");
  expect_refused_in(dir.path(), "plot run --difference --observed " + shell_quote(kSource + "/data/observed.csv"),
                    "--observed: published figures are levels, not differences");
}

// A published figure of a sector the folder does not have is an error at its
// sector field, as forecast has it; plot and report drew or compared nothing
// for it and said nothing (found by a new user's trial).
TEST(CliPlotTargets, AFigureOfAnUnknownSectorIsRefused) {
  TempDir dir;
  const Result r = mfgsim("run scenarios/baseline.yaml --members 6 --log-level warn --out " + shell_quote(dir / "run"));
  ASSERT_EQ(r.code, 0) << describe(r);
  std::ofstream(dir / "obs.csv") << "series,sector,measure,period_end,value,source\n"
                                    "va,steel,ytd_yoy,2023-06,0.083,src\n";
  const std::string message = "obs.csv:2:4: error: no sector 'steel' in run/summary.csv (sectors: building_materials, ";
  expect_refused_in(dir.path(), "plot run --observed obs.csv --out p", message);
  expect_refused_in(dir.path(), "report run --observed obs.csv --out r.html", message);
  // --sectors naming no sector of the series: that error alone, not also a
  // false "'va' is not in summary.csv" (found by a new user's trial).
  const Result sectors = expect_refused_in(dir.path(), "plot run --series va --sectors nosuch --out p",
                                           "mfgsim: error: --sectors: no series 'va' for sector 'nosuch' in summary.csv");
  EXPECT_EQ(sectors.err.find("is not in"), std::string::npos) << describe(sectors);
}

}  // namespace
