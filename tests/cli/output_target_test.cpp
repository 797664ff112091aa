// Output targets never destroy inputs (issue 12, item 1; sim/io/output_dir.h
// validate_output_target): every command that writes refuses, before any
// work, an --out that is or lies above the working folder or an input, or
// that is a non-empty folder which is not an earlier result of the same
// command; exit 2, "mfgsim: error: --out ...", nothing created, the inputs
// unchanged byte for byte.
#include <gtest/gtest.h>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// Refused: exit 2, "mfgsim: error: --out ...", the message, and nothing changed in `ws`.
void expect_refused(const Workspace& ws, const std::string& args, const std::string& message) {
  const Result r = expect_refused_in(ws.dir.path(), args, message);
  EXPECT_NE(r.err.find("mfgsim: error: --out "), std::string::npos) << describe(r);
}

TEST(CliOutputTarget, RunIntoTheWorkingFolderIsRefused) {
  Workspace ws;
  expect_refused(ws, "run s.yaml --members 4 --out .", "--out .: is the working folder");
  expect_refused(ws, "run s.yaml --members 4 --out ..", "--out ..: lies above the working folder");
}

TEST(CliOutputTarget, RunIntoTheScenarioOrAboveItsFolderIsRefused) {
  Workspace ws;
  fs::create_directories(ws.dir.path() / "sub");
  std::ofstream(ws.dir / "sub/t.yaml") << "name: t\nextends: " << kSource << "/scenarios/baseline.yaml\n";
  expect_refused(ws, "run s.yaml --deterministic --out s.yaml", "is s.yaml, an input of this command");
  // From the repository root: --out the parent of the scenario's folder.
  const auto before = snapshot(ws.dir.path());
  const Result r = mfgsim("run " + shell_quote(ws.dir / "sub/t.yaml") + " --deterministic --out " +
                          shell_quote(ws.dir.path().string()));
  EXPECT_EQ(r.code, 2) << describe(r);
  EXPECT_NE(r.err.find("mfgsim: error: --out " + ws.dir.path().string() + ": contains"), std::string::npos)
      << describe(r);
  EXPECT_EQ(snapshot(ws.dir.path()), before);
  // A data table of the extends chain is an input too.
  const Result data = mfgsim("run " + shell_quote(ws.dir / "s.yaml") + " --deterministic --out data");
  EXPECT_EQ(data.code, 2) << describe(data);
  EXPECT_NE(data.err.find("--out data: contains "), std::string::npos) << describe(data);
  EXPECT_NE(data.err.find("data/sectors.csv, an input of this command"), std::string::npos) << describe(data);
}

TEST(CliOutputTarget, RunIntoAFolderThatIsNotAnEarlierRunIsRefused) {
  Workspace ws;
  fs::create_directories(ws.dir.path() / "mine");
  std::ofstream(ws.dir / "mine/keep.txt") << "keep\n";
  expect_refused(ws, "run s.yaml --deterministic --out mine",
                 "--out mine: is a folder that is not an earlier result of mfgsim run (no manifest.json");
  // An earlier result of another command is not one either.
  fs::create_directories(ws.dir.path() / "sens");
  std::ofstream(ws.dir / "sens/manifest.json") << R"({"program": "mfgsim", "command": "sensitivity"})";
  expect_refused(ws, "run s.yaml --deterministic --out sens", "not an earlier result of mfgsim run");
  // An empty folder and an earlier run are fine; the rerun replaces it.
  fs::create_directories(ws.dir.path() / "empty");
  ASSERT_EQ(ws.run("run s.yaml --deterministic --out empty").code, 0);
  const Result again = ws.run("run s.yaml --deterministic --out empty");
  ASSERT_EQ(again.code, 0) << describe(again);
  EXPECT_TRUE(fs::exists(ws.dir.path() / "empty/summary.csv"));
}

