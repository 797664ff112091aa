// One documented range per value, the same on every path (issue 12, item 3):
// every numeric option of every command is parsed with its range
// (CommandOptions::integer/number, sim/core/range.h), abbreviations and
// empty values are refused, and options that the chosen mode would ignore
// are errors. Each case runs the binary and checks exit 2, the message
// naming the option, that nothing was created (no output, .tmp or
// checkpoint folder) and that every input is unchanged byte for byte.
#include <gtest/gtest.h>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

// The user's folder (cli_support.h) with b.yaml, a batch of s.yaml with 2 members.
// det.yaml: s.yaml with ensemble.stochastic false.
struct BatchWorkspace : Workspace {
  BatchWorkspace() {
    std::ofstream(dir / "b.yaml") << "name: b\nscenarios: [s.yaml]\nmembers: 2\n";
    std::ofstream(dir / "det.yaml") << "name: det\nextends: s.yaml\nensemble: {stochastic: false}\n";
    std::ofstream(dir / "detb.yaml") << "name: detb\nscenarios: [det.yaml]\n";
  }
};

void expect_refused(const Workspace& ws, const std::string& args, const std::string& message) {
  expect_refused_in(ws.dir.path(), args, "mfgsim: error: " + message);
}

struct Case {
  const char* args;
  const char* message;
};

TEST(CliOptionRange, TheIssuesExamplesAreRefusedBeforeAnyWork) {
  BatchWorkspace ws;
  const Case cases[] = {
      {"run s.yaml --seed -1", "--seed must be a whole number in [0, 18446744073709551615] (got '-1')"},
      {"run s.yaml --seed 18446744073709551616",
       "--seed must be a whole number in [0, 18446744073709551615] (got '18446744073709551616')"},
      {"run s.yaml --summary-memory 17592186044416",
       "--summary-memory must be a whole number in [1, 16777216] (got '17592186044416')"},
      {"batch b.yaml --threads 1000000", "--threads must be a whole number in [0, 1024] (got '1000000')"},
      {"run s.yaml --out ''", "--out: expected a value, got an empty text"},
      {"run s.yaml --memb 5", "unrecognised option '--memb'"},
      {"sensitivity s.yaml --method morris --samples 0",
       "--samples must be a whole number in [2, 16777216] (got '0')"},
      {"sensitivity s.yaml --method sobol --samples 1",
       "--samples must be a whole number in [2, 16777216] (got '1')"},
      {"sensitivity s.yaml --method morris --bootstrap 0",
       "--bootstrap must be a whole number in [1000, 100000] (got '0')"},
      {"sensitivity s.yaml --method morris --bootstrap 1",
       "--bootstrap must be a whole number in [1000, 100000] (got '1')"},
      {"sensitivity s.yaml --method sobol --levels 4", "--levels applies to --method morris only"},
      // Given twice: refused, as Boost refuses --out twice, never the last one used.
      {"run s.yaml --members 3 --members 5", "option '--members' cannot be specified more than once"},
      {"run s.yaml --seed 1 -s 2", "option '--seed' cannot be specified more than once"},
      {"batch b.yaml --threads 1 --threads 2", "option '--threads' cannot be specified more than once"},
      {"sensitivity s.yaml --method morris --bootstrap 1000 --bootstrap 2000",
       "option '--bootstrap' cannot be specified more than once"},
      {"run s.yaml --out a --out b", "option '--out' cannot be specified more than once"},
      // A value repeated in a list: refused, not done twice or silently once.
      {"run s.yaml --outputs co2,va,co2", "--outputs: 'co2' given twice"},
      {"validate s.yaml s.yaml", "argument 's.yaml' given twice"},
      {"plot res --series co2 co2", "--series: 'co2' given twice"},
  };
  for (const Case& c : cases) expect_refused(ws, c.args, c.message);
}

