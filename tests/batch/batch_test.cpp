// Batches: batch-file errors with their file:line:col, sweep samples (grid,
// LHS, Sobol), sample compilation, and the runner's properties: a batch
// equals its scenarios run one at a time, and one thread equals several.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/batch/batch.h"
#include "models/param_address.h"
#include "sim/output/run_outputs.h"

namespace mfgsim {
namespace {

namespace fs = std::filesystem;

const std::string kSource = MFGSIM_SOURCE_DIR;

// Scenario files the tests rely on, written once into a temporary folder:
// the shipped baseline with the values and forms used below pinned, so that
// recalibrating the baseline does not change these tests.
const std::string& fixture_dir() {
  static const std::string dir = [] {
    const fs::path d = fs::temp_directory_path() / ("mfgsim_batch_test_" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::ofstream(d / "base.yaml") << "name: base\nextends: " << kSource << "/scenarios/baseline.yaml\n"
                                   << "lending: {long_term_growth: 0.03, green_tilt: 0.5}\n"
                                      "low_carbon:\n  retrofit_push: {from: 2021-01, to: 2025-12, start: 0.02, end: 0.08}\n"
                                      "uncertain:\n  lending.green_tilt: {dist: uniform, low: 0.0, high: 1.0}\n";
    std::ofstream(d / "steps.yaml") << "name: steps\nextends: base.yaml\n"
                                       "lending:\n  long_term_growth:\n    - {from: 2021-01, value: 0.03}\n"
                                       "    - {from: 2024-01, value: 0.15}\n";
    return d.string();
  }();
  return dir;
}

struct RemoveFixture : ::testing::Environment {
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(fixture_dir(), ec);
  }
};
const auto* const kRemoveFixture = ::testing::AddGlobalTestEnvironment(new RemoveFixture);

BatchLoad load(const std::string& yaml) { return load_batch_text(yaml, "b.yaml", fixture_dir()); }

// Exactly one error, at `line:col`, whose message contains `part`.
void expect_error_at(const std::string& yaml, int line, int column, const std::string& part) {
  const BatchLoad l = load(yaml);
  EXPECT_FALSE(l.batch);
  ASSERT_EQ(l.diagnostics.items().size(), 1u) << "for\n" << yaml << "got\n" << l.diagnostics.format();
  const Diagnostic& d = l.diagnostics.items()[0];
  EXPECT_EQ(d.where.file, "b.yaml") << d.format();
  EXPECT_EQ(d.where.line, line) << d.format();
  EXPECT_EQ(d.where.column, column) << d.format();
  EXPECT_NE(d.message.find(part), std::string::npos) << d.format() << "\nexpected to contain: " << part;
}

const std::string kSweepHead =
    "name: t\n"
    "sweeps:\n"
    "  - name: s\n"
    "    base: base.yaml\n";

TEST(BatchFile, UnknownTopLevelKeySuggestsTheKnownOne) {
  expect_error_at("name: t\nscenarios: [base.yaml]\nmembrs: 4\n", 3, 1,
                  "unknown key `membrs` in the batch (did you mean `members`?)");
}

TEST(BatchFile, BadMethodIsReportedAtItsValue) {
  expect_error_at(kSweepHead + "    method: sobel\n    samples: 4\n    parameters:\n      lending.maturity: {low: 2, high: 8}\n",
                  5, 13, "expected one of grid, lhs, sobol, got 'sobel' (did you mean `sobol`?)");
}

TEST(BatchFile, MissingBaseIsReportedAtItsValue) {
  expect_error_at("name: t\nsweeps:\n  - name: s\n    base: nowhere.yaml\n    method: lhs\n    samples: 4\n"
                  "    parameters:\n      lending.maturity: {low: 2, high: 8}\n",
                  4, 11, "no such file `nowhere.yaml`");
}

TEST(BatchFile, RepeatedOutputIsReportedAtTheRepeat) {
  expect_error_at("name: t\nscenarios: [base.yaml]\noutputs: [co2, va, co2]\n", 3, 20,
                  "outputs: `co2` is listed twice (first at line 3, column 11)");
}

TEST(BatchFile, MissingScenarioFileIsReportedAtItsEntry) {
  expect_error_at("name: t\nscenarios:\n  - base.yaml\n  - bse.yaml\n", 4, 5, "no such file `bse.yaml`");
}

TEST(BatchFile, SweepKeysRangesAndPaths) {
  expect_error_at(kSweepHead + "    method: lhs\n    samples: 4\n    parameters:\n      lending.maturity: {lo: 2, low: 2, high: 8}\n",
                  8, 26, "unknown key `lo` in `sweeps[0].parameters.lending.maturity` (did you mean `low`?)");
  expect_error_at(kSweepHead + "    method: lhs\n    samples: 4\n    parameters:\n      lending.green_tit: {low: 0, high: 1}\n",
                  8, 7, "unknown parameter `lending.green_tit` (did you mean `lending.green_tilt`?)");
  expect_error_at(kSweepHead + "    method: lhs\n    samples: 4\n    parameters:\n      lending.investment_pass: {low: 0.5, high: 1.5}\n",
                  8, 49, "sweeps[0].parameters.lending.investment_pass.high must be in [0, 1]");
  expect_error_at(kSweepHead + "    method: lhs\n    samples: 4\n    parameters:\n      lending.maturity: {low: 8, high: 2}\n",
                  8, 40, "low must be < high");
  // A ramp is addressed by its start or end.
  expect_error_at(kSweepHead + "    method: lhs\n    samples: 4\n    parameters:\n      low_carbon.retrofit_push: {low: 0, high: 1}\n",
                  8, 7, "is a ramp");
  // A parameter drawn per member would overwrite the swept values.
  expect_error_at(kSweepHead + "    method: lhs\n    samples: 4\n    parameters:\n      lending.maturity: {low: 2, high: 8}\n"
                  "      lending.green_tilt: {low: 0, high: 1}\n",
                  9, 7, "drawn per member in the base scenario's `uncertain:` block");
}

TEST(BatchFile, GridAndSampleCounts) {
  // A grid takes `points`, not `samples`; LHS and Sobol need `samples`.
  expect_error_at(kSweepHead + "    method: grid\n    samples: 4\n    parameters:\n      lending.maturity: {low: 2, high: 8, points: 3}\n",
                  6, 5, "a grid sweep has one sample per combination");
  expect_error_at(kSweepHead + "    method: sobol\n    parameters:\n      lending.maturity: {low: 2, high: 8}\n", 3, 5,
                  "missing required key `samples`");
  expect_error_at(kSweepHead + "    method: grid\n    parameters:\n      lending.maturity: {low: 2, high: 8}\n", 7, 25,
                  "missing required key `points`");
  expect_error_at(kSweepHead + "    method: sobol\n    samples: 3\n    parameters:\n      lending.maturity: {low: 2, high: 8, points: 3}\n",
                  8, 43, "only grid sweeps take `points`");
}

TEST(BatchFile, DuplicateScenarioNames) {
  expect_error_at("name: t\nscenarios:\n  - base.yaml\n  - base.yaml\n", 4, 5,
                  "two scenarios of the batch are named `base` (the first at b.yaml:3:5)");
}

TEST(BatchFile, InvalidSamplesAreReportedBeforeAnyRun) {
  // Each value is in its range, but at the high end the sectors' capital
  // goods shares sum above 1: the model's check fails for that sample only,
  // reported at its sweep with the sample's name and values.
  expect_error_at(kSweepHead + "    method: grid\n    parameters:\n"
                  "      sector_overrides.equipment.capital_goods_share: {low: 0.1, high: 0.9, points: 2}\n",
                  3, 5, "sample s_1 (sector_overrides.equipment.capital_goods_share = 0.9): capital_goods_share sums to");
}

const std::string kSmallBatch =
    "name: small\n"
    "scenarios: [base.yaml, steps.yaml]\n"
    "sweeps:\n"
    "  - name: g\n"
    "    base: base.yaml\n"
    "    method: grid\n"
    "    parameters:\n"
    "      lending.long_term_growth: {low: 0.0, high: 0.1, points: 2}\n"
    "      low_carbon.retrofit_push.end: {low: 0.05, high: 0.2, points: 2}\n"
    "members: 6\n"
    "seed: 11\n"
    "outputs: [manufacturing_va_ytd_yoy, long_term_share, va]\n";

TEST(Batch, SweepSamplesAreCompiledScenarios) {
  const BatchLoad l = load(kSmallBatch);
  ASSERT_TRUE(l.batch) << l.diagnostics.format();
  const Batch& b = *l.batch;
  ASSERT_EQ(b.entries.size(), 6u);
  const std::vector<std::string> names = {"base", "steps", "g_0", "g_1", "g_2", "g_3"};
  for (std::size_t k = 0; k < names.size(); ++k) EXPECT_EQ(b.entries[k].scenario.name, names[k]);
  ASSERT_EQ(b.parameters, (std::vector<std::string>{"lending.long_term_growth", "low_carbon.retrofit_push.end"}));
  // g_2: growth at its high end, push at its low end.
  const BatchEntry& g2 = b.entries[4];
  EXPECT_EQ(g2.sweep, "g");
  EXPECT_EQ(g2.sample, 2);
  EXPECT_EQ(g2.values, (std::vector<double>{0.1, 0.05}));
  std::string error;
  const auto growth = resolve_param_path("lending.long_term_growth", g2.scenario.params, &error);
  ASSERT_TRUE(growth) << error;
  EXPECT_EQ(get_param(g2.scenario.params, *growth), 0.1);
  // The base scenario's own values; the other's growth is a step schedule: no single value.
  EXPECT_EQ(b.entries[0].values, (std::vector<double>{0.03, 0.08}));
  EXPECT_TRUE(std::isnan(b.entries[1].values[0]));
  for (const BatchEntry& e : b.entries) {
    EXPECT_EQ(e.scenario.ensemble.members, 6);
    EXPECT_EQ(e.scenario.ensemble.seed, 11u);
    EXPECT_EQ(e.scenario.outputs.size(), 3u);
  }
}

// Issue 12, item 7: a Sobol sweep of 8 samples puts one sample in each
// eighth of every parameter's range (points 0..7, shifted), the shift keyed
// by the batch seed and the sweep's name; 6 samples warn.
TEST(Batch, SobolSweepFillsEveryStratum) {
  auto sweep = [](int samples, int seed, const std::string& name) {
    return load("name: t\nseed: " + std::to_string(seed) + "\nsweeps:\n  - name: " + name +
                "\n    base: base.yaml\n    method: sobol\n    samples: " + std::to_string(samples) +
                "\n    parameters:\n      lending.long_term_growth: {low: 0.0, high: 0.16}\n"
                "      lending.investment_pass: {low: 0.2, high: 0.6}\n");
  };
  const BatchLoad l = sweep(8, 5, "s");
  ASSERT_TRUE(l.batch) << l.diagnostics.format();
  EXPECT_TRUE(l.notices.empty());
  const double low[2] = {0.0, 0.2}, width[2] = {0.16, 0.4};
  for (int j = 0; j < 2; ++j) {
    std::set<int> strata;
    for (const BatchEntry& e : l.batch->entries) strata.insert(static_cast<int>((e.values[j] - low[j]) / width[j] * 8));
    EXPECT_EQ(strata, (std::set<int>{0, 1, 2, 3, 4, 5, 6, 7})) << "parameter " << j;
  }
  auto values = [](const BatchLoad& b) {
    std::vector<double> v;
    for (const BatchEntry& e : b.batch->entries) v.insert(v.end(), e.values.begin(), e.values.end());
    return v;
  };
  EXPECT_EQ(values(sweep(8, 5, "s")), values(l));
  EXPECT_NE(values(sweep(8, 6, "s")), values(l));
  EXPECT_NE(values(sweep(8, 5, "r")), values(l));
  const BatchLoad six = sweep(6, 5, "s");
  ASSERT_TRUE(six.batch) << six.diagnostics.format();
  ASSERT_EQ(six.notices.size(), 1u);
  EXPECT_EQ(six.notices[0].level, Notice::Level::warning);
  EXPECT_EQ(six.notices[0].text,
            "b.yaml:4:5: warning: sweep s: 6 Sobol points: only a power of two puts exactly one point in each stratum "
            "of every axis; 4 or 8 would balance best");
}

// Bitwise equality of two vectors (NaN, the undefined months, equals NaN).
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

struct Captured {
  std::vector<std::string> summaries;  // summary.csv rows per entry
  std::vector<std::vector<double>> kept;
};

Captured run(const Batch& batch, int threads) {
  Captured c;
  BatchRunOptions options;
  options.threads = threads;
  options.block_size = 4;  // several blocks per scenario
  run_batch(batch, options, [&](std::size_t index, EnsembleResult& r) {
    EXPECT_EQ(index, c.summaries.size());
    const Scenario& s = batch.entries[index].scenario;
    std::ostringstream out;
    write_summary_rows(out, s.name, s.calendar, *r.summary, s.params.sectors.names, OutputSelection{s.outputs});
    c.summaries.push_back(out.str());
    c.kept.push_back(r.kept);
  });
  return c;
}

TEST(Batch, EqualsItsScenariosRunOneAtATime) {
  const BatchLoad l = load(kSmallBatch);
  ASSERT_TRUE(l.batch) << l.diagnostics.format();
  const Captured batch = run(*l.batch, 2);
  ASSERT_EQ(batch.summaries.size(), l.batch->entries.size());
  BatchRunOptions options;
  options.block_size = 4;
  for (std::size_t k = 0; k < l.batch->entries.size(); ++k) {
    const BatchEntry& e = l.batch->entries[k];
    const EnsembleResult alone = run_ensemble(e.scenario, batch_request(e, options, 1));
    std::ostringstream out;
    write_summary_rows(out, e.scenario.name, e.scenario.calendar, *alone.summary, e.scenario.params.sectors.names,
                       OutputSelection{e.scenario.outputs});
    EXPECT_EQ(out.str(), batch.summaries[k]) << e.scenario.name;
    EXPECT_TRUE(same(alone.kept, batch.kept[k])) << e.scenario.name;
  }
  // Kept: 8 headline series x 120 months x 6 members; members differ (stochastic).
  ASSERT_EQ(batch.kept[0].size(), 8u * 120 * 6);
  EXPECT_NE(batch.kept[0][119 * 6], batch.kept[0][119 * 6 + 1]);
}

TEST(Batch, OneThreadEqualsSeveral) {
  const BatchLoad l = load(kSmallBatch);
  ASSERT_TRUE(l.batch) << l.diagnostics.format();
  const Captured one = run(*l.batch, 1), three = run(*l.batch, 3);
  EXPECT_EQ(one.summaries, three.summaries);
  ASSERT_EQ(one.kept.size(), three.kept.size());
  for (std::size_t k = 0; k < one.kept.size(); ++k) EXPECT_TRUE(same(one.kept[k], three.kept[k])) << k;
}

TEST(Batch, MembersSharingTheStreamArePaired) {
  // Two sweep samples equal in everything but a lever that acts from 2021:
  // member k draws the same shocks in both, so the months before the lever
  // can matter are equal member by member (and differ across members).
  const BatchLoad l = load(
      "name: paired\nsweeps:\n  - name: p\n    base: base.yaml\n    method: grid\n    parameters:\n"
      "      lending.long_term_growth: {low: 0.0, high: 0.1, points: 2}\nmembers: 5\nseed: 3\n"
      "outputs: [manufacturing_va]\n");
  ASSERT_TRUE(l.batch) << l.diagnostics.format();
  const Captured c = run(*l.batch, 2);
  // manufacturing_va is the last headline series; month 0 of it.
  const std::size_t offset = 7u * 120 * 5;
  for (int m = 0; m < 5; ++m) EXPECT_EQ(c.kept[0][offset + m], c.kept[1][offset + m]) << "member " << m;
  EXPECT_NE(c.kept[0][offset], c.kept[0][offset + 1]);
}

TEST(Batch, ShippedBatchesLoad) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kSource + "/scenarios/batches")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const BatchLoad l = load_batch(entry.path().string());
    EXPECT_TRUE(l.batch) << l.diagnostics.format();
  }
  EXPECT_GE(files, 2);
  const BatchLoad l = load_batch(kSource + "/scenarios/batches/levers.yaml");
  ASSERT_TRUE(l.batch) << l.diagnostics.format();
  EXPECT_EQ(l.batch->entries.size(), 260u);
  EXPECT_EQ(l.batch->entries[4].scenario.name, "levers_000");
  EXPECT_EQ(l.batch->entries.back().scenario.name, "levers_255");
}