// A rerun replaces an earlier result with everything mfgsim wrote in it (the
// plots, report and compare.csv other commands put there by default, while
// unchanged) and refuses, exit 2 and nothing changed, when the folder also
// holds anything else: the user's notes, a folder of theirs, a plot file they
// edited. Found by a new user's trial: the rerun deleted them.
TEST(CliOutputTarget, ARerunDeletesOnlyWhatMfgsimWroteThere) {
  Workspace ws;
  ASSERT_EQ(ws.run("run s.yaml --members 6 --keep-members --outputs co2,manufacturing_va_ytd_yoy --out r").code, 0);
  ASSERT_EQ(ws.run("plot r --series co2").code, 0);
  ASSERT_EQ(ws.run("report r").code, 0);
  std::ofstream(ws.dir / "o.yaml") << "name: o\nextends: s.yaml\n";
  ASSERT_EQ(ws.run("run o.yaml --members 6 --keep-members --outputs co2,manufacturing_va_ytd_yoy --out other").code, 0);
  ASSERT_EQ(ws.run("compare r other --out r/compare.csv").code, 0);
  ASSERT_TRUE(fs::exists(ws.dir / "r/plots/co2.png") && fs::exists(ws.dir / "r/report.html") &&
              fs::exists(ws.dir / "r/compare.csv"));
  Result rerun = ws.run("run s.yaml --members 6 --outputs co2,manufacturing_va_ytd_yoy --out r");
  ASSERT_EQ(rerun.code, 0) << describe(rerun);
  EXPECT_FALSE(fs::exists(ws.dir / "r/plots"));  // the earlier result's own plots went with it
  // The user's file, folder and edit: refused, each named.
  ASSERT_EQ(ws.run("plot r --series co2").code, 0);
  std::ofstream(ws.dir / "r/notes.txt") << "mine\n";
  fs::create_directories(ws.dir / "r/mine");
  std::ofstream(ws.dir / "r/plots/co2.gp", std::ios::app) << "# edited\n";
  expect_refused(ws, "run s.yaml --members 6 --out r",
                 "--out r: is an earlier result, but it also holds mine/, notes.txt, plots/co2.gp, which mfgsim did not "
                 "write there (or which changed since); replacing the result would delete them");
  EXPECT_EQ(read_file(ws.dir / "r/notes.txt"), "mine\n");
  // The same for a batch folder.
  std::ofstream(ws.dir / "b.yaml") << "name: b\nscenarios: [s.yaml]\nmembers: 4\n";
  ASSERT_EQ(ws.run("batch b.yaml --progress off --out bo").code, 0);
  std::ofstream(ws.dir / "bo/README_mine.txt") << "mine\n";
  expect_refused(ws, "batch b.yaml --progress off --out bo", "--out bo: is an earlier result, but it also holds README_mine.txt,");
}

// Found by a new user's trial: report.html, compare.csv and backtest.csv
// edited since mfgsim wrote them into a result were deleted by a rerun (and
// replaced by the same command again), though the README promised "while
// unchanged". Each file output now records its SHA-256 in the result's
// mfgsim_files.json.
TEST(CliOutputTarget, FileOutputsEditedSinceAreTheUsers) {
  Workspace ws;
  ASSERT_EQ(ws.run("run s.yaml --members 6 --keep-members --outputs co2,manufacturing_va_ytd_yoy --out r").code, 0);
  std::ofstream(ws.dir / "o.yaml") << "name: o\nextends: s.yaml\n";
  ASSERT_EQ(ws.run("run o.yaml --members 6 --keep-members --outputs co2,manufacturing_va_ytd_yoy --out other").code, 0);
  ASSERT_EQ(ws.run("report r").code, 0);
  ASSERT_EQ(ws.run("compare r other").code, 0);
  ASSERT_EQ(ws.run("backtest r --observed obs.csv").code, 0);
  // Unchanged, each command replaces its own file, and a rerun the lot.
  ASSERT_EQ(ws.run("report r").code, 0);
  ASSERT_EQ(ws.run("compare r other").code, 0);
  ASSERT_EQ(ws.run("run s.yaml --members 6 --keep-members --outputs co2,manufacturing_va_ytd_yoy --out r").code, 0);
  EXPECT_FALSE(fs::exists(ws.dir / "r/report.html") || fs::exists(ws.dir / "r/compare.csv"));
  // Edited: the user's now.
  ASSERT_EQ(ws.run("report r").code, 0);
  ASSERT_EQ(ws.run("compare r other").code, 0);
  ASSERT_EQ(ws.run("backtest r --observed obs.csv").code, 0);
  std::ofstream(ws.dir / "r/report.html", std::ios::app) << "<!-- my notes -->\n";
  std::ofstream(ws.dir / "r/compare.csv", std::ios::app) << "my,own,row\n";
  const std::string compare_before = read_file(ws.dir / "r/compare.csv");
  expect_refused(ws, "run s.yaml --members 6 --out r",
                 "--out r: is an earlier result, but it also holds compare.csv, report.html, which mfgsim did not "
                 "write there (or which changed since)");
  expect_refused(ws, "compare r other",
                 "--out r/compare.csv: has changed since mfgsim compare wrote it (its SHA-256 is not the one "
                 "mfgsim_files.json records)");
  expect_refused(ws, "report r", "--out r/report.html: has changed since mfgsim report wrote it");
  EXPECT_EQ(read_file(ws.dir / "r/compare.csv"), compare_before);
  // backtest.csv, unedited, stays replaceable.
  EXPECT_EQ(ws.run("backtest r --observed obs.csv").code, 0);
}