// The audit: every numeric option of every command, for each kind (a sign
// on an unsigned value, overflow, zero or a value where it means nothing,
// text, a fraction), abbreviations and empty values on every command.
TEST(CliOptionRange, EveryNumericOptionStatesAndChecksItsRange) {
  BatchWorkspace ws;
  const Case cases[] = {
      // run
      {"run s.yaml --members 0", "--members must be a whole number in [1, 10000000] (got '0')"},
      {"run s.yaml --members -4", "--members must be a whole number in [1, 10000000] (got '-4')"},
      {"run s.yaml --members 10000001", "--members must be a whole number in [1, 10000000] (got '10000001')"},
      {"run s.yaml --members 2.5", "--members must be a whole number in [1, 10000000] (got '2.5')"},
      {"run s.yaml --members 99999999999999999999",
       "--members must be a whole number in [1, 10000000] (got '99999999999999999999')"},
      {"run s.yaml --threads -1", "--threads must be a whole number in [0, 1024] (got '-1')"},
      {"run s.yaml --threads 1025", "--threads must be a whole number in [0, 1024] (got '1025')"},
      {"run s.yaml --summary-memory 0", "--summary-memory must be a whole number in [1, 16777216] (got '0')"},
      {"run s.yaml --seed 0x10", "--seed must be a whole number in [0, 18446744073709551615] (got '0x10')"},
      {"run s.yaml --deterministic --seed 5", "--deterministic draws no random numbers; do not combine it with --seed"},
      // A scenario that draws nothing ignores a seed the same way (found by a new user's trial).
      {"run det.yaml --seed 5",
       "--seed applies to stochastic runs only: scenario 'det' sets ensemble.stochastic: false, so no random numbers "
       "are drawn"},
      {"run s.yaml --outputs ''", "--outputs: expected a value, got an empty text"},
      {"run ''", "an empty scenario argument (expected a path)"},
      {"run s.yaml --determ", "unrecognised option '--determ'"},
      // batch
      {"batch b.yaml --members 0", "--members must be a whole number in [1, 10000000] (got '0')"},
      {"batch b.yaml --seed -1", "--seed must be a whole number in [0, 18446744073709551615] (got '-1')"},
      // ... as does a batch whose every scenario draws nothing.
      {"batch detb.yaml --seed 5",
       "seed applies to stochastic runs only: every scenario of batch 'detb' sets ensemble.stochastic: false, so no "
       "random numbers are drawn"},
      {"batch b.yaml --threads 1025", "--threads must be a whole number in [0, 1024] (got '1025')"},
      {"batch b.yaml --summary-memory 16777217",
       "--summary-memory must be a whole number in [1, 16777216] (got '16777217')"},
      {"batch b.yaml --out ''", "--out: expected a value, got an empty text"},
      {"batch b.yaml --shard ''", "--shard: expected a value, got an empty text"},
      {"batch b.yaml --res", "unrecognised option '--res'"},
      // merge
      {"merge a b --out ''", "--out: expected a value, got an empty text"},
      {"merge a b --bat b.yaml", "unrecognised option '--bat'"},
      // compare
      {"compare res --top -1", "--top must be a whole number in [0, 2147483647] (got '-1')"},
      {"compare res --top 2147483648", "--top must be a whole number in [0, 2147483647] (got '2147483648')"},
      {"compare res --out ''", "--out: expected a value, got an empty text"},
      {"compare res --base s", "unrecognised option '--base'"},
      // sensitivity
      {"sensitivity s.yaml --method morris --samples 16777217",
       "--samples must be a whole number in [2, 16777216] (got '16777217')"},
      {"sensitivity s.yaml --method morris --levels 1001", "--levels must be a whole number in [2, 1000] (got '1001')"},
      {"sensitivity s.yaml --method morris --levels -2", "--levels must be a whole number in [2, 1000] (got '-2')"},
      {"sensitivity s.yaml --method morris --bootstrap 100001",
       "--bootstrap must be a whole number in [1000, 100000] (got '100001')"},
      {"sensitivity s.yaml --method morris --seed -1",
       "--seed must be a whole number in [0, 18446744073709551615] (got '-1')"},
      {"sensitivity s.yaml --method morris --threads 5000", "--threads must be a whole number in [0, 1024] (got '5000')"},
      {"sensitivity s.yaml --method morris --out ''", "--out: expected a value, got an empty text"},
      {"sensitivity s.yaml --meth morris", "unrecognised option '--meth'"},
      // calibrate
      {"calibrate s.yaml --max-evals 0", "--max-evals must be a whole number in [1, 10000000] (got '0')"},
      {"calibrate s.yaml --max-evals -3", "--max-evals must be a whole number in [1, 10000000] (got '-3')"},
      {"calibrate s.yaml --tolerance -1", "--tolerance must be a number >= 0 (got '-1')"},
      {"calibrate s.yaml --tolerance nan", "--tolerance must be a number >= 0 (got 'nan')"},
      {"calibrate s.yaml --tolerance inf", "--tolerance must be a number >= 0 (got 'inf')"},
      {"calibrate s.yaml --out ''", "--out: expected a value, got an empty text"},
      {"calibrate s.yaml --targets ''", "--targets: expected a value, got an empty text"},
      {"calibrate s.yaml --max 5", "unrecognised option '--max'"},
      // backtest
      {"backtest res --observed ''", "--observed: expected a value, got an empty text"},
      {"backtest res --observed obs.csv --out ''", "--out: expected a value, got an empty text"},
      {"backtest res --obs obs.csv", "unrecognised option '--obs'"},
      // plot
      {"plot res --out ''", "--out: expected a value, got an empty text"},
      {"plot res --series ''", "--series: expected a value, got an empty text"},
      {"plot res --ser va", "unrecognised option '--ser'"},
      // validate
      {"validate ''", "an empty files argument (expected a path)"},
      {"validate s.yaml --log", "unrecognised option '--log'"},
  };
  for (const Case& c : cases) expect_refused(ws, c.args, c.message);
}

