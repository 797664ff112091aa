// mfgsim report through the binary: the page holds the folder's numbers
// (headline cells from summary.csv, input hashes from manifest.json), needs
// nothing outside itself, and loads in headless Chromium (Debian's
// `chromium`, installed by scripts/setup.sh) with no console message and
// every plot drawn (each SVG rasterised to a canvas has ink).
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Loads `html` in headless Chromium beside the test page; returns the plots'
// ink counts and fails the test on any console message from the report.
std::vector<int> drawn_ink(const fs::path& html) {
  const fs::path dir = html.parent_path() / "browser";
  fs::create_directories(dir);
  fs::copy_file(html, dir / "report.html", fs::copy_options::overwrite_existing);
  fs::copy_file(kSource + "/tests/cli/browser/check_plots.html", dir / "check.html", fs::copy_options::overwrite_existing);
  const std::string command = "command -v chromium >/dev/null || { echo 'chromium is not installed (scripts/setup.sh)' >&2; exit 127; }; "
                              "timeout 120 chromium --headless=new --no-sandbox --disable-gpu --allow-file-access-from-files "
                              "--enable-logging=stderr --v=0 --virtual-time-budget=20000 --dump-dom " +
                              shell_quote("file://" + (dir / "check.html").string()) + " > " +
                              shell_quote((dir / "dom.txt").string()) + " 2> " + shell_quote((dir / "log.txt").string());
  EXPECT_EQ(std::system(command.c_str()), 0) << read_file(dir / "log.txt");
  const std::string log = read_file(dir / "log.txt");
  for (std::istringstream lines(log); !lines.eof();) {
    std::string line;
    std::getline(lines, line);
    EXPECT_FALSE(line.find(":CONSOLE") != std::string::npos && line.find("report.html") != std::string::npos) << line;
  }
  const std::string dom = read_file(dir / "dom.txt");
  std::smatch m;
  const std::regex result(R"(<pre id="result">plots (\d+) ink ([\d,]*))");
  if (!std::regex_search(dom, m, result)) {
    ADD_FAILURE() << "the test page did not finish: " << dom.substr(0, 2000) << log;
    return {};
  }
  std::vector<int> ink;
  std::istringstream values(m[2].str());
  for (std::string v; std::getline(values, v, ',');) ink.push_back(std::stoi(v));
  EXPECT_EQ(static_cast<int>(ink.size()), std::stoi(m[1].str()));
  return ink;
}

TEST(CliReport, RunReportHoldsTheFolderAndDrawsInChromium) {
  TempDir dir;
  const std::string out = dir / "run";
  Result r = mfgsim("run scenarios/baseline.yaml --members 50 --log-level warn --out " + shell_quote(out));
  ASSERT_EQ(r.code, 0) << describe(r);
  r = mfgsim("report " + shell_quote(out) + " --observed data/observed.csv --log-level warn");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string html = read_file(fs::path(out) / "report.html");
  EXPECT_NE(html.find("<h1>mfgsim report: baseline · Shanxi</h1>"), std::string::npos);
  // Self-contained and script-free.
  for (const char* outside : {"<script", "<link", "src=\"http", "href=\"http", "@import"})
    EXPECT_EQ(html.find(outside), std::string::npos) << outside;
  // A headline cell: the median of manufacturing growth at 2023-06 from summary.csv, in percent.
  const std::string summary = read_file(fs::path(out) / "summary.csv");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(summary, m, std::regex(R"(\nbaseline,2023-06,,manufacturing_va_ytd_yoy,1,[^,]*,[^,]*,[^,]*,[^,]*,([^,]*),)")));
  const std::string cell = fmt::format("<td>{:.2f} <span class=\"band\">", 100.0 * std::stod(m[1].str()));
  EXPECT_NE(html.find(cell), std::string::npos) << cell;
  // Provenance: the scenario file's hash as the manifest has it.
  const nlohmann::json manifest = nlohmann::json::parse(read_file(fs::path(out) / "manifest.json"));
  EXPECT_NE(html.find(manifest["scenario_files"][0]["sha256"].get<std::string>()), std::string::npos);
  // ... and the threads and start time a run's manifest has at its top.
  EXPECT_NE(html.find("<tr><th>threads</th><td>" + manifest["threads"].dump() + "</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<tr><th>started_utc</th><td>" + manifest["started_utc"].get<std::string>() + "</td></tr>"),
            std::string::npos);
  // The calibration targets and the published figures.
  EXPECT_NE(html.find("<h2>Calibration targets</h2>"), std::string::npos);
  EXPECT_NE(html.find("<td>mfg_h1_2023</td>"), std::string::npos);
  EXPECT_NE(html.find("<h2>Against published figures</h2>"), std::string::npos);
  // Every plot `plot` draws for the folder, plus the calendar-year view.
  r = mfgsim("plot " + shell_quote(out) + " --observed data/observed.csv --log-level warn --out " + shell_quote(dir / "plots"));
  ASSERT_EQ(r.code, 0) << describe(r);
  int svgs = 0;
  for (const auto& entry : fs::directory_iterator(dir.path() / "plots")) svgs += entry.path().extension() == ".svg";
  EXPECT_EQ(count_of(html, "<figure class=\"plot\"><svg"), svgs + 1);
  const std::vector<int> ink = drawn_ink(fs::path(out) / "report.html");
  ASSERT_EQ(static_cast<int>(ink.size()), svgs + 1);
  // A plot with its axes, labels and one line has thousands of dark pixels of 140,000.
  for (std::size_t k = 0; k < ink.size(); ++k) EXPECT_GT(ink[k], 2000) << "plot " << k;
}