TEST(CliOutputTarget, CalibrateOverItsScenarioOrTargetsIsRefused) {
  Workspace ws;
  fs::copy_file(ws.dir.path() / "s.yaml", ws.dir.path() / "my.yaml");
  expect_refused(ws, "calibrate my.yaml --out my.yaml", "--out my.yaml: is my.yaml, an input of this command");
  fs::copy_file(kSource + "/data/targets.csv", ws.dir.path() / "t.csv");
  expect_refused(ws, "calibrate my.yaml --targets t.csv --out t.csv", "--out t.csv: is t.csv");
  expect_refused(ws, "calibrate my.yaml --out .", "--out .: is the working folder");
  expect_refused(ws, "calibrate my.yaml --out notes.txt",
                 "--out notes.txt: is a file that is not an earlier output of mfgsim calibrate");
}

TEST(CliOutputTarget, SensitivityIntoTheWorkingFolderIsRefused) {
  Workspace ws;
  expect_refused(ws, "sensitivity s.yaml --method morris --samples 2 --no-plot --out .",
                 "--out .: is the working folder");
}

TEST(CliOutputTarget, BacktestOverTheResultsItReadsIsRefused) {
  Workspace ws;
  ASSERT_EQ(ws.run("run s.yaml --deterministic --out res").code, 0);
  expect_refused(ws, "backtest res --observed obs.csv --out res/summary.csv",
                 "--out res/summary.csv: is res/summary.csv, an input of this command");
  expect_refused(ws, "backtest res --observed obs.csv --out obs.csv", "--out obs.csv: is obs.csv");
  expect_refused(ws, "backtest res --observed obs.csv --out res", "--out res: is res, an input");
  // The scores file, beside --out, is checked too: summary.csv -> summary_scores.csv is
  // fine, but --out x.csv over an input named x_scores.csv is not.
  std::ofstream(ws.dir / "in_scores.csv") << "kept\n";
  expect_refused(ws, "backtest res --observed in_scores.csv --out in.csv", "--out in_scores.csv: is in_scores.csv");
  // The default (res/backtest.csv) and a rerun still work.
  EXPECT_EQ(ws.run("backtest res --observed obs.csv").code, 0);
  const Result again = ws.run("backtest res --observed obs.csv");
  EXPECT_EQ(again.code, 0) << describe(again);
}

TEST(CliOutputTarget, PlotReplacesOnlyItsFilesAndTakesOut) {
  Workspace ws;
  ASSERT_EQ(ws.run("run s.yaml --deterministic --out res").code, 0);
  fs::create_directories(ws.dir.path() / "res/plots");
  std::ofstream(ws.dir / "res/plots/mine.txt") << "mine\n";
  const Result first = ws.run("plot res --series va");
  ASSERT_EQ(first.code, 0) << describe(first);
  EXPECT_EQ(read_file(ws.dir / "res/plots/mine.txt"), "mine\n");
  EXPECT_TRUE(fs::exists(ws.dir.path() / "res/plots/va_equipment.png"));
  const Result second = ws.run("plot res --series va");
  ASSERT_EQ(second.code, 0) << describe(second);
  EXPECT_EQ(read_file(ws.dir / "res/plots/mine.txt"), "mine\n");
  // --out: a new folder, or refused over the results or the working folder.
  const Result out = ws.run("plot res --series va --out figures");
  ASSERT_EQ(out.code, 0) << describe(out);
  EXPECT_TRUE(fs::exists(ws.dir.path() / "figures/va_equipment.svg"));
  expect_refused(ws, "plot res --series va --out res", "--out res: is res, an input of this command");
  expect_refused(ws, "plot res --series va --out .", "--out .: is the working folder");
}

// plot and report read the run's scenario, its extends chain, data tables and
// calibration targets again (from the paths manifest.json records): an --out
// over any of them, or over a folder holding one, is refused. (Found by a
// new user's trial: `report res --out scenarios/baseline.yaml` replaced the
// scenario with the page, `plot res --out data` wrote into the data folder.)
TEST(CliOutputTarget, PlotAndReportRefuseTheScenarioAndDataTheyRead) {
  Workspace ws;
  fs::copy(kSource + "/scenarios", ws.dir / "scenarios", fs::copy_options::recursive);
  fs::copy(kSource + "/data", ws.dir / "data", fs::copy_options::recursive);
  fs::create_directories(ws.dir.path() / "sub");
  std::ofstream(ws.dir / "sub/t.yaml") << "name: t\nextends: ../scenarios/baseline.yaml\n";
  ASSERT_EQ(ws.run("run sub/t.yaml --deterministic --out res").code, 0);
  for (const std::string command : {"report res --out ", "plot res --series va --out "}) {
    expect_refused(ws, command + "sub/t.yaml", "--out sub/t.yaml: is sub/t.yaml, an input of this command");
    expect_refused(ws, command + "scenarios/baseline.yaml",
                   "--out scenarios/baseline.yaml: is scenarios/baseline.yaml, an input of this command");
    expect_refused(ws, command + "data/sectors.csv", "--out data/sectors.csv: is data/sectors.csv, an input");
    expect_refused(ws, command + "data/targets.csv", "--out data/targets.csv: is data/targets.csv, an input");
    expect_refused(ws, command + "sub", "--out sub: contains sub/t.yaml, an input of this command");
    expect_refused(ws, command + "data", "--out data: contains data/");
  }
  // The page and the plots themselves still go where they may.
  EXPECT_EQ(ws.run("plot res --series va --out figures").code, 0);
  EXPECT_TRUE(fs::exists(ws.dir.path() / "figures/va_equipment.svg"));
}