// ---- one schema for scenario and batch files ------------------------------
//
// The batch file's overrides are the scenario's keys: a value written as
// `ensemble: {<key>: value}` in a scenario and as `<key>: value` in a batch
// is accepted by both or rejected by both, with the same message (but for
// the `ensemble.` of the path), and read as the same value.

struct BothFiles {
  ScenarioLoad scenario;
  BatchLoad batch;
};

// The messages of `d` without their locations, `ensemble.` dropped.
std::vector<std::string> messages(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const Diagnostic& item : d.items()) {
    std::string m = item.message;
    if (m.starts_with("ensemble.")) m.erase(0, std::strlen("ensemble."));
    out.push_back(m);
  }
  return out;
}

BothFiles load_both(const std::string& key, const std::string& value) {
  return {load_scenario_text("name: v\nextends: base.yaml\nensemble:\n  " + key + ": " + value + "\n", "s.yaml",
                             fixture_dir()),
          load("name: t\nscenarios: [base.yaml]\n" + key + ": " + value + "\n")};
}

void expect_same_verdict(const BothFiles& both, const std::string& what) {
  EXPECT_EQ(both.scenario.scenario.has_value(), both.batch.batch.has_value())
      << what << "\nscenario:\n" << both.scenario.diagnostics.format() << "batch:\n" << both.batch.diagnostics.format();
  EXPECT_EQ(messages(both.scenario.diagnostics), messages(both.batch.diagnostics)) << what;
}