TEST(CliReport, BatchReportComparesScenariosAndDrawsInChromium) {
  TempDir dir;
  std::ofstream(dir / "b.yaml") << "name: b\nmembers: 20\nstochastic: true\nscenarios:\n  - " << kSource
                                << "/scenarios/baseline.yaml\n  - " << kSource << "/scenarios/low_carbon_push.yaml\n";
  const std::string out = dir / "batch";
  Result r = mfgsim("batch " + shell_quote(dir / "b.yaml") + " --progress off --log-level warn --out " + shell_quote(out));
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string page = dir / "page.html";
  r = mfgsim("report " + shell_quote(out) + " --log-level warn --out " + shell_quote(page));
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string html = read_file(page);
  EXPECT_NE(html.find("<h2>Scenarios compared</h2>"), std::string::npos);
  EXPECT_NE(html.find("<h2>Differences over time</h2>"), std::string::npos);
  EXPECT_NE(html.find("<figcaption>manufacturing_va_ytd_yoy_difference</figcaption>"), std::string::npos);
  EXPECT_FALSE(fs::exists(fs::path(out) / "report.html"));  // --out, not the folder
  const std::vector<int> ink = drawn_ink(page);
  ASSERT_FALSE(ink.empty());
  for (std::size_t k = 0; k < ink.size(); ++k) EXPECT_GT(ink[k], 2000) << "plot " << k;
}

// A forecast's report names its origin, the figures it used and the
// observed files with their SHA-256 (they were missing; found by a new
// user's trial).
TEST(CliReport, ForecastProvenanceNamesTheOriginAndTheFigures) {
  TempDir dir;
  const Result f = mfgsim("forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --members 20 "
                          "--log-level warn --out " + shell_quote(dir / "f"));
  ASSERT_EQ(f.code, 0) << describe(f);
  const Result r = mfgsim("report " + shell_quote(dir / "f") + " --log-level warn");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string html = read_file(dir / "f/report.html");
  EXPECT_NE(html.find("<tr><th>origin</th><td>2023-06</td></tr>"), std::string::npos);
  const nlohmann::json manifest = nlohmann::json::parse(read_file(dir / "f/manifest.json"));
  EXPECT_NE(html.find("<tr><th>figures_used</th><td>" + manifest["figures_used"].dump() + "</td></tr>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><th>data/observed.csv</th><td>sha256 " +
                      manifest["observed_files"][0]["sha256"].get<std::string>() + "</td></tr>"),
            std::string::npos);
}

TEST(CliReport, RefusedWithoutOutput) {
  TempDir dir;
  fs::create_directories(dir.path() / "empty");
  expect_refused_in(dir.path(), "report empty", "summary.csv");
  const Result r = mfgsim("run scenarios/baseline.yaml --members 10 --log-level warn --out " + shell_quote(dir / "run"));
  ASSERT_EQ(r.code, 0) << describe(r);
  expect_refused_in(dir.path(), "report run --out run/summary.csv", "--out");
  expect_refused_in(dir.path(), "report run --observed nowhere.csv", "nowhere.csv");
}

}  // namespace