// A file output replaces only an earlier output of the same command (its
// header or top comment), never a file of the user's (found by a new user's
// trial: `report res --out mine.txt` and `backtest res ... --out mine.txt`
// replaced the user's text); a rerun replaces its own output.
TEST(CliOutputTarget, FileOutputsReplaceOnlyTheirOwnEarlierOutput) {
  Workspace ws;
  ASSERT_EQ(ws.run("run s.yaml --members 8 --keep-members --out res").code, 0);
  std::ofstream(ws.dir / "t.yaml") << "name: t\nextends: s.yaml\n";
  ASSERT_EQ(ws.run("run t.yaml --members 8 --keep-members --out res2").code, 0);
  const std::string mine = "mine.txt";
  std::ofstream(ws.dir / mine) << "my own text\n";
  const std::string refusal = "--out mine.txt: is a file that is not an earlier output of mfgsim ";
  expect_refused(ws, "report res --out mine.txt", refusal + "report");
  expect_refused(ws, "backtest res --observed obs.csv --out mine.txt", refusal + "backtest");
  expect_refused(ws, "compare res res2 --out mine.txt", refusal + "compare");
  // backtest's scores file beside its --out is checked as well.
  std::ofstream(ws.dir / "bt_scores.csv") << "my own scores\n";
  expect_refused(ws, "backtest res --observed obs.csv --out bt.csv",
                 "--out bt_scores.csv: is a file that is not an earlier output of mfgsim backtest");
  fs::remove(ws.dir.path() / "bt_scores.csv");
  // Each command's own output, written twice: the second replaces the first.
  for (const std::string args : {"report res --out r.html", "backtest res --observed obs.csv --out bt.csv",
                                 "compare res res2 --out c.csv"}) {
    const Result first = ws.run(args);
    ASSERT_EQ(first.code, 0) << args << "\n" << describe(first);
    const Result again = ws.run(args);
    EXPECT_EQ(again.code, 0) << args << "\n" << describe(again);
  }
  EXPECT_EQ(read_file(ws.dir / mine), "my own text\n");
}

TEST(CliOutputTarget, BatchShardMergeAndCompareRefuseTheirInputs) {
  Workspace ws;
  std::ofstream(ws.dir / "b.yaml") << "name: b\nscenarios: [s.yaml]\nmembers: 2\n";
  expect_refused(ws, "batch b.yaml --out .", "--out .: is the working folder");
  expect_refused(ws, "batch b.yaml --out b.yaml", "--out b.yaml: is b.yaml, an input of this command");
  fs::create_directories(ws.dir.path() / "mine");
  std::ofstream(ws.dir / "mine/keep.txt") << "keep\n";
  expect_refused(ws, "batch b.yaml --out mine", "not an earlier result of mfgsim batch (no manifest.json");
  expect_refused(ws, "batch b.yaml --shard 1/1 --out mine",
                 "not an earlier result of mfgsim batch --shard (no shard.json");
  ASSERT_EQ(ws.run("batch b.yaml --shard 1/1 --out s1").code, 0);
  ASSERT_EQ(ws.run("batch b.yaml --shard 1/1 --out s1").code, 0) << "a shard folder is replaced by a rerun";
  expect_refused(ws, "merge s1 --out s1", "--out s1: is s1, an input of this command");
  expect_refused(ws, "merge s1 --out mine", "not an earlier result of mfgsim batch");
  ASSERT_EQ(ws.run("merge s1 --out r").code, 0);
  ASSERT_EQ(ws.run("batch b.yaml --out r").code, 0) << "a merged result is a batch result";
  expect_refused(ws, "compare r --out r/results.nc", "--out r/results.nc: is r/results.nc, an input");
  expect_refused(ws, "run s.yaml --deterministic --out r", "not an earlier result of mfgsim run");
}

}  // namespace