TEST(OneSchema, BooleansReadTheSameInScenarioAndBatch) {
  const std::vector<std::pair<std::string, std::optional<bool>>> cases = {
      {"true", true},       {"True", true},      {"TRUE", true},        {"false", false},     {"False", false},
      {"FALSE", false},     {"\"true\"", {}},    {"'false'", {}},       {"1", {}},            {"0", {}},
      {"yes", {}},          {"on", {}},          {"tRUE", {}},          {"[true]", {}},       {"", {}}};
  for (const auto& [text, expected] : cases) {
    const BothFiles both = load_both("stochastic", text);
    expect_same_verdict(both, "stochastic: " + text);
    EXPECT_EQ(both.batch.batch.has_value(), expected.has_value()) << "stochastic: " << text;
    if (!both.scenario.scenario || !both.batch.batch) continue;
    EXPECT_EQ(both.scenario.scenario->ensemble.stochastic, *expected) << text;
    EXPECT_EQ(both.batch.batch->entries.at(0).scenario.ensemble.stochastic, *expected) << text;
  }
}

TEST(OneSchema, WholeNumbersReadTheSameInScenarioAndBatch) {
  // members in [1, 1e7], seed in [0, 2^64 - 1] (issue 12, item 3: as --seed);
  // no exponent, no point, nothing past 64 bits.
  const std::vector<std::string> values = {"1e3",  "10.0", "-1",     "0",       "10",          "+10", "\"10\"",
                                           "0x10", "1_0",  "10000000", "10000001", "9223372036854775807",
                                           "9223372036854775808", "18446744073709551615", "18446744073709551616",
                                           "-9223372036854775809", "", "[3]"};
  for (const char* key : {"members", "seed"}) {
    for (const std::string& text : values) {
      const BothFiles both = load_both(key, text);
      expect_same_verdict(both, std::string(key) + ": " + text);
      if (!both.scenario.scenario || !both.batch.batch) continue;
      const EnsembleSettings& a = both.scenario.scenario->ensemble;
      const EnsembleSettings& b = both.batch.batch->entries.at(0).scenario.ensemble;
      EXPECT_EQ(a.members, b.members) << key << ": " << text;
      EXPECT_EQ(a.seed, b.seed) << key << ": " << text;
    }
  }
  for (const std::string text : {"1e3", "10.0", "-1", "18446744073709551616"})
    EXPECT_FALSE(load_both("seed", text).batch.batch) << text;
  EXPECT_EQ(load_both("members", "1e3").batch.diagnostics.items().at(0).message,
            "members: expected a whole number, got '1e3'");
  EXPECT_EQ(load_both("seed", "18446744073709551616").batch.diagnostics.items().at(0).message,
            "seed must be >= 0 and at most 18446744073709551615 = 2^64 - 1 (got 18446744073709551616)");
  EXPECT_EQ(load_both("seed", "9223372036854775807").batch.batch->seed, 9223372036854775807ull);
  EXPECT_EQ(load_both("seed", "9223372036854775808").batch.batch->seed, 9223372036854775808ull);
  const BothFiles top = load_both("seed", "18446744073709551615");
  ASSERT_TRUE(top.scenario.scenario && top.batch.batch);
  EXPECT_EQ(top.batch.batch->seed, 18446744073709551615ull);
  EXPECT_EQ(top.scenario.scenario->ensemble.seed, 18446744073709551615ull);
  EXPECT_EQ(top.batch.batch->entries.at(0).scenario.ensemble.seed, 18446744073709551615ull);
}