TEST(CliOptionRange, HelpStatesTheRanges) {
  Result run = mfgsim("run --help");
  ASSERT_EQ(run.code, 0) << describe(run);
  run.out = squeezed(run.out);
  EXPECT_NE(run.out.find("in [0, 18446744073709551615]"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("in [1, 10000000]"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("in [0, 1024]"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("in [1, 16777216]"), std::string::npos) << run.out;
  Result sensitivity = mfgsim("sensitivity --help");
  sensitivity.out = squeezed(sensitivity.out);
  EXPECT_NE(sensitivity.out.find("in [1000, 100000]"), std::string::npos) << sensitivity.out;
}

// Seeds take every 64-bit value on every path: the option, the scenario
// file and the batch file; one past it, or a sign, is refused at its place.
TEST(CliOptionRange, SeedsTakeTheFullUnsignedRangeEverywhere) {
  BatchWorkspace ws;
  const Result option = ws.run("run s.yaml --members 2 --seed 18446744073709551615 --out r");
  ASSERT_EQ(option.code, 0) << describe(option);
  EXPECT_NE(read_file(ws.dir.path() / "r/manifest.json").find("18446744073709551615"), std::string::npos);

  std::ofstream(ws.dir / "max.yaml") << "name: max\nextends: s.yaml\nensemble:\n  seed: 18446744073709551615\n";
  const Result file = ws.run("validate max.yaml");
  EXPECT_EQ(file.code, 0) << describe(file);
  std::ofstream(ws.dir / "big.yaml") << "name: big\nextends: s.yaml\nensemble:\n  seed: 18446744073709551616\n";
  std::ofstream(ws.dir / "neg.yaml") << "name: neg\nextends: s.yaml\nensemble:\n  seed: -1\n";
  for (const char* name : {"big", "neg"})
    expect_refused_in(ws.dir.path(), std::string("run ") + name + ".yaml --members 2",
                      std::string(name) + ".yaml:4:9: error: ensemble.seed must be >= 0");

  std::ofstream(ws.dir / "bmax.yaml") << "name: bmax\nscenarios: [s.yaml]\nmembers: 2\nseed: 18446744073709551615\n";
  const Result batch = ws.run("batch bmax.yaml --check");
  EXPECT_EQ(batch.code, 0) << describe(batch);
  std::ofstream(ws.dir / "bbig.yaml") << "name: bbig\nscenarios: [s.yaml]\nmembers: 2\nseed: 18446744073709551616\n";
  expect_refused_in(ws.dir.path(), "batch bbig.yaml",
                    "bbig.yaml:4:7: error: seed must be >= 0 and at most 18446744073709551615");
}

// --check runs nothing: options only a run uses are refused, not ignored;
// with --shard it counts that shard's scenarios (it counted all; found by a
// new user's trial).
TEST(CliOptionRange, BatchCheckTakesOnlyWhatItUses) {
  BatchWorkspace ws;
  std::ofstream(ws.dir / "three.yaml") << "name: three\nscenarios: [s.yaml, det.yaml]\nmembers: 2\n"
                                          "sweeps:\n  - {name: g, base: s.yaml, method: grid,"
                                          " parameters: {lending.maturity: {low: 2, high: 8, points: 2}}}\n";
  for (const char* option : {"--out x", "--resume", "--keep-members", "--threads 1", "--summary-memory 8"})
    expect_refused(ws, std::string("batch three.yaml --check ") + option,
                   std::string(option).substr(0, std::string(option).find(' ')) + " is for a run; --check runs nothing");
  const Result shard = ws.run("batch three.yaml --check --shard 2/3");
  EXPECT_EQ(shard.code, 0) << describe(shard);
  EXPECT_NE(shard.out.find("three: ok, shard 2 of 3: 1 of 4 scenarios, "), std::string::npos) << describe(shard);
  const Result all = ws.run("batch three.yaml --check");
  EXPECT_NE(all.out.find("three: ok, 4 scenarios, "), std::string::npos) << describe(all);
}

// A scenario or batch key that mirrors an option has the option's range.
TEST(CliOptionRange, FileKeysHaveTheOptionsRanges) {
  BatchWorkspace ws;
  std::ofstream(ws.dir / "m.yaml") << "name: m\nextends: s.yaml\nensemble:\n  members: 10000001\n";
  std::ofstream(ws.dir / "bm.yaml") << "name: bm\nscenarios: [s.yaml]\nmembers: 0\n";
  expect_refused_in(ws.dir.path(), "run m.yaml", "m.yaml:4:12: error: ensemble.members must be in [1, 10000000]");
  expect_refused_in(ws.dir.path(), "batch bm.yaml", "bm.yaml:3:10: error: members must be in [1, 10000000]");
}

// Issue 12, item 7: a Sobol design whose size is not a power of two runs,
// with a warning through the notice channel, printed by the command.
TEST(CliSobol, WarnsWhenTheSampleCountIsNotAPowerOfTwo) {
  BatchWorkspace ws;
  std::ofstream(ws.dir / "sweep.yaml") << "name: sweep\nsweeps:\n  - name: s\n    base: s.yaml\n    method: sobol\n"
                                          "    samples: 3\n    parameters:\n"
                                          "      lending.long_term_growth: {low: 0.0, high: 0.1}\nmembers: 1\n";
  const Result batch = ws.run("batch sweep.yaml --check");
  EXPECT_EQ(batch.code, 0) << describe(batch);
  EXPECT_NE(batch.err.find("sweep.yaml:3:5: warning: sweep s: 3 Sobol points: only a power of two"), std::string::npos)
      << describe(batch);
  const std::string sensitivity = "sensitivity s.yaml --method sobol --parameters calibration --at 2023-06 --no-plot";
  const Result three = ws.run(sensitivity + " --samples 3 --out three");
  EXPECT_EQ(three.code, 0) << describe(three);
  EXPECT_NE(three.err.find("--samples 3 Sobol points: only a power of two"), std::string::npos) << describe(three);
  const Result four = ws.run(sensitivity + " --samples 4 --out four");
  EXPECT_EQ(four.code, 0) << describe(four);
  EXPECT_EQ(four.err.find("Sobol points"), std::string::npos) << describe(four);
}

}  // namespace
