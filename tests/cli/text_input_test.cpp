// Text that is legal elsewhere (issue 12, item 5): every table is read by
// the one CSV reader (sim/io/csv.h), so CRLF line endings and a UTF-8 byte
// order mark give the same results as LF, on every table (sectors.csv,
// io_coefficients.csv, observed figures, calibration targets, and the
// summary.csv and members.csv read back); invalid UTF-8 in a scenario, a
// batch or a table is refused at load time with file:line:col, exit 2,
// nothing written and the inputs unchanged.
#include <gtest/gtest.h>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// `text` with CRLF line endings and a byte order mark in front.
std::string crlf_with_bom(const std::string& text) {
  std::string out = "\xEF\xBB\xBF";
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A scenario `t` in `dir` over copies of the shipped tables, converted by `convert`.
template <class Convert>
void write_scenario_with_tables(const fs::path& dir, Convert convert) {
  for (const char* table : {"sectors.csv", "io_coefficients.csv"})
    write(dir / table, convert(read_file(kSource + "/data/" + table)));
  write(dir / "t.yaml", "name: t\nextends: " + kSource +
                            "/scenarios/baseline.yaml\ndata: {sectors: sectors.csv, io: io_coefficients.csv}\n");
}

TEST(CliTextInput, CrlfAndBomTablesGiveTheSameRun) {
  TempDir dir;
  write_scenario_with_tables(dir.path() / "lf", [](const std::string& text) { return text; });
  write_scenario_with_tables(dir.path() / "crlf", crlf_with_bom);
  ASSERT_NE(read_file(dir.path() / "crlf/sectors.csv").find("\r\n"), std::string::npos);
  for (const char* which : {"lf", "crlf"}) {
    const Result r = run_mfgsim("run t.yaml --members 3 --out res", (dir.path() / which).string());
    ASSERT_EQ(r.code, 0) << which << "\n" << describe(r);
  }
  const std::string lf = read_file(dir.path() / "lf/res/summary.csv");
  EXPECT_GT(lf.size(), 10000u);
  EXPECT_EQ(read_file(dir.path() / "crlf/res/summary.csv"), lf);
}

TEST(CliTextInput, CrlfAndBomObservedSummaryAndMembersGiveTheSameBacktest) {
  TempDir dir;
  write(dir.path() / "s.yaml", "name: s\nextends: " + kSource + "/scenarios/baseline.yaml\n");
  ASSERT_EQ(run_mfgsim("run s.yaml --members 4 --keep-members --out res", dir.path().string()).code, 0);
  // The same folder with every CSV converted.
  fs::create_directories(dir.path() / "res2");
  for (const char* file : {"summary.csv", "members.csv", "manifest.json"}) {
    const std::string text = read_file(dir.path() / "res" / file);
    write(dir.path() / "res2" / file, std::string(file).ends_with(".csv") ? crlf_with_bom(text) : text);
  }
  write(dir.path() / "obs.csv", read_file(kSource + "/data/observed.csv"));
  write(dir.path() / "obs2.csv", crlf_with_bom(read_file(kSource + "/data/observed.csv")));
  const Result lf = run_mfgsim("backtest res --observed obs.csv --out a.csv", dir.path().string());
  ASSERT_EQ(lf.code, 0) << describe(lf);
  const Result crlf = run_mfgsim("backtest res2 --observed obs2.csv --out b.csv", dir.path().string());
  ASSERT_EQ(crlf.code, 0) << describe(crlf);
  EXPECT_EQ(crlf.out, lf.out);
  EXPECT_EQ(read_file(dir.path() / "b.csv"), read_file(dir.path() / "a.csv"));
  EXPECT_EQ(read_file(dir.path() / "b_scores.csv"), read_file(dir.path() / "a_scores.csv"));
  EXPECT_NE(read_file(dir.path() / "a_scores.csv").find("s,"), std::string::npos);
}

TEST(CliTextInput, CrlfAndBomTargetsGiveTheSameCalibration) {
  TempDir dir;
  write(dir.path() / "s.yaml", "name: s\nextends: " + kSource + "/scenarios/baseline.yaml\n");
  write(dir.path() / "t.csv", read_file(kSource + "/data/targets.csv"));
  write(dir.path() / "t2.csv", crlf_with_bom(read_file(kSource + "/data/targets.csv")));
  const Result lf = run_mfgsim("calibrate s.yaml --targets t.csv --out a.yaml", dir.path().string());
  ASSERT_EQ(lf.code, 0) << describe(lf);
  const Result crlf = run_mfgsim("calibrate s.yaml --targets t2.csv --out b.yaml", dir.path().string());
  ASSERT_EQ(crlf.code, 0) << describe(crlf);
  EXPECT_NE(lf.out.find("mfg_h1_2023"), std::string::npos) << lf.out;
  // The report names the optimiser's time; everything above it is the same.
  EXPECT_EQ(crlf.out.substr(0, crlf.out.find("optimiser:")), lf.out.substr(0, lf.out.find("optimiser:")));
}

// Refused at load time (expect_refused_in), not after a run with a raw library message.
void expect_refused(const TempDir& dir, const std::string& args, const std::string& message) {
  const Result r = expect_refused_in(dir.path(), args, message);
  EXPECT_EQ(r.err.find("json.exception"), std::string::npos) << describe(r);
}

TEST(CliTextInput, InvalidUtf8IsRefusedAtLoadTimeWithItsPosition) {
  TempDir dir;
  write(dir.path() / "bad.yaml",
        "name: bad\ndescription: caf\xE9 au lait\nextends: " + kSource + "/scenarios/baseline.yaml\n");
  write(dir.path() / "good.yaml", "name: good\nextends: " + kSource + "/scenarios/baseline.yaml\n");
  write(dir.path() / "b.yaml", "name: b\ndescription: \xC3\nscenarios: [good.yaml]\n");
  write(dir.path() / "base.yaml", "name: base\nextends: bad.yaml\n");
  const std::string yaml = "invalid UTF-8 (a YAML file must be UTF-8 text)";
  expect_refused(dir, "run bad.yaml --members 2", "bad.yaml:2:17: error: " + yaml);
  expect_refused(dir, "validate bad.yaml", "bad.yaml:2:17: error: " + yaml);
  expect_refused(dir, "run base.yaml --members 2", "bad.yaml:2:17: error: " + yaml);
  expect_refused(dir, "sensitivity bad.yaml --method morris", "bad.yaml:2:17: error: " + yaml);
  expect_refused(dir, "calibrate bad.yaml", "bad.yaml:2:17: error: " + yaml);
  expect_refused(dir, "batch b.yaml", "b.yaml:2:14: error: " + yaml);

  // In a table's cell, and in the observed figures.
  write_scenario_with_tables(dir.path() / "t", [](std::string text) {
    text.insert(text.begin() + static_cast<std::ptrdiff_t>(text.find('\n') + 1), '\xFF');  // line 2's first byte
    return text;
  });
  expect_refused(dir, "run t/t.yaml --members 2", "t/sectors.csv:2:1: error: invalid UTF-8 (a CSV file must be UTF-8 text)");
  write(dir.path() / "obs.csv", "id,series,sector,measure,month,value\nx,industry_va,,ytd_yoy,2023-06,0.0\xA0\n");
  ASSERT_EQ(run_mfgsim("run good.yaml --members 2 --out res", dir.path().string()).code, 0);
  expect_refused(dir, "backtest res --observed obs.csv --out x.csv", "obs.csv:2:35: error: invalid UTF-8");
}

}  // namespace