TEST(OneSchema, NamesReadTheSameInScenarioAndBatch) {
  const std::vector<std::string> values = {"a-b.c_1", "\"quoted_name\"", "a b", "a/b", "caf\xc3\xa9", "123", "true",
                                           "\"\"",    "",                "[x]", "{a: 1}"};
  for (const std::string& text : values) {
    const ScenarioLoad scenario = load_scenario_text("name: " + text + "\nextends: base.yaml\n", "s.yaml", fixture_dir());
    const BatchLoad batch = load("name: " + text + "\nscenarios: [base.yaml]\n");
    EXPECT_EQ(scenario.scenario.has_value(), batch.batch.has_value())
        << "name: " << text << "\n" << scenario.diagnostics.format() << batch.diagnostics.format();
    EXPECT_EQ(messages(scenario.diagnostics), messages(batch.diagnostics)) << "name: " << text;
    if (scenario.scenario && batch.batch) {
      EXPECT_EQ(scenario.scenario->name, batch.batch->name);
    }
  }
}

TEST(OneSchema, OutputsReadTheSameInScenarioAndBatch) {
  for (const std::string text : {"all", "[]", "[va, co2, va]", "[vaa]", "none", "[[va]]", ""}) {
    const ScenarioLoad scenario = load_scenario_text("name: v\nextends: base.yaml\noutputs: " + text + "\n", "s.yaml",
                                                     fixture_dir());
    const BatchLoad batch = load("name: t\nscenarios: [base.yaml]\noutputs: " + text + "\n");
    EXPECT_EQ(scenario.scenario.has_value(), batch.batch.has_value())
        << "outputs: " << text << "\n" << scenario.diagnostics.format() << batch.diagnostics.format();
    EXPECT_EQ(messages(scenario.diagnostics), messages(batch.diagnostics)) << "outputs: " << text;
    if (scenario.scenario && batch.batch) {
      EXPECT_EQ(scenario.scenario->outputs, batch.batch->entries.at(0).scenario.outputs) << "outputs: " << text;
    }
  }
}

// A sweep's `low`/`high` and a calibration's bounds are numbers by the same rule.
TEST(OneSchema, RangeBoundsReadTheSameInSweepsAndCalibration) {
  for (const std::string text : {"2", "2.0", "2e0", "+2", ".5e1", "\"2\"", ".inf", "nan", "2,5", "0x2", "[2]"}) {
    const ScenarioLoad scenario = load_scenario_text(
        "name: v\nextends: base.yaml\ncalibration:\n  parameters:\n    lending.maturity: {low: " + text +
            ", high: 8}\n",
        "s.yaml", fixture_dir());
    const BatchLoad batch = load(kSweepHead + "    method: lhs\n    samples: 4\n    parameters:\n"
                                              "      lending.maturity: {low: " + text + ", high: 8}\n");
    std::vector<std::string> a = messages(scenario.diagnostics), b = messages(batch.diagnostics);
    for (std::string& m : a)
      if (const auto at = m.find("calibration.parameters"); at != std::string::npos)
        m.replace(at, std::strlen("calibration.parameters"), "sweeps[0].parameters");
    EXPECT_EQ(scenario.scenario.has_value(), batch.batch.has_value())
        << "low: " << text << "\n" << scenario.diagnostics.format() << batch.diagnostics.format();
    if (!scenario.scenario) {
      EXPECT_EQ(a, b) << "low: " << text;
    }
  }
}

TEST(OneSchema, SweepShapesAndTypes) {
  // The schema phase reports every key's type before the compile phase runs.
  expect_error_at("name: t\nsweeps:\n  - name: s\n    base: base.yaml\n    method: lhs\n    samples: 4.0\n"
                  "    parameters:\n      lending.maturity: {low: 2, high: 8}\n",
                  6, 14, "sweeps[0].samples: expected a whole number, got '4.0'");
  expect_error_at("name: t\nsweeps:\n  - name: s\n    method: lhs\n    samples: 4\n"
                  "    parameters:\n      lending.maturity: {low: 2, high: 8}\n",
                  3, 5, "missing required key `sweeps[0].base`");
  expect_error_at(kSweepHead + "    method: grid\n    parameters:\n      lending.maturity: {low: 2, high: 8, points: 1}\n",
                  7, 51, "sweeps[0].parameters.lending.maturity.points must be in [2, 10000] (got 1)");
  expect_error_at("name: t\nsweeps: {name: s}\n", 2, 9,
                  "sweeps: expected a list of `{name, base, method, samples, parameters}`, got a map");
  expect_error_at("name: t\nscenarios: base.yaml\n", 2, 12, "scenarios: expected a list of file paths, got 'base.yaml'");
  expect_error_at("- a\n", 1, 1, "a batch must be a map of keys, got a list");
  // No scenario at all; a list given empty is an error at its key.
  expect_error_at("name: t\n", 1, 1, "a batch needs `scenarios`, `sweeps` or both");
  expect_error_at("name: t\nsweeps:\n", 2, 1, "`sweeps` lists nothing; list at least one sweep, or leave the key out");
  expect_error_at("name: t\nscenarios: []\n", 2, 1,
                  "`scenarios` lists nothing; list at least one scenario file, or leave the key out");
}

}  // namespace
}  // namespace mfgsim
